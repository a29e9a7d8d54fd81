/**
 * Satisfaction and counts per staff member, window, department or service item, by period.
 * Satisfaction is good (非常满意, 满意, 基本满意) over rated, as in the national rules. An
 * unrated case stays unrated unless the region's policy gives it a default level after N
 * days; such cases are counted as `defaulted` and enter the satisfaction with that level.
 */
import { RATING_LEVELS, isGood, isPoor, type RatingLevel } from '../../../src/shared/levels';
import type { Sql } from '../db/sql';
import type { CentreSettings } from '../settings';
import { offsetMinutes } from '../settings';
import { periodSql, rangeMs, type Period } from './periods';

export const GROUPINGS = {
  staff: { key: 'staff_no', name: 'staff_name' },
  window: { key: 'window_no', name: 'window_no' },
  department: { key: 'department_code', name: 'department_name' },
  item: { key: 'item_code', name: 'item_name' },
} as const;
export type Grouping = keyof typeof GROUPINGS;

export interface SatisfactionRow {
  period: string;
  key: string | null;
  name: string | null;
  cases: number;
  rated: number;
  unrated: number;
  defaulted: number;
  awaiting: number;
  good: number;
  poor: number;
  satisfaction: number | null;
  levels: Record<RatingLevel, number>;
}

export async function satisfactionReport(
  db: Sql,
  settings: CentreSettings,
  query: { by: Grouping; period: Period; from?: string; to?: string },
  now: number,
): Promise<SatisfactionRow[]> {
  const offset = offsetMinutes(settings.utcOffset);
  const { start, end } = rangeMs(query, offset);
  const g = GROUPINGS[query.by];
  const policy = settings.ratingPolicy.defaultRating;
  const defaultedBefore = policy ? now - policy.afterDays * 86_400_000 : -1;
  const when = 'coalesce(closed_at, rated_at, unrated_at, opened_at)';
  const levelCounts = RATING_LEVELS.map((l) => `count(*) FILTER (WHERE status = 'rated' AND level = '${l}')::integer AS "${l}"`).join(', ');
  const rows = await db.query<Record<string, unknown>>(
    `SELECT ${periodSql(query.period, when, '$3')} AS period, ${g.key} AS key, max(${g.name}) AS name,
       count(*)::integer AS cases,
       count(*) FILTER (WHERE status = 'rated')::integer AS rated,
       count(*) FILTER (WHERE status = 'unrated')::integer AS unrated,
       count(*) FILTER (WHERE status = 'unrated' AND coalesce(closed_at, unrated_at) <= $4)::integer AS defaulted,
       count(*) FILTER (WHERE status IN ('open', 'awaiting_rating'))::integer AS awaiting,
       ${levelCounts}
     FROM cases WHERE ${when} >= $1 AND ${when} < $2
     GROUP BY 1, 2 ORDER BY 1, 2 NULLS LAST`,
    [start, end, offset, defaultedBefore],
  );
  return rows.map((r) => {
    const levels = Object.fromEntries(RATING_LEVELS.map((l) => [l, Number(r[l])])) as Record<RatingLevel, number>;
    const defaulted = policy ? Number(r.defaulted) : 0;
    let good = RATING_LEVELS.filter(isGood).reduce((n, l) => n + levels[l], 0);
    let poor = RATING_LEVELS.filter(isPoor).reduce((n, l) => n + levels[l], 0);
    if (policy && isGood(policy.level)) good += defaulted;
    if (policy && isPoor(policy.level)) poor += defaulted;
    const judged = Number(r.rated) + defaulted;
    return {
      period: String(r.period),
      key: (r.key as string | null) ?? null,
      name: (r.name as string | null) ?? null,
      cases: Number(r.cases),
      rated: Number(r.rated),
      unrated: Number(r.unrated),
      defaulted,
      awaiting: Number(r.awaiting),
      good,
      poor,
      satisfaction: judged > 0 ? good / judged : null,
      levels,
    };
  });
}
