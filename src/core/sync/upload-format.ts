import { SYNC_WIRE_VERSION, type UploadBatch } from '../../shared/sync-wire';
import type { OutgoingBatch } from '../outbox/queue';

/**
 * One batch as the centre takes it, in the shape of the sync wire contract. The payload
 * is already the canonical JSON the record was hashed over, and goes as a string.
 */
export function toUploadBatch(batch: OutgoingBatch, sentAt: number): UploadBatch {
  return {
    wire: SYNC_WIRE_VERSION,
    terminalId: batch.terminalId,
    epoch: batch.epoch,
    sentAt,
    ...(batch.missing ? { missing: { from: batch.missing.from, to: batch.missing.to } } : {}),
    records: batch.records.map((r) => ({
      seq: r.seq,
      kind: r.kind,
      recordedAt: r.recordedAt,
      payload: r.payload,
      prevHash: r.prevHash,
      hash: r.hash,
      ...(r.personal ? { personal: { callbackPhone: r.personal.callbackPhone, salt: r.personal.salt } } : {}),
    })),
  };
}

export function toUploadJson(batch: OutgoingBatch, sentAt: number): string {
  return JSON.stringify(toUploadBatch(batch, sentAt));
}
