/**
 * The outbox: every fact, appended in the same transaction as its business row, with the
 * terminal's own gap-free sequence number and a hash chained to the record before it.
 * Records are never changed; only acknowledged ones may be pruned, and the last pruned
 * record is kept as the anchor the chain continues from.
 */
import { createHash } from 'node:crypto';
import { GENESIS_HASH, canonicalJson, outboxHashInput, type OutboxHashedFields } from '../../shared/canonical-json';
import type { ChainedRecord } from '../../shared/sync-wire';
import type { Db } from '../store/database';
import { keepPersonal, type PersonalPart } from './personal';

/** A record as the outbox holds it: the hashed fields and the chain (see src/shared/sync-wire.ts). */
export type OutboxRecord = ChainedRecord;

interface Head {
  epoch: number;
  seq: number;
  hash: string;
}

/**
 * Bumped when something other than append() moves the head (a new epoch), so every Outbox
 * on that database re-reads it instead of trusting its cache.
 */
const headGenerations = new WeakMap<Db, number>();

export function headMoved(db: Db): void {
  headGenerations.set(db, (headGenerations.get(db) ?? 0) + 1);
}

export function hashRecord(prevHash: string, r: OutboxHashedFields): string {
  const input = outboxHashInput(prevHash, {
    terminalId: r.terminalId,
    epoch: r.epoch,
    seq: r.seq,
    kind: r.kind,
    recordedAt: r.recordedAt,
    payload: r.payload,
  });
  return createHash('sha256').update(input).digest('hex');
}

export class Outbox {
  private readonly insert;
  private readonly readMeta;
  private readonly writeMeta;
  private head: Head | null = null;
  private headGeneration = 0;

  constructor(
    private readonly db: Db,
    private readonly terminalId: string,
  ) {
    this.insert = db.prepare(
      'INSERT INTO outbox (terminal_id, epoch, seq, kind, recorded_at, payload, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    );
    this.readMeta = db.prepare('SELECT value FROM meta WHERE key = ?').pluck();
    this.writeMeta = db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value');
  }

  /**
   * Appends one record. Call inside the transaction that writes the fact's row. `personal`
   * is kept beside the record, outside the chain, until the centre acknowledges it (personal.ts).
   */
  append(kind: string, recordedAt: number, payload: unknown, personal?: PersonalPart): OutboxRecord {
    const head = this.currentHead();
    const epoch = head.epoch;
    const seq = head.seq + 1;
    const body = { terminalId: this.terminalId, epoch, seq, kind, recordedAt, payload };
    const hash = hashRecord(head.hash, body);
    this.insert.run(this.terminalId, epoch, seq, kind, recordedAt, canonicalJson(payload), head.hash, hash);
    if (personal) keepPersonal(this.db, epoch, seq, personal);
    const next = { epoch, seq, hash };
    this.writeMeta.run('outbox_head', JSON.stringify(next));
    // The cached head is only trusted once the transaction commits; see forgetHead().
    this.head = next;
    return { ...body, prevHash: head.hash, hash };
  }

  /** After a rolled-back transaction the cached head may be ahead of the disk. */
  forgetHead(): void {
    this.head = null;
  }

  currentHead(): Head {
    const generation = headGenerations.get(this.db) ?? 0;
    if (this.head && this.headGeneration === generation) return this.head;
    this.headGeneration = generation;
    const stored = this.readMeta.get('outbox_head') as string | undefined;
    this.head = stored ? (JSON.parse(stored) as Head) : { epoch: 1, seq: 0, hash: GENESIS_HASH };
    return this.head;
  }
}

export type ChainReport =
  | { ok: true; records: number; head: Head | null }
  | { ok: false; records: number; epoch: number; seq: number; problem: 'altered' | 'missing' | 'relinked' | 'truncated'; message: string };

/** An outbox row as SQLite returns it. */
export interface OutboxRow {
  terminal_id: string;
  epoch: number;
  seq: number;
  kind: string;
  recorded_at: number;
  payload: string;
  prev_hash: string;
  hash: string;
}

/**
 * Walks the chain from the anchor (or genesis) and reports the first record that was
 * altered or removed. Catches: an edited field (hash mismatch), a deleted record (a gap in
 * seq), a record swapped for another (prev_hash mismatch), and deleted records at the end
 * (the stored head is ahead of the last record).
 */
export function verifyChain(db: Db): ChainReport {
  const meta = db.prepare('SELECT value FROM meta WHERE key = ?').pluck();
  const anchorText = meta.get('outbox_anchor') as string | undefined;
  const headText = meta.get('outbox_head') as string | undefined;
  let prev: Head = anchorText ? (JSON.parse(anchorText) as Head) : { epoch: 1, seq: 0, hash: GENESIS_HASH };
  let records = 0;
  const fail = (r: { epoch: number; seq: number }, problem: 'altered' | 'missing' | 'relinked' | 'truncated', message: string): ChainReport => ({
    ok: false,
    records,
    epoch: r.epoch,
    seq: r.seq,
    problem,
    message,
  });

  for (const row of db.prepare('SELECT * FROM outbox ORDER BY id').iterate() as IterableIterator<OutboxRow>) {
    const expectedSeq = row.epoch === prev.epoch ? prev.seq + 1 : 1;
    if (row.epoch < prev.epoch || row.seq !== expectedSeq) {
      return fail({ epoch: prev.epoch, seq: prev.seq + 1 }, 'missing', `record ${prev.epoch}/${prev.seq + 1} is missing: the next record on disk is ${row.epoch}/${row.seq}`);
    }
    if (row.prev_hash !== prev.hash) {
      return fail(row, 'relinked', `record ${row.epoch}/${row.seq} does not follow the record before it`);
    }
    let payload: unknown;
    try {
      payload = JSON.parse(row.payload);
    } catch {
      return fail(row, 'altered', `record ${row.epoch}/${row.seq} was altered: its payload is not valid JSON`);
    }
    const hash = hashRecord(row.prev_hash, {
      terminalId: row.terminal_id,
      epoch: row.epoch,
      seq: row.seq,
      kind: row.kind,
      recordedAt: row.recorded_at,
      payload,
    });
    if (hash !== row.hash) return fail(row, 'altered', `record ${row.epoch}/${row.seq} (${row.kind}) was altered after it was written`);
    prev = { epoch: row.epoch, seq: row.seq, hash: row.hash };
    records += 1;
  }

  if (headText) {
    const head = JSON.parse(headText) as Head;
    if (head.epoch !== prev.epoch || head.seq !== prev.seq || head.hash !== prev.hash) {
      return fail({ epoch: prev.epoch, seq: prev.seq + 1 }, 'truncated', `records after ${prev.epoch}/${prev.seq} were removed (the last record written was ${head.epoch}/${head.seq})`);
    }
  }
  return { ok: true, records, head: records > 0 || anchorText ? prev : null };
}
