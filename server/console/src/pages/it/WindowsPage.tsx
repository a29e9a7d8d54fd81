/** 窗口 (admin): every terminal, its integrity alerts with acknowledgement, and enrolment codes. */
import { useState, type FormEvent } from 'react';
import type { IntegrityAlert, NewEnrolmentCode } from '../../../../../src/shared/console/contract';
import { formatters } from '../../i18n';
import { sentence, useLoad } from '../../session';
import { itApi } from './it-api';
import { useItStrings } from './strings';
import './it.css';

/** A clock offset a person can take in: seconds when small, minutes, then hours. */
function offset(ms: number): string {
  const s = ms / 1000;
  if (Math.abs(s) < 120) return `${s.toFixed(1)} s`;
  if (Math.abs(s) < 7200) return `${Math.round(s / 60)} min`;
  return `${Math.round(s / 3600)} h`;
}

export function WindowsPage() {
  const { t, it, language } = useItStrings();
  const f = formatters(language);
  const terminals = useLoad('it-terminals', () => itApi.terminals());
  const [onlyOpen, setOnlyOpen] = useState(true);
  const alerts = useLoad(`it-alerts-${onlyOpen}`, () => itApi.alerts(onlyOpen ? 'open' : 'all'));
  const codes = useLoad('it-codes', () => itApi.codes());
  const [notice, setNotice] = useState<{ ok: boolean; text: string } | null>(null);
  const [shown, setShown] = useState<NewEnrolmentCode | null>(null);
  const failed = (err: unknown) => setNotice({ ok: false, text: sentence(t, err) });
  const revoke = (terminalId: string) => {
    if (!window.confirm(it.windows.confirmRevoke(terminalId))) return;
    itApi.revokeTerminal(terminalId).then(() => terminals.reload(), failed);
  };
  return (
    <section className="page it">
      <h1>{it.windows.title}</h1>
      {notice ? <p className={notice.ok ? 'ok' : 'error'} role={notice.ok ? 'status' : 'alert'}>{notice.text}</p> : null}

      <h2>{it.windows.terminals}</h2>
      {terminals.error ? <p className="error" role="alert">{terminals.error}</p> : null}
      {terminals.data && terminals.data.terminals.length === 0 ? <p className="empty">{it.windows.noTerminals}</p> : null}
      {terminals.data && terminals.data.terminals.length > 0 ? (
        <div className="scroll">
          <table data-testid="terminals">
            <thead>
              <tr>
                <th>{it.windows.window}</th><th>{it.windows.terminal}</th><th>{it.windows.department}</th><th>{it.windows.lastContact}</th>
                <th>{it.windows.highWater}</th><th>{it.windows.backlog}</th><th>{it.windows.clock}</th><th>{it.windows.alerts}</th><th />
              </tr>
            </thead>
            <tbody>
              {terminals.data.terminals.map((row) => (
                <tr key={row.terminalId} data-terminal={row.terminalId} className={row.revokedAt ? 'disabled' : undefined}>
                  <td>{row.windowNo}</td>
                  <td className="mono">{row.terminalId}</td>
                  <td>{row.departmentName ?? row.departmentCode ?? '—'}</td>
                  <td>{row.lastContactAt ? f.time(row.lastContactAt) : it.windows.never}</td>
                  <td>{row.epochs.map((e) => `${e.epoch}: ${f.count(e.highWater)}`).join(' · ') || '—'}</td>
                  <td>{row.backlog === null ? it.windows.notReported : f.count(row.backlog)}</td>
                  <td className={row.clockFlagged ? 'error' : undefined}>{row.clockOffsetMs === null ? '—' : offset(row.clockOffsetMs)}</td>
                  <td className={row.openAlerts > 0 ? 'error' : undefined}>{row.openAlerts}</td>
                  <td>{row.revokedAt ? it.windows.revoked : <button type="button" onClick={() => revoke(row.terminalId)}>{it.windows.revoke}</button>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}

      <h2>{it.windows.integrity}</h2>
      <label className="toggle"><input type="checkbox" checked={onlyOpen} onChange={(e) => setOnlyOpen(e.target.checked)} />{it.windows.onlyOpen}</label>
      {alerts.error ? <p className="error" role="alert">{alerts.error}</p> : null}
      {alerts.data && alerts.data.alerts.length === 0 ? <p className="empty">{it.windows.noAlerts}</p> : null}
      {alerts.data && alerts.data.alerts.length > 0 ? (
        <table data-testid="alerts">
          <thead>
            <tr><th>{it.windows.detected}</th><th>{it.windows.window}</th><th>{it.windows.kind}</th><th>{it.windows.detail}</th><th>{it.windows.acknowledged}</th></tr>
          </thead>
          <tbody>
            {alerts.data.alerts.map((a) => <AlertRow key={a.id} alert={a} onDone={() => { alerts.reload(); terminals.reload(); }} onFailed={failed} />)}
          </tbody>
        </table>
      ) : null}

      <h2>{it.windows.codes}</h2>
      <NewCodeForm onMade={(code) => { setShown(code); codes.reload(); }} onFailed={failed} />
      {shown ? (
        <p className="code-once" role="status">
          {it.windows.shownOnce} <strong data-testid="new-code" className="mono">{shown.code}</strong> ({it.windows.window} {shown.windowNo}, {it.windows.expires} {f.time(shown.expiresAt)})
        </p>
      ) : null}
      {codes.data && codes.data.codes.length === 0 ? <p className="empty">{it.windows.noCodes}</p> : null}
      {codes.data && codes.data.codes.length > 0 ? (
        <table data-testid="codes">
          <thead>
            <tr><th>{it.windows.window}</th><th>{it.windows.created}</th><th>{it.windows.expires}</th><th>{it.windows.state}</th><th>{it.windows.usedBy}</th><th /></tr>
          </thead>
          <tbody>
            {codes.data.codes.map((c) => (
              <tr key={c.id} data-code={c.id}>
                <td>{c.windowNo}</td>
                <td>{f.time(c.createdAt)}{c.createdBy ? ` · ${c.createdBy}` : ''}</td>
                <td>{f.time(c.expiresAt)}</td>
                <td>{it.windows.states[c.state]}</td>
                <td className="mono">{c.usedBy ?? ''}</td>
                <td>{c.state === 'usable' ? <button type="button" onClick={() => itApi.revokeCode(c.id).then(() => codes.reload(), failed)}>{it.windows.revoke}</button> : null}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}

function AlertRow({ alert, onDone, onFailed }: { alert: IntegrityAlert; onDone(): void; onFailed(err: unknown): void }) {
  const { it, language } = useItStrings();
  const f = formatters(language);
  const [note, setNote] = useState('');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    itApi.acknowledge(alert.id, note).then(onDone, onFailed);
  };
  const ack = alert.acknowledgement;
  return (
    <tr data-alert={alert.id}>
      <td>{f.time(alert.detectedAt)}</td>
      <td>{alert.windowNo ?? alert.terminalId}</td>
      <td>{it.windows.kinds[alert.kind]}</td>
      <td title={alert.detail}>{it.windows.explain(alert)}</td>
      <td>
        {ack ? (
          it.windows.ackBy(ack.by, f.time(ack.at), ack.note)
        ) : (
          <form className="inline" onSubmit={submit}>
            <input name="note" value={note} placeholder={it.windows.note} onChange={(e) => setNote(e.target.value)} required maxLength={500} />
            <button type="submit">{it.windows.acknowledge}</button>
          </form>
        )}
      </td>
    </tr>
  );
}

function NewCodeForm({ onMade, onFailed }: { onMade(code: NewEnrolmentCode): void; onFailed(err: unknown): void }) {
  const { it } = useItStrings();
  const [windowNo, setWindowNo] = useState('');
  const [hours, setHours] = useState('168');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    itApi.newCode({ windowNo, expiresInHours: Number(hours) }).then((code) => {
      setWindowNo('');
      onMade(code);
    }, onFailed);
  };
  return (
    <form className="row-form" onSubmit={submit} aria-label={it.windows.newCode}>
      <label>{it.windows.window}<input name="code-window" value={windowNo} onChange={(e) => setWindowNo(e.target.value)} required maxLength={16} /></label>
      <label>{it.windows.expiresIn}<input name="code-hours" type="number" min={1} max={2160} value={hours} onChange={(e) => setHours(e.target.value)} required /></label>
      <button type="submit" className="primary">{it.windows.create}</button>
    </form>
  );
}
