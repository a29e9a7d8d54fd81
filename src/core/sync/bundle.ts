/**
 * Offline transfer (`cordial export-outbox`): every record the centre has not acknowledged,
 * in the upload format, signed with the terminal's key, gzip JSON in one file. The centre
 * imports it through its exactly-once path; nothing here is marked acknowledged, so the
 * records go again by network when there is one (the centre keeps one copy).
 */
import { renameSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { epochToSend, nextBatch, resumeAfter, type OutgoingBatch } from '../outbox/queue';
import type { Db } from '../store/database';
import { signWithEnrolmentKey, type Credentials } from './credentials';
import { BUNDLE_FORMAT, type BundleContent, type OutboxBundle } from '../../shared/sync-wire';
import { toUploadBatch } from './upload-format';

const RECORDS_PER_BATCH = 5_000;

export interface BundleResult {
  file: string;
  records: number;
  batches: number;
}

/** Every batch still to send, oldest first, as the upload loop would send them if every answer were yes. */
function pendingBatches(db: Db): OutgoingBatch[] {
  const batches: OutgoingBatch[] = [];
  const epoch = epochToSend(db);
  if (epoch === null) return batches;
  const epochs = db.prepare('SELECT DISTINCT epoch FROM outbox WHERE epoch >= ? ORDER BY epoch').pluck().all(epoch) as number[];
  for (const e of epochs) {
    let after = resumeAfter(db, e);
    for (;;) {
      const batch = nextBatch(db, e, after, RECORDS_PER_BATCH);
      if (!batch || batch.records.length === 0) break;
      batches.push(batch);
      after = batch.records[batch.records.length - 1]!.seq;
    }
  }
  return batches;
}

export function writeBundle(db: Db, credentials: Credentials, file: string, now: number): BundleResult {
  const batches = pendingBatches(db);
  const content = JSON.stringify({ terminalId: credentials.terminalId, createdAt: now, batches: batches.map((b) => toUploadBatch(b, now)) } satisfies BundleContent);
  const signature = signWithEnrolmentKey(credentials, content);
  const bundle = JSON.stringify({ format: BUNDLE_FORMAT, terminalId: credentials.terminalId, content, signature } satisfies OutboxBundle);
  const tmp = `${file}.tmp`;
  writeFileSync(tmp, gzipSync(bundle), { flush: true });
  renameSync(tmp, file);
  return { file, records: batches.reduce((n, b) => n + b.records.length, 0), batches: batches.length };
}
