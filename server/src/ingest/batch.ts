/**
 * The upload format: one terminal, one epoch, contiguous records in seq order. Checked by
 * hand rather than by a schema library: this runs for every record the centre receives.
 *
 *   { "terminalId": "T…", "epoch": 1, "sentAt": 1767225600000,
 *     "missing": { "from": 4, "to": 4 },          // optional: records the terminal no longer has
 *     "records": [ { "seq": 5, "kind": "rating", "recordedAt": …, "payload": "<canonical JSON>",
 *                    "prevHash": "<64 hex>", "hash": "<64 hex>" }, … ] }
 *
 * The payload travels as the canonical JSON text the kiosk hashed, so the centre checks
 * and stores exactly those characters.
 */
import { Refusal } from '../errors';
import type { CentreLimits } from '../options';

export interface IncomingRecord {
  seq: number;
  kind: string;
  recordedAt: number;
  payload: string;
  prevHash: string;
  hash: string;
}

export interface Batch {
  terminalId: string;
  epoch: number;
  sentAt: number;
  missing: { from: number; to: number } | null;
  records: IncomingRecord[];
}

const HASH = /^[0-9a-f]{64}$/;
const TERMINAL_ID = /^[A-Za-z0-9_-]{1,64}$/;

function invalid(message: string): Refusal {
  return new Refusal(400, 'invalid-batch', message);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function wholeNumber(v: unknown, where: string, min: number): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < min) throw invalid(`${where} must be a whole number of at least ${min}`);
  return v;
}

export function parseBatch(value: unknown, limits: CentreLimits): Batch {
  if (!isObject(value)) throw invalid('the batch must be a JSON object');
  const terminalId = value.terminalId;
  if (typeof terminalId !== 'string' || !TERMINAL_ID.test(terminalId)) throw invalid('terminalId must be the terminal id (letters, digits, - and _)');
  const epoch = wholeNumber(value.epoch, 'epoch', 1);
  const sentAt = wholeNumber(value.sentAt, 'sentAt', 0);
  const missing = parseMissing(value.missing);
  const list = value.records;
  if (!Array.isArray(list)) throw invalid('records must be an array');
  if (list.length > limits.maxRecordsPerBatch) {
    throw new Refusal(413, 'batch-too-large', `a batch holds at most ${limits.maxRecordsPerBatch} records; this one has ${list.length}`);
  }
  if (list.length === 0 && !missing) throw invalid('the batch has no records');
  const records = list.map((r, i) => parseRecord(r, i, limits));
  for (let i = 1; i < records.length; i++) {
    if (records[i]!.seq !== records[i - 1]!.seq + 1) throw invalid(`records must be contiguous: seq ${records[i - 1]!.seq} is followed by ${records[i]!.seq}`);
  }
  if (missing && records.length > 0 && missing.to !== records[0]!.seq - 1) throw invalid('missing must end just before the first record');
  return { terminalId, epoch, sentAt, missing, records };
}

function parseMissing(v: unknown): Batch['missing'] {
  if (v === undefined || v === null) return null;
  if (!isObject(v)) throw invalid('missing must be { from, to }');
  const from = wholeNumber(v.from, 'missing.from', 1);
  const to = wholeNumber(v.to, 'missing.to', from);
  return { from, to };
}

function parseRecord(r: unknown, i: number, limits: CentreLimits): IncomingRecord {
  const where = `records[${i}]`;
  if (!isObject(r)) throw invalid(`${where} must be an object`);
  const seq = wholeNumber(r.seq, `${where}.seq`, 1);
  const recordedAt = wholeNumber(r.recordedAt, `${where}.recordedAt`, 0);
  const { kind, payload, prevHash, hash } = r;
  if (typeof kind !== 'string' || kind.length === 0 || kind.length > 64) throw invalid(`${where}.kind must be a short text`);
  if (typeof payload !== 'string' || payload.length === 0) throw invalid(`${where}.payload must be the record's JSON text`);
  if (payload.length > limits.maxPayloadChars) throw new Refusal(413, 'batch-too-large', `${where}.payload is longer than ${limits.maxPayloadChars} characters`);
  if (typeof prevHash !== 'string' || !HASH.test(prevHash)) throw invalid(`${where}.prevHash must be 64 lowercase hex digits`);
  if (typeof hash !== 'string' || !HASH.test(hash)) throw invalid(`${where}.hash must be 64 lowercase hex digits`);
  return { seq, kind, recordedAt, payload, prevHash, hash };
}

/** Far-future times are refused: a record stamped next year would distort every report. */
export function refuseFutureTimes(batch: Batch, now: number, maxFutureMs: number): void {
  const limit = now + maxFutureMs;
  const late = batch.records.find((r) => r.recordedAt > limit);
  if (batch.sentAt > limit || late) {
    const hours = Math.round(maxFutureMs / 3_600_000);
    throw new Refusal(422, 'timestamp-in-future', `${late ? `record ${batch.epoch}/${late.seq}` : 'the batch'} is stamped more than ${hours} h ahead of the centre's clock; set the window PC's clock right, then sync again`);
  }
}
