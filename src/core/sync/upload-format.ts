import type { OutgoingBatch } from '../outbox/queue';

/**
 * One batch as the centre takes it (server/src/ingest/batch.ts). Built as text: the
 * payload is already the canonical JSON the record was hashed over, and goes as a string.
 */
export function toUploadJson(batch: OutgoingBatch, sentAt: number): string {
  const records = batch.records.map(
    (r) => `{"seq":${r.seq},"kind":${JSON.stringify(r.kind)},"recordedAt":${r.recordedAt},"payload":${JSON.stringify(r.payload)},"prevHash":${JSON.stringify(r.prevHash)},"hash":${JSON.stringify(r.hash)}}`,
  );
  const missing = batch.missing ? `,"missing":{"from":${batch.missing.from},"to":${batch.missing.to}}` : '';
  return `{"terminalId":${JSON.stringify(batch.terminalId)},"epoch":${batch.epoch},"sentAt":${sentAt}${missing},"records":[${records.join(',')}]}`;
}
