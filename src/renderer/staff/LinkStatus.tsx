/** Keypad link and sync state: is the keypad there, and has the centre got everything. */
import { useState } from 'react';
import type { CordialApi } from '../../shared/api';
import type { KioskError, Snapshot } from '../../shared/contract';
import { ErrorLine } from './ErrorLine';
import { clockTime } from '../common/format';
import type { Lang } from '../common/lang';
import { refusalText } from '../common/refusal-words';
import { isSyncError, keypadLine, syncLine } from '../common/status-words';
import { STAFF_TEXT as T } from './strings';

export function LinkStatus({ api, snapshot, lang }: { api: CordialApi; snapshot: Snapshot; lang: Lang }) {
  const { keypad, sync } = snapshot;
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<KioskError | null>(null);
  const syncNow = async () => {
    setBusy(true);
    setError(null);
    const r = await api.syncNow();
    setBusy(false);
    if (!r.ok) setError(r.error);
  };
  const keypadSays = keypadLine(keypad, lang);
  // A refusal's English sentence names what IT must fix (which certificate, which record): it stays, under the Chinese.
  const refusal = isSyncError(sync.code) && sync.detail !== null;
  const syncSays = refusal && lang === 'en' ? sync.detail : syncLine(sync, lang);
  const syncDay = sync.lastSuccessAt !== null && new Date(sync.lastSuccessAt).toDateString() !== new Date().toDateString();
  return (
    <section className="card" aria-labelledby="links-title">
      <h2 id="links-title">{T.linksTitle[lang]}</h2>
      <dl className="links">
        <div>
          <dt>{T.keypad[lang]}</dt>
          <dd data-testid="keypad-link" data-link={keypad.link}>
            <span className={`dot link-${keypad.link}`} aria-hidden="true" />
            {T[`link_${keypad.link}`][lang]}
            {keypad.serial && <span className="sub"> · {keypad.serial}</span>}
          </dd>
          {keypadSays && keypad.link !== 'online' && (
            <dd className="detail" data-testid="keypad-detail" title={keypad.detail ?? undefined}>
              {keypadSays}
            </dd>
          )}
        </div>
        <div>
          <dt>{T.sync[lang]}</dt>
          <dd data-testid="sync-state" data-state={sync.state}>
            <span className={`dot sync-${sync.state}`} aria-hidden="true" />
            {T[`sync_${sync.state}`][lang]}
            {sync.progress && ` ${sync.progress.sent}/${sync.progress.total}`}
          </dd>
          {syncSays && (
            <dd className={sync.state === 'error' ? 'detail detail-error' : 'detail'} data-testid="sync-detail" role={sync.state === 'error' ? 'alert' : undefined} title={sync.detail ?? undefined}>
              {syncSays}
              {refusal && lang === 'zh' && (
                <span className="detail-technical" lang="en" data-testid="sync-detail-technical">
                  {sync.detail}
                </span>
              )}
            </dd>
          )}
        </div>
        <div>
          <dt>{T.pending[lang]}</dt>
          <dd data-testid="sync-pending">{sync.pending}</dd>
        </div>
        <div>
          <dt>{T.lastSync[lang]}</dt>
          <dd data-testid="sync-last">
            {syncDay && sync.lastSuccessAt !== null ? `${new Date(sync.lastSuccessAt).toLocaleDateString()} ` : ''}
            {clockTime(sync.lastSuccessAt)}
          </dd>
        </div>
      </dl>
      <button type="button" data-testid="sync-now" disabled={busy || sync.state === 'disabled' || sync.state === 'syncing'} onClick={() => void syncNow()}>
        {T.syncNow[lang]}
      </button>
      {/* A refusal the status line above already says in full is not said twice. */}
      <ErrorLine message={error === null || error.message === sync.detail ? null : refusalText(error, lang)} testId="sync-error" />
    </section>
  );
}
