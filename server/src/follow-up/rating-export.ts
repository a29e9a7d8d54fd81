/**
 * Follow-up ratings (追评) as rows of the ratings export (reports/csv.ts): one row each,
 * rating_type 'follow_up' (assessNumber 2), carrying the first rating's case fields and keys
 * (projectNo, terminalId, caseId) so the upward report links it to the first, whose row
 * (assessNumber 1) is unchanged. No channel, device or event: the citizen rated through the
 * officer, not at a window device; the officer's note stays at the centre.
 */
import type { Sql } from '../db/sql';

const PAGE = 2_000;

/** Follow-up ratings recorded in [start, end), in the order they were recorded. */
export async function* followUpRatingRows(db: Sql, start: number, end: number): AsyncGenerator<Record<string, unknown>> {
  let after = { at: -1, id: 0, seq: 0 };
  for (;;) {
    const rows = await db.query<Record<string, unknown> & { sort_at: number; follow_up_id: number; seq: number }>(
      `SELECT t.at AS sort_at, t.follow_up_id, t.seq, f.terminal_id, f.case_id, coalesce(c.case_no, f.case_no) AS case_no,
         coalesce(c.item_code, f.item_code) AS item_code, c.item_version, coalesce(c.item_name, f.item_name) AS item_name,
         coalesce(c.department_code, f.department_code) AS department_code, coalesce(c.department_name, f.department_name) AS department_name,
         c.area_code, coalesce(c.staff_no, f.staff_no) AS staff_no, coalesce(c.staff_name, f.staff_name) AS staff_name,
         coalesce(c.window_no, f.window_no) AS window_no, c.ticket_no, NULL AS channel, t.detail->>'level' AS level, NULL AS reason_codes,
         NULL AS comment, t.at AS rated_at, 'follow_up' AS rating_type, NULL AS device_serial, NULL AS event_id, 0 AS misuse, 'rated' AS status
       FROM follow_up_trail t JOIN follow_ups f ON f.id = t.follow_up_id
         LEFT JOIN cases c ON c.terminal_id = f.terminal_id AND c.case_id = f.case_id
       WHERE t.action = 'rate' AND t.at >= $1 AND t.at < $2 AND (t.at, t.follow_up_id, t.seq) > ($3::bigint, $4::bigint, $5::integer)
       ORDER BY t.at, t.follow_up_id, t.seq LIMIT ${PAGE}`,
      [start, end, after.at, after.id, after.seq],
    );
    for (const r of rows) yield r;
    if (rows.length < PAGE) break;
    const last = rows[rows.length - 1]!;
    after = { at: Number(last.sort_at), id: Number(last.follow_up_id), seq: Number(last.seq) };
  }
}
