/**
 * 差评 and their follow-up: each poor rating with its deadline in working days, counted on
 * the centre's calendar (working-days.ts). The callback phone is personal information:
 * shown masked unless the caller has the follow-up role, whose work is to call back.
 */
import { phoneVault } from '../privacy/vault';
import { POOR_LEVELS, sqlLevelList } from '../../../src/shared/levels';
import { maskPhone } from '../../../src/shared/privacy';
import type { Sql } from '../db/sql';
import type { CentreSettings } from '../settings';
import { offsetMinutes } from '../settings';
import { rangeMs } from './periods';
import { followUpDeadline, loadCalendar, localDate } from './working-days';

export interface PoorRating {
  terminalId: string;
  caseId: string;
  caseNo: string | null;
  ratingId: string;
  level: string;
  ratedAt: number;
  staffNo: string | null;
  staffName: string | null;
  windowNo: string | null;
  departmentName: string | null;
  itemCode: string | null;
  itemName: string | null;
  reasonCodes: string[];
  comment: string | null;
  callbackPhone: string | null;
  followUpDeadline: string;
  overdue: boolean;
}

export async function poorRatings(
  db: Sql,
  settings: CentreSettings,
  query: { from?: string; to?: string },
  options: { showPhones: boolean; now: number },
): Promise<PoorRating[]> {
  const offset = offsetMinutes(settings.utcOffset);
  const { start, end } = rangeMs(query, offset);
  const rows = await db.query<Record<string, unknown>>(
    `SELECT terminal_id, case_id, case_no, rating_id, level, rated_at, staff_no, staff_name, window_no, department_name,
       item_code, item_name, reason_codes, comment, callback_phone, phone_sealed
     FROM cases WHERE status = 'rated' AND level IN ${sqlLevelList(POOR_LEVELS)} AND rated_at >= $1 AND rated_at < $2
     ORDER BY rated_at, terminal_id, case_id`,
    [start, end],
  );
  const today = localDate(options.now, offset);
  const calendar = await loadCalendar(db, settings);
  return rows.map((r) => {
    // Sealed at rest (privacy/vault.ts): opened only for a caller who follows up.
    const sealed = (r.phone_sealed as string | null) ?? null;
    const phone = options.showPhones && sealed !== null ? phoneVault().open(sealed) : ((r.callback_phone as string | null) ?? null);
    const deadline = followUpDeadline(Number(r.rated_at), settings.followUp.workingDays, calendar, offset);
    return {
      terminalId: String(r.terminal_id),
      caseId: String(r.case_id),
      caseNo: (r.case_no as string | null) ?? null,
      ratingId: String(r.rating_id),
      level: String(r.level),
      ratedAt: Number(r.rated_at),
      staffNo: (r.staff_no as string | null) ?? null,
      staffName: (r.staff_name as string | null) ?? null,
      windowNo: (r.window_no as string | null) ?? null,
      departmentName: (r.department_name as string | null) ?? null,
      itemCode: (r.item_code as string | null) ?? null,
      itemName: (r.item_name as string | null) ?? null,
      reasonCodes: (r.reason_codes as string[] | null) ?? [],
      comment: (r.comment as string | null) ?? null,
      callbackPhone: phone === null ? null : options.showPhones ? phone : maskPhone(phone),
      followUpDeadline: deadline,
      overdue: deadline < today,
    };
  });
}
