/**
 * 意见簿 (11.2.2): the suggestions from the windows and the mobile page, newest first, by
 * status (in the URL). Admins and supervisors record the answer given to the citizen and then
 * close the suggestion; viewers read. The reply phone is masked, as everywhere.
 */
import { useState } from 'react';
import type { ConsoleRole } from '../../../../../src/shared/console/contract';
import { SUGGESTION_STATUSES, type SuggestionRow, type SuggestionStatus } from '../../../../../src/shared/console/suggestions-contract';
import { SUGGESTION_CATEGORY_LABELS } from '../../../../../src/shared/suggestions';
import { formatters } from '../../i18n';
import { hrefOf, navigate, usePlace } from '../../router';
import { sentence, useLoad, useSession } from '../../session';
import { suggestionsApi } from './suggestions-api';
import { useSuggestionStrings } from './strings';
import './suggestions.css';

/** The roles the centre lets answer and close (server/src/suggestions/routes.ts). */
const WRITERS: readonly ConsoleRole[] = ['admin', 'supervisor'];

export function SuggestionsPage() {
  const { s, language } = useSuggestionStrings();
  const { session } = useSession();
  const place = usePlace();
  const asked = place.query.get('status');
  const status = SUGGESTION_STATUSES.find((x) => x === asked);
  const mayWrite = WRITERS.includes(session.user.role);
  const [tick, setTick] = useState(0);
  const list = useLoad(`suggestions-${status ?? 'all'}-${tick}`, () => suggestionsApi.list(status ? { status } : {}));
  const rows = list.data?.rows ?? [];
  const time = formatters(language).time;

  return (
    <section className="page suggestions" lang={language === 'zh' ? 'zh-CN' : 'en'}>
      <h1>{s.title}</h1>
      <p className="lead">{s.lead}</p>
      <div className="picker" role="search">
        <label>
          {s.status}{' '}
          <select data-testid="suggestions-status" value={status ?? ''} onChange={(e) => navigate(hrefOf('/suggestions', { status: e.target.value || undefined }), { replace: true })}>
            <option value="">{s.allStatuses}</option>
            {SUGGESTION_STATUSES.map((x) => <option key={x} value={x}>{s.statuses[x]}</option>)}
          </select>
        </label>
      </div>
      {list.error ? <p className="error" role="alert" data-testid="suggestions-error">{list.error}</p> : null}
      {list.loading && !list.data ? <p className="loading">{s.loading}</p> : null}
      {list.data && rows.length === 0 ? <p className="empty" data-testid="suggestions-empty">{s.empty}</p> : null}
      {rows.length > 0 ? (
        <div className="scroll">
          <table data-testid="suggestions">
            <thead>
              <tr>
                <th>{s.columns.left}</th><th>{s.columns.categories}</th><th>{s.columns.text}</th>
                <th>{s.columns.phone}</th><th>{s.columns.answer}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.id} data-id={r.id} data-source={r.source} data-status={r.status} data-testid="suggestion-row">
                  <td className="n">
                    {time(r.leftAt)}
                    <span className="sub" data-testid="suggestion-source">{r.source === 'mobile' ? s.mobileAt(r.windowNo) : s.window(r.windowNo ?? '—')}</span>
                  </td>
                  <td>{r.categories.map((c) => SUGGESTION_CATEGORY_LABELS[c][language]).join(language === 'zh' ? '、' : ', ')}</td>
                  <td className="text" data-testid="suggestion-text">{r.text || s.noText}</td>
                  <td data-testid="suggestion-phone">{r.phone ?? s.noPhone}</td>
                  <td>
                    <span className={`status status-${r.status}`} data-testid="suggestion-status">{s.statuses[r.status]}</span>
                    <Answer row={r} mayWrite={mayWrite} time={time} onSaved={() => setTick((n) => n + 1)} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </section>
  );
}

function Answer({ row, mayWrite, time, onSaved }: { row: SuggestionRow; mayWrite: boolean; time(ms: number): string; onSaved(): void }) {
  const { s, t } = useSuggestionStrings();
  const [editing, setEditing] = useState(false);
  const [text, setText] = useState(row.answer ?? '');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const act = async (what: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    try {
      await what();
      setEditing(false);
      onSaved();
    } catch (err) {
      setError(sentence(t, err));
    } finally {
      setBusy(false);
    }
  };
  const open: SuggestionStatus[] = ['new', 'answered'];
  if (!editing) {
    return (
      <span className="answer">
        {row.answer ? <span className="answer-text" data-testid="suggestion-answer">{row.answer}</span> : null}
        {row.answeredBy && row.answeredAt !== null ? <span className="sub">{s.answeredBy(row.answeredBy, time(row.answeredAt))}</span> : null}
        {mayWrite && open.includes(row.status) ? (
          <span className="actions">
            <button type="button" className="link" data-testid="suggestion-answer-open" onClick={() => setEditing(true)}>{s.answer}</button>
            {row.status === 'answered' ? <button type="button" className="link" data-testid="suggestion-close" disabled={busy} onClick={() => void act(() => suggestionsApi.close(row.id))}>{s.close}</button> : null}
          </span>
        ) : null}
        {error ? <p className="error" role="alert" data-testid="suggestion-action-error">{error}</p> : null}
      </span>
    );
  }
  return (
    <form className="answer-form" onSubmit={(e) => { e.preventDefault(); if (!text.trim()) { setError(s.needAnswer); return; } void act(() => suggestionsApi.answer(row.id, text)); }}>
      <textarea aria-label={s.answerLabel(row.id)} data-testid="suggestion-answer-input" value={text} maxLength={1000} rows={3} onChange={(e) => setText(e.target.value)} />
      <span className="actions">
        <button type="submit" disabled={busy} data-testid="suggestion-answer-save">{s.saveAnswer}</button>
        <button type="button" onClick={() => setEditing(false)}>{s.cancel}</button>
      </span>
      {error ? <p className="error" role="alert" data-testid="suggestion-answer-error">{error}</p> : null}
    </form>
  );
}
