/**
 * The evaluation bulletin (standard 11.4: results fed back to each window unit): one
 * department, one month or two months, with its totals and a line per window and per
 * staff member. Counted the way the reports count: a case belongs to the period it was
 * finished in; satisfaction is good over judged, where an unrated case is judged only
 * when the region's policy gives it a default level after N days.
 */
import { GOOD_LEVELS, POOR_LEVELS, isGood, isPoor, sqlLevelList } from '../../../src/shared/levels';
import type { Bulletin, BulletinFigures, BulletinFollowUp, BulletinQuery } from '../../../src/shared/console/it-contract';
import { periodContaining } from '../../../src/shared/console/periods';
import type { Sql } from '../db/sql';
import { rangeMs } from '../reports/periods';
import { localDate } from '../reports/working-days';
import { offsetMinutes, type CentreSettings } from '../settings';

interface Counts extends Record<string, unknown> {
  window_no: string | null;
  staff_no: string | null;
  staff_name: string | null;
  department_name: string | null;
  by_window: number;
  by_staff: number;
  cases: number;
  rated: number;
  unrated: number;
  defaultable: number;
  good: number;
  poor: number;
}

export async function bulletin(db: Sql, settings: CentreSettings, query: BulletinQuery, now: number): Promise<Bulletin> {
  const range = periodContaining(query.period, `${query.month}-01`);
  const { start, end } = rangeMs(range, offsetMinutes(settings.utcOffset));
  const policy = settings.ratingPolicy.defaultRating;
  const defaultedBefore = policy ? now - policy.afterDays * 86_400_000 : -1;
  const when = 'coalesce(closed_at, rated_at, unrated_at, opened_at)';
  const rows = await db.query<Counts>(
    `SELECT window_no, staff_no, max(staff_name) AS staff_name, max(department_name) AS department_name,
       grouping(window_no) AS by_staff, grouping(staff_no) AS by_window,
       count(*)::integer AS cases,
       count(*) FILTER (WHERE status = 'rated')::integer AS rated,
       count(*) FILTER (WHERE status = 'unrated')::integer AS unrated,
       count(*) FILTER (WHERE status = 'unrated' AND coalesce(closed_at, unrated_at) <= $4)::integer AS defaultable,
       count(*) FILTER (WHERE status = 'rated' AND level IN ${sqlLevelList(GOOD_LEVELS)})::integer AS good,
       count(*) FILTER (WHERE status = 'rated' AND level IN ${sqlLevelList(POOR_LEVELS)})::integer AS poor
     FROM cases WHERE department_code = $1 AND ${when} >= $2 AND ${when} < $3 AND status <> 'open'
     GROUP BY GROUPING SETS ((window_no), (staff_no), ())`,
    [query.department, start, end, defaultedBefore],
  );
  const figures = (r: Counts | undefined): BulletinFigures => {
    const defaulted = policy && r ? Number(r.defaultable) : 0;
    const good = Number(r?.good ?? 0) + (policy && isGood(policy.level) ? defaulted : 0);
    const poor = Number(r?.poor ?? 0) + (policy && isPoor(policy.level) ? defaulted : 0);
    const rated = Number(r?.rated ?? 0);
    const judged = rated + defaulted;
    return { cases: Number(r?.cases ?? 0), rated, unrated: Number(r?.unrated ?? 0), defaulted, good, poor, satisfaction: judged > 0 ? good / judged : null };
  };
  const total = rows.find((r) => Number(r.by_window) === 1 && Number(r.by_staff) === 1);
  const windows = rows
    .filter((r) => Number(r.by_window) === 1 && Number(r.by_staff) === 0)
    .map((r) => ({ windowNo: r.window_no ?? '', ...figures(r) }))
    .sort((a, b) => a.windowNo.length - b.windowNo.length || a.windowNo.localeCompare(b.windowNo));
  const staff = rows
    .filter((r) => Number(r.by_staff) === 1 && Number(r.by_window) === 0)
    .map((r) => ({ staffNo: r.staff_no ?? '', staffName: r.staff_name, ...figures(r) }))
    .sort((a, b) => a.staffNo.localeCompare(b.staffNo));
  return {
    department: { code: query.department, name: total?.department_name ?? (await departmentName(db, query.department)) },
    period: { kind: query.period, ...range },
    totals: figures(total),
    windows,
    staff,
    unratedPolicy: policy,
    followUp: await followUpFigures(db, query.department, range, localDate(now, offsetMinutes(settings.utcOffset))),
    generatedAt: now,
  };
}

/**
 * The follow-up of the department's poor ratings given in the period (by the rating's local
 * date), as it stands today. Records opened by hand for better levels are not poor ratings.
 */
async function followUpFigures(db: Sql, department: string, range: { from: string; to: string }, today: string): Promise<BulletinFollowUp> {
  const answeredDay = "to_char(figure_day(answered_at, centre_offset_minutes()), 'YYYY-MM-DD')";
  const closedDay = "to_char(figure_day(closed_at, centre_offset_minutes()), 'YYYY-MM-DD')";
  const row = await db.query<{ poor: number; called: number; valid: number; put_right: number; on_time: number; overdue: number }>(
    `SELECT count(*)::integer AS poor,
       count(*) FILTER (WHERE call_result = 'reached')::integer AS called,
       count(*) FILTER (WHERE finding IN ('valid', 'partly_valid'))::integer AS valid,
       count(*) FILTER (WHERE rectifying_at IS NOT NULL)::integer AS put_right,
       count(*) FILTER (WHERE answered_at IS NOT NULL AND ${answeredDay} <= deadline)::integer AS on_time,
       count(*) FILTER (WHERE (closed_at IS NULL AND deadline < $4) OR (closed_at IS NOT NULL AND ${closedDay} > deadline))::integer AS overdue
     FROM follow_ups WHERE department_code = $1 AND rated_day >= $2 AND rated_day <= $3 AND opened_by = 'rating'`,
    [department, range.from, range.to, today],
  );
  const r = row[0];
  return {
    poorRatings: r?.poor ?? 0,
    calledBack: r?.called ?? 0,
    valid: r?.valid ?? 0,
    putRight: r?.put_right ?? 0,
    answeredOnTime: r?.on_time ?? 0,
    overdue: r?.overdue ?? 0,
  };
}

/** A department with no cases in the period still has its name on the bulletin. */
async function departmentName(db: Sql, code: string): Promise<string | null> {
  const rows = await db.query<{ name: string }>(
    `SELECT department_name AS name FROM windows WHERE department_code = $1 AND department_name IS NOT NULL
     UNION ALL SELECT department_name FROM staff WHERE department_code = $1 AND department_name IS NOT NULL LIMIT 1`,
    [code],
  );
  return rows[0]?.name ?? null;
}
