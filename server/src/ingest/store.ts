/**
 * The exactly-once path. One transaction per batch: lock the terminal's epoch row, compare
 * records the centre already holds (same hash: a duplicate; different: a restored
 * database), refuse a gap, verify the hash chain of the new records, insert them and
 * advance the contiguous high-water mark. Network uploads and imported files both come here.
 */
import { GENESIS_HASH } from '../../../src/shared/canonical-json';
import { one, type Sql } from '../db/sql';
import { Refusal } from '../errors';
import { openFollowUps, type DetailedFollowUp, type OpenedFollowUp } from '../follow-up/open';
import { sealIncomingPhones } from '../privacy/seal';
import type { SealedPhone } from '../privacy/vault';
import { describeRange, mergeAlerts, storeAlerts, type Alert } from './alerts';
import type { Batch, IncomingRecord } from './batch';
import { recordHash } from './chain';

export interface IngestInput {
  terminalId: string;
  batch: Batch;
  /** JSON text of the array batch.records, as checked (never the client's own text). */
  recordsJson: string;
  receivedAt: number;
  source: 'network' | 'file';
  clockSkewToleranceMs: number;
}

export interface IngestResult {
  epoch: number;
  highWater: number;
  stored: number;
  duplicates: number;
  alerts: Alert[];
  clockFlagged: boolean;
  /** Follow-up records the batch's poor ratings opened (none for a duplicate). */
  opened: OpenedFollowUp[];
  /** Follow-up records whose reasons, comment or phone arrived in this batch. */
  detailed: DetailedFollowUp[];
}

/** A refusal that still leaves a trace: the centre notes a restored database even though it refuses the batch. */
export class RefusalWithAlert extends Refusal {
  constructor(
    refusal: Refusal,
    readonly alert: Alert,
    /** The new epoch the terminal may now open, kept although the batch is refused. */
    readonly allowEpoch: number | null = null,
  ) {
    super(refusal.status, refusal.code, refusal.message, refusal.extra, refusal.headers);
  }
}

export async function ingestBatch(db: Sql, input: IngestInput): Promise<IngestResult> {
  try {
    return await db.transaction((tx) => ingestInTransaction(tx, input));
  } catch (err) {
    if (err instanceof RefusalWithAlert) {
      await storeAlerts(db, input.terminalId, [err.alert], input.receivedAt);
      if (err.allowEpoch !== null) await db.query('UPDATE terminals SET epoch_allowed = $2 WHERE terminal_id = $1', [input.terminalId, err.allowEpoch]);
    }
    throw err;
  }
}

async function ingestInTransaction(tx: Sql, input: IngestInput): Promise<IngestResult> {
  const { terminalId, batch, receivedAt } = input;
  const { epoch } = batch;
  await openEpoch(tx, terminalId, epoch, receivedAt);
  const head = (await one<{ high_water: number; last_hash: string | null; clock_flagged: boolean }>(
    tx,
    `SELECT e.high_water, e.last_hash, t.clock_flagged FROM terminal_epochs e JOIN terminals t USING (terminal_id)
     WHERE e.terminal_id = $1 AND e.epoch = $2 FOR UPDATE OF e`,
    [terminalId, epoch],
  ))!;
  const highWater = head.high_water;
  const held = batch.records.filter((r) => r.seq <= highWater);
  const fresh = batch.records.filter((r) => r.seq > highWater);

  await compareHeld(tx, terminalId, epoch, held, highWater);
  if (fresh.length > 0 || (batch.missing && batch.missing.to > highWater)) await refuseClosedEpoch(tx, terminalId, epoch, highWater);

  const alerts: Alert[] = [];
  // No last hash: a new epoch links to records the centre never saw, or the records before were declared missing.
  let prev: string | null = head.last_hash ?? (highWater === 0 && epoch === 1 ? GENESIS_HASH : null);
  const declared = batch.missing && batch.missing.to > highWater ? batch.missing : null;
  const firstNew = fresh[0]?.seq ?? (declared ? declared.to + 1 : null);
  if (firstNew !== null && firstNew > highWater + 1) {
    if (!declared || declared.from !== highWater + 1) {
      throw new Refusal(409, 'gap', `the centre holds this terminal's epoch ${epoch} up to seq ${highWater}; send from seq ${highWater + 1}`, { epoch, highWater });
    }
    alerts.push({ kind: 'missing', epoch, seqFrom: declared.from, seqTo: declared.to, detail: describeRange('missing', epoch, declared.from, declared.to) });
    prev = null; // the record before is gone: the link cannot be checked, and the gap is already an alert
  }

  const flags: { seq: number; integrity: 'altered' | 'relinked' }[] = [];
  for (const r of fresh) {
    let problem: 'altered' | 'relinked' | null = null;
    if (recordHash(terminalId, epoch, r) !== r.hash) problem = 'altered';
    else if (prev !== null && r.prevHash !== prev) problem = 'relinked';
    if (problem) {
      flags.push({ seq: r.seq, integrity: problem });
      alerts.push({ kind: problem, epoch, seqFrom: r.seq, seqTo: r.seq, detail: describeRange(problem, epoch, r.seq, r.seq) });
    }
    prev = r.hash;
  }

  const skew = batch.sentAt - receivedAt;
  const skewed = input.source === 'network' && Math.abs(skew) > input.clockSkewToleranceMs;
  if (skewed && !head.clock_flagged) {
    const minutes = Math.round(skew / 60_000);
    alerts.push({ kind: 'clock_skew', epoch, seqFrom: batch.records[0]?.seq ?? 0, seqTo: batch.records.at(-1)?.seq ?? 0, detail: `the terminal clock is ${Math.abs(minutes)} min ${skew > 0 ? 'ahead of' : 'behind'} the centre; ratings are judged by time, so set it right` });
  }

  const batchRow = (await one<{ id: number }>(
    tx,
    `INSERT INTO batches (terminal_id, epoch, source, first_seq, last_seq, stored, duplicates, received_at, terminal_sent_at, clock_skew_ms)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
    [terminalId, epoch, input.source, fresh[0]?.seq ?? null, fresh.at(-1)?.seq ?? null, fresh.length, held.length, receivedAt, batch.sentAt, input.source === 'network' ? skew : 0],
  ))!;

  if (fresh.length > 0) {
    const inserted = await one<{ n: number }>(
      tx,
      `WITH ins AS (
         INSERT INTO records (terminal_id, epoch, seq, kind, recorded_at, payload, prev_hash, hash, received_at, batch_id, integrity)
         SELECT $1, $2, r.seq, r.kind, r."recordedAt", r.payload::jsonb, r."prevHash", r.hash, $3, $4, f.integrity
         FROM json_to_recordset($5::json) AS r(seq bigint, kind text, "recordedAt" bigint, payload text, "prevHash" text, hash text)
         LEFT JOIN jsonb_to_recordset($6::jsonb) AS f(seq bigint, integrity text) USING (seq)
         WHERE r.seq > $7
         RETURNING 1)
       SELECT count(*)::integer AS n FROM ins`,
      [terminalId, epoch, receivedAt, batchRow.id, input.recordsJson, JSON.stringify(flags), highWater],
    );
    if (inserted?.n !== fresh.length) throw new Error(`stored ${inserted?.n} of ${fresh.length} records`);
  }
  const altered = new Set(flags.filter((f) => f.integrity === 'altered').map((f) => f.seq));
  // Phones are sealed in the transaction that stores them: no committed row ever holds one in clear.
  const phones = fresh.length > 0 ? await sealIncomingPhones(tx, terminalId, epoch, fresh) : new Map<number, SealedPhone>();
  const { opened, detailed } = fresh.length > 0 ? await openFollowUps(tx, terminalId, fresh, altered, receivedAt, phones) : { opened: [], detailed: [] };

  const merged = mergeAlerts(alerts);
  await storeAlerts(tx, terminalId, merged, receivedAt);
  const newHighWater = Math.max(highWater, fresh.at(-1)?.seq ?? declared?.to ?? highWater);
  const lastHash = fresh.at(-1)?.hash ?? (declared ? null : head.last_hash);
  await tx.query('UPDATE terminal_epochs SET high_water = $3, last_hash = $4 WHERE terminal_id = $1 AND epoch = $2', [terminalId, epoch, newHighWater, lastHash]);
  await tx.query(
    `UPDATE terminals SET last_seen_at = $2,
       clock_skew_ms = CASE WHEN $3::boolean THEN $4::bigint ELSE clock_skew_ms END,
       clock_flagged = CASE WHEN $3::boolean THEN $5::boolean ELSE clock_flagged END
     WHERE terminal_id = $1`,
    [terminalId, receivedAt, input.source === 'network', skew, skewed],
  );
  return { epoch, highWater: newHighWater, stored: fresh.length, duplicates: held.length, alerts: merged, clockFlagged: skewed, opened, detailed };
}

/** Records at or below the high-water mark must be the ones the centre holds. */
async function compareHeld(tx: Sql, terminalId: string, epoch: number, held: IncomingRecord[], highWater: number): Promise<void> {
  if (held.length === 0) return;
  const stored = await tx.query<{ seq: number; hash: string }>(
    'SELECT seq, hash FROM records WHERE terminal_id = $1 AND epoch = $2 AND seq BETWEEN $3 AND $4',
    [terminalId, epoch, held[0]!.seq, held.at(-1)!.seq],
  );
  const hashes = new Map(stored.map((s) => [s.seq, s.hash]));
  // A seq in a range declared missing has no stored row: it stays closed, nothing to compare.
  const differing = held.find((r) => hashes.has(r.seq) && hashes.get(r.seq) !== r.hash);
  if (!differing) return;
  const latest = await one<{ epoch: number }>(tx, 'SELECT max(epoch) AS epoch FROM terminal_epochs WHERE terminal_id = $1', [terminalId]);
  const refusal = new Refusal(
    409,
    'seq-regression',
    `record ${epoch}/${differing.seq} differs from the one the centre holds: this terminal's database was restored from an older copy. Start a new epoch and send the records from there.`,
    { epoch, highWater, seq: differing.seq, nextEpoch: (latest?.epoch ?? epoch) + 1 },
  );
  throw new RefusalWithAlert(
    refusal,
    { kind: 'seq_regression', epoch, seqFrom: differing.seq, seqTo: highWater, detail: describeRange('seq_regression', epoch, differing.seq, highWater) },
    (latest?.epoch ?? epoch) + 1,
  );
}

/**
 * A terminal opens epoch 1 first, then only the next epoch, and only after the centre
 * answered seq-regression (or an admin allowed it): a terminal cannot jump to epoch 999.
 */
async function openEpoch(tx: Sql, terminalId: string, epoch: number, at: number): Promise<void> {
  const known = await one<{ latest: number | null; allowed: number | null; has: boolean }>(
    tx,
    `SELECT (SELECT max(epoch) FROM terminal_epochs WHERE terminal_id = $1) AS latest, t.epoch_allowed AS allowed,
       EXISTS (SELECT 1 FROM terminal_epochs WHERE terminal_id = $1 AND epoch = $2) AS has
     FROM terminals t WHERE t.terminal_id = $1 FOR UPDATE OF t`,
    [terminalId, epoch],
  );
  if (!known || known.has) return;
  const next = (known.latest ?? 0) + 1;
  if (epoch !== next || (known.latest !== null && known.allowed !== epoch)) {
    const why = epoch !== next
      ? `the next epoch this terminal may open is ${next}, not ${epoch}`
      : `this terminal may open epoch ${epoch} only after the centre answers seq-regression, or an admin allows it`;
    throw new RefusalWithAlert(
      new Refusal(409, 'epoch-not-allowed', `${why}; nothing of this batch was stored`, { epoch, latestEpoch: known.latest }),
      { kind: 'epoch_refused', epoch, seqFrom: 0, seqTo: 0, detail: `the terminal tried to open epoch ${epoch} unprompted (${why})` },
    );
  }
  await tx.query('INSERT INTO terminal_epochs (terminal_id, epoch, started_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [terminalId, epoch, at]);
  await tx.query('UPDATE terminals SET epoch_allowed = NULL WHERE terminal_id = $1', [terminalId]);
}

/** Once a newer epoch exists an older one takes no new records: the terminal is sent on to a new epoch instead. */
async function refuseClosedEpoch(tx: Sql, terminalId: string, epoch: number, highWater: number): Promise<void> {
  const latest = (await one<{ epoch: number }>(tx, 'SELECT max(epoch) AS epoch FROM terminal_epochs WHERE terminal_id = $1', [terminalId]))!.epoch;
  if (latest <= epoch) return;
  const refusal = new Refusal(
    409,
    'seq-regression',
    `epoch ${epoch} was closed when epoch ${latest} began: it takes no new records. Start a new epoch and send the records from there.`,
    { epoch, highWater, seq: highWater + 1, nextEpoch: latest + 1, reason: 'epoch-closed' },
  );
  throw new RefusalWithAlert(
    refusal,
    { kind: 'epoch_closed', epoch, seqFrom: highWater + 1, seqTo: highWater + 1, detail: `the terminal sent new records for epoch ${epoch}, closed since epoch ${latest} began: an older copy of its database is in use` },
    latest + 1,
  );
}
