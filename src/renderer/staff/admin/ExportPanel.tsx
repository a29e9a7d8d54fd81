/** Exports the cases as CSV (field names of the design brief) and hands the file to the browser as a download. */
import { useState, type FormEvent } from 'react';
import type { CordialApi } from '../../../shared/api';
import { fill, type Lang } from '../../common/lang';
import { problemText, type Problem } from '../../common/refusal-words';
import { ErrorLine } from '../ErrorLine';
import { ADMIN_TEXT as T } from './strings';

function download(fileName: string, csv: string): void {
  // A BOM so spreadsheet programs open the Chinese text as UTF-8.
  const url = URL.createObjectURL(new Blob(['\ufeff', csv], { type: 'text/csv;charset=utf-8' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

export function ExportPanel({ api, token, lang, onUnauthorised }: { api: CordialApi; token: string; lang: Lang; onUnauthorised(): void }) {
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [codes, setCodes] = useState<'national' | 'provincial'>('national');
  const [done, setDone] = useState<string | null>(null);
  const [error, setError] = useState<Problem>(null);
  const [busy, setBusy] = useState(false);

  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setDone(null);
    setError(null);
    const r = await api.adminExportCases({ token, codes, ...(from ? { from } : {}), ...(to ? { to } : {}) });
    setBusy(false);
    if (!r.ok) {
      if (r.error.code === 'unauthorised') onUnauthorised();
      return setError(r.error);
    }
    download(r.result.fileName, r.result.csv);
    setDone(fill(T.exported[lang], { cases: r.result.cases, misuse: r.result.misuse, file: r.result.fileName }));
  };

  return (
    <form className="admin-form" onSubmit={onSubmit}>
      <div className="row">
        <label>
          {T.exportFrom[lang]}
          <input type="date" data-testid="export-from" value={from} onChange={(e) => setFrom(e.target.value)} />
        </label>
        <label>
          {T.exportTo[lang]}
          <input type="date" data-testid="export-to" value={to} onChange={(e) => setTo(e.target.value)} />
        </label>
      </div>
      <label>
        {T.exportCodes[lang]}
        <select value={codes} onChange={(e) => setCodes(e.target.value === 'provincial' ? 'provincial' : 'national')}>
          <option value="national">{T.codesNational[lang]}</option>
          <option value="provincial">{T.codesProvincial[lang]}</option>
        </select>
      </label>
      <div className="save-bar">
        <button type="submit" className="primary" data-testid="export" disabled={busy}>
          {T.exportButton[lang]}
        </button>
        {done && (
          <p className="ok" role="status" data-testid="export-done">
            {done}
          </p>
        )}
        <ErrorLine message={problemText(error, lang)} testId="export-error" />
      </div>
    </form>
  );
}
