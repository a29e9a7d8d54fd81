/**
 * The outbox as the sync client sees it: the next contiguous run of records to send, and
 * acknowledgements. Records are only ever marked acknowledged here, never changed or
 * deleted; records of an epoch from its divergence seq on were carried into a newer
 * epoch (see epochs.ts) and are acknowledged when their copies are.
 */
import type { Db } from '../store/database';
import type { OutboxRow } from './outbox';
import { eraseAcknowledgedPhones, type PersonalPart } from './personal';

export interface QueuedRecord {
  terminalId: string;
  epoch: number;
  seq: number;
  kind: string;
  recordedAt: number;
  /** The canonical JSON text that was hashed. */
  payload: string;
  prevHash: string;
  hash: string;
  /** The callback phone and its commitment's salt, outside the chain, while the window still holds them. */
  personal?: Omit<PersonalPart, 'ratingId'>;
}

export interface OutgoingBatch {
  terminalId: string;
  epoch: number;
  /** Seqs after what the centre holds that this terminal no longer has. */
  missing: { from: number; to: number } | null;
  records: QueuedRecord[];
}

const NO_LIMIT = Number.MAX_SAFE_INTEGER;

/** What the centre holds of an epoch, as last heard. */
export function centreHighWater(db: Db, epoch: number): number {
  return (db.prepare('SELECT centre_high_water FROM sync_epochs WHERE epoch = ?').pluck().get(epoch) as number | undefined) ?? 0;
}

/**
 * Where sending resumes in an epoch: after what the centre holds, or before the first
 * unacknowledged record if that comes earlier (a database restored from a copy).
 */
export function resumeAfter(db: Db, epoch: number): number {
  const firstPending = db.prepare('SELECT min(seq) FROM outbox WHERE epoch = ? AND acked_at IS NULL').pluck().get(epoch) as number | null;
  return Math.min(centreHighWater(db, epoch), firstPending === null ? Number.MAX_SAFE_INTEGER : firstPending - 1);
}

function divergedAt(db: Db, epoch: number): number {
  return (db.prepare('SELECT diverged_at_seq FROM sync_epochs WHERE epoch = ?').pluck().get(epoch) as number | null | undefined) ?? NO_LIMIT;
}

/** The oldest epoch with records still to send, or null when the centre has everything. */
export function epochToSend(db: Db): number | null {
  const row = db
    .prepare(`SELECT o.epoch FROM outbox o LEFT JOIN sync_epochs e ON e.epoch = o.epoch
      WHERE o.acked_at IS NULL AND (e.diverged_at_seq IS NULL OR o.seq < e.diverged_at_seq) ORDER BY o.epoch, o.seq LIMIT 1`)
    .pluck()
    .get() as number | undefined;
  return row ?? null;
}

/**
 * Up to `limit` records of `epoch` after seq `after`, contiguous. When the records right
 * after `after` are not on disk at all (deleted by hand: the triggers forbid it otherwise),
 * the batch declares them missing so the centre can raise the alert and move on.
 */
export function nextBatch(db: Db, epoch: number, after: number, limit: number): OutgoingBatch | null {
  const upTo = divergedAt(db, epoch);
  const rows = db
    .prepare(`SELECT o.terminal_id, o.epoch, o.seq, o.kind, o.recorded_at, o.payload, o.prev_hash, o.hash, p.callback_phone, p.salt
      FROM outbox o LEFT JOIN outbox_personal p ON p.epoch = o.epoch AND p.seq = o.seq
      WHERE o.epoch = ? AND o.seq > ? AND o.seq < ? ORDER BY o.seq LIMIT ?`)
    .all(epoch, after, upTo, limit) as (OutboxRow & { callback_phone: string | null; salt: string | null })[];
  const first = rows[0];
  if (!first) return null;
  const records: QueuedRecord[] = [];
  for (const r of rows) {
    const last = records[records.length - 1];
    if (last && (r.seq !== last.seq + 1 || r.terminal_id !== last.terminalId)) break;
    const record: QueuedRecord = { terminalId: r.terminal_id, epoch: r.epoch, seq: r.seq, kind: r.kind, recordedAt: r.recorded_at, payload: r.payload, prevHash: r.prev_hash, hash: r.hash };
    if (r.callback_phone !== null && r.salt !== null) record.personal = { callbackPhone: r.callback_phone, salt: r.salt };
    records.push(record);
  }
  const missing = first.seq > after + 1 ? { from: after + 1, to: first.seq - 1 } : null;
  return { terminalId: first.terminal_id, epoch, missing, records };
}

/** Records removed from the end of the current epoch: the head remembers them, the table does not. */
export function truncatedTail(db: Db, epoch: number, after: number): OutgoingBatch | null {
  const headText = db.prepare("SELECT value FROM meta WHERE key = 'outbox_head'").pluck().get() as string | undefined;
  const head = headText ? (JSON.parse(headText) as { epoch: number; seq: number }) : null;
  if (!head || head.epoch !== epoch) return null;
  const onDisk = (db.prepare('SELECT max(seq) FROM outbox WHERE epoch = ?').pluck().get(epoch) as number | null) ?? 0;
  const anchorText = db.prepare("SELECT value FROM meta WHERE key = 'outbox_anchor'").pluck().get() as string | undefined;
  const anchor = anchorText ? (JSON.parse(anchorText) as { epoch: number; seq: number }) : null;
  const known = Math.max(after, onDisk, anchor?.epoch === epoch ? anchor.seq : 0);
  if (head.seq <= known) return null;
  const terminalId = db.prepare('SELECT terminal_id FROM terminal WHERE id = 1').pluck().get() as string | undefined;
  if (!terminalId) return null;
  return { terminalId, epoch, missing: { from: known + 1, to: head.seq }, records: [] };
}

/** The centre holds `epoch` up to `highWater`: mark those records, and old records carried into them. */
export function markAcknowledged(db: Db, epoch: number, highWater: number, at: number): number {
  return db.transaction(() => {
    const marked = db.prepare('UPDATE outbox SET acked_at = ? WHERE epoch = ? AND seq <= ? AND acked_at IS NULL').run(at, epoch, highWater).changes;
    db.prepare(`UPDATE outbox SET acked_at = ? WHERE acked_at IS NULL AND (epoch, seq) IN
        (SELECT from_epoch, from_seq FROM outbox_carried WHERE to_epoch = ? AND to_seq <= ?)`).run(at, epoch, highWater);
    noteHighWater(db, epoch, highWater, at);
    // The centre holds these records now, phones included: the window's copies go.
    if (marked > 0) eraseAcknowledgedPhones(db);
    return marked;
  })();
}

export function noteHighWater(db: Db, epoch: number, highWater: number, at: number): void {
  db.prepare(`INSERT INTO sync_epochs (epoch, started_at, reason, centre_high_water) VALUES (?, ?, 'first', ?)
    ON CONFLICT (epoch) DO UPDATE SET centre_high_water = excluded.centre_high_water`).run(epoch, at, highWater);
}

/** Records the centre has not acknowledged, each counted once (a carried record counts in its new epoch). */
export function unacknowledgedCount(db: Db): number {
  return db
    .prepare(`SELECT count(*) FROM outbox o WHERE o.acked_at IS NULL
      AND NOT EXISTS (SELECT 1 FROM outbox_carried c WHERE c.from_epoch = o.epoch AND c.from_seq = o.seq)`)
    .pluck()
    .get() as number;
}
