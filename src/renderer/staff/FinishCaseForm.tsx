/** Finishes the open case with its outcome; 一次告知 carries the list of missing materials. */
import { useState, type FormEvent } from 'react';
import type { CordialApi } from '../../shared/api';
import type { Snapshot } from '../../shared/contract';
import { CASE_OUTCOMES, OUTCOME_LABELS, type CaseOutcome } from '../../shared/domain';
import { clockTime } from '../common/format';
import type { Lang } from '../common/lang';
import { ErrorLine } from './ErrorLine';
import { STAFF_TEXT as T } from './strings';
import { useCommand } from './useCommand';

export function FinishCaseForm({ api, current, lang }: { api: CordialApi; current: NonNullable<Snapshot['case']>; lang: Lang }) {
  const command = useCommand(api);
  const [outcome, setOutcome] = useState<CaseOutcome>('completed');
  const [missing, setMissing] = useState('');

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const missingMaterials = missing
      .split('\n')
      .map((line) => line.trim())
      .filter(Boolean);
    if (outcome === 'notified_missing' && missingMaterials.length === 0) return command.setError(T.missingNeeded[lang]);
    await command.run({ type: 'finishCase', outcome, ...(outcome === 'notified_missing' ? { missingMaterials } : {}) });
  };

  return (
    <form className="finish-case" onSubmit={submit} aria-labelledby="finish-title">
      <h2 id="finish-title">{T.currentCase[lang]}</h2>
      <dl className="case-facts" data-testid="current-case">
        <div>
          <dt>{T.itemList[lang]}</dt>
          <dd>{current.itemName}</dd>
        </div>
        {current.caseNo && (
          <div>
            <dt>{T.caseNoShort[lang]}</dt>
            <dd>{current.caseNo}</dd>
          </div>
        )}
        {current.ticketNo && (
          <div>
            <dt>{T.ticketShort[lang]}</dt>
            <dd>{current.ticketNo}</dd>
          </div>
        )}
        <div>
          <dt>{T.openedAt[lang]}</dt>
          <dd>{clockTime(current.openedAt)}</dd>
        </div>
      </dl>
      <fieldset className="outcomes">
        <legend>{T.outcome[lang]}</legend>
        {CASE_OUTCOMES.map((o) => (
          <label key={o} className="outcome">
            <input type="radio" name="outcome" value={o} data-testid={`outcome-${o}`} checked={outcome === o} onChange={() => setOutcome(o)} />
            {OUTCOME_LABELS[o][lang]}
          </label>
        ))}
      </fieldset>
      {outcome === 'notified_missing' && (
        <label className="missing">
          {T.missing[lang]}
          <textarea data-testid="missing-materials" rows={4} value={missing} onChange={(e) => setMissing(e.target.value)} />
        </label>
      )}
      <ErrorLine message={command.error} testId="finish-case-error" />
      <button type="submit" className="primary" data-testid="finish-case" disabled={command.busy}>
        {T.finishCase[lang]}
      </button>
    </form>
  );
}
