/**
 * Rebuilds the window's state from the database after a restart or a crash: who is signed
 * in, an open pause, an open case, a case still waiting for its rating. The lifecycle then
 * applies the time that passed, so a rating window that ran out while the process was
 * down becomes an unrated case.
 */
import type { LifecycleConfig, WindowState, StaffOnDuty, CaseInfo } from '../lifecycle/types';
import type { Db } from './database';

export function restoreState(db: Db, cfg: LifecycleConfig): WindowState {
  const session = db
    .prepare(`SELECT s.id AS sessionId, s.method, st.staff_no AS staffNo, st.name, st.department_code AS departmentCode,
        st.department_name AS departmentName
      FROM staff_sessions s JOIN staff st USING (staff_no)
      WHERE s.signed_out_at IS NULL ORDER BY s.signed_in_at DESC LIMIT 1`)
    .get() as StaffOnDuty | undefined;
  if (!session) return { phase: 'closed', phrase: null, lastRating: null };
  const staff: StaffOnDuty = { ...session };
  const base = { phrase: null, lastRating: null };

  const pause = db
    .prepare('SELECT id, reason, started_at AS since FROM pauses WHERE session_id = ? AND ended_at IS NULL ORDER BY started_at DESC LIMIT 1')
    .get(staff.sessionId) as { id: string; reason: string; since: number } | undefined;
  if (pause) return { ...base, phase: 'paused', staff, pause };

  const row = db
    .prepare(`SELECT id, case_no AS caseNo, ticket_no AS ticketNo, item_code AS itemCode, item_version AS itemVersion,
        item_name AS itemName, department_code AS departmentCode, department_name AS departmentName, opened_at AS openedAt,
        status, closed_at AS closedAt, rating_deadline AS deadline
      FROM cases WHERE session_id = ? AND status IN ('open', 'awaiting_rating') ORDER BY opened_at DESC LIMIT 1`)
    .get(staff.sessionId) as (CaseInfo & { status: string; closedAt: number | null; deadline: number | null }) | undefined;
  if (!row) return { ...base, phase: 'idle', staff };
  const { status, closedAt, deadline, ...info } = row;
  if (status === 'open') {
    return { ...base, phase: 'serving', staff, case: info, greetingUntil: info.openedAt + cfg.greetingMs, phrase: 'greeting' };
  }
  return {
    ...base,
    phase: 'awaiting_rating',
    staff,
    case: info,
    invitedAt: closedAt ?? info.openedAt,
    deadline: deadline ?? (closedAt ?? info.openedAt) + cfg.ratingWindowMs,
    phrase: 'please_rate',
  };
}
