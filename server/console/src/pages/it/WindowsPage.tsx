/**
 * 窗口 (admin): each window's live state (stale ones said plainly), every terminal, its
 * integrity alerts with acknowledgement, enrolment codes, and the hall's wall screens.
 */
import { useState, type FormEvent } from 'react';
import { HALL_ROUTES, itPath, NewWallTokenBody, type Hall, type IntegrityAlert, type LiveWindow, type NewEnrolmentCode, type NewWallToken, type TerminalRow, type WallToken } from '../../../../../src/shared/console/contract';
import { build, call } from '../../api';
import { formatters } from '../../i18n';
import { useLiveEvents } from '../../live/live-events';
import { sentence, useLoad } from '../../session';
import { useHallAdminStrings } from '../../wall/admin-strings';
import { stateOf, stateWord } from '../../wall/tile-state';
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
  const rotate = (terminalId: string) => {
    if (!window.confirm(it.windows.confirmRotate(terminalId))) return;
    itApi.rotateTerminalToken(terminalId).then(() => {
      setNotice({ ok: true, text: it.windows.didAskRotation(terminalId) });
      terminals.reload();
    }, failed);
  };
  const tokenState = (token: TerminalRow['token']) => {
    const parts: string[] = [];
    if (token.rotationAskedAt !== null) parts.push(it.windows.rotationAsked(f.time(token.rotationAskedAt)));
    else if (token.rotatedAt !== null) parts.push(it.windows.rotated(f.time(token.rotatedAt)));
    if (token.previousValidUntil !== null && token.previousValidUntil > Date.now()) parts.push(it.windows.previousUntil(f.time(token.previousValidUntil)));
    return parts.join('；') || '—';
  };
  return (
    <section className="page it">
      <h1>{it.windows.title}</h1>
      {notice ? <p className={notice.ok ? 'ok' : 'error'} role={notice.ok ? 'status' : 'alert'}>{notice.text}</p> : null}

      <LiveWindows />

      <h2>{it.windows.terminals}</h2>
      {terminals.error ? <p className="error" role="alert">{terminals.error}</p> : null}
      {terminals.data && terminals.data.terminals.length === 0 ? <p className="empty">{it.windows.noTerminals}</p> : null}
      {terminals.data && terminals.data.terminals.length > 0 ? (
        <div className="scroll">
          <table data-testid="terminals">
            <thead>
              <tr>
                <th>{it.windows.window}</th><th>{it.windows.terminal}</th><th>{it.windows.department}</th><th>{it.windows.lastContact}</th>
                <th>{it.windows.highWater}</th><th>{it.windows.backlog}</th><th>{it.windows.clock}</th><th>{it.windows.alerts}</th><th>{it.windows.token}</th><th />
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
                  <td data-testid="token-state">{row.revokedAt ? '—' : tokenState(row.token)}</td>
                  <td className="nowrap">
                    {row.revokedAt ? it.windows.revoked : (
                      <>
                        <button type="button" onClick={() => rotate(row.terminalId)}>{it.windows.rotate}</button>{' '}
                        <button type="button" onClick={() => revoke(row.terminalId)}>{it.windows.revoke}</button>
                      </>
                    )}
                  </td>
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

      <WallTokens onNotice={setNotice} onFailed={failed} />
    </section>
  );
}

const hallApi = {
  hall: () => call<Hall>('GET', HALL_ROUTES.hall),
  wallTokens: () => call<{ tokens: WallToken[] }>('GET', HALL_ROUTES.wallTokens),
  newWallToken: async (name: string) => call<NewWallToken>('POST', HALL_ROUTES.wallTokens, { body: build(NewWallTokenBody, { name }) }),
  revokeWallToken: (id: number) => call<WallToken>('POST', itPath(HALL_ROUTES.revokeWallToken, { id }), { body: {} }),
};

/** Each window's live state from the hall, kept current by the console's live channel. */
function LiveWindows() {
  const { h, w, language } = useHallAdminStrings();
  const f = formatters(language);
  const hall = useLoad('hall-live', hallApi.hall);
  const [changed, setChanged] = useState<ReadonlyMap<string, LiveWindow>>(new Map());
  const [loadedAt, setLoadedAt] = useState<Hall | null>(null);
  // A new hall read replaces what the events said before it.
  if (hall.data && hall.data !== loadedAt) {
    setLoadedAt(hall.data);
    setChanged(new Map());
  }
  useLiveEvents(['window'], (event) => {
    if (event.type === 'window') setChanged((held) => new Map(held).set(event.window.windowNo, event.window));
  });
  const windows = hall.data ? hall.data.windows.map((x) => changed.get(x.windowNo) ?? x) : [];
  for (const x of changed.values()) if (hall.data && !hall.data.windows.some((y) => y.windowNo === x.windowNo)) windows.push(x);
  return (
    <>
      <h2>{h.live.title}</h2>
      <p className="note">{h.live.lead}</p>
      {hall.error ? <p className="error" role="alert">{hall.error}</p> : null}
      {hall.data && windows.length === 0 ? <p className="empty">{h.live.none}</p> : null}
      {windows.length > 0 ? (
        <div className="scroll">
          <table data-testid="live-windows">
            <thead>
              <tr>
                <th>{h.live.window}</th><th>{h.live.department}</th><th>{h.live.state}</th><th>{h.live.staff}</th><th>{h.live.item}</th>
                <th>{h.live.today}</th><th>{h.live.keypad}</th><th>{h.live.received}</th>
              </tr>
            </thead>
            <tbody>
              {windows.map((x) => (
                <tr key={x.windowNo} data-window={x.windowNo} data-state={stateOf(x)} data-stale={x.stale} className={x.stale ? 'stale' : undefined}>
                  <td>{x.windowNo}</td>
                  <td>{x.departmentName ?? x.departmentCode ?? '—'}</td>
                  <td className={x.stale ? 'error' : undefined}>{x.stale ? h.live.stale : stateWord(x, w)}</td>
                  <td>{x.status?.staff?.name ?? '—'}</td>
                  <td>{x.status?.case?.itemName ?? '—'}</td>
                  <td>{x.status ? `${f.count(x.status.today.served)} / ${f.count(x.status.today.rated)} / ${f.count(x.status.today.poor)}` : '—'}</td>
                  <td>{x.status ? (h.live.keypads[x.status.keypad.link] ?? x.status.keypad.link) : '—'}</td>
                  <td>{x.receivedAt === null ? h.live.never : f.time(x.receivedAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </>
  );
}

/** The hall's wall screens: make one (its address shown once), see when each was last used, revoke one. */
function WallTokens({ onNotice, onFailed }: { onNotice(notice: { ok: boolean; text: string }): void; onFailed(err: unknown): void }) {
  const { h, language } = useHallAdminStrings();
  const f = formatters(language);
  const tokens = useLoad('wall-tokens', hallApi.wallTokens);
  const [name, setName] = useState('');
  const [shown, setShown] = useState<NewWallToken | null>(null);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    hallApi.newWallToken(name).then((made) => {
      setName('');
      setShown(made);
      tokens.reload();
    }, onFailed);
  };
  const revoke = (token: WallToken) => {
    if (!window.confirm(h.wall.confirmRevoke(token.name))) return;
    hallApi.revokeWallToken(token.id).then(() => {
      if (shown?.id === token.id) setShown(null);
      onNotice({ ok: true, text: h.wall.didRevoke(token.name) });
      tokens.reload();
    }, onFailed);
  };
  return (
    <>
      <h2>{h.wall.title}</h2>
      <p className="note">{h.wall.lead}</p>
      <form className="row-form" onSubmit={submit} aria-label={h.wall.create}>
        <label>{h.wall.name}<input name="wall-name" value={name} placeholder={h.wall.namePlaceholder} onChange={(e) => setName(e.target.value)} required maxLength={64} /></label>
        <button type="submit" className="primary">{h.wall.create}</button>
      </form>
      {shown ? (
        <p className="code-once" role="status">
          {h.wall.shownOnce} <strong data-testid="wall-address" className="mono">{shown.address}</strong>
        </p>
      ) : null}
      {tokens.error ? <p className="error" role="alert">{tokens.error}</p> : null}
      {tokens.data && tokens.data.tokens.length === 0 ? <p className="empty">{h.wall.none}</p> : null}
      {tokens.data && tokens.data.tokens.length > 0 ? (
        <table data-testid="wall-tokens">
          <thead>
            <tr><th>{h.wall.name}</th><th>{h.wall.created}</th><th>{h.wall.lastUsed}</th><th>{h.wall.state}</th><th /></tr>
          </thead>
          <tbody>
            {tokens.data.tokens.map((t) => (
              <tr key={t.id} data-wall-token={t.id} className={t.revokedAt ? 'disabled' : undefined}>
                <td>{t.name}</td>
                <td>{f.time(t.createdAt)} · {t.createdBy}</td>
                <td>{t.lastUsedAt === null ? h.wall.never : f.time(t.lastUsedAt)}</td>
                <td>{t.revokedAt ? `${h.wall.revoked} ${f.time(t.revokedAt)}` : h.wall.active}</td>
                <td>{t.revokedAt ? null : <button type="button" onClick={() => revoke(t)}>{h.wall.revoke}</button>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </>
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
