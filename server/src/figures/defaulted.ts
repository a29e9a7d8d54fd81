/**
 * Unrated cases the region's policy gives a default level: those counted at or before
 * now − afterDays, as in reports/satisfaction.ts. Whole days before the cutoff's day come
 * from the roll-ups' unrated counts; the cutoff's own day is counted from the cases.
 */
import { localDate } from '../../../src/shared/console/periods';
import type { Sql } from '../db/sql';
import { offsetMinutes, type CentreSettings } from '../settings';
import { addDays, sumFigures, type DayRange, type Dimension } from './sums';

const KEY_COLUMN: Record<Exclude<Dimension, 'channel'>, string> = {
  department: `coalesce(department_code, '')`,
  staff: 'staff_no',
  window: 'window_no',
  item: 'item_code',
};

/**
 * Defaulted counts per group ('day'/'month' trend label, or `${department}\u0001${key}` for
 * 'key'); an empty map when the centre has no unrated policy.
 */
export async function defaultedCounts(
  db: Sql,
  settings: CentreSettings,
  now: number,
  q: { dimension: Exclude<Dimension, 'channel'>; range: DayRange; department: string | null; by: 'day' | 'month' | 'key' | 'none' },
): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  const policy = settings.ratingPolicy.defaultRating;
  if (!policy) return out;
  const add = (group: string, n: number) => out.set(group, (out.get(group) ?? 0) + n);
  const offset = offsetMinutes(settings.utcOffset);
  const cutoff = now - policy.afterDays * 86_400_000;
  const cutoffDay = localDate(cutoff, offset);

  const lastWholeDay = addDays(cutoffDay, -1) < q.range.to ? addDays(cutoffDay, -1) : q.range.to;
  if (q.range.from <= lastWholeDay) {
    const rows = await sumFigures(db, { ...q, range: { from: q.range.from, to: lastWholeDay }, dailyOnly: q.by === 'day' });
    for (const r of rows) add(q.by === 'key' ? `${r.departmentCode}\u0001${r.group}` : r.group, r.unrated);
  }
  if (q.range.from <= cutoffDay && cutoffDay <= q.range.to) {
    const dayStart = Date.parse(`${cutoffDay}T00:00:00Z`) - offset * 60_000;
    const params: unknown[] = [dayStart, cutoff];
    let where = `status = 'unrated' AND counted_at >= $1 AND counted_at <= $2`;
    if (q.department !== null) {
      params.push(q.department);
      where += ` AND coalesce(department_code, '') = $3`;
    }
    const key = q.by === 'key' ? `coalesce(department_code, '') || chr(1) || ${KEY_COLUMN[q.dimension]}` : `''`;
    const rows = await db.query<{ group: string | null; n: number }>(`SELECT ${key} AS "group", count(*)::integer AS n FROM cases WHERE ${where} GROUP BY 1`, params);
    const label = q.by === 'day' ? cutoffDay : q.by === 'month' ? cutoffDay.slice(0, 7) : '';
    for (const r of rows) if (r.group !== null) add(q.by === 'key' ? r.group : label, r.n);
  }
  return out;
}
