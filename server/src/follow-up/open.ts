/**
 * Opening follow-up records at ingest, inside the batch's own transaction: each poor rating
 * among the batch's new records opens one record, keyed on the kiosk's rating id, so a retry,
 * a bundle of the same records or a restored database's new epoch finds it already open.
 * The records are filtered in Node first: a batch with no poor rating and no details costs
 * no query at all.
 */
import { isPoor } from '../../../src/shared/levels';
import type { PayloadOf } from '../../../src/shared/sync-wire';
import type { Sql } from '../db/sql';
import type { IncomingRecord } from '../ingest/batch';
import type { SealedPhone } from '../privacy/vault';

/** A record just opened: what the live news says about it. */
export interface OpenedFollowUp {
  followUpId: number;
  ratingId: string;
  level: PayloadOf<'rating'>['level'];
  ratedAt: number;
  windowNo: string | null;
  staffName: string | null;
  departmentCode: string | null;
  departmentName: string | null;
  itemName: string | null;
  reasonCodes: string[];
}

/** A record whose reasons, comment or phone arrived after it opened. */
export interface DetailedFollowUp {
  followUpId: number;
  state: string;
  departmentCode: string | null;
}

type Details = Pick<PayloadOf<'rating_details'>, 'ratingId' | 'reasonCodes' | 'comment'> & { phone: SealedPhone | null };

/** Only a complaint's case_closed record holds this text: a cheap test before parsing. */
const COMPLAINT_HINT = '"complaint"';

/** 'dissatisfied' is in both poor levels' words and in no other: a cheap test before parsing. */
const POOR_HINT = 'dissatisfied';

export async function openFollowUps(
  tx: Sql,
  terminalId: string,
  fresh: readonly IncomingRecord[],
  altered: ReadonlySet<number>,
  receivedAt: number,
  /** The batch's phones, sealed, by record seq (privacy/seal.ts): no phone reaches a follow-up record in clear. */
  phones: ReadonlyMap<number, SealedPhone> = new Map(),
): Promise<{ opened: OpenedFollowUp[]; detailed: DetailedFollowUp[] }> {
  const poor: PayloadOf<'rating'>[] = [];
  const details = new Map<string, Details>();
  for (const r of fresh) {
    if (r.kind === 'rating') {
      if (!r.payload.includes(POOR_HINT) || altered.has(r.seq)) continue;
      const p = JSON.parse(r.payload) as PayloadOf<'rating'>;
      if (isPoor(p.level)) poor.push(p);
    } else if (r.kind === 'rating_details') {
      if (altered.has(r.seq)) continue;
      const d = JSON.parse(r.payload) as PayloadOf<'rating_details'>;
      details.set(d.ratingId, { ratingId: d.ratingId, reasonCodes: d.reasonCodes, comment: d.comment, phone: phones.get(r.seq) ?? null });
    }
  }
  const opened = poor.length > 0 ? await insertOpened(tx, terminalId, poor, details, receivedAt) : [];
  const complaints = fresh.filter((r) => r.kind === 'case_closed' && r.payload.includes(COMPLAINT_HINT) && !altered.has(r.seq))
    .map((r) => JSON.parse(r.payload) as PayloadOf<'case_closed'>)
    .filter((c) => c.outcome === 'complaint' && c.complaintSummary !== undefined);
  if (complaints.length > 0) await openComplaints(tx, terminalId, fresh, complaints, receivedAt);
  const poorIds = new Set(poor.map((p) => p.ratingId));
  const later = [...details.values()].filter((d) => !poorIds.has(d.ratingId));
  const detailed = later.length > 0 ? await updateDetails(tx, later, receivedAt) : [];
  return { opened, detailed };
}

async function insertOpened(tx: Sql, terminalId: string, poor: PayloadOf<'rating'>[], details: Map<string, Details>, at: number): Promise<OpenedFollowUp[]> {
  const rows = poor.map((p) => {
    const d = details.get(p.ratingId);
    return {
      rating_id: p.ratingId,
      case_id: p.caseId,
      case_no: p.caseNo,
      level: p.level,
      rated_at: p.at,
      window_no: p.windowNo,
      staff_no: p.staffNo,
      staff_name: p.staffName,
      department_code: p.departmentCode,
      department_name: p.departmentName,
      item_code: p.itemCode,
      item_name: p.itemName,
      reason_codes: d?.reasonCodes ?? [],
      comment: d?.comment ?? null,
      callback_phone: d?.phone?.masked ?? null,
      phone_sealed: d?.phone?.sealed ?? null,
      phone_key: d?.phone?.key ?? null,
    };
  });
  const opened = await tx.query<{
    id: number;
    rating_id: string;
    level: PayloadOf<'rating'>['level'];
    rated_at: number;
    window_no: string | null;
    staff_name: string | null;
    department_code: string | null;
    department_name: string | null;
    item_name: string | null;
    reason_codes: string[];
  }>(
    `WITH ins AS (
       INSERT INTO follow_ups (rating_id, terminal_id, case_id, case_no, level, rated_at, rated_day, window_no, staff_no, staff_name,
         department_code, department_name, item_code, item_name, reason_codes, comment, callback_phone, phone_sealed, phone_key, opened_by, opened_at, deadline, updated_at)
       SELECT p.rating_id, $2, p.case_id, p.case_no, p.level, p.rated_at, to_char(figure_day(p.rated_at, centre_offset_minutes()), 'YYYY-MM-DD'),
         p.window_no, p.staff_no, p.staff_name,
         -- A rating that names no department belongs to its window's.
         CASE WHEN p.department_code IS NULL THEN w.department_code ELSE p.department_code END,
         CASE WHEN p.department_code IS NULL THEN w.department_name ELSE p.department_name END,
         p.item_code, p.item_name, p.reason_codes, p.comment, p.callback_phone, p.phone_sealed, p.phone_key, 'rating', $3, follow_up_deadline(p.rated_at), $3
       FROM json_to_recordset($1::json) AS p(rating_id text, case_id text, case_no text, level text, rated_at bigint, window_no text, staff_no text,
         staff_name text, department_code text, department_name text, item_code text, item_name text, reason_codes jsonb, comment text, callback_phone text,
         phone_sealed text, phone_key text)
       LEFT JOIN windows w ON w.window_no = p.window_no
       ORDER BY p.rated_at
       ON CONFLICT (rating_id) DO NOTHING
       RETURNING id, rating_id, level, rated_at, window_no, staff_name, department_code, department_name, item_name, reason_codes),
     trail AS (
       INSERT INTO follow_up_trail (follow_up_id, seq, at, by_user, action, from_state, to_state)
       SELECT id, 1, $3, 'centre', 'open', NULL, 'new' FROM ins)
     SELECT * FROM ins ORDER BY id`,
    [JSON.stringify(rows), terminalId, at],
  );
  return opened.map((o) => ({
    followUpId: Number(o.id),
    ratingId: o.rating_id,
    level: o.level,
    ratedAt: Number(o.rated_at),
    windowNo: o.window_no,
    staffName: o.staff_name,
    departmentCode: o.department_code,
    departmentName: o.department_name,
    itemName: o.item_name,
    reasonCodes: o.reason_codes,
  }));
}

async function updateDetails(tx: Sql, later: Details[], at: number): Promise<DetailedFollowUp[]> {
  const rows = await tx.query<{ id: number; state: string; department_code: string | null }>(
    `UPDATE follow_ups f SET reason_codes = d.reason_codes, comment = d.comment, callback_phone = d.callback_phone,
       phone_sealed = d.phone_sealed, phone_key = d.phone_key, updated_at = $2
     FROM json_to_recordset($1::json) AS d(rating_id text, reason_codes jsonb, comment text, callback_phone text, phone_sealed text, phone_key text)
     WHERE f.rating_id = d.rating_id
       AND (f.reason_codes, f.comment, f.phone_key) IS DISTINCT FROM (d.reason_codes, d.comment, d.phone_key)
     RETURNING f.id, f.state, f.department_code`,
    [
      JSON.stringify(
        later.map((d) => ({ rating_id: d.ratingId, reason_codes: d.reasonCodes, comment: d.comment, callback_phone: d.phone?.masked ?? null, phone_sealed: d.phone?.sealed ?? null, phone_key: d.phone?.key ?? null })),
      ),
      at,
    ],
  );
  return rows.map((r) => ({ followUpId: Number(r.id), state: r.state, departmentCode: r.department_code }));
}

/**
 * A complaint received at the window (投诉) opens one record, keyed on its case (the partial
 * unique index follow_ups_complaint_case), so a resent batch or bundle finds it open. The
 * case's window, staff, item and department come from its case_opened record: in this batch,
 * or held from an earlier one.
 */
async function openComplaints(tx: Sql, terminalId: string, fresh: readonly IncomingRecord[], complaints: PayloadOf<'case_closed'>[], at: number): Promise<void> {
  const openedHere = new Map<string, PayloadOf<'case_opened'>>();
  for (const r of fresh) {
    if (r.kind !== 'case_opened') continue;
    const o = JSON.parse(r.payload) as PayloadOf<'case_opened'>;
    openedHere.set(o.caseId, o);
  }
  const earlier = complaints.filter((c) => !openedHere.has(c.caseId)).map((c) => c.caseId);
  if (earlier.length > 0) {
    const held = await tx.query<{ payload: PayloadOf<'case_opened'> }>(
      `SELECT payload FROM records WHERE terminal_id = $1 AND kind = 'case_opened' AND payload->>'caseId' = ANY($2::text[])`,
      [terminalId, earlier],
    );
    for (const h of held) openedHere.set(h.payload.caseId, h.payload);
  }
  const rows = complaints.map((c) => {
    const o = openedHere.get(c.caseId);
    return {
      case_id: c.caseId,
      case_no: o?.caseNo ?? null,
      at: c.at,
      window_no: c.windowNo,
      staff_no: o?.staffNo ?? null,
      staff_name: o?.staffName ?? null,
      department_code: o?.departmentCode ?? null,
      department_name: o?.departmentName ?? null,
      item_code: o?.itemCode ?? null,
      item_name: o?.itemName ?? null,
      summary: c.complaintSummary,
    };
  });
  await tx.query(
    `WITH ins AS (
       INSERT INTO follow_ups (rating_id, terminal_id, case_id, case_no, level, rated_at, rated_day, window_no, staff_no, staff_name,
         department_code, department_name, item_code, item_name, complaint_summary, opened_by, opened_at, deadline, updated_at)
       SELECT NULL, $2, p.case_id, p.case_no, NULL, p.at, to_char(figure_day(p.at, centre_offset_minutes()), 'YYYY-MM-DD'),
         p.window_no, p.staff_no, p.staff_name,
         CASE WHEN p.department_code IS NULL THEN w.department_code ELSE p.department_code END,
         CASE WHEN p.department_code IS NULL THEN w.department_name ELSE p.department_name END,
         p.item_code, p.item_name, p.summary, 'complaint', $3, follow_up_deadline(p.at), $3
       FROM json_to_recordset($1::json) AS p(case_id text, case_no text, at bigint, window_no text, staff_no text, staff_name text,
         department_code text, department_name text, item_code text, item_name text, summary text)
       LEFT JOIN windows w ON w.window_no = p.window_no
       ORDER BY p.at
       ON CONFLICT (terminal_id, case_id) WHERE opened_by = 'complaint' DO NOTHING
       RETURNING id)
     INSERT INTO follow_up_trail (follow_up_id, seq, at, by_user, action, from_state, to_state)
     SELECT id, 1, $3, 'centre', 'open', NULL, 'new' FROM ins`,
    [JSON.stringify(rows), terminalId, at],
  );
}
