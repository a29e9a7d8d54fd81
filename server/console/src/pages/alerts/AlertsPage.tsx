/**
 * 提醒: the rule alerts raised that the signed-in role hears, and for an admin the three
 * rules (switch and thresholds), the outgoing webhooks and their recent deliveries.
 */
import { useState, type FormEvent } from 'react';
import { WEBHOOK_EVENTS, type AlertRules, type Webhook, type WebhookEvent } from '../../../../../src/shared/console/contract';
import { formatters } from '../../i18n';
import { useLiveTick } from '../../live/live-events';
import { Link } from '../../router';
import { sentence, useLoad, useSession } from '../../session';
import { alertsApi, recordHref } from '../follow-up/follow-up-api';
import { useFollowUpStrings } from '../follow-up/strings';
import '../follow-up/follow-up.css';

type Notice = { ok: boolean; text: string } | null;

export function AlertsPage() {
  const { fu } = useFollowUpStrings();
  const admin = useSession().session.user.role === 'admin';
  return (
    <section className="page follow-up alerts">
      <h1>{fu.alerts.title}</h1>
      {admin ? <RulesForm /> : null}
      <Raised />
      {admin ? <Webhooks /> : null}
    </section>
  );
}

function Raised() {
  const { fu, language } = useFollowUpStrings();
  const f = formatters(language);
  const tick = useLiveTick(['rule_alert']);
  const raised = useLoad(`alerts-raised-${tick}`, () => alertsApi.raised());
  return (
    <>
      <h2>{fu.alerts.raised}</h2>
      {raised.error ? <p className="error" role="alert">{raised.error}</p> : null}
      {raised.data && raised.data.alerts.length === 0 ? <p className="empty" data-testid="raised-empty">{fu.alerts.noneRaised}</p> : null}
      {raised.data && raised.data.alerts.length > 0 ? (
        <table data-testid="raised-alerts">
          <thead>
            <tr><th>{fu.alerts.raisedAt}</th><th>{fu.alerts.rule}</th><th>{fu.alerts.department}</th><th>{fu.alerts.window}</th><th>{fu.alerts.detail}</th><th>{fu.alerts.record}</th></tr>
          </thead>
          <tbody>
            {raised.data.alerts.map((a) => (
              <tr key={a.id} data-alert={a.id} data-rule={a.rule}>
                <td className="nowrap">{f.time(a.raisedAt)}</td>
                <td>{fu.alerts.ruleNames[a.rule]}</td>
                <td>{a.departmentName ?? a.departmentCode ?? '—'}</td>
                <td>{a.windowNo ?? '—'}</td>
                <td title={a.detail}>{fu.alerts.explain(a.rule, a.windowNo, a.followUpId)}</td>
                <td>{a.followUpId === null ? '—' : <Link href={recordHref(a.followUpId)}>#{a.followUpId}</Link>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </>
  );
}

function RulesForm() {
  const { t } = useFollowUpStrings();
  const loaded = useLoad('alerts-rules', () => alertsApi.rules());
  // What the centre answered to the last save: the editor starts again from it at once, in
  // the same render as the notice, so nothing typed after the notice is wiped by a reload.
  const [saved, setSaved] = useState<AlertRules | null>(null);
  const [notice, setNotice] = useState<Notice>(null);
  const rules = saved ?? loaded.data;
  if (loaded.error && !rules) return <p className="error" role="alert">{loaded.error}</p>;
  if (!rules) return <p className="loading">{t.loading}</p>;
  return <RulesEditor key={JSON.stringify(rules)} rules={rules} notice={notice} setNotice={setNotice} onSaved={setSaved} />;
}

function RulesEditor({ rules, notice, setNotice, onSaved }: { rules: AlertRules; notice: Notice; setNotice(n: Notice): void; onSaved(kept: AlertRules): void }) {
  const { t, fu } = useFollowUpStrings();
  const [burstOn, setBurstOn] = useState(rules.poorBurst.enabled);
  const [count, setCount] = useState(String(rules.poorBurst.count));
  const [minutes, setMinutes] = useState(String(rules.poorBurst.minutes));
  const [dueOn, setDueOn] = useState(rules.dueTomorrow.enabled);
  const [overdueOn, setOverdueOn] = useState(rules.overdue.enabled);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    alertsApi
      .saveRules({ poorBurst: { enabled: burstOn, count: Number(count), minutes: Number(minutes) }, dueTomorrow: { enabled: dueOn }, overdue: { enabled: overdueOn } })
      .then(
        (kept) => {
          setNotice({ ok: true, text: fu.alerts.rulesSaved });
          onSaved(kept);
        },
        (err: unknown) => setNotice({ ok: false, text: sentence(t, err) }),
      );
  };
  return (
    <form className="panel rules" onSubmit={submit} aria-label={fu.alerts.rules}>
      <h2>{fu.alerts.rules}</h2>
      <div className="rule">
        <label className="check"><input type="checkbox" name="poorBurst" checked={burstOn} onChange={(e) => setBurstOn(e.target.checked)} />{fu.alerts.poorBurst}</label>
        <label>{fu.alerts.burstCount}<input type="number" name="burstCount" min={2} max={50} required value={count} onChange={(e) => setCount(e.target.value)} /></label>
        <label>{fu.alerts.burstMinutes}<input type="number" name="burstMinutes" min={1} max={1440} required value={minutes} onChange={(e) => setMinutes(e.target.value)} /></label>
      </div>
      <div className="rule">
        <label className="check"><input type="checkbox" name="dueTomorrow" checked={dueOn} onChange={(e) => setDueOn(e.target.checked)} />{fu.alerts.dueTomorrow}</label>
      </div>
      <div className="rule">
        <label className="check"><input type="checkbox" name="overdue" checked={overdueOn} onChange={(e) => setOverdueOn(e.target.checked)} />{fu.alerts.overdue}</label>
      </div>
      {notice ? <p className={notice.ok ? 'ok' : 'error'} role={notice.ok ? 'status' : 'alert'} data-testid="rules-notice">{notice.text}</p> : null}
      <button type="submit" className="primary">{fu.alerts.saveRules}</button>
    </form>
  );
}

function Webhooks() {
  const { t, fu, language } = useFollowUpStrings();
  const f = formatters(language);
  const [round, setRound] = useState(0);
  const webhooks = useLoad(`alerts-webhooks-${round}`, () => alertsApi.webhooks());
  const deliveries = useLoad(`alerts-deliveries-${round}`, () => alertsApi.deliveries());
  const [notice, setNotice] = useState<Notice>(null);
  const failed = (err: unknown) => setNotice({ ok: false, text: sentence(t, err) });
  const disable = (hook: Webhook) => {
    if (!window.confirm(fu.alerts.confirmDisable(hook.url))) return;
    alertsApi.disableWebhook(hook.id).then(() => setRound((n) => n + 1), failed);
  };
  const urlOf = new Map((webhooks.data?.webhooks ?? []).map((w) => [w.id, w.url]));
  const ruleList = (rules: Webhook['rules']) => (rules.length === 0 ? fu.alerts.allRules : rules.map((r) => fu.alerts.ruleNames[r]).join('、'));
  return (
    <>
      <h2>{fu.alerts.webhooks}</h2>
      <p className="note">{fu.alerts.webhooksLead}</p>
      {notice ? <p className={notice.ok ? 'ok' : 'error'} role={notice.ok ? 'status' : 'alert'} data-testid="webhook-notice">{notice.text}</p> : null}
      <NewWebhook onAdded={(hook) => { setNotice({ ok: true, text: fu.alerts.added(hook.url) }); setRound((n) => n + 1); }} onFailed={failed} />
      {webhooks.error ? <p className="error" role="alert">{webhooks.error}</p> : null}
      {webhooks.data && webhooks.data.webhooks.length === 0 ? <p className="empty">{fu.alerts.noWebhooks}</p> : null}
      {webhooks.data && webhooks.data.webhooks.length > 0 ? (
        <table data-testid="webhooks">
          <thead>
            <tr><th>{fu.alerts.url}</th><th>{fu.alerts.receives}</th><th>{fu.alerts.description}</th><th>{fu.alerts.createdBy}</th><th /></tr>
          </thead>
          <tbody>
            {webhooks.data.webhooks.map((w) => (
              <tr key={w.id} data-webhook={w.id} className={w.disabledAt ? 'disabled' : undefined}>
                <td className="mono url">{w.url}</td>
                <td>{ruleList(w.rules)}</td>
                <td>{w.description || '—'}</td>
                <td className="nowrap">{w.createdBy} · {f.time(w.createdAt)}</td>
                <td>{w.disabledAt ? `${fu.alerts.disabled} ${f.time(w.disabledAt)}` : <button type="button" onClick={() => disable(w)}>{fu.alerts.disable}</button>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      <h2>{fu.alerts.deliveries}</h2>
      {deliveries.error ? <p className="error" role="alert">{deliveries.error}</p> : null}
      {deliveries.data && deliveries.data.deliveries.length === 0 ? <p className="empty">{fu.alerts.noDeliveries}</p> : null}
      {deliveries.data && deliveries.data.deliveries.length > 0 ? (
        <table data-testid="deliveries">
          <thead>
            <tr><th>#</th><th>{fu.alerts.webhook}</th><th>{fu.alerts.alert}</th><th>{fu.alerts.state}</th><th>{fu.alerts.attempts}</th><th>{fu.alerts.lastAttempt}</th><th>{fu.alerts.lastResult}</th><th>{fu.alerts.nextAttempt}</th></tr>
          </thead>
          <tbody>
            {deliveries.data.deliveries.map((d) => (
              <tr key={d.id} data-delivery={d.id} data-state={d.state}>
                <td>{d.id}</td>
                <td className="mono url">{urlOf.get(d.webhookId) ?? `#${d.webhookId}`}</td>
                <td>{fu.alerts.ruleNames[d.event]} #{d.alertId}</td>
                <td className={d.state === 'given_up' || d.state === 'failing' ? 'late' : undefined}>{fu.alerts.deliveryStates[d.state]}</td>
                <td>{d.attempts}</td>
                <td className="nowrap">{d.lastAttemptAt ? f.time(d.lastAttemptAt) : '—'}</td>
                <td className="mono">{d.lastResult ?? '—'}</td>
                <td className="nowrap">{d.nextAttemptAt && d.state !== 'delivered' ? f.time(d.nextAttemptAt) : '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </>
  );
}

/** What a webhook can receive: the poor-rating rules, integrity alerts and the hall's window rules. */
const HOOK_KINDS: readonly WebhookEvent[] = WEBHOOK_EVENTS;

function NewWebhook({ onAdded, onFailed }: { onAdded(hook: Webhook): void; onFailed(err: unknown): void }) {
  const { fu } = useFollowUpStrings();
  const [url, setUrl] = useState('');
  const [secret, setSecret] = useState('');
  const [description, setDescription] = useState('');
  const [rules, setRules] = useState<Set<WebhookEvent>>(new Set());
  const submit = (event: FormEvent) => {
    event.preventDefault();
    alertsApi.addWebhook({ url: url.trim(), secret, rules: HOOK_KINDS.filter((k) => rules.has(k)), description }).then((hook) => {
      setUrl('');
      setSecret('');
      setDescription('');
      setRules(new Set());
      onAdded(hook);
    }, onFailed);
  };
  const toggle = (kind: WebhookEvent, on: boolean) =>
    setRules((s) => {
      const next = new Set(s);
      if (on) next.add(kind);
      else next.delete(kind);
      return next;
    });
  return (
    <form className="row-form webhook-form" onSubmit={submit} aria-label={fu.alerts.webhooks}>
      <label className="wide">{fu.alerts.url}<input name="url" type="url" required maxLength={500} value={url} placeholder="https://" onChange={(e) => setUrl(e.target.value)} /></label>
      <label>{fu.alerts.secret}<input name="secret" type="password" autoComplete="new-password" required minLength={16} maxLength={200} value={secret} title={fu.alerts.secretHint} onChange={(e) => setSecret(e.target.value)} /></label>
      <label>{fu.alerts.description}<input name="description" maxLength={200} value={description} onChange={(e) => setDescription(e.target.value)} /></label>
      <fieldset>
        <legend>{fu.alerts.receives}</legend>
        {HOOK_KINDS.map((k) => (
          <label key={k} className="check"><input type="checkbox" name={`rule-${k}`} checked={rules.has(k)} onChange={(e) => toggle(k, e.target.checked)} />{fu.alerts.ruleNames[k]}</label>
        ))}
      </fieldset>
      <button type="submit" className="primary">{fu.alerts.add}</button>
      <p className="note hint"><span>{fu.alerts.secretHint}</span><span>{fu.alerts.receivesHint}</span></p>
    </form>
  );
}
