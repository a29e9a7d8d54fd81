/**
 * Finishes the open case with its outcome; 一次告知 carries the missing materials, ticked
 * from the item's list (with one line of staff's own) or typed when the item has no list, and
 * prints the notice slip once the case is recorded; a consultation or transfer carries where
 * the citizen was sent (首问负责, from the centre's list) with a one-line note, and 投诉 a
 * one-line summary of the complaint.
 */
import { useEffect, useState, type FormEvent } from 'react';
import type { CordialApi } from '../../shared/api';
import type { Snapshot } from '../../shared/contract';
import { CASE_OUTCOMES, OUTCOME_LABELS, REFERRAL_KIND_LABELS, REFERRING_OUTCOMES, type CaseOutcome, type ReferralTarget } from '../../shared/domain';
import { materialRecord, type NoticeSlip, type SlipMaterial } from '../../shared/slip';
import { clockTime } from '../common/format';
import type { Lang } from '../common/lang';
import { ErrorLine } from './ErrorLine';
import { MissingMaterials, type MissingChoice } from './slip/MissingMaterials';
import { printNoticeSlip } from './slip/slip-printer';
import { SLIP_TEXT } from './slip/slip-strings';
import { STAFF_TEXT as T } from './strings';
import { useCommand } from './useCommand';

export function FinishCaseForm({ api, current, lang }: { api: CordialApi; current: NonNullable<Snapshot['case']>; lang: Lang }) {
  const command = useCommand(api, lang);
  const [outcome, setOutcome] = useState<CaseOutcome>('completed');
  const [missing, setMissing] = useState<MissingChoice>({ ticked: [], ownLine: '', typed: '' });
  const [finishing, setFinishing] = useState(false);
  const [targets, setTargets] = useState<ReferralTarget[]>([]);
  const [referralTo, setReferralTo] = useState('');
  const [referralNote, setReferralNote] = useState('');
  const [complaint, setComplaint] = useState('');
  const referring = REFERRING_OUTCOMES.includes(outcome);

  useEffect(() => {
    void api.referralTargets().then((r) => {
      if (r.ok) setTargets(r.result);
    });
  }, [api]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const slipMaterials = chosenMaterials(current, missing);
    const missingMaterials = slipMaterials.map((m) => (m.form && m.count !== null ? materialRecord({ name: m.name, form: m.form, count: m.count }) : m.name));
    if (outcome === 'notified_missing' && missingMaterials.length === 0) return command.setError(current.serviceInfo?.materials.length ? SLIP_TEXT.needOne : T.missingNeeded);
    if (outcome === 'transferred' && referralTo === '') return command.setError(R.targetNeeded);
    const summary = oneLine(complaint);
    if (outcome === 'complaint' && summary === '') return command.setError(R.summaryNeeded);
    const note = oneLine(referralNote);
    const finish = {
      type: 'finishCase',
      outcome,
      ...(outcome === 'notified_missing' ? { missingMaterials } : {}),
      ...(referring && referralTo !== '' ? { referralTo } : {}),
      ...(referring && note !== '' ? { referralNote: note } : {}),
      ...(outcome === 'complaint' ? { complaintSummary: summary } : {}),
    };
    setFinishing(true);
    command.setError(null);
    try {
      const r = await api.execute({ command: finish });
      if (!r.ok) return command.setError(r.error);
      if (!r.result.ok) return command.setError(r.result.error);
      // The case is recorded: only now is the slip printed, and nothing it does can undo the case.
      if (outcome === 'notified_missing') void printNoticeSlip(api, slipOf(current, r.result.snapshot, slipMaterials), lang);
    } finally {
      setFinishing(false);
    }
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
        <MissingMaterials
          materials={current.serviceInfo?.materials ?? []}
          choice={missing}
          lang={lang}
          onChange={(next) => {
            setMissing(next);
            command.setError(null);
          }}
        />
      )}
      {referring && (
        <div className="referral">
          <label>
            {R.target[lang]}
            <select data-testid="referral-target" value={referralTo} onChange={(e) => { setReferralTo(e.target.value); command.setError(null); }}>
              <option value="">{outcome === 'transferred' ? R.choose[lang] : R.none[lang]}</option>
              {targets.map((t) => (
                <option key={t.code} value={t.code}>
                  {REFERRAL_KIND_LABELS[t.kind][lang]} · {t.name}
                </option>
              ))}
            </select>
          </label>
          {targets.length === 0 && <p className="hint">{R.noList[lang]}</p>}
          <label>
            {R.note[lang]}
            <input data-testid="referral-note" maxLength={200} value={referralNote} onChange={(e) => setReferralNote(e.target.value)} />
          </label>
        </div>
      )}
      {outcome === 'complaint' && (
        <label className="complaint">
          {R.summary[lang]}
          <input data-testid="complaint-summary" maxLength={300} value={complaint} onChange={(e) => setComplaint(e.target.value)} />
        </label>
      )}
      <ErrorLine message={command.error} testId="finish-case-error" />
      <button type="submit" className="primary" data-testid="finish-case" disabled={command.busy || finishing}>
        {T.finishCase[lang]}
      </button>
    </form>
  );
}

/** The missing materials as the slip lists them: the ticked ones in the item's order, then staff's own line; or the typed lines. */
function chosenMaterials(current: NonNullable<Snapshot['case']>, choice: MissingChoice): SlipMaterial[] {
  const list = current.serviceInfo?.materials ?? [];
  if (list.length === 0) {
    return choice.typed
      .split('\n')
      .map(oneLine)
      .filter(Boolean)
      .map((name) => ({ name, form: null, count: null, notes: null }));
  }
  const ticked = list.filter((_, i) => choice.ticked.includes(i)).map((m) => ({ name: m.name, form: m.form, count: m.count, notes: m.notes }));
  const own = oneLine(choice.ownLine);
  return own === '' ? ticked : [...ticked, { name: own, form: null, count: null, notes: null }];
}

/** What the slip says, from the case in hand and the window as the core answered the finish. */
function slipOf(current: NonNullable<Snapshot['case']>, after: Snapshot, materials: SlipMaterial[]): NoticeSlip {
  return {
    centreName: null,
    windowNo: after.window.windowNo,
    departmentName: after.window.departmentName,
    staffName: after.staff?.name ?? null,
    staffNo: after.staff?.staffNo ?? null,
    itemName: current.itemName,
    materials,
    whereToAsk: current.serviceInfo?.whereToAsk ?? null,
    at: after.at,
    caseNumber: current.caseNo ?? current.id,
  };
}

/** A note or summary is one line: line breaks pasted in become spaces. */
function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

const R = {
  target: { zh: '引导至（部门、窗口或外部单位）', en: 'Sent to (department, window or outside body)' },
  choose: { zh: '请选择', en: 'Choose one' },
  none: { zh: '无（窗口已答复）', en: 'None (answered here)' },
  noList: { zh: '中心尚未下发引导去向名单', en: 'The centre has not sent a list of places yet' },
  note: { zh: '说明（一句话）', en: 'Note (one line)' },
  targetNeeded: { zh: '转办须选择引导去向', en: 'A transfer needs where the citizen was sent' },
  summary: { zh: '投诉内容（一句话）', en: 'What the complaint is about (one line)' },
  summaryNeeded: { zh: '投诉须填写一句话的投诉内容', en: 'A complaint needs a one-line summary' },
} as const;
