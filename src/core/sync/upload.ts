/**
 * Sending the outbox: batch after batch, oldest epoch first, each acknowledged by the
 * centre's high-water mark before the next is read. The state lives in the database, so
 * a run that stops anywhere (power cut, network, stop()) resumes where it stopped.
 *
 *   200                  mark acknowledged up to the high-water mark
 *   409 gap              the centre holds less (or more) than thought: resend from its mark
 *   409 seq-regression   this database went back to an older copy: start a new epoch
 *   400, 413, 422        refused, not temporary: halve the batch until the one refused
 *                        record is found (those before it still go), then stop at it
 *   0, 408, 429, 5xx     wait (Retry-After, else full-jitter back-off) and try again
 *   other                stop, with the centre's reason
 */
import { startNewEpoch } from '../outbox/epochs';
import { centreHighWater, epochToSend, markAcknowledged, nextBatch, noteHighWater, resumeAfter, truncatedTail, unacknowledgedCount, type OutgoingBatch } from '../outbox/queue';
import type { Db } from '../store/database';
import type { Clock } from '../time';
import type { Credentials } from './credentials';
import { syncError, type SyncError } from './errors';
import { callCentre, centreCode, centreMessage, gzipJson, type FetchLike, type GzipBody } from './http';
import { backoffMs, isTransient, retryAfterMs, type RetryPolicy } from './retry';
import { toUploadJson } from './upload-format';

export interface UploadContext {
  db: Db;
  credentials: Credentials;
  centreUrl: string;
  clock: Clock;
  fetch: FetchLike;
  retry: RetryPolicy;
  random: () => number;
  batchSize: number;
  timeoutMs: number;
  /** Resolves true after ms, or false at once when the client is stopping. */
  sleep(ms: number): Promise<boolean>;
  stopping(): boolean;
  onProgress(sent: number, total: number): void;
}

export type UploadOutcome =
  | { ok: true; sent: number; epochsStarted: number }
  /** `refused`: what the centre refused (see pendingFirst); resending it unchanged gets the same answer. */
  | { ok: false; sent: number; error: SyncError; refused?: string };

const MAX_GAP_ANSWERS = 5;
const MAX_NEW_EPOCHS = 3;
/** The centre's epoch column is a 32-bit integer. */
export const MAX_EPOCH = 2_147_483_647;

/** Answers that refuse what was sent: the same records sent again get the same answer. */
function isRefusal(status: number): boolean {
  return status === 400 || status === 413 || status === 422;
}

/** Names the first thing a batch carries, so a refusal can be recognised if nothing has changed since. */
function firstOf(batch: OutgoingBatch): string {
  const first = batch.records[0];
  return first ? `${batch.epoch}/${first.seq}/${first.hash}` : `${batch.epoch}/missing ${batch.missing?.from ?? 0}-${batch.missing?.to ?? 0}`;
}

/** The first thing still to send, in the same terms as a refusal names it; null when nothing waits. */
export function pendingFirst(db: Db): string | null {
  const batch = nextWork(db, 1);
  return batch ? firstOf(batch) : null;
}

function headEpoch(db: Db): number {
  const headText = db.prepare("SELECT value FROM meta WHERE key = 'outbox_head'").pluck().get() as string | undefined;
  return headText ? (JSON.parse(headText) as { epoch: number }).epoch : 1;
}

/** The next batch to send, or null when the centre has everything. */
export function nextWork(db: Db, batchSize: number): OutgoingBatch | null {
  const epoch = epochToSend(db);
  if (epoch !== null) {
    const batch = nextBatch(db, epoch, resumeAfter(db, epoch), batchSize);
    if (batch) return batch;
  }
  const headText = db.prepare("SELECT value FROM meta WHERE key = 'outbox_head'").pluck().get() as string | undefined;
  if (!headText) return null;
  const head = JSON.parse(headText) as { epoch: number };
  return truncatedTail(db, head.epoch, centreHighWater(db, head.epoch));
}

interface Prepared {
  batch: OutgoingBatch;
  body: GzipBody;
}

async function prepare(batch: OutgoingBatch | null, now: number): Promise<Prepared | null> {
  return batch ? { batch, body: await gzipJson(toUploadJson(batch, now)) } : null;
}

/** The batch after this one, read while this one is on its way: the records are immutable. */
function following(db: Db, p: Prepared, batchSize: number): OutgoingBatch | null {
  const last = p.batch.records[p.batch.records.length - 1];
  if (!last) return null;
  const next = nextBatch(db, p.batch.epoch, last.seq, batchSize);
  return next && next.records.length > 0 && !next.missing ? next : null;
}

export async function uploadPending(ctx: UploadContext): Promise<UploadOutcome> {
  const { db } = ctx;
  let sent = 0;
  let failures = 0;
  let gapAnswers = 0;
  let epochsStarted = 0;
  let batchSize = ctx.batchSize;
  let total = unacknowledgedCount(db);
  const fail = (error: SyncError, refused?: string): UploadOutcome => ({ ok: false, sent, error, ...(refused === undefined ? {} : { refused }) });
  ctx.onProgress(0, total);
  let current: Prepared | null = null;

  for (let round = 0; ; round++) {
    if (ctx.stopping()) return fail(syncError('stopped', 'the sync was stopped; it resumes where it stopped next time'));
    current ??= await prepare(nextWork(db, batchSize), ctx.clock.now());
    if (!current) return { ok: true, sent, epochsStarted };
    const batch = current.batch;
    const inFlight = callCentre({ method: 'POST', url: `${ctx.centreUrl}/v1/batches`, token: ctx.credentials.token, json: current.body, timeoutMs: ctx.timeoutMs }, ctx.fetch);
    const ahead = prepare(following(db, current, batchSize), ctx.clock.now());
    const answer = await inFlight;
    // The centre's certificate was refused before anything was sent: trying again would meet the same certificate.
    if (answer.untrusted) return fail(syncError('centre_untrusted', answer.failure ?? 'the centre\'s certificate was refused; nothing was sent'));
    const now = ctx.clock.now();
    const code = centreCode(answer);
    const highWater = Number(answer.body?.highWater);
    current = null;

    if (answer.status === 200 && Number.isSafeInteger(highWater)) {
      failures = 0;
      gapAnswers = 0;
      // The centre compared only what this batch carried; records past it (a restored window
      // may hold different ones under seqs the centre already has) are acknowledged only
      // once they have been sent and compared too.
      const compared = batch.records[batch.records.length - 1]?.seq ?? batch.missing?.to ?? highWater;
      markAcknowledged(db, batch.epoch, Math.min(highWater, compared), now);
      sent += batch.records.length;
      // Counting is a scan of what is left: every tenth batch, and the progress bar estimates between.
      if (round % 10 === 9) total = sent + unacknowledgedCount(db);
      ctx.onProgress(sent, Math.max(total, sent));
      const next = await ahead;
      if (highWater === batch.records[batch.records.length - 1]?.seq) current = next;
      continue;
    }
    await ahead;
    if (answer.status === 409 && code === 'gap' && Number.isSafeInteger(highWater)) {
      if (++gapAnswers > MAX_GAP_ANSWERS) return fail(syncError('centre_refused', `the centre keeps asking for records from seq ${highWater + 1} of epoch ${batch.epoch}, which this window cannot send`));
      noteHighWater(db, batch.epoch, highWater, now);
      continue;
    }
    if (answer.status === 409 && code === 'seq-regression') {
      if (++epochsStarted > MAX_NEW_EPOCHS) return fail(syncError('centre_refused', 'the centre refused records again after a new epoch; ask IT to check this window'));
      const seq = Number(answer.body?.seq);
      const nextEpoch = Number(answer.body?.nextEpoch);
      const atLeast = Number.isSafeInteger(nextEpoch) ? nextEpoch : 0;
      const epoch = Math.max(headEpoch(db) + 1, atLeast);
      // An epoch the centre cannot store would be refused for ever: stop before writing it.
      if (epoch > MAX_EPOCH) return fail(syncError('centre_refused', `the centre asks this window to start epoch ${epoch}, beyond the largest it can store (${MAX_EPOCH}); call IT to check this terminal at the centre`));
      startNewEpoch(db, batch.terminalId, {
        fromEpoch: batch.epoch,
        divergedAtSeq: Number.isSafeInteger(seq) ? seq : (batch.records[0]?.seq ?? 1),
        centreHighWater: Number.isSafeInteger(highWater) ? highWater : 0,
        atLeast,
        at: now,
      });
      continue;
    }
    if (answer.status === 422 && code === 'timestamp-in-future') return fail(syncError('clock_wrong', centreMessage(answer)), firstOf(batch));
    if (isRefusal(answer.status)) {
      // Records go in seq order, so halving finds the refused one and sends those before it.
      if (batch.records.length > 1) {
        batchSize = Math.ceil(batch.records.length / 2);
        continue;
      }
      return fail(syncError('record_refused', refusedSentence(db, batch, centreMessage(answer))), firstOf(batch));
    }
    if (isTransient(answer.status)) {
      if (++failures >= ctx.retry.attempts) {
        return fail(syncError('centre_unreachable', `gave up after ${failures} tries in a row (last: ${centreMessage(answer)}); ${sent} records were sent, the rest wait for the next sync`));
      }
      const told = retryAfterMs(answer.headers?.get('retry-after'), ctx.clock.now());
      if (told !== null && told > ctx.retry.maxRetryAfterMs) {
        return fail(syncError('centre_unreachable', `the centre asked to wait ${Math.ceil(told / 60_000)} min; the records wait for the next sync`));
      }
      await ctx.sleep(told ?? backoffMs(failures - 1, ctx.retry, ctx.random));
      continue;
    }
    if (answer.status === 401) return fail(syncError('token_refused', centreMessage(answer)));
    return fail(syncError('centre_refused', `the centre refused a batch (${answer.status} ${code ?? ''}): ${centreMessage(answer)}`));
  }
}

/** What the staff panel and the log say when the centre refuses a record: which one, why, and what it holds up. */
function refusedSentence(db: Db, batch: OutgoingBatch, reason: string): string {
  const record = batch.records[0];
  const what = record ? `record ${batch.epoch}/${record.seq}` : `the note that records ${batch.epoch}/${batch.missing?.from ?? '?'}–${batch.missing?.to ?? '?'} are missing`;
  const waiting = Math.max(0, unacknowledgedCount(db) - batch.records.length);
  const after = waiting === 0 ? '' : `; the ${waiting} later record${waiting === 1 ? '' : 's'} wait behind it, as the centre takes records only in order`;
  return `the centre refused ${what} as invalid: ${reason}${after}; the window keeps every record and does not send it again by itself; call IT`;
}
