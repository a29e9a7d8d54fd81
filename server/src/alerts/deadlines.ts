/**
 * The deadline rules, swept on the centre's clock: an open follow-up record whose deadline
 * is the next working day (due tomorrow), and one whose deadline has passed (overdue). Each
 * is raised once per record, whatever the number of sweeps; the working days are the
 * follow-up calendar's (is_working_day, migration 0006).
 */
import type { AlertRules } from '../../../src/shared/console/live-contract';
import type { Sql } from '../db/sql';
import type { AlertCandidate } from './raise';

/** A sweep raises at most this many per rule; the next sweep takes the rest. */
const PER_SWEEP = 1000;

interface Due extends Record<string, unknown> {
  id: number;
  deadline: string;
  window_no: string | null;
  department_code: string | null;
  department_name: string | null;
}

/** The centre's local date at `now`, and the working day after it, as YYYY-MM-DD. */
export async function workingDaysAround(db: Sql, now: number): Promise<{ today: string; nextWorkingDay: string }> {
  const rows = await db.query<{ today: string; next: string }>(
    `SELECT to_char(t.today, 'YYYY-MM-DD') AS today,
       (SELECT to_char(t.today + i, 'YYYY-MM-DD') FROM generate_series(1, 60) AS i WHERE is_working_day(t.today + i) ORDER BY i LIMIT 1) AS next
     FROM (SELECT figure_day($1::bigint, centre_offset_minutes()) AS today) t`,
    [now],
  );
  return { today: rows[0]!.today, nextWorkingDay: rows[0]!.next };
}

export async function deadlineCandidates(db: Sql, rules: AlertRules, now: number): Promise<AlertCandidate[]> {
  if (!rules.dueTomorrow.enabled && !rules.overdue.enabled) return [];
  const { today, nextWorkingDay } = await workingDaysAround(db, now);
  const candidates: AlertCandidate[] = [];
  const pick = async (rule: 'due_tomorrow' | 'overdue', where: string, day: string, detail: (r: Due) => string) => {
    const rows = await db.query<Due>(
      `SELECT f.id, f.deadline, f.window_no, f.department_code, f.department_name FROM follow_ups f
       WHERE f.state <> 'closed' AND ${where}
         AND NOT EXISTS (SELECT 1 FROM rule_alerts a WHERE a.rule = $2 AND a.subject = 'follow_up:' || f.id)
       ORDER BY f.deadline, f.id LIMIT ${PER_SWEEP}`,
      [day, rule],
    );
    for (const r of rows) {
      candidates.push({
        rule,
        subject: `follow_up:${r.id}`,
        departmentCode: r.department_code,
        departmentName: r.department_name,
        windowNo: r.window_no,
        followUpId: Number(r.id),
        detail: detail(r),
      });
    }
  };
  if (rules.dueTomorrow.enabled) {
    await pick('due_tomorrow', 'f.deadline = $1', nextWorkingDay, (r) => `follow-up record ${r.id} is due on the next working day, ${r.deadline}, and is not closed`);
  }
  if (rules.overdue.enabled) {
    await pick('overdue', 'f.deadline < $1', today, (r) => `follow-up record ${r.id} passed its deadline of ${r.deadline} and is not closed`);
  }
  return candidates;
}
