/**
 * The evaluation periods a person picks in the console (standard 11.3.4: two months, a
 * quarter, a year; and the everyday day, week and month), as inclusive local dates. Pure:
 * the console resolves the picker with it, and the centre checks the same ranges.
 */
export const PERIOD_KINDS = ['day', 'week', 'month', 'bimonth', 'quarter', 'year', 'custom'] as const;
export type PeriodKind = (typeof PERIOD_KINDS)[number];

export interface DateRange {
  /** YYYY-MM-DD, inclusive, centre local time. */
  from: string;
  /** YYYY-MM-DD, inclusive. */
  to: string;
}

/** A real calendar date: 2026-02-31 matches the pattern but is no day at all. */
export function isCalendarDate(text: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const t = new Date(Date.UTC(y, mo - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === mo - 1 && t.getUTCDate() === d;
}

const iso = (t: Date) => t.toISOString().slice(0, 10);
const utc = (y: number, m: number, d: number) => new Date(Date.UTC(y, m, d));

/** The period of the given kind that contains `anchor` (YYYY-MM-DD). Weeks run Monday to Sunday. */
export function periodContaining(kind: Exclude<PeriodKind, 'custom'>, anchor: string): DateRange {
  const [y, m, d] = anchor.split('-').map(Number) as [number, number, number];
  const day = utc(y, m - 1, d);
  switch (kind) {
    case 'day':
      return { from: anchor, to: anchor };
    case 'week': {
      const back = (day.getUTCDay() + 6) % 7;
      return { from: iso(utc(y, m - 1, d - back)), to: iso(utc(y, m - 1, d - back + 6)) };
    }
    case 'month':
      return { from: iso(utc(y, m - 1, 1)), to: iso(utc(y, m, 0)) };
    case 'bimonth': {
      // 双月: January–February, March–April, …
      const first = Math.floor((m - 1) / 2) * 2;
      return { from: iso(utc(y, first, 1)), to: iso(utc(y, first + 2, 0)) };
    }
    case 'quarter': {
      const first = Math.floor((m - 1) / 3) * 3;
      return { from: iso(utc(y, first, 1)), to: iso(utc(y, first + 3, 0)) };
    }
    case 'year':
      return { from: `${y}-01-01`, to: `${y}-12-31` };
  }
}

/** The period before the given one, of the same kind (for "previous" in the picker). */
export function previousPeriod(kind: Exclude<PeriodKind, 'custom'>, range: DateRange): DateRange {
  const [y, m, d] = range.from.split('-').map(Number) as [number, number, number];
  return periodContaining(kind, iso(utc(y, m - 1, d - 1)));
}

/** Days in an inclusive range. */
export function daysIn(range: DateRange): number {
  const ms = (s: string) => {
    const [y, m, d] = s.split('-').map(Number) as [number, number, number];
    return Date.UTC(y, m - 1, d);
  };
  return Math.round((ms(range.to) - ms(range.from)) / 86_400_000) + 1;
}

/** The centre's local date of an instant, given its UTC offset in minutes. */
export function localDate(ms: number, offsetMinutes: number): string {
  return iso(new Date(ms + offsetMinutes * 60_000));
}
