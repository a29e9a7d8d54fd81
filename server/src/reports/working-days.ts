/**
 * Follow-up deadlines in working days: Monday to Friday, less public holidays, plus the
 * weekend days declared working days (调休). A poor rating given on day D is due by the end
 * of the Nth working day after D. The centre's calendar is the calendar_days table (the
 * shipped year and what the admin set or imported) with the settings' own lists on top,
 * kept from before the table; migration 0006 holds the same rule in SQL (is_working_day).
 */
import type { Sql } from '../db/sql';
import type { CentreSettings } from '../settings';

export interface Calendar {
  holidays: readonly string[];
  workdays: readonly string[];
}

const DAY_MS = 86_400_000;

function isoOf(utcMidnight: number): string {
  return new Date(utcMidnight).toISOString().slice(0, 10);
}

function midnightOf(date: string): number {
  return Date.parse(`${date}T00:00:00Z`);
}

/** Calendars are asked about many days in a row: look-ups by set, built once per calendar. */
const lookups = new WeakMap<Calendar, { holidays: Set<string>; workdays: Set<string> }>();
function lookupOf(calendar: Calendar): { holidays: Set<string>; workdays: Set<string> } {
  let found = lookups.get(calendar);
  if (!found) {
    found = { holidays: new Set(calendar.holidays), workdays: new Set(calendar.workdays) };
    lookups.set(calendar, found);
  }
  return found;
}

export function isWorkingDay(date: string, calendar: Calendar): boolean {
  const { holidays, workdays } = lookupOf(calendar);
  if (workdays.has(date)) return true;
  if (holidays.has(date)) return false;
  const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
  return weekday !== 0 && weekday !== 6;
}

/** The local date (YYYY-MM-DD) by which a rating given at `at` must be followed up. */
export function followUpDeadline(at: number, workingDays: number, calendar: Calendar, offsetMinutes: number): string {
  return addWorkingDays(localDate(at, offsetMinutes), workingDays, calendar);
}

/** The Nth working day after `date`. */
export function addWorkingDays(date: string, workingDays: number, calendar: Calendar): string {
  let day = midnightOf(date);
  let counted = 0;
  while (counted < workingDays) {
    day += DAY_MS;
    if (isWorkingDay(isoOf(day), calendar)) counted += 1;
  }
  return isoOf(day);
}

/**
 * Working days from `today` to `deadline`: the working days after today up to and including
 * the deadline (0 on the deadline itself); once past it, minus the working days since (at
 * least -1, so an overdue record never reads 0).
 */
export function workingDaysLeft(today: string, deadline: string, calendar: Calendar): number {
  if (today === deadline) return 0;
  const [from, to] = today < deadline ? [today, deadline] : [deadline, today];
  let counted = 0;
  for (let day = midnightOf(from) + DAY_MS; day <= midnightOf(to); day += DAY_MS) {
    if (isWorkingDay(isoOf(day), calendar)) counted += 1;
  }
  return today < deadline ? counted : -Math.max(1, counted);
}

/** Today's local date, to tell which deadlines have passed. */
export function localDate(at: number, offsetMinutes: number): string {
  return isoOf(at + offsetMinutes * 60_000);
}

/** The centre's calendar: the table's days, with the settings' own lists on top. */
export async function loadCalendar(db: Sql, settings: CentreSettings): Promise<Calendar> {
  const rows = await db.query<{ day: string; kind: 'holiday' | 'workday' }>('SELECT day, kind FROM calendar_days');
  const fromSettings = new Set([...settings.followUp.holidays, ...settings.followUp.workdays]);
  const kept = rows.filter((r) => !fromSettings.has(r.day));
  return {
    holidays: [...kept.filter((r) => r.kind === 'holiday').map((r) => r.day), ...settings.followUp.holidays],
    workdays: [...kept.filter((r) => r.kind === 'workday').map((r) => r.day), ...settings.followUp.workdays],
  };
}
