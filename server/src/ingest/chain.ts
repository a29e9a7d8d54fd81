/**
 * The outbox hash recipe, on the text the terminal sends: sha256 hex of
 * outboxHashInput(prevHash, record) from src/shared/canonical-json.ts. Canonical JSON sorts
 * keys, so the record is `{"epoch":…,"kind":…,"payload":…,"recordedAt":…,"seq":…,"terminalId":…}`
 * and the payload is the canonical text the kiosk stored: the centre assembles those exact
 * characters instead of parsing and re-serialising every payload. test/sync/hash-recipe.test.ts
 * holds this equal to the kiosk's own hashRecord.
 */
import { createHash } from 'node:crypto';
import type { IncomingRecord } from './batch';

export function recordHashInput(terminalId: string, epoch: number, r: IncomingRecord): string {
  return `${r.prevHash}\n{"epoch":${epoch},"kind":${JSON.stringify(r.kind)},"payload":${r.payload},"recordedAt":${r.recordedAt},"seq":${r.seq},"terminalId":${JSON.stringify(terminalId)}}`;
}

export function recordHash(terminalId: string, epoch: number, r: IncomingRecord): string {
  return createHash('sha256').update(recordHashInput(terminalId, epoch, r)).digest('hex');
}
