/**
 * Both ends speak the one wire contract (src/shared/sync-wire.ts): every payload the kiosk
 * writes has exactly its kind's fields, every field the centre projects is in the
 * contract, and hostile text either round-trips byte for byte with its hash or is refused
 * with a sentence naming the record.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseBatch } from '../../server/src/ingest/batch';
import { recordHash } from '../../server/src/ingest/chain';
import { DEFAULT_LIMITS } from '../../server/src/options';
import { PROJECTED_FIELDS } from '../../server/src/reports/project';
import { Refusal } from '../../server/src/errors';
import { startNewEpoch } from '../../src/core/outbox/epochs';
import { hashRecord } from '../../src/core/outbox/outbox';
import { nextBatch, type OutgoingBatch } from '../../src/core/outbox/queue';
import { toUploadJson } from '../../src/core/sync/upload-format';
import { GENESIS_HASH, canonicalJson } from '../../src/shared/canonical-json';
import { PAYLOAD_SCHEMAS, RECORD_KINDS, checkPayload, type RecordKind } from '../../src/shared/sync-wire';
import { key } from '../support/kiosk';
import { leaveUnrated, openTerminal, serveCase } from './support/terminal';

function everyKind() {
  const t = openTerminal();
  serveCase(t, 2);
  serveCase(t, 5, { reasons: ['R01'], phone: '13812345678' });
  leaveUnrated(t);
  t.kiosk.recordPress(key(1, 9_001, t.clock.now()));
  t.kiosk.flushPresses();
  t.kiosk.execute({ type: 'pause', reason: '午休' }, 'staff');
  t.kiosk.execute({ type: 'resume' }, 'staff');
  t.kiosk.execute({ type: 'signOut' }, 'staff');
  t.kiosk.execute({ type: 'leaveSuggestion', suggestionId: '6f1c2d9e-3b4a-4c5d-8e7f-0a1b2c3d4e5f', categories: ['other'], text: '意见', replyPhone: '13812345678', replyConsent: true }, 'citizen');
  startNewEpoch(t.kiosk.db, t.kiosk.terminal.terminalId, { fromEpoch: 1, divergedAtSeq: 2, centreHighWater: 1, atLeast: 2, at: t.clock.now() });
  const records = [...nextBatch(t.kiosk.db, 1, 0, 1000)!.records, ...nextBatch(t.kiosk.db, 2, 0, 1000)!.records];
  t.kiosk.close();
  return records;
}

describe('the sync wire contract', () => {
  it('holds every payload the kiosk writes to exactly its kind’s fields, for every kind', () => {
    const records = everyKind();
    expect(new Set(records.map((r) => r.kind))).toEqual(new Set(RECORD_KINDS));
    for (const r of records) {
      const schema = PAYLOAD_SCHEMAS[r.kind as RecordKind];
      const parsed = schema.strict().safeParse(JSON.parse(r.payload));
      expect(parsed.error?.issues ?? [], `${r.kind} ${r.payload}`).toEqual([]);
    }
  });

  it('names every field the centre projects in the contract, so a rename on either side fails here', () => {
    expect(PROJECTED_FIELDS.length).toBeGreaterThan(20);
    for (const { kind, field } of PROJECTED_FIELDS) expect(Object.keys(PAYLOAD_SCHEMAS[kind].shape), `${kind}.${field}`).toContain(field);
  });

  it('refuses a kiosk payload whose field was renamed on the kiosk only, naming the record and the field', () => {
    const rating = everyKind().find((r) => r.kind === 'rating')!;
    const { caseNo, ...rest } = JSON.parse(rating.payload) as Record<string, unknown>;
    const renamed = canonicalJson({ ...rest, caseNumber: caseNo });
    expect(checkPayload('rating', renamed)).toEqual({ ok: false, problem: expect.stringMatching(/^payload\.caseNo does not fit a rating record/) });
    const batch = JSON.parse(toUploadJson({ terminalId: 'T1', epoch: 1, missing: null, records: [{ ...rating, seq: 7, payload: renamed }] }, Date.now())) as unknown;
    expect(() => parseBatch(batch, DEFAULT_LIMITS)).toThrow(/record 1\/7 \(rating\): payload\.caseNo/);
  });

  it('round-trips hostile text from the kiosk’s writer to the centre’s checks with the same hash, or refuses it by name', () => {
    const base = JSON.parse(everyKind().find((r) => r.kind === 'rating_details')!.payload) as Record<string, unknown>;
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 40 }), fc.array(fc.string({ unit: 'grapheme', maxLength: 8 }), { maxLength: 4 }), (comment, reasons) => {
        const payload = { ...base, comment, reasonCodes: reasons };
        const record = { terminalId: 'T-1', epoch: 3, seq: 41, kind: 'rating_details', recordedAt: Number(base.at), payload };
        const hash = hashRecord(GENESIS_HASH, record);
        const outgoing: OutgoingBatch = { terminalId: 'T-1', epoch: 3, missing: null, records: [{ ...record, payload: canonicalJson(payload), prevHash: GENESIS_HASH, hash }] };
        const wire = JSON.parse(toUploadJson(outgoing, Date.now())) as unknown;
        const unstorable = comment.includes('\u0000') || /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(comment);
        try {
          const batch = parseBatch(wire, DEFAULT_LIMITS);
          expect(unstorable).toBe(false);
          expect(batch.records[0]!.payload).toBe(canonicalJson(payload));
          expect(recordHash('T-1', 3, batch.records[0]!)).toBe(hash);
        } catch (err) {
          if (!(err instanceof Refusal)) throw err;
          expect(unstorable, err.message).toBe(true);
          expect(err).toMatchObject({ status: 400, code: 'invalid-record', extra: { epoch: 3, seq: 41 } });
          expect(err.message).toMatch(/payload\.comment contains (a NUL character|a lone UTF-16 surrogate)/);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('accepts exactly what the schema accepts, though the centre checks through a compiled fast path', () => {
    const records = everyKind();
    fc.assert(
      fc.property(fc.constantFrom(...records), fc.string({ maxLength: 20 }), fc.jsonValue({ maxDepth: 3 }), (record, key, value) => {
        const payload = JSON.parse(record.payload) as Record<string, unknown>;
        const field = Object.keys(payload)[key.length % Object.keys(payload).length]!;
        const mutated = canonicalJson({ ...payload, [field]: value });
        const expected = PAYLOAD_SCHEMAS[record.kind as RecordKind].safeParse(JSON.parse(mutated)).success;
        expect(checkPayload(record.kind, mutated).ok, `${record.kind}.${field} = ${JSON.stringify(value)}`).toBe(expected);
      }),
      { numRuns: 500 },
    );
  });

  it('refuses a hostile envelope with a sentence, never a crash', () => {
    const refusals = [
      [{ terminalId: 'T', epoch: 1, sentAt: 1, records: 'x' }, /records must be an array/],
      [{ terminalId: 'T', epoch: 1.5, sentAt: 1, records: [] }, /epoch must be a whole number/],
      [{ terminalId: 'T', epoch: 1, sentAt: 1, missing: { from: 5, to: 4 }, records: [] }, /missing\.to must not be before missing\.from/],
      [{ terminalId: 'T', epoch: 1, sentAt: 1, records: [{ seq: 1, kind: 'rating', recordedAt: 1, payload: '{}', prevHash: '0', hash: '0' }] }, /records\[0\]\.prevHash: prevHash must be 64 lowercase hex digits/],
      [{ terminalId: 'T', epoch: 1, sentAt: 1, records: [{ seq: 1, kind: 'wish_list', recordedAt: 1, payload: '{}', prevHash: GENESIS_HASH, hash: GENESIS_HASH }] }, /kind "wish_list" is not a record kind this centre knows/],
    ] as const;
    for (const [body, message] of refusals) expect(() => parseBatch(body, DEFAULT_LIMITS)).toThrow(message);
  });
});
