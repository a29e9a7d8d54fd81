/**
 * 工作日历 (admin): the year's statutory holidays (休) and make-up working days (班) on a
 * month grid, edited a day at a time and saved together, a calendar file imported with a
 * preview first, and the number of working days a follow-up has.
 */
import { useState, type FormEvent } from 'react';
import type { CalendarYear } from '../../../../../src/shared/console/contract';
import { isCalendarDate } from '../../../../../src/shared/console/periods';
import { formatters } from '../../i18n';
import { hrefOf, navigate, usePlace } from '../../router';
import { sentence, useLoad } from '../../session';
import { today } from '../../view';
import { CalendarImport } from './CalendarImport';
import { followUpApi } from './follow-up-api';
import { useFollowUpStrings } from './strings';
import './follow-up.css';

const pad = (n: number) => String(n).padStart(2, '0');
const dayOf = (year: number, month: number, day: number) => `${year}-${pad(month)}-${pad(day)}`;

export function CalendarPage() {
  const { fu } = useFollowUpStrings();
  const place = usePlace();
  const asked = Number(place.query.get('year'));
  const year = Number.isInteger(asked) && asked >= 2000 && asked <= 2100 ? asked : Number(today().slice(0, 4));
  const [round, setRound] = useState(0);
  const calendar = useLoad(`fu-calendar-${year}-${round}`, () => followUpApi.calendar(year));
  // Kept here: the editor starts again from what the centre kept after each save.
  const [notice, setNotice] = useState<{ ok: boolean; text: string } | null>(null);
  return (
    <section className="page follow-up calendar">
      <h1>{fu.calendar.title}</h1>
      <p className="note">{fu.calendar.lead}</p>
      <div className="year-pick">
        <button type="button" onClick={() => navigate(hrefOf('/follow-ups/calendar', { year: year - 1 }))}>{year - 1}</button>
        <strong data-testid="calendar-year">{year}</strong>
        <button type="button" onClick={() => navigate(hrefOf('/follow-ups/calendar', { year: year + 1 }))}>{year + 1}</button>
      </div>
      {calendar.error ? <p className="error" role="alert">{calendar.error}</p> : null}
      {notice ? <p className={notice.ok ? 'ok' : 'error'} role={notice.ok ? 'status' : 'alert'} data-testid="calendar-notice">{notice.text}</p> : null}
      {calendar.data ? <YearEditor key={`${year}-${calendar.data.updatedAt ?? 0}-${round}`} calendar={calendar.data} onNotice={setNotice} onSaved={() => setRound((n) => n + 1)} /> : null}
      <div className="calendar-tools">
        <CalendarImport onImported={(years) => (years.includes(year) ? setRound((n) => n + 1) : undefined)} />
        <DeadlineSetting />
      </div>
    </section>
  );
}

function YearEditor({ calendar, onNotice: setNotice, onSaved }: { calendar: CalendarYear; onNotice(n: { ok: boolean; text: string } | null): void; onSaved(): void }) {
  const { t, fu, language } = useFollowUpStrings();
  const f = formatters(language);
  const year = calendar.year;
  const [holidays, setHolidays] = useState(() => new Set(calendar.holidays));
  const [workdays, setWorkdays] = useState(() => new Set(calendar.workdays));
  const [changed, setChanged] = useState(false);
  const [day, setDay] = useState('');
  const [kind, setKind] = useState<'holiday' | 'workday'>('holiday');

  const add = (event: FormEvent) => {
    event.preventDefault();
    if (!isCalendarDate(day) || !day.startsWith(`${year}-`)) {
      setNotice({ ok: false, text: fu.calendar.otherYear(day, year) });
      return;
    }
    const [into, outOf] = kind === 'holiday' ? [setHolidays, setWorkdays] : [setWorkdays, setHolidays];
    into((s) => new Set(s).add(day));
    outOf((s) => {
      const next = new Set(s);
      next.delete(day);
      return next;
    });
    setChanged(true);
    setNotice(null);
    setDay('');
  };
  const remove = (which: 'holiday' | 'workday', d: string) => {
    (which === 'holiday' ? setHolidays : setWorkdays)((s) => {
      const next = new Set(s);
      next.delete(d);
      return next;
    });
    setChanged(true);
  };
  const save = () => {
    followUpApi.saveCalendar(year, { holidays: [...holidays].sort(), workdays: [...workdays].sort() }).then(
      () => {
        setNotice({ ok: true, text: fu.calendar.saved(year) });
        setChanged(false);
        onSaved();
      },
      (err: unknown) => setNotice({ ok: false, text: sentence(t, err) }),
    );
  };

  return (
    <>
      <p className="note" data-testid="calendar-source">
        {calendar.source === 'default' ? fu.calendar.source.default : fu.calendar.source.admin(calendar.updatedBy ?? '?', calendar.updatedAt ? f.time(calendar.updatedAt) : '?')}
        {' · '}{fu.calendar.legend}
      </p>
      <div className="months" data-testid="calendar-months">
        {Array.from({ length: 12 }, (_, i) => <Month key={i} year={year} month={i + 1} holidays={holidays} workdays={workdays} />)}
      </div>
      <div className="day-lists">
        <DayList title={fu.calendar.holidays} mark={fu.calendar.holidayMark} days={[...holidays].sort()} onRemove={(d) => remove('holiday', d)} testId="holidays" />
        <DayList title={fu.calendar.workdays} mark={fu.calendar.workdayMark} days={[...workdays].sort()} onRemove={(d) => remove('workday', d)} testId="workdays" />
        <form className="add-day" onSubmit={add} aria-label={fu.calendar.add}>
          <label>{fu.calendar.day}<input type="date" name="day" value={day} min={`${year}-01-01`} max={`${year}-12-31`} required onChange={(e) => setDay(e.target.value)} /></label>
          <label>
            {fu.calendar.kind}
            <select name="kind" value={kind} onChange={(e) => setKind(e.target.value as 'holiday' | 'workday')}>
              <option value="holiday">{fu.calendar.kinds.holiday}</option>
              <option value="workday">{fu.calendar.kinds.workday}</option>
            </select>
          </label>
          <button type="submit">{fu.calendar.add}</button>
        </form>
      </div>
      <p className="save-row">
        <button type="button" className="primary" onClick={save} disabled={!changed} data-testid="calendar-save">{fu.calendar.save}</button>
        {changed ? <span className="note"> {fu.calendar.unsaved}</span> : null}
      </p>
    </>
  );
}

function Month({ year, month, holidays, workdays }: { year: number; month: number; holidays: Set<string>; workdays: Set<string> }) {
  const { fu } = useFollowUpStrings();
  const days = new Date(Date.UTC(year, month, 0)).getUTCDate();
  // Monday first, as Chinese calendars are printed.
  const lead = (new Date(Date.UTC(year, month - 1, 1)).getUTCDay() + 6) % 7;
  const cells: (number | null)[] = [...Array.from({ length: lead }, () => null), ...Array.from({ length: days }, (_, i) => i + 1)];
  const weeks: (number | null)[][] = [];
  for (let i = 0; i < cells.length; i += 7) weeks.push(cells.slice(i, i + 7));
  return (
    <table className="month" data-month={month}>
      <caption>{fu.calendar.month(month)}</caption>
      <thead>
        <tr>{fu.calendar.weekdays.map((w) => <th key={w}>{w}</th>)}</tr>
      </thead>
      <tbody>
        {weeks.map((week, w) => (
          <tr key={w}>
            {Array.from({ length: 7 }, (_, i) => {
              const d = week[i] ?? null;
              if (d === null) return <td key={i} />;
              const date = dayOf(year, month, d);
              const kind = holidays.has(date) ? 'holiday' : workdays.has(date) ? 'workday' : i >= 5 ? 'weekend' : '';
              return (
                <td key={i} className={kind} data-day={date} title={kind === 'holiday' ? fu.calendar.kinds.holiday : kind === 'workday' ? fu.calendar.kinds.workday : undefined}>
                  {d}
                  {kind === 'holiday' ? <sup>{fu.calendar.holidayMark}</sup> : kind === 'workday' ? <sup>{fu.calendar.workdayMark}</sup> : null}
                </td>
              );
            })}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function DayList({ title, mark, days, onRemove, testId }: { title: string; mark: string; days: string[]; onRemove(day: string): void; testId: string }) {
  const { fu } = useFollowUpStrings();
  return (
    <div className="day-list" data-testid={testId}>
      <h2>{title}（{mark}）· {days.length}</h2>
      {days.length === 0 ? <p className="note">{fu.calendar.none}</p> : null}
      <ul>
        {days.map((d) => (
          <li key={d} data-day={d}>
            <span className="mono">{d}</span> <button type="button" className="link" onClick={() => onRemove(d)} aria-label={`${fu.calendar.remove} ${d}`}>{fu.calendar.remove}</button>
          </li>
        ))}
      </ul>
    </div>
  );
}

function DeadlineSetting() {
  const { t, fu } = useFollowUpStrings();
  const settings = useLoad('fu-settings', () => followUpApi.settings());
  const [draft, setDraft] = useState<string | null>(null);
  const [notice, setNotice] = useState<{ ok: boolean; text: string } | null>(null);
  const value = draft ?? (settings.data ? String(settings.data.workingDays) : '');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    followUpApi.saveSettings({ workingDays: Number(value) }).then(
      (saved) => {
        setDraft(null);
        setNotice({ ok: true, text: fu.calendar.settingsSaved(saved.workingDays) });
        settings.reload();
      },
      (err: unknown) => setNotice({ ok: false, text: sentence(t, err) }),
    );
  };
  return (
    <form className="panel setting" onSubmit={submit} aria-label={fu.calendar.settings}>
      <h2>{fu.calendar.settings}</h2>
      {settings.error ? <p className="error" role="alert">{settings.error}</p> : null}
      <label>
        {fu.calendar.workingDays}
        <input type="number" name="workingDays" min={1} max={60} required value={value} onChange={(e) => setDraft(e.target.value)} />
      </label>
      <p className="note">{fu.calendar.settingsHint}</p>
      {notice ? <p className={notice.ok ? 'ok' : 'error'} role={notice.ok ? 'status' : 'alert'}>{notice.text}</p> : null}
      <button type="submit" className="primary">{fu.calendar.saveSettings}</button>
    </form>
  );
}
