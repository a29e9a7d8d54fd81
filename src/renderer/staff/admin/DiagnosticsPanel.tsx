/** Versions, data folder, database size, log location and the record chain, for IT on the phone with support. */
import { useCallback, useEffect, useState } from 'react';
import type { CordialApi, Diagnostics } from '../../../shared/api';
import type { Lang } from '../../common/lang';
import { problemText, type Problem } from '../../common/refusal-words';
import { ErrorLine } from '../ErrorLine';
import { STAFF_TEXT } from '../strings';
import { ADMIN_TEXT as T } from './strings';

function bytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

export function DiagnosticsPanel({ api, token, lang, onUnauthorised }: { api: CordialApi; token: string; lang: Lang; onUnauthorised(): void }) {
  const [d, setD] = useState<Diagnostics | null>(null);
  const [error, setError] = useState<Problem>(null);

  const load = useCallback(() => {
    void api.adminDiagnostics({ token }).then((r) => {
      if (r.ok) {
        setD(r.result);
        setError(null);
      } else {
        if (r.error.code === 'unauthorised') onUnauthorised();
        setError(r.error);
      }
    });
  }, [api, token, onUnauthorised]);
  useEffect(load, [load]);

  const rows: [string, string][] = d
    ? [
        [T.version[lang], `Cordial ${d.version} · Node ${d.node}${d.electron ? ` · Electron ${d.electron}` : ''}`],
        [T.terminalId[lang], d.terminalId],
        [T.dataDir[lang], d.dataDir],
        [T.databaseSize[lang], bytes(d.databaseBytes)],
        [T.logFile[lang], d.logFile ?? '—'],
        [T.outboxPending[lang], String(d.outboxPending)],
        [T.chain[lang], d.chain],
      ]
    : [];
  return (
    <section className="admin-form" aria-labelledby="diagnostics-title">
      <h3 id="diagnostics-title">{T.tabDiagnostics[lang]}</h3>
      <dl className="diagnostics" data-testid="diagnostics">
        {rows.map(([label, value]) => (
          <div key={label}>
            <dt>{label}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
      <ErrorLine message={problemText(error, lang)} testId="diagnostics-error" />
      <button type="button" onClick={load}>
        {T.refresh[lang]}
      </button>
      {!d && !error && <p className="hint">{STAFF_TEXT.loading[lang]}</p>}
    </section>
  );
}
