/**
 * Rebuilds the window's state from the database after a restart or a crash: who is signed
 * in, an open pause, an open case, a case still waiting for its rating. The lifecycle then
 * applies the time that passed, so a rating window that ran out while the process was
 * down becomes an unrated case.
 */
import type { LifecycleConfig, WindowState, StaffOnDuty, CaseInfo, PastRatingWindow } from '../lifecycle/types';
import type { Db } from './database';
import { isPoor, type RatingLevel } from '../../shared/levels';
import { joinMaterials } from '../../shared/phrases';

export function restoreState(db: Db, cfg: LifecycleConfig): WindowState {
  const state = restorePhase(db, cfg);
  const recent = recentRatingWindows(db);
  return recent.length > 0 ? { ...state, recent } : state;
}

/** The last finished cases' rating windows, oldest first: a press the keypad held through the restart is judged against them. */
function recentRatingWindows(db: Db): PastRatingWindow[] {
  const rows = db
    .prepare(`SELECT c.id, c.case_no AS caseNo, c.ticket_no AS ticketNo, c.item_code AS itemCode, c.item_version AS itemVersion,
        c.item_name AS itemName, c.department_code AS departmentCode, c.department_name AS departmentName, c.opened_at AS openedAt,
        c.staff_no AS staffNo, c.staff_name AS staffName, c.closed_at AS invitedAt, c.rating_deadline AS deadline,
        (SELECT min(r.rated_at) FROM ratings r WHERE r.case_id = c.id) AS ratedAt
      FROM cases c WHERE c.closed_at IS NOT NULL AND c.rating_deadline IS NOT NULL ORDER BY c.closed_at DESC LIMIT 32`)
    .all() as (CaseInfo & { staffNo: string; staffName: string; invitedAt: number; deadline: number; ratedAt: number | null })[];
  return rows.reverse().map(({ staffNo, staffName, invitedAt, deadline, ratedAt, ...info }) => ({ case: info, staffNo, staffName, invitedAt, deadline, ratedAt }));
}

function restorePhase(db: Db, cfg: LifecycleConfig): WindowState {
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
        status, closed_at AS closedAt, rating_deadline AS deadline, outcome, missing_materials AS missing
      FROM cases WHERE session_id = ? AND status IN ('open', 'awaiting_rating') ORDER BY opened_at DESC LIMIT 1`)
    .get(staff.sessionId) as
    | (CaseInfo & { status: string; closedAt: number | null; deadline: number | null; outcome: string | null; missing: string | null })
    | undefined;
  if (!row) return afterLastRating(db, staff, cfg);
  const { status, closedAt, deadline, outcome, missing, ...info } = row;
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
    ...closingPhrase(info.itemName, outcome, missing),
  };
}

/**
 * The thanks screen of the last rating, with the time it was given: a good rating's thanks,
 * a poor rating's reason chips until its details window runs out, or the thanks after its
 * reasons. The lifecycle closes it at once if that time has passed; until then a press is
 * the second press on that case, as it was before the restart.
 */
function afterLastRating(db: Db, staff: StaffOnDuty, cfg: LifecycleConfig): WindowState {
  const last = db
    .prepare(`SELECT r.id, r.case_id AS caseId, r.level, r.rated_at AS ratedAt, r.details_at AS detailsAt
      FROM ratings r JOIN cases c ON c.id = r.case_id WHERE c.session_id = ? ORDER BY r.rated_at DESC LIMIT 1`)
    .get(staff.sessionId) as { id: string; caseId: string; level: RatingLevel; ratedAt: number; detailsAt: number | null } | undefined;
  if (!last) return { phase: 'idle', staff, phrase: null, lastRating: null };
  const rating = { id: last.id, caseId: last.caseId, level: last.level };
  if (!isPoor(last.level)) {
    return { phase: 'thanks', staff, until: last.ratedAt + cfg.thanksMs, phrase: 'thanks', lastRating: { ...rating, detailsUntil: null } };
  }
  const detailsUntil = last.ratedAt + cfg.detailsWindowMs;
  if (last.detailsAt !== null) {
    const until = Math.min(detailsUntil, last.detailsAt + cfg.thanksMs);
    return { phase: 'thanks', staff, until, phrase: 'thanks_for_feedback', lastRating: { ...rating, detailsUntil: null } };
  }
  return { phase: 'thanks', staff, until: detailsUntil, phrase: 'thanks_for_feedback', lastRating: { ...rating, detailsUntil } };
}

/** The phrase a finished case left on screen: the 一次告知 notice with its missing materials, else 请评价. */
function closingPhrase(itemName: string, outcome: string | null, missing: string | null): Pick<WindowState, 'phrase' | 'phraseFills'> {
  const items = outcome === 'notified_missing' && missing ? (JSON.parse(missing) as string[]) : [];
  if (items.length === 0) return { phrase: 'please_rate' };
  return { phrase: 'materials_incomplete', phraseFills: { rule: itemName, materials: joinMaterials(items, 'zh') } };
}
