/**
 * The callback phone beside the chain (docs/data-protection.md): a rating_details record
 * chains only a commitment to the number, and the number and the commitment's salt wait
 * in outbox_personal until the centre acknowledges the record. Then they are deleted, with
 * the copy in ratings, in the transaction that marks the record acknowledged, so the
 * window holds a phone only while the centre does not.
 */
import { createHmac, randomBytes } from 'node:crypto';
import type { Db } from '../store/database';

export interface PersonalPart {
  ratingId: string;
  callbackPhone: string;
  salt: string;
}

/** The sync wire's phone commitment (PHONE_COMMITMENT in src/shared/sync-wire.ts). */
export function phoneCommitment(phone: string, salt: string): string {
  return createHmac('sha256', Buffer.from(salt, 'hex')).update(phone, 'utf8').digest('hex');
}

/** A fresh salt and the commitment it gives: the salt never enters the chain. */
export function commitPhone(phone: string): { salt: string; commitment: string } {
  const salt = randomBytes(32).toString('hex');
  return { salt, commitment: phoneCommitment(phone, salt) };
}

export function keepPersonal(db: Db, epoch: number, seq: number, part: PersonalPart): void {
  db.prepare('INSERT INTO outbox_personal (epoch, seq, rating_id, callback_phone, salt) VALUES (?, ?, ?, ?, ?)').run(epoch, seq, part.ratingId, part.callbackPhone, part.salt);
}

/** The unchained part of one record, if it still has one. */
export function personalOf(db: Db, epoch: number, seq: number): PersonalPart | null {
  const row = db.prepare('SELECT rating_id, callback_phone, salt FROM outbox_personal WHERE epoch = ? AND seq = ?').get(epoch, seq) as
    | { rating_id: string; callback_phone: string; salt: string }
    | undefined;
  return row ? { ratingId: row.rating_id, callbackPhone: row.callback_phone, salt: row.salt } : null;
}

/**
 * Erases every phone the centre holds: the unchained parts of acknowledged (or pruned)
 * records, and each rating's copy once no unacknowledged record carries its details. A
 * phone inside the chained payload of a record written before the commitment stays there
 * until that record is pruned. Returns how many phones went.
 */
export function eraseAcknowledgedPhones(db: Db): number {
  const parts = db
    .prepare(`DELETE FROM outbox_personal WHERE NOT EXISTS
      (SELECT 1 FROM outbox o WHERE o.epoch = outbox_personal.epoch AND o.seq = outbox_personal.seq AND o.acked_at IS NULL)`)
    .run().changes;
  const ratings = db
    .prepare(`UPDATE ratings SET callback_phone = NULL WHERE callback_phone IS NOT NULL AND NOT EXISTS
      (SELECT 1 FROM outbox o WHERE o.kind = 'rating_details' AND o.acked_at IS NULL AND json_extract(o.payload, '$.ratingId') = ratings.id)`)
    .run().changes;
  return Math.max(parts, ratings);
}

/**
 * The centre asked, for a citizen who wants it gone: the phone of these ratings goes from
 * the window at once, sent or not (a record not yet sent then goes without it).
 */
export function erasePhonesOf(db: Db, ratingIds: readonly string[]): number {
  if (ratingIds.length === 0) return 0;
  return db.transaction(() => {
    const ids = JSON.stringify(ratingIds);
    const parts = db.prepare('DELETE FROM outbox_personal WHERE rating_id IN (SELECT value FROM json_each(?))').run(ids).changes;
    const ratings = db.prepare('UPDATE ratings SET callback_phone = NULL WHERE callback_phone IS NOT NULL AND id IN (SELECT value FROM json_each(?))').run(ids).changes;
    return Math.max(parts, ratings);
  })();
}
