/**
 * 预约登记 (10.4, annex C): one day's appointments by department and window (in the URL),
 * a form to register one, the department's opinion on each, and the day as CSV. Phones are
 * masked as everywhere (viewers see none); the outcome comes from the case the window opened
 * from the appointment, or is marked here by hand: cancelled (with why) or not come (after
 * the agreed time). Department users work their own department (the centre decides).
 */
import { useState } from 'react';
import {
  APPLICANT_KINDS,
  APPOINTMENT_CHANNELS,
  CANCEL_REASONS,
  type AppointmentChannel,
  type AppointmentChoices,
  type AppointmentRow,
  type ApplicantKind,
  type CancelReason,
} from '../../../../../src/shared/console/appointments-contract';
import { isCalendarDate } from '../../../../../src/shared/console/periods';
import type { ConsoleRole } from '../../../../../src/shared/console/contract';
import { OUTCOME_LABELS, type CaseOutcome } from '../../../../../src/shared/domain';
import { ApiError, api } from '../../api';
import { hrefOf, navigate, usePlace } from '../../router';
import { pinnedDepartment, sentence, useLoad, useSession } from '../../session';
import { today } from '../../view';
import { appointmentsApi } from './appointments-api';
import { useAppointmentStrings, type AppointmentStrings } from './strings';
import './appointments.css';

/** The roles the centre lets register appointments and give opinions (server/src/appointments/routes.ts). */
const WRITERS: readonly ConsoleRole[] = ['admin', 'supervisor', 'department'];

const clockOf = (ms: number) => new Date(ms).toLocaleString('zh-CN', { month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hour12: false });

export function AppointmentsPage() {
  const { a, language } = useAppointmentStrings();
  const { session } = useSession();
  const place = usePlace();
  const asked = place.query.get('day') ?? '';
  const day = isCalendarDate(asked) ? asked : today();
  const pinned = pinnedDepartment(session);
  const department = pinned ?? (place.query.get('department') || undefined);
  const windowNo = place.query.get('window') || undefined;
  const mayWrite = WRITERS.includes(session.user.role);
  const [tick, setTick] = useState(0);
  const query = { day, ...(department === undefined ? {} : { department }), ...(windowNo === undefined ? {} : { window: windowNo }) };
  const register = useLoad(`appointments-${JSON.stringify(query)}-${tick}`, () => appointmentsApi.list(query));
  const departments = useLoad(`appointment-departments-${pinned ?? ''}`, () => (pinned ? Promise.resolve([]) : api.departments()));
  const choices = useLoad(`appointment-choices-${mayWrite}`, () => (mayWrite ? appointmentsApi.choices() : Promise.resolve(null)));
  const go = (change: Record<string, string | undefined>) => navigate(hrefOf('/appointments', { day, department: pinned ? undefined : department, window: windowNo, ...change }), { replace: true });
  const rows = register.data?.rows ?? [];

  return (
    <section className="page appointments" lang={language === 'zh' ? 'zh-CN' : 'en'}>
      <h1>{a.title}</h1>
      <p className="lead">{a.lead}</p>
      <div className="picker" role="search">
        <label>
          {a.day}{' '}
          <input type="date" data-testid="appointments-day" value={day} onChange={(e) => (isCalendarDate(e.target.value) ? go({ day: e.target.value }) : undefined)} />
        </label>
        {pinned ? null : (
          <label>
            {a.department}{' '}
            <select data-testid="appointments-department" value={department ?? ''} onChange={(e) => go({ department: e.target.value || undefined })}>
              <option value="">{a.allDepartments}</option>
              {(departments.data ?? []).map((d) => <option key={d.code} value={d.code}>{d.name}</option>)}
            </select>
          </label>
        )}
        <label>
          {a.window}{' '}
          <input data-testid="appointments-window" className="short" defaultValue={windowNo ?? ''} key={windowNo ?? ''} placeholder={a.allWindows} onBlur={(e) => go({ window: e.target.value.trim() || undefined })} onKeyDown={(e) => (e.key === 'Enter' ? go({ window: e.currentTarget.value.trim() || undefined }) : undefined)} />
        </label>
        <a className="csv" data-testid="appointments-csv" href={appointmentsApi.csvHref(query)} download={a.csvName(day)}>{a.csv}</a>
      </div>
      {register.error ? <p className="error" role="alert" data-testid="appointments-error">{register.error}</p> : null}
      {register.loading && !register.data ? <p className="loading">{a.loading}</p> : null}
      {register.data && rows.length === 0 ? <p className="empty" data-testid="appointments-empty">{a.empty}</p> : null}
      {rows.length > 0 ? (
        <div className="scroll">
          <table data-testid="appointments">
            <thead>
              <tr>
                <th>{a.columns.time}</th><th>{a.columns.applicant}</th><th>{a.columns.item}</th><th>{a.columns.window}</th>
                <th>{a.columns.channel}</th><th>{a.columns.opinion}</th><th>{a.columns.outcome}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.id} data-id={r.id} data-mark={r.mark?.kind ?? ''} className={r.mark !== null && r.caseId === null ? `marked ${r.mark.kind}` : undefined}>
                  <td className="n">{r.agreedTime}</td>
                  <td>
                    <span className="kind">{a.kinds[r.applicantKind]}</span> {r.applicantName}
                    <span className="sub" title={a.columns.phone} data-testid="appointment-phone">{r.phone ?? a.noPhone}</span>
                  </td>
                  <td>
                    {r.itemName}
                    <span className="sub">{r.departmentName ?? r.departmentCode ?? '—'}</span>
                  </td>
                  <td>{r.windowNo}</td>
                  <td>
                    {a.channels[r.channel]}
                    <span className="sub">{a.takenOn(r.takenByName, clockOf(r.registeredAt))}</span>
                  </td>
                  <td><Opinion row={r} mayWrite={mayWrite} onSaved={() => setTick((n) => n + 1)} /></td>
                  <td><Outcome row={r} mayWrite={mayWrite} onSaved={() => setTick((n) => n + 1)} /></td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {mayWrite && choices.data ? <NewAppointment choices={choices.data} onSaved={(made) => { setTick((n) => n + 1); if (made.agreedDate !== day) go({ day: made.agreedDate }); }} /> : null}
      {mayWrite && choices.error ? <p className="error" role="alert">{choices.error}</p> : null}
    </section>
  );
}

function outcomeText(r: AppointmentRow, a: AppointmentStrings, language: 'zh' | 'en'): string {
  if (r.outcome !== null) return OUTCOME_LABELS[r.outcome as CaseOutcome]?.[language] ?? r.outcome;
  if (r.caseId !== null) return a.inService;
  return r.mark !== null ? a.marks[r.mark.kind] : a.notYet;
}

/**
 * The outcome cell: served (with the earlier mark as a note, when there was one), marked by
 * hand with why, who and when, or not yet, with the two marks a writer may make.
 */
function Outcome({ row, mayWrite, onSaved }: { row: AppointmentRow; mayWrite: boolean; onSaved(): void }) {
  const { a, language } = useAppointmentStrings();
  const [asking, setAsking] = useState<'cancelled' | 'no_show' | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const text = outcomeText(row, a, language);
  const mark = row.mark;
  return (
    <span className="outcome">
      <span data-testid="appointment-outcome" data-outcome={row.outcome ?? ''} className={row.caseId === null && mark !== null ? `badge ${mark.kind}` : undefined}>{text}</span>
      {mark !== null && row.caseId !== null ? <span className="sub" data-testid="appointment-mark-note">{a.markedBefore(a.marks[mark.kind], mark.byName, clockOf(mark.at))}</span> : null}
      {mark !== null && row.caseId === null ? (
        <>
          {mark.reason !== null ? <span className="sub" data-testid="appointment-mark-reason">{a.reasonLine(a.cancelReasons[mark.reason], mark.note)}</span> : null}
          <span className="sub" data-testid="appointment-mark-by">{a.markedBy(mark.byName, clockOf(mark.at))}</span>
        </>
      ) : null}
      {mark === null && row.caseId === null && mayWrite && asking === null ? (
        <span className="actions">
          <button type="button" className="link" data-testid="cancel-appointment" onClick={() => setAsking('cancelled')}>{a.cancelAppointment}</button>
          <button type="button" className="link" data-testid="mark-no-show" onClick={() => setAsking('no_show')}>{a.markNoShow}</button>
        </span>
      ) : null}
      {asking !== null && mark === null && row.caseId === null ? <MarkForm row={row} kind={asking} onDone={(saved, why) => { setAsking(null); setNotice(why ?? null); if (saved) onSaved(); }} /> : null}
      {notice ? <p className="error" role="alert" data-testid="mark-error">{notice}</p> : null}
    </span>
  );
}

function MarkForm({ row, kind, onDone }: { row: AppointmentRow; kind: 'cancelled' | 'no_show'; onDone(saved: boolean, why?: string): void }) {
  const { a, t } = useAppointmentStrings();
  const [reason, setReason] = useState<CancelReason>('citizen');
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const send = async () => {
    if (kind === 'cancelled' && reason === 'other' && note.trim() === '') return setError(a.needNote);
    setBusy(true);
    setError(null);
    try {
      await appointmentsApi.mark(row.id, kind === 'cancelled' ? { mark: 'cancelled', reason, ...(note.trim() ? { note } : {}) } : { mark: 'no_show' });
      onDone(true);
    } catch (err) {
      if (err instanceof ApiError && err.status === 409) {
        // Served or marked meanwhile: say so in the page's language and show the register as it is.
        onDone(true, a.alreadySettled);
      } else if (err instanceof ApiError && err.status === 400 && kind === 'no_show') {
        setError(a.tooEarly(row.agreedDate, row.agreedTime));
      } else {
        setError(sentence(t, err));
      }
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="mark-form" aria-label={kind === 'cancelled' ? a.cancelTitle(row.applicantName) : a.markNoShow} data-testid="mark-form" onSubmit={(e) => { e.preventDefault(); void send(); }}>
      {kind === 'cancelled' ? (
        <>
          <fieldset>
            <legend>{a.cancelReason}</legend>
            {CANCEL_REASONS.map((r) => (
              <label key={r}><input type="radio" name={`reason-${row.id}`} value={r} checked={reason === r} onChange={() => { setReason(r); setError(null); }} /> {a.cancelReasons[r]}</label>
            ))}
          </fieldset>
          <label>
            {reason === 'other' ? a.cancelNoteOther : a.cancelNote}
            <input data-testid="mark-note" value={note} maxLength={200} onChange={(e) => { setNote(e.target.value); setError(null); }} />
          </label>
        </>
      ) : (
        <p>{a.confirmNoShow(row.agreedTime)}</p>
      )}
      <span className="buttons">
        <button type="submit" data-testid="mark-confirm" disabled={busy}>{busy ? a.marking : kind === 'cancelled' ? a.confirmCancel : a.confirmNoShowButton}</button>
        <button type="button" onClick={() => onDone(false)}>{a.back}</button>
      </span>
      {error ? <p className="error" role="alert" data-testid="mark-error">{error}</p> : null}
    </form>
  );
}

function Opinion({ row, mayWrite, onSaved }: { row: AppointmentRow; mayWrite: boolean; onSaved(): void }) {
  const { a, t } = useAppointmentStrings();
  const [editing, setEditing] = useState(false);
  const [text, setText] = useState(row.departmentOpinion ?? '');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  if (!editing) {
    return (
      <span className="opinion">
        <span data-testid="appointment-opinion">{row.departmentOpinion ?? '—'}</span>
        {mayWrite ? <button type="button" className="link" data-testid="edit-opinion" onClick={() => setEditing(true)}>{a.editOpinion}</button> : null}
      </span>
    );
  }
  const save = async () => {
    setBusy(true);
    setError(null);
    try {
      await appointmentsApi.opinion(row.id, text);
      setEditing(false);
      onSaved();
    } catch (err) {
      setError(sentence(t, err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="opinion-form" onSubmit={(e) => { e.preventDefault(); void save(); }}>
      <input aria-label={a.opinionLabel(row.applicantName)} data-testid="opinion-input" value={text} maxLength={500} onChange={(e) => setText(e.target.value)} />
      <button type="submit" disabled={busy}>{a.saveOpinion}</button>
      <button type="button" onClick={() => setEditing(false)}>{a.cancel}</button>
      {error ? <p className="error" role="alert" data-testid="opinion-error">{error}</p> : null}
    </form>
  );
}

interface Draft {
  applicantKind: ApplicantKind;
  applicantName: string;
  phone: string;
  itemCode: string;
  windowNo: string;
  agreedDate: string;
  agreedTime: string;
  channel: AppointmentChannel;
  departmentOpinion: string;
}

function NewAppointment({ choices, onSaved }: { choices: AppointmentChoices; onSaved(made: AppointmentRow): void }) {
  const { a, t } = useAppointmentStrings();
  const blank = (): Draft => ({ applicantKind: 'person', applicantName: '', phone: '', itemCode: '', windowNo: '', agreedDate: choices.today, agreedTime: '09:00', channel: 'on_site', departmentOpinion: '' });
  const [draft, setDraft] = useState<Draft>(blank);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const set = <K extends keyof Draft>(k: K, v: Draft[K]) => {
    setDraft((d) => ({ ...d, [k]: v }));
    setError(null);
    setSaved(null);
  };
  const submit = async () => {
    // The fields a person most often leaves out get a sentence in the page's language before anything is sent.
    const empty = (['applicantName', 'phone', 'itemCode', 'windowNo'] as const).find((k) => draft[k].trim() === '');
    if (empty) return setError(a.missing[empty]);
    setBusy(true);
    setError(null);
    try {
      const { departmentOpinion, ...rest } = draft;
      const made = await appointmentsApi.create({ ...rest, ...(departmentOpinion.trim() ? { departmentOpinion } : {}) });
      setSaved(a.saved(made.applicantName, made.agreedDate, made.agreedTime, made.windowNo));
      setDraft(blank());
      onSaved(made);
    } catch (err) {
      setError(sentence(t, err));
    } finally {
      setBusy(false);
    }
  };
  if (choices.items.length === 0 || choices.windows.length === 0) return <p className="note">{a.noChoices}</p>;
  return (
    <form className="new-appointment" aria-label={a.newTitle} noValidate onSubmit={(e) => { e.preventDefault(); void submit(); }}>
      <h2>{a.newTitle}</h2>
      <fieldset className="kinds">
        <legend>{a.applicantKind}</legend>
        {APPLICANT_KINDS.map((k) => (
          <label key={k}><input type="radio" name="applicantKind" value={k} checked={draft.applicantKind === k} onChange={() => set('applicantKind', k)} /> {a.kinds[k]}</label>
        ))}
      </fieldset>
      <label>{a.applicantName}<input name="applicantName" value={draft.applicantName} maxLength={100} onChange={(e) => set('applicantName', e.target.value)} /></label>
      <label>{a.phoneLabel}<input name="phone" inputMode="tel" value={draft.phone} maxLength={24} onChange={(e) => set('phone', e.target.value)} /></label>
      <label>
        {a.item}
        <select name="itemCode" value={draft.itemCode} onChange={(e) => set('itemCode', e.target.value)}>
          <option value="">{a.chooseItem}</option>
          {choices.items.map((i) => <option key={i.itemCode} value={i.itemCode}>{i.name}{i.departmentName ? ` · ${i.departmentName}` : ''}</option>)}
        </select>
      </label>
      <label>
        {a.window}
        <select name="windowNo" value={draft.windowNo} onChange={(e) => set('windowNo', e.target.value)}>
          <option value="">{a.chooseWindow}</option>
          {choices.windows.map((w) => <option key={w.windowNo} value={w.windowNo}>{w.windowNo}{w.departmentName ? ` · ${w.departmentName}` : ''}</option>)}
        </select>
      </label>
      <label>{a.agreedDate}<input type="date" name="agreedDate" value={draft.agreedDate} min={choices.today} onChange={(e) => set('agreedDate', e.target.value)} /></label>
      <label>{a.agreedTime}<input type="time" name="agreedTime" value={draft.agreedTime} onChange={(e) => set('agreedTime', e.target.value)} /></label>
      <label>
        {a.channel}
        <select name="channel" value={draft.channel} onChange={(e) => set('channel', e.target.value as AppointmentChannel)}>
          {APPOINTMENT_CHANNELS.map((c) => <option key={c} value={c}>{a.channels[c]}</option>)}
        </select>
      </label>
      <label className="wide">{a.opinion}<input name="departmentOpinion" value={draft.departmentOpinion} maxLength={500} onChange={(e) => set('departmentOpinion', e.target.value)} /></label>
      <p className="note wide">{a.holidayNote}</p>
      <div className="wide">
        <button type="submit" className="primary" data-testid="appointment-submit" disabled={busy}>{busy ? a.busy : a.submit}</button>
      </div>
      {error ? <p className="error wide" role="alert" data-testid="appointment-error">{error}</p> : null}
      {saved ? <p className="ok wide" role="status" data-testid="appointment-saved">{saved}</p> : null}
    </form>
  );
}
