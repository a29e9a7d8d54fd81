/**
 * The upload batch, checked against the sync wire contract (src/shared/sync-wire.ts): the
 * envelope, then every record's payload against its kind's schema, before anything reaches
 * the database. A record that does not fit refuses the whole batch with `invalid-record`
 * and its seq, so the terminal can tell which record the centre will never take.
 */
import { acceptWireRecord, checkPayload, PAYLOAD_TIMES, UploadBatch, UploadBatchHead, type WireRecord } from '../../../src/shared/sync-wire';
import { Refusal } from '../errors';
import { phoneCommitment } from '../privacy/commitment';
import type { CentreLimits } from '../options';

export type IncomingRecord = WireRecord;

export interface Batch {
  terminalId: string;
  epoch: number;
  sentAt: number;
  missing: { from: number; to: number } | null;
  records: IncomingRecord[];
  /** The payload times of each record, in record order, for the time checks. */
  times: number[][];
}

function invalid(message: string): Refusal {
  return new Refusal(400, 'invalid-batch', message);
}

function invalidRecord(epoch: number, r: { seq: number; kind: string }, problem: string): Refusal {
  return new Refusal(400, 'invalid-record', `record ${epoch}/${r.seq} (${r.kind.slice(0, 64)}): ${problem}; nothing of this batch was stored`, { epoch, seq: r.seq, kind: r.kind.slice(0, 64) });
}

export function parseBatch(value: unknown, limits: CentreLimits): Batch {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalid('the batch must be a JSON object');
  const list = (value as { records?: unknown }).records;
  if (Array.isArray(list) && list.length > limits.maxRecordsPerBatch) {
    throw new Refusal(413, 'batch-too-large', `a batch holds at most ${limits.maxRecordsPerBatch} records; this one has ${list.length}`);
  }
  // The head through zod, the records through the compiled check; zod again only to word a refusal.
  const head = UploadBatchHead.safeParse(value);
  const fast = head.success && Array.isArray(list) && list.every(acceptWireRecord);
  const parsed = fast ? { success: true as const, data: { ...head.data, records: (list as WireRecord[]).map(pickRecord) } } : UploadBatch.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = (issue?.path ?? []).map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('').replace(/^\./, '');
    throw invalid(`${path ? `${path}: ` : ''}${issue?.message ?? 'malformed batch'}`);
  }
  const { terminalId, epoch, sentAt, records } = parsed.data;
  const missing = parsed.data.missing ?? null;
  if (records.length === 0 && !missing) throw invalid('the batch has no records');
  for (let i = 1; i < records.length; i++) {
    if (records[i]!.seq !== records[i - 1]!.seq + 1) throw invalid(`records must be contiguous: seq ${records[i - 1]!.seq} is followed by ${records[i]!.seq}`);
  }
  if (missing) {
    if (records.length > 0 && missing.to !== records[0]!.seq - 1) throw invalid('missing must end just before the first record');
    if (missing.to - missing.from + 1 > limits.maxMissingRecords) {
      throw invalid(`missing declares ${missing.to - missing.from + 1} records; a terminal can declare at most ${limits.maxMissingRecords} at once`);
    }
  }
  const times: number[][] = [];
  for (const r of records) {
    if (r.payload.length > limits.maxPayloadChars) throw invalidRecord(epoch, r, `the payload is longer than ${limits.maxPayloadChars} characters`);
    const checked = checkPayload(r.kind, r.payload);
    if (!checked.ok) throw invalidRecord(epoch, r, checked.problem);
    checkPersonal(epoch, r, checked.payload as { callbackPhoneCommitment?: string });
    const payload = checked.payload as unknown as Record<string, number>;
    times.push([r.recordedAt, ...(PAYLOAD_TIMES[r.kind as keyof typeof PAYLOAD_TIMES]).map((f) => payload[f]!)]);
  }
  return { terminalId, epoch, sentAt, missing, records, times };
}

/** Only the contract's fields go on to the database: whatever else a client sent stays behind. */
function pickRecord(r: WireRecord): WireRecord {
  const picked: WireRecord = { seq: r.seq, kind: r.kind, recordedAt: r.recordedAt, payload: r.payload, prevHash: r.prevHash, hash: r.hash };
  if (r.personal) picked.personal = { callbackPhone: r.personal.callbackPhone, salt: r.personal.salt };
  return picked;
}

/**
 * The phone beside a record must be the one its chained payload committed to: the chain
 * cannot vouch for it, the commitment does. A phone beside any other record, or beside one
 * with no commitment, has nothing to be checked against and is refused.
 */
function checkPersonal(epoch: number, r: WireRecord, payload: { callbackPhoneCommitment?: string }): void {
  if (!r.personal) return;
  if ((r.kind !== 'rating_details' && r.kind !== 'suggestion') || payload.callbackPhoneCommitment === undefined) {
    throw invalidRecord(epoch, r, 'it carries a phone beside the record, but its payload holds no commitment to check the phone against');
  }
  if (phoneCommitment(r.personal.callbackPhone, r.personal.salt) !== payload.callbackPhoneCommitment) {
    throw invalidRecord(epoch, r, 'the phone sent beside the record is not the one its payload committed to (it was changed on the way, or the window wrote it wrongly)');
  }
}

/**
 * Times far ahead of the centre's clock, or before the earliest a record can be, are
 * refused: reports bucket by the payload's own times, so one record stamped 2126 or 1970
 * would stand in a period of its own for ever.
 */
export function refuseImpossibleTimes(batch: Batch, now: number, options: { maxFutureMs: number; earliestRecordMs: number }): void {
  const limit = now + options.maxFutureMs;
  const hours = Math.round(options.maxFutureMs / 3_600_000);
  if (batch.sentAt > limit) throw new Refusal(422, 'timestamp-in-future', `the batch is stamped more than ${hours} h ahead of the centre's clock; set the window PC's clock right, then sync again`);
  for (let i = 0; i < batch.records.length; i++) {
    const r = batch.records[i]!;
    for (const t of batch.times[i]!) {
      if (t > limit) {
        throw new Refusal(422, 'timestamp-in-future', `record ${batch.epoch}/${r.seq} is stamped more than ${hours} h ahead of the centre's clock; set the window PC's clock right, then sync again`, { epoch: batch.epoch, seq: r.seq });
      }
      if (t < options.earliestRecordMs) {
        const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
        throw invalidRecord(batch.epoch, r, `it is stamped ${day(t)}, before any record can be (${day(options.earliestRecordMs)}): the window PC's clock was wrong when it was written`);
      }
    }
  }
}
