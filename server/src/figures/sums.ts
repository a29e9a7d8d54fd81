/**
 * Sums over the roll-ups for a range of local days: whole months come from the monthly rows,
 * the days either side from the daily rows, so a quarter or a year reads a few thousand rows.
 */
import { RATING_LEVELS, isGood, isPoor, type RatingLevel } from '../../../src/shared/levels';
import type { FigureTotals, LevelCounts } from '../../../src/shared/console/contract';
import type { Sql } from '../db/sql';
import type { CentreSettings } from '../settings';
import { COUNT_COLUMNS } from './rollup';

export type Dimension = 'department' | 'staff' | 'window' | 'item' | 'channel';
export interface DayRange {
  from: string;
  to: string;
}
interface Span {
  grain: 'day' | 'month';
  from: string;
  to: string;
}

const DAY_MS = 86_400_000;
const ms = (date: string) => Date.parse(`${date}T00:00:00Z`);
export const isoDay = (t: number) => new Date(t).toISOString().slice(0, 10);
export const addDays = (date: string, n: number) => isoDay(ms(date) + n * DAY_MS);
const monthStart = (date: string) => `${date.slice(0, 7)}-01`;
const nextMonth = (date: string) => {
  const t = new Date(ms(date));
  return isoDay(Date.UTC(t.getUTCFullYear(), t.getUTCMonth() + 1, 1));
};

/** The roll-up rows that cover [from, to] exactly once. */
export function spansOf(range: DayRange, dailyOnly = false): Span[] {
  const firstWhole = range.from.endsWith('-01') ? range.from : nextMonth(range.from);
  const afterWhole = addDays(range.to, 1).endsWith('-01') ? addDays(range.to, 1) : monthStart(range.to);
  if (dailyOnly || firstWhole >= afterWhole) return [{ grain: 'day', from: range.from, to: range.to }];
  const spans: Span[] = [{ grain: 'month', from: firstWhole, to: addDays(afterWhole, -1) }];
  if (range.from < firstWhole) spans.push({ grain: 'day', from: range.from, to: addDays(firstWhole, -1) });
  if (afterWhole <= range.to) spans.push({ grain: 'day', from: afterWhole, to: range.to });
  return spans;
}

export type Counts = Record<(typeof COUNT_COLUMNS)[number], number>;
export type SumRow = Counts & { group: string; departmentCode: string; name: string | null };

/**
 * Sums of one dimension's roll-ups over a range, within one department or all, grouped by
 * trend bucket ('day' or 'month' label), by (department, key), or not at all.
 */
export async function sumFigures(
  db: Sql,
  q: { dimension: Dimension; range: DayRange; department: string | null; by: 'day' | 'month' | 'key' | 'none'; dailyOnly?: boolean },
): Promise<SumRow[]> {
  const params: unknown[] = [q.dimension];
  const spans = spansOf(q.range, q.dailyOnly || q.by === 'day').map((s) => {
    params.push(s.grain, s.from, s.to);
    const n = params.length;
    return `(grain = $${n - 2} AND bucket BETWEEN $${n - 1}::date AND $${n}::date)`;
  });
  let where = `dimension = $1 AND (${spans.join(' OR ')})`;
  if (q.department !== null) {
    params.push(q.department);
    where += ` AND department_code = $${params.length}`;
  }
  const group = { day: `bucket::text`, month: `to_char(bucket, 'YYYY-MM')`, key: 'key', none: `''` }[q.by];
  const byDepartment = q.by === 'key' ? 'department_code' : `''`;
  const rows = await db.query<Record<string, unknown>>(
    `SELECT ${group} AS "group", ${byDepartment} AS "departmentCode", max(name) AS name, ${COUNT_COLUMNS.map((c) => `coalesce(sum(${c}), 0)::bigint AS ${c}`).join(', ')}
     FROM figures WHERE ${where} GROUP BY 1, 2 ORDER BY 1, 2`,
    params,
  );
  return rows.map((r) => ({
    group: String(r.group),
    departmentCode: String(r.departmentCode),
    name: (r.name as string | null) ?? null,
    ...(Object.fromEntries(COUNT_COLUMNS.map((c) => [c, Number(r[c])])) as Counts),
  }));
}

export const zeroCounts = (): Counts => Object.fromEntries(COUNT_COLUMNS.map((c) => [c, 0])) as Counts;
export function addCounts(into: Counts, from: Counts): Counts {
  for (const c of COUNT_COLUMNS) into[c] += from[c];
  return into;
}

/** Good, poor and satisfaction as reports/satisfaction.ts defines them, with the unrated policy's defaulted cases. */
export function judge(counts: Counts, defaulted: number, settings: CentreSettings): FigureTotals {
  const policy = settings.ratingPolicy.defaultRating;
  const levels = Object.fromEntries(RATING_LEVELS.map((l) => [l, counts[l]])) as LevelCounts;
  const counted = policy ? defaulted : 0;
  let good = RATING_LEVELS.filter(isGood).reduce((n, l) => n + levels[l], 0);
  let poor = RATING_LEVELS.filter(isPoor).reduce((n, l) => n + levels[l], 0);
  if (policy && isGood(policy.level)) good += counted;
  if (policy && isPoor(policy.level)) poor += counted;
  const judged = counts.rated + counted;
  return {
    cases: counts.cases,
    rated: counts.rated,
    unrated: counts.unrated,
    defaulted: counted,
    levels,
    good,
    poor,
    satisfaction: judged > 0 ? good / judged : null,
    misuse: counts.misuse,
  };
}

export const isLevel = (c: string): c is RatingLevel => (RATING_LEVELS as readonly string[]).includes(c);
