/**
 * Evaluation periods (standard 11.3.4): day, month, two months, quarter, year, in the
 * centre's local time. Periods are labelled 2026-03-02, 2026-03, 2026-B2 (March–April),
 * 2026-Q1, 2026.
 */
import { z } from 'zod';
import { Refusal } from '../errors';

export const PERIODS = ['day', 'month', 'bimonth', 'quarter', 'year'] as const;
export type Period = (typeof PERIODS)[number];

/** SQL for the period label of a time column (ms), given the offset as parameter $n (minutes). */
export function periodSql(period: Period, column: string, offsetParam: string): string {
  const local = `(to_timestamp((${column} + ${offsetParam}::bigint * 60000) / 1000.0) AT TIME ZONE 'UTC')`;
  switch (period) {
    case 'day':
      return `to_char(${local}, 'YYYY-MM-DD')`;
    case 'month':
      return `to_char(${local}, 'YYYY-MM')`;
    case 'bimonth':
      return `to_char(${local}, 'YYYY') || '-B' || ((extract(month FROM ${local})::int - 1) / 2 + 1)`;
    case 'quarter':
      return `to_char(${local}, 'YYYY') || '-Q' || extract(quarter FROM ${local})::int`;
    case 'year':
      return `to_char(${local}, 'YYYY')`;
  }
}

/** A real calendar date: 2026-02-31 matches the pattern but is no day at all. */
export const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'dates are YYYY-MM-DD')
  .refine((d) => {
    const [y, m, day] = d.split('-').map(Number) as [number, number, number];
    const t = new Date(Date.UTC(y, m - 1, day));
    return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === day;
  }, { error: (issue) => `${String(issue.input)} is not a date on the calendar` });

export const DateRange = z.object({ from: isoDate.optional(), to: isoDate.optional() });

/** [from, to] as inclusive local dates → [start, end) in ms. */
export function rangeMs(range: { from?: string; to?: string }, offsetMinutes: number): { start: number; end: number } {
  const day = (date: string) => {
    const [y, m, d] = date.split('-').map(Number) as [number, number, number];
    const t = Date.UTC(y, m - 1, d) - offsetMinutes * 60_000;
    if (Number.isNaN(t)) throw new Refusal(400, 'invalid-request', `${date} is not a date`).because('figures.not_a_date', { date });
    return t;
  };
  const start = range.from ? day(range.from) : 0;
  const end = range.to ? day(range.to) + 86_400_000 : Number.MAX_SAFE_INTEGER;
  if (end <= start) throw new Refusal(400, 'invalid-request', '"to" must not be before "from"').because('figures.range_backwards', { from: range.from ?? '', to: range.to ?? '' });
  return { start, end };
}
