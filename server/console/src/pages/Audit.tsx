/** 审计 (admin): every sign-in, failed sign-in, user change and change to the centre's rules, lists and access, newest first, filtered by action and user. */
import { useState, type FormEvent } from 'react';
import { ACCESS_AUDIT_ACTIONS, ACCOUNT_AUDIT_ACTIONS, AUDIT_ACTIONS, LIST_AUDIT_ACTIONS, RULE_AUDIT_ACTIONS, type AuditAction, type AuditEntry } from '../../../../src/shared/console/contract';
import { auditSentence, subjectName } from '../../../../src/shared/console/audit-facts';
import { api } from '../api';
import { formatters, useStrings } from '../i18n';
import { hrefOf, navigate, usePlace } from '../router';
import { sentence, useLoad } from '../session';
import { AUDIT_STRINGS } from './audit-strings';

const PAGE = 100;
/** A rule change's subject names rules, worded for the reader; a list change's is an id (a staff number, a code, a window) shown as it is. */
const isRuleAction = (action: AuditAction) => (RULE_AUDIT_ACTIONS as readonly AuditAction[]).includes(action);

export function AuditPage() {
  const { t, language } = useStrings();
  const place = usePlace();
  const actionText = place.query.get('action') ?? '';
  const action = (AUDIT_ACTIONS as readonly string[]).includes(actionText) ? (actionText as AuditAction) : undefined;
  const user = place.query.get('user') || undefined;
  const [userText, setUserText] = useState(user ?? '');
  const first = useLoad(JSON.stringify({ action, user }), () => api.audit({ action, user, limit: PAGE }));
  const [older, setOlder] = useState<{ key: string; entries: AuditEntry[] } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const key = JSON.stringify({ action, user, first: first.data?.entries[0]?.id });
  const entries = [...(first.data?.entries ?? []), ...(older?.key === key ? older.entries : [])];
  const f = formatters(language);
  const a = AUDIT_STRINGS[language];
  const labels: Record<AuditAction, string> = { ...t.audit.actions, ...a.actions };
  const go = (change: { action?: string; user?: string }) => navigate(hrefOf('/audit', { action, user, ...change }));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    go({ user: userText.trim() || undefined });
  };
  const loadOlder = () => {
    const last = entries[entries.length - 1];
    if (!last) return;
    api.audit({ action, user, before: last.id, limit: PAGE }).then(
      (page) => setOlder({ key, entries: [...(older?.key === key ? older.entries : []), ...page.entries] }),
      (err: unknown) => setError(sentence(t, err)),
    );
  };
  return (
    <section className="page">
      <h1>{t.audit.title}</h1>
      <form className="options" onSubmit={submit}>
        <label>
          {t.audit.action}
          <select name="action" value={action ?? ''} onChange={(e) => go({ action: e.target.value || undefined })}>
            <option value="">{t.audit.allActions}</option>
            <optgroup label={a.accountActions}>
              {ACCOUNT_AUDIT_ACTIONS.map((k) => <option key={k} value={k}>{labels[k]}</option>)}
            </optgroup>
            <optgroup label={a.ruleActions}>
              {RULE_AUDIT_ACTIONS.map((k) => <option key={k} value={k}>{labels[k]}</option>)}
            </optgroup>
            <optgroup label={a.listActions}>
              {LIST_AUDIT_ACTIONS.map((k) => <option key={k} value={k}>{labels[k]}</option>)}
            </optgroup>
            <optgroup label={a.accessActions}>
              {ACCESS_AUDIT_ACTIONS.map((k) => <option key={k} value={k}>{labels[k]}</option>)}
            </optgroup>
          </select>
        </label>
        <label>{t.audit.user}<input name="user" value={userText} onChange={(e) => setUserText(e.target.value)} /></label>
        <button type="submit">{t.audit.filter}</button>
      </form>
      {first.error ? <p className="error" role="alert">{first.error}</p> : null}
      {error ? <p className="error" role="alert">{error}</p> : null}
      {first.loading && !first.data ? <p className="loading">{t.loading}</p> : null}
      {first.data && entries.length === 0 ? <p className="empty">{t.audit.empty}</p> : null}
      {entries.length > 0 ? (
        <table className="audit" data-testid="audit">
          <thead>
            <tr><th>{t.audit.at}</th><th>{t.audit.action}</th><th>{t.audit.actor}</th><th>{t.audit.subject}</th><th>{t.audit.detail}</th><th>{t.audit.address}</th></tr>
          </thead>
          <tbody>
            {entries.map((e) => (
              <tr key={e.id} data-action={e.action}>
                <td>{f.time(e.at)}</td>
                <td>{labels[e.action] ?? e.action}</td>
                <td>{e.actor ?? '—'}</td>
                <td>{e.subject === null ? '—' : e.facts && isRuleAction(e.action) ? subjectName(e.subject, language) : e.subject}</td>
                <td>{e.facts ? auditSentence(e.facts, language) : e.detail}</td>
                <td>{e.address ?? '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {first.data && first.data.entries.length === PAGE && (older?.key !== key || older.entries.length % PAGE === 0) ? (
        <button type="button" onClick={loadOlder}>{t.audit.more}</button>
      ) : null}
    </section>
  );
}
