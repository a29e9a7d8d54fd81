/**
 * The calendar file an admin imports (format in follow-up-contract.ts): one day a line,
 * `YYYY-MM-DD 休` for a weekday off or `YYYY-MM-DD 班` for a weekend day worked (调休);
 * `holiday` and `workday` read too, `#` starts a comment, blank lines are skipped. The console
 * parses it for a preview and the centre again before storing; every wrong line is named
 * with its number and what to write instead, and a file with any wrong line stores nothing.
 */
import type { CalendarDayKind } from './follow-up-contract';
import { isCalendarDate } from './periods';

export interface CalendarFileYear {
  year: number;
  /** Sorted, each once. */
  holidays: string[];
  workdays: string[];
}

export interface CalendarFileError {
  /** 1-based line number in the file. */
  line: number;
  message: string;
}

export type CalendarFileResult = { ok: true; years: CalendarFileYear[] } | { ok: false; errors: CalendarFileError[] };

const MARKS: Record<string, CalendarDayKind> = { 休: 'holiday', holiday: 'holiday', 班: 'workday', workday: 'workday' };
const WEEKDAY_NAMES = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
/** A file with more wrong lines than this is not a calendar file: the rest are not listed. */
const MAX_ERRORS = 20;

function weekdayOf(date: string): number {
  return new Date(`${date}T00:00:00Z`).getUTCDay();
}

/** Why a (valid) date cannot carry this kind, or null: 休 only on weekdays, 班 only on weekends. */
export function calendarDayProblem(date: string, kind: CalendarDayKind): string | null {
  const weekday = weekdayOf(date);
  const weekend = weekday === 0 || weekday === 6;
  if (kind === 'holiday' && weekend) return `${date} is a ${WEEKDAY_NAMES[weekday]}, a day off already: list only weekdays as 休`;
  if (kind === 'workday' && !weekend) return `${date} is a ${WEEKDAY_NAMES[weekday]}, a working day already: list only Saturdays and Sundays as 班`;
  return null;
}

export function parseCalendarFile(text: string): CalendarFileResult {
  const errors: CalendarFileError[] = [];
  const days = new Map<string, CalendarDayKind>();
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
  lines.forEach((raw, index) => {
    const line = index + 1;
    const content = raw.replace(/#.*$/, '').trim();
    if (content === '') return;
    const parts = content.split(/\s+/);
    const [date, mark] = parts as [string, string | undefined];
    if (parts.length !== 2 || mark === undefined) {
      errors.push({ line, message: `"${content.slice(0, 40)}" is not a day and a mark: write one day a line, as 2026-10-01 休 or 2026-10-10 班` });
      return;
    }
    if (!isCalendarDate(date)) {
      errors.push({ line, message: `${date.slice(0, 20)} is not a date on the calendar: write it as YYYY-MM-DD, e.g. 2026-10-01` });
      return;
    }
    const kind = MARKS[mark.toLowerCase()];
    if (!kind) {
      errors.push({ line, message: `"${mark.slice(0, 20)}" is not a mark: write 休 (or holiday) for a weekday off, 班 (or workday) for a weekend day worked` });
      return;
    }
    const problem = calendarDayProblem(date, kind);
    if (problem) {
      errors.push({ line, message: `${problem}, or remove this line` });
      return;
    }
    // A day listed twice is the same day: a weekday can only be 休, a weekend day only 班.
    days.set(date, kind);
  });
  if (errors.length > 0) return { ok: false, errors: errors.slice(0, MAX_ERRORS) };
  if (days.size === 0) return { ok: false, errors: [{ line: 1, message: 'the file lists no day: write one day a line, as 2026-10-01 休 or 2026-10-10 班' }] };

  const years = new Map<number, CalendarFileYear>();
  for (const [date, kind] of [...days].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const year = Number(date.slice(0, 4));
    let entry = years.get(year);
    if (!entry) {
      entry = { year, holidays: [], workdays: [] };
      years.set(year, entry);
    }
    (kind === 'holiday' ? entry.holidays : entry.workdays).push(date);
  }
  return { ok: true, years: [...years.values()] };
}

/** The file text for a year's days, as the import reads it back. */
export function formatCalendarFile(years: readonly CalendarFileYear[]): string {
  const lines: string[] = [];
  for (const y of years) {
    lines.push(`# ${y.year}`);
    const days = [...y.holidays.map((d) => [d, '休'] as const), ...y.workdays.map((d) => [d, '班'] as const)].sort(([a], [b]) => (a < b ? -1 : 1));
    for (const [d, mark] of days) lines.push(`${d} ${mark}`);
  }
  return `${lines.join('\n')}\n`;
}
