/** The outbox under sync: batches, acknowledgements, a new epoch after a restore, pruning. */
import { describe, expect, it } from 'vitest';
import { startNewEpoch } from '../../src/core/outbox/epochs';
import { verifyChain } from '../../src/core/outbox/outbox';
import { pruneAcknowledged } from '../../src/core/outbox/prune';
import { epochToSend, markAcknowledged, nextBatch, unacknowledgedCount } from '../../src/core/outbox/queue';
import { nextWork } from '../../src/core/sync/upload';
import { openTerminal, recordUntil, serveCase } from './support/terminal';

const rows = (db: ReturnType<typeof openTerminal>['kiosk']['db']) =>
  db.prepare('SELECT epoch, seq, kind, payload, recorded_at AS recordedAt, hash, acked_at AS ackedAt FROM outbox ORDER BY id').all() as {
    epoch: number;
    seq: number;
    kind: string;
    payload: string;
    recordedAt: number;
    hash: string;
    ackedAt: number | null;
  }[];

describe('outbox batches and acknowledgements', () => {
  it('reads contiguous records after what the centre holds, and marks only what it acknowledged', () => {
    const t = openTerminal();
    recordUntil(t, 20);
    const batch = nextBatch(t.kiosk.db, 1, 5, 10)!;
    expect(batch.records.map((r) => r.seq)).toEqual([6, 7, 8, 9, 10, 11, 12, 13, 14, 15]);
    expect(batch.missing).toBeNull();
    markAcknowledged(t.kiosk.db, 1, 12, 1000);
    expect(rows(t.kiosk.db).filter((r) => r.ackedAt !== null).map((r) => r.seq)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
    expect(unacknowledgedCount(t.kiosk.db)).toBe(8);
    expect(nextWork(t.kiosk.db, 100)!.records.map((r) => r.seq)).toEqual([13, 14, 15, 16, 17, 18, 19, 20]);
    t.kiosk.close();
  });

  it('declares records that were deleted by hand as missing, so the centre can say so', () => {
    const t = openTerminal();
    recordUntil(t, 12);
    t.kiosk.db.exec('DROP TRIGGER outbox_keep_unacked');
    t.kiosk.db.prepare('DELETE FROM outbox WHERE seq IN (4, 5)').run();
    const first = nextBatch(t.kiosk.db, 1, 0, 100)!;
    expect(first.records.map((r) => r.seq)).toEqual([1, 2, 3]);
    const second = nextBatch(t.kiosk.db, 1, 3, 100)!;
    expect(second).toMatchObject({ missing: { from: 4, to: 5 } });
    expect(second.records[0]!.seq).toBe(6);
    t.kiosk.close();
  });
});

describe('a new epoch after a restored database', () => {
  it('appends the diverged records again, unchanged, keeps the originals, and the kiosk records on in the new epoch', () => {
    const t = openTerminal();
    recordUntil(t, 10);
    markAcknowledged(t.kiosk.db, 1, 6, 1000);
    const before = rows(t.kiosk.db);
    const change = startNewEpoch(t.kiosk.db, t.kiosk.terminal.terminalId, { fromEpoch: 1, divergedAtSeq: 8, centreHighWater: 9, atLeast: 0, at: 2000 });
    expect(change).toEqual({ epoch: 2, carried: 3 });

    const after = rows(t.kiosk.db);
    expect(after.slice(0, 10).map(({ ackedAt: _a, ...r }) => r)).toEqual(before.map(({ ackedAt: _a, ...r }) => r));
    expect(after.slice(0, 10).map((r) => r.ackedAt !== null)).toEqual([true, true, true, true, true, true, true, false, false, false]);
    const epoch2 = after.slice(10);
    expect(epoch2.map((r) => [r.epoch, r.seq, r.kind])).toEqual([[2, 1, 'epoch_started'], ...before.slice(7).map((r, i) => [2, i + 2, r.kind])]);
    expect(epoch2.slice(1).map((r) => [r.payload, r.recordedAt])).toEqual(before.slice(7).map((r) => [r.payload, r.recordedAt]));
    expect(JSON.parse(epoch2[0]!.payload)).toEqual({ previousEpoch: 1, divergedAtSeq: 8, centreHighWater: 9, carried: 3 });
    expect(epochToSend(t.kiosk.db)).toBe(2);
    expect(unacknowledgedCount(t.kiosk.db)).toBe(4);

    serveCase(t, 1);
    expect(rows(t.kiosk.db).slice(-3).map((r) => [r.epoch, r.seq])).toEqual([[2, 5], [2, 6], [2, 7]]);
    expect(verifyChain(t.kiosk.db)).toMatchObject({ ok: true, records: 17 });

    markAcknowledged(t.kiosk.db, 2, 7, 3000);
    expect(rows(t.kiosk.db).every((r) => r.ackedAt !== null)).toBe(true);
    expect(epochToSend(t.kiosk.db)).toBeNull();
    t.kiosk.close();
  });
});

describe('pruning acknowledged records', () => {
  it('prunes only acknowledged records older than the age kept, from the oldest, and the chain still verifies', () => {
    const t = openTerminal();
    recordUntil(t, 30);
    markAcknowledged(t.kiosk.db, 1, 10, 1_000);
    markAcknowledged(t.kiosk.db, 1, 20, 5_000);
    expect(pruneAcknowledged(t.kiosk.db, { olderThanMs: 2_000, now: 4_000 })).toBe(10);
    expect(rows(t.kiosk.db)[0]!.seq).toBe(11);
    expect(verifyChain(t.kiosk.db)).toMatchObject({ ok: true, records: 20 });

    expect(pruneAcknowledged(t.kiosk.db, { olderThanMs: 2_000, now: 100_000 })).toBe(10);
    expect(rows(t.kiosk.db).map((r) => r.seq)).toEqual(Array.from({ length: 10 }, (_, i) => i + 21));
    expect(rows(t.kiosk.db).every((r) => r.ackedAt === null)).toBe(true);
    serveCase(t, 2);
    expect(rows(t.kiosk.db).length).toBeGreaterThan(10);
    expect(verifyChain(t.kiosk.db)).toMatchObject({ ok: true, records: rows(t.kiosk.db).length });
    t.kiosk.close();
  });

  it('stops at the first unacknowledged record, whatever is acknowledged after it', () => {
    const t = openTerminal();
    recordUntil(t, 10);
    t.kiosk.db.prepare('UPDATE outbox SET acked_at = 1 WHERE seq <= 3 OR seq >= 6').run();
    expect(pruneAcknowledged(t.kiosk.db, { olderThanMs: 0, now: 10 })).toBe(3);
    expect(rows(t.kiosk.db).map((r) => r.seq)).toEqual([4, 5, 6, 7, 8, 9, 10]);
    expect(verifyChain(t.kiosk.db)).toMatchObject({ ok: true });
    t.kiosk.close();
  });
});
