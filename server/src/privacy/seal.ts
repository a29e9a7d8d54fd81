/**
 * Sealing phones where the centre keeps them: at ingest, for the batch's new records, and
 * once at start for phones an earlier version stored in clear. A record of wire revision 2
 * brings its phone beside the payload; an older one inside it, where the stored copy is
 * replaced by the masked form (its hash is kept as received: the chain was verified when
 * it arrived).
 */
import type { PayloadOf } from '../../../src/shared/sync-wire';
import type { Sql } from '../db/sql';
import type { IncomingRecord } from '../ingest/batch';
import { phoneVault, type SealedPhone } from './vault';

/** Seals the phones of the batch's new rating_details and suggestion records; returns them by seq, for the follow-up records. */
export async function sealIncomingPhones(tx: Sql, terminalId: string, epoch: number, fresh: readonly IncomingRecord[]): Promise<Map<number, SealedPhone>> {
  const sealed = new Map<number, SealedPhone>();
  const rows: { seq: number; masked: string | null; sealed: string | null; key: string | null; legacy: boolean }[] = [];
  for (const r of fresh) {
    // A suggestion's reply phone (sync wire revision 4) is kept as a callback phone is.
    if (r.kind !== 'rating_details' && r.kind !== 'suggestion') continue;
    const inPayload = r.personal ? null : (JSON.parse(r.payload) as Partial<PayloadOf<'rating_details'>>).callbackPhone;
    const phone = r.personal?.callbackPhone ?? (typeof inPayload === 'string' && inPayload !== '' ? inPayload : null);
    if (phone === null) continue;
    const s = phoneVault().seal(phone);
    sealed.set(r.seq, s);
    rows.push({ seq: r.seq, masked: s.masked, sealed: s.sealed, key: s.key, legacy: !r.personal });
  }
  // A number a citizen had erased is not stored again: its record arrives without it.
  const refused = rows.length === 0 ? new Set<string>() : new Set(
    (await tx.query<{ phone_key: string }>('SELECT DISTINCT phone_key FROM phone_erasures WHERE phone_key IN (SELECT value FROM json_array_elements_text($1::json))', [JSON.stringify(rows.map((r) => r.key))])).map((r) => r.phone_key),
  );
  for (const r of rows.filter((row) => row.key !== null && refused.has(row.key))) {
    sealed.delete(r.seq);
    Object.assign(r, { masked: null, sealed: null, key: null });
  }
  if (rows.length > 0) {
    await tx.query(
      `UPDATE records r SET phone_masked = p.masked, phone_sealed = p.sealed, phone_key = p.key,
         payload = CASE WHEN p.legacy THEN jsonb_set(r.payload, '{callbackPhone}', coalesce(to_jsonb(p.masked), 'null'::jsonb)) ELSE r.payload END
       FROM json_to_recordset($3::json) AS p(seq bigint, masked text, sealed text, key text, legacy boolean)
       WHERE r.terminal_id = $1 AND r.epoch = $2 AND r.seq = p.seq`,
      [terminalId, epoch, JSON.stringify(rows)],
    );
  }
  return sealed;
}

/**
 * Phones an earlier version kept in clear (no sealed form yet, no mask in them) are sealed,
 * once: the scan covers every record, so it is not repeated once done. Returns how many.
 */
export async function sealLegacyPhones(db: Sql, at: number): Promise<number> {
  if ((await db.query('SELECT 1 FROM phone_sealing_done')).length > 0) return 0;
  const count = await sealAll(db);
  await db.query('INSERT INTO phone_sealing_done (id, at) VALUES (1, $1) ON CONFLICT (id) DO NOTHING', [at]);
  return count;
}

async function sealAll(db: Sql): Promise<number> {
  const vault = phoneVault();
  let count = 0;
  const records = await db.query<{ terminal_id: string; epoch: number; seq: number; phone: string }>(
    `SELECT terminal_id, epoch, seq, payload->>'callbackPhone' AS phone FROM records
     WHERE kind = 'rating_details' AND phone_sealed IS NULL AND payload->>'callbackPhone' IS NOT NULL AND payload->>'callbackPhone' NOT LIKE '%*%'`,
  );
  for (const r of records) {
    const s = vault.seal(r.phone);
    await db.query(
      `UPDATE records SET phone_masked = $4, phone_sealed = $5, phone_key = $6, payload = jsonb_set(payload, '{callbackPhone}', to_jsonb($4::text))
       WHERE terminal_id = $1 AND epoch = $2 AND seq = $3`,
      [r.terminal_id, r.epoch, r.seq, s.masked, s.sealed, s.key],
    );
    count++;
  }
  for (const table of ['cases', 'follow_ups'] as const) {
    const rows = await db.query<{ ctid: string; phone: string }>(
      `SELECT ctid::text AS ctid, callback_phone AS phone FROM ${table} WHERE phone_sealed IS NULL AND callback_phone IS NOT NULL AND callback_phone NOT LIKE '%*%'`,
    );
    for (const r of rows) {
      const s = vault.seal(r.phone);
      await db.query(`UPDATE ${table} SET callback_phone = $2, phone_sealed = $3, phone_key = $4 WHERE ctid = $1::tid`, [r.ctid, s.masked, s.sealed, s.key]);
      count++;
    }
  }
  return count;
}
