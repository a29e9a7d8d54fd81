/**
 * 预约登记 (10.4, annex C): one day's appointments by department and window (in the URL),
 * a form to register one, the department's opinion on each, and the day as CSV. Phones are
 * masked as everywhere (viewers see none); the outcome comes from the case the window opened
 * from the appointment. Department users work their own department (the centre decides).
 */
import { useState } from 'react';
import {
  APPLICANT_KINDS,
  APPOINTMENT_CHANNELS,
  type AppointmentChannel,
  type AppointmentChoices,
  type AppointmentRow,
  type ApplicantKind,
} from '../../../../../src/shared/console/appointments-contract';
import { isCalendarDate } from '../../../../../src/shared/console/periods';
import type { ConsoleRole } from '../../../../../src/shared/console/contract';
import { OUTCOME_LABELS, type CaseOutcome } from '../../../../../src/shared/domain';
import { api } from '../../api';
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
                <tr key={r.id} data-id={r.id}>
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
                  <td data-testid="appointment-outcome" data-outcome={r.outcome ?? ''}>{outcomeText(r, a, language)}</td>
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
  return r.caseId !== null ? a.inService : a.notYet;
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
