/**
 * Erasing a callback phone at the centre, from every place it is kept: the records, the
 * cases, the follow-up records and the appointment register. A citizen's number is found by its keyed hash; the
 * retention sweep finds follow-up records closed longer ago than the setting. Each erasure
 * is recorded (never the number), and a citizen's request is passed on to the windows that
 * sent the number, through the config they pull.
 */
import { maskPhone } from '../../../src/shared/privacy';
import type { Sql } from '../db/sql';

export interface ErasureResult {
  erasureId: number;
  followUps: number;
  cases: number;
  records: number;
  /** Appointments in the register whose contact phone it was. */
  appointments: number;
  /** The windows told to erase it too. */
  terminals: string[];
}

/** One number wherever it is, or one rating's number (found through its keyed hash when it has one: an index, not a scan). */
type Target = { phoneKey: string } | { ratingId: string; terminalId: string; phoneKey: string | null };

/** Erases one number (or one rating's number) everywhere, in the caller's transaction, and records it. */
export async function erasePhone(
  tx: Sql,
  target: Target,
  why: { reason: 'retention' | 'citizen_request'; by: string; at: number; address: string | null; masked: string | null; notifyWindows: boolean },
): Promise<ErasureResult> {
  const byKey = !('ratingId' in target);
  const keyed = 'ratingId' in target && target.phoneKey !== null;
  const params = !('ratingId' in target) ? [target.phoneKey] : keyed ? [target.ratingId, target.terminalId, target.phoneKey] : [target.ratingId, target.terminalId];
  const rating = (column: string) => (keyed ? `${column} = $1 AND terminal_id = $2 AND phone_key = $3` : `${column} = $1 AND terminal_id = $2 AND callback_phone IS NOT NULL`);
  // A record written before wire revision 2 held the number in its payload: its masked form there goes too.
  const records = await tx.query<{ terminal_id: string; rating_id: string }>(
    `UPDATE records SET phone_masked = NULL, phone_sealed = NULL, phone_key = NULL,
       payload = CASE WHEN payload->>'callbackPhone' IS NOT NULL THEN jsonb_set(payload, '{callbackPhone}', 'null') ELSE payload END
     WHERE kind = 'rating_details' AND ${
       byKey ? 'phone_key = $1' : keyed ? "payload->>'ratingId' = $1 AND terminal_id = $2 AND phone_key = $3" : "payload->>'ratingId' = $1 AND terminal_id = $2 AND payload->>'callbackPhone' IS NOT NULL"
     }
     RETURNING terminal_id, payload->>'ratingId' AS rating_id`,
    params,
  );
  const cases = await tx.query<{ terminal_id: string; rating_id: string }>(
    `UPDATE cases SET callback_phone = NULL, phone_sealed = NULL, phone_key = NULL
     WHERE ${byKey ? 'phone_key = $1' : rating('rating_id')} RETURNING terminal_id, rating_id`,
    params,
  );
  const followUps = await tx.query<{ terminal_id: string; rating_id: string }>(
    `UPDATE follow_ups SET callback_phone = NULL, phone_sealed = NULL, phone_key = NULL
     WHERE ${byKey ? 'phone_key = $1' : rating('rating_id')} RETURNING terminal_id, rating_id`,
    params,
  );
  // The appointment register keeps the contact phone under the same keyed hash (appointments/).
  const appointments = byKey
    ? await tx.query<{ id: number }>('UPDATE appointments SET phone_masked = NULL, phone_sealed = NULL, phone_key = NULL WHERE phone_key = $1 RETURNING id', params)
    : [];
  // 意见簿: a suggestion's reply phone, in its record and its row, under the same keyed hash.
  if (byKey) await tx.query("UPDATE records SET phone_masked = NULL, phone_sealed = NULL, phone_key = NULL WHERE kind = 'suggestion' AND phone_key = $1", params);
  if (byKey) await tx.query('UPDATE suggestions SET phone_masked = NULL, phone_sealed = NULL, phone_key = NULL WHERE phone_key = $1', params);
  const held = new Map<string, { terminalId: string; ratingId: string }>();
  for (const r of [...records, ...cases, ...followUps]) held.set(`${r.terminal_id}\n${r.rating_id}`, { terminalId: r.terminal_id, ratingId: r.rating_id });
  const terminals = [...new Set([...held.values()].map((h) => h.terminalId))].sort();
  if (why.notifyWindows && held.size > 0) {
    await tx.query(
      `INSERT INTO phone_erasure_notices (terminal_id, rating_id, requested_at)
       SELECT h.terminal_id, h.rating_id, $2 FROM json_to_recordset($1::json) AS h(terminal_id text, rating_id text)
       ON CONFLICT (terminal_id, rating_id) DO UPDATE SET requested_at = excluded.requested_at, delivered_at = NULL`,
      [JSON.stringify([...held.values()].map((h) => ({ terminal_id: h.terminalId, rating_id: h.ratingId }))), why.at],
    );
  }
  const row = await tx.query<{ id: number }>(
    `INSERT INTO phone_erasures (at, reason, by_user, address, phone_masked, rating_ids, follow_ups, cases, records, terminals, phone_key, appointments)
     VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7, $8, $9, $10::jsonb, $11, $12) RETURNING id`,
    [
      why.at, why.reason, why.by, why.address, why.masked, JSON.stringify([...new Set([...held.values()].map((h) => h.ratingId))].sort()), followUps.length, cases.length, records.length, JSON.stringify(terminals),
      // A citizen's number stays refused: a window that was offline may still send it.
      byKey ? target.phoneKey : null,
      appointments.length,
    ],
  );
  return { erasureId: Number(row[0]!.id), followUps: followUps.length, cases: cases.length, records: records.length, appointments: appointments.length, terminals };
}

/**
 * The retention sweep: the phone of every follow-up record closed more than `days` days
 * before `now` goes, one recorded erasure per record. Returns how many records were swept.
 */
export async function sweepClosedPhones(db: Sql & { transaction: Sql['transaction'] }, now: number, days: number): Promise<number> {
  const due = await db.query<{ rating_id: string; terminal_id: string; callback_phone: string | null; phone_key: string | null }>(
    `SELECT rating_id, terminal_id, callback_phone, phone_key FROM follow_ups
     WHERE state = 'closed' AND closed_at IS NOT NULL AND closed_at <= $1 AND (phone_key IS NOT NULL OR callback_phone IS NOT NULL)
     ORDER BY closed_at LIMIT 1000`,
    [now - days * 86_400_000],
  );
  for (const f of due) {
    await db.transaction((tx) =>
      erasePhone(tx, { ratingId: f.rating_id, terminalId: f.terminal_id, phoneKey: f.phone_key }, {
        reason: 'retention',
        by: 'centre',
        at: now,
        address: null,
        masked: f.callback_phone === null ? null : maskPhone(f.callback_phone),
        notifyWindows: false,
      }),
    );
  }
  return due.length;
}

/** The ratings whose phone this window is still to erase, for its config. */
export async function pendingNotices(db: Sql, terminalId: string): Promise<string[]> {
  const rows = await db.query<{ rating_id: string }>('SELECT rating_id FROM phone_erasure_notices WHERE terminal_id = $1 AND delivered_at IS NULL ORDER BY rating_id', [terminalId]);
  return rows.map((r) => r.rating_id);
}

/** The window pulled a config listing these and kept it (it asked again with that config's ETag). */
export async function noticesDelivered(db: Sql, terminalId: string, ratingIds: readonly string[], at: number): Promise<void> {
  if (ratingIds.length === 0) return;
  await db.query(
    'UPDATE phone_erasure_notices SET delivered_at = $3 WHERE terminal_id = $1 AND delivered_at IS NULL AND rating_id IN (SELECT value FROM json_array_elements_text($2::json))',
    [terminalId, JSON.stringify(ratingIds), at],
  );
}
