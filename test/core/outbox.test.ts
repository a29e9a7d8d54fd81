import Database from 'better-sqlite3';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DATABASE_FILE } from '../../src/core/paths';
import { hashRecord, verifyChain } from '../../src/core/outbox/outbox';
import { canonicalJson } from '../../src/shared/canonical-json';
import { openTestKiosk, key } from '../support/kiosk';

/** A data folder holding a day with a few cases, closed again so the file can be tampered with. */
function dayOnDisk() {
  const { kiosk, clock, dataDir } = openTestKiosk();
  kiosk.execute({ type: 'signInBadge', badgeId: 'BADGE-1001' }, 'staff');
  for (let i = 0; i < 3; i++) {
    kiosk.execute({ type: 'openCase', itemCode: '340104-SJ-001' }, 'staff');
    kiosk.execute({ type: 'finishCase', outcome: 'completed' }, 'staff');
    kiosk.recordPress(key(1 + i, 10 + i, clock.now()));
    clock.advance(70_000);
  }
  kiosk.execute({ type: 'signOut' }, 'staff');
  const records = kiosk.db.prepare('SELECT count(*) FROM outbox').pluck().get() as number;
  kiosk.close();
  const db = new Database(join(dataDir, DATABASE_FILE));
  // Tampering bypasses Cordial, triggers included, as someone with the file would.
  db.exec('DROP TRIGGER outbox_append_only; DROP TRIGGER outbox_keep_unacked;');
  return { db, records };
}

describe('outbox hash chain', () => {
  it('gives every fact a gap-free sequence number and verifies a clean chain', () => {
    const { db, records } = dayOnDisk();
    expect(records).toBe(1 + 3 * 3 + 1);
    expect(db.prepare('SELECT seq FROM outbox ORDER BY id').pluck().all()).toEqual(Array.from({ length: records }, (_, i) => i + 1));
    expect(verifyChain(db)).toMatchObject({ ok: true, records });
    db.close();
  });

  it('reports an edited record', () => {
    const { db } = dayOnDisk();
    db.prepare(`UPDATE outbox SET payload = replace(payload, '"level":"basically_satisfied"', '"level":"very_satisfied"') WHERE kind = 'rating' AND seq = 10`).run();
    expect(verifyChain(db)).toMatchObject({ ok: false, seq: 10, problem: 'altered', message: 'record 1/10 (rating) was altered after it was written' });
    db.close();
  });

  it('reports a deleted record', () => {
    const { db } = dayOnDisk();
    db.prepare('DELETE FROM outbox WHERE seq = 4').run();
    expect(verifyChain(db)).toMatchObject({ ok: false, seq: 4, problem: 'missing' });
    db.close();
  });

  it('reports records removed from the end', () => {
    const { db, records } = dayOnDisk();
    db.prepare('DELETE FROM outbox WHERE seq >= ?').run(records - 1);
    expect(verifyChain(db)).toMatchObject({ ok: false, seq: records - 1, problem: 'truncated' });
    db.close();
  });

  it('reports a record whose hash was recomputed to hide an edit, at the link from the record after it', () => {
    const { db } = dayOnDisk();
    const row = db.prepare('SELECT * FROM outbox WHERE seq = 7').get() as {
      terminal_id: string; epoch: number; seq: number; kind: string; recorded_at: number; payload: string; prev_hash: string; hash: string;
    };
    expect(row.kind).toBe('rating');
    // The second case's 满意 made 非常满意, and the record's own hash made valid again for what it now says.
    const payload = { ...(JSON.parse(row.payload) as Record<string, unknown>), level: 'very_satisfied' };
    expect(JSON.parse(row.payload)).toMatchObject({ level: 'satisfied' });
    const hash = hashRecord(row.prev_hash, { terminalId: row.terminal_id, epoch: row.epoch, seq: row.seq, kind: row.kind, recordedAt: row.recorded_at, payload });
    db.prepare('UPDATE outbox SET payload = ?, hash = ? WHERE seq = 7').run(canonicalJson(payload), hash);

    // Records 1 to 7 each check out on their own; record 8 still names the hash record 7 had.
    expect(verifyChain(db)).toEqual({
      ok: false,
      records: 7,
      epoch: 1,
      seq: 8,
      problem: 'relinked',
      message: 'record 1/8 does not follow the record before it',
    });
    db.close();
  });
});
