/**
 * The callback phone on the window (docs/data-protection.md), on a real SQLite file: the
 * chain holds a commitment, the number waits beside the record until the centre
 * acknowledges it, then goes; a record carried into a new epoch takes its number with it;
 * a database written before migration 0006 (the phone inside the chained payload) keeps
 * verifying, and the copies in `ratings` go once their records are acknowledged.
 */
import { copyFileSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/core/config';
import type { CaseInfo, Fact } from '../../src/core/lifecycle/types';
import { startNewEpoch } from '../../src/core/outbox/epochs';
import { Outbox, verifyChain } from '../../src/core/outbox/outbox';
import { phoneCommitment } from '../../src/core/outbox/personal';
import { markAcknowledged, nextBatch } from '../../src/core/outbox/queue';
import { DATABASE_FILE } from '../../src/core/paths';
import { loadDemoSeed } from '../../src/core/seed';
import { openDatabase, type Db } from '../../src/core/store/database';
import { Directory } from '../../src/core/store/directory';
import { FactWriter } from '../../src/core/store/facts';
import { DEFAULT_MIGRATIONS_DIR } from '../../src/core/store/migrations';
import { ensureTerminal } from '../../src/core/store/terminal';
import { MORNING } from '../support/kiosk';
import { tempDir } from '../support/tmp';

const PHONE = '13812345678';
const closers: (() => void)[] = [];
afterEach(() => closers.splice(0).forEach((close) => close()));

const kase = (id: string, at: number): CaseInfo => ({
  id, caseNo: null, ticketNo: null, itemCode: '340104-SJ-001', itemVersion: '1', itemName: '事项', departmentCode: null, departmentName: null, openedAt: at,
});
const staff = { staffNo: '1001', staffName: '王晓梅', sessionId: 's1' };
const t = (s: number) => MORNING + s * 1000;

/** One poor rating's facts, its details with a phone when `phone` is given. */
function poorRating(n: number, phone: string | null): Fact[] {
  const c = kase(`c${n}`, t(n * 100));
  const facts: Fact[] = [
    { kind: 'case_opened', at: t(n * 100), case: c, ...staff },
    { kind: 'case_closed', at: t(n * 100 + 5), caseId: c.id, outcome: 'completed', missingMaterials: [], afterHours: false, ratingDeadline: t(n * 100 + 20) },
    { kind: 'rating', at: t(n * 100 + 6), ratingId: `r${n}`, case: c, staffNo: staff.staffNo, staffName: staff.staffName, level: 'very_dissatisfied', rawKey: 5, channel: 'keypad', deviceSerial: 'CRK5-1', eventId: n, invitedAt: t(n * 100 + 5) },
  ];
  if (phone !== null) facts.push({ kind: 'rating_details', at: t(n * 100 + 10), ratingId: `r${n}`, reasonCodes: ['R01'], comment: null, callbackPhone: phone });
  return facts;
}

function openWindow(migrationsDir?: string, dataDir = tempDir()): { db: Db; writer: FactWriter; outbox: Outbox; terminalId: string; dataDir: string } {
  const { db } = openDatabase(join(dataDir, DATABASE_FILE), migrationsDir ? { migrationsDir } : {});
  closers.push(() => db.open && db.close());
  if (new Directory(db).counts().staff === 0) loadDemoSeed(new Directory(db));
  const terminal = ensureTerminal(db, defaultConfig().window, MORNING);
  const outbox = new Outbox(db, terminal.terminalId);
  const writer = new FactWriter(db, outbox, () => terminal);
  return { db, writer, outbox, terminalId: terminal.terminalId, dataDir };
}

const head = (db: Db) => (JSON.parse(db.prepare("SELECT value FROM meta WHERE key = 'outbox_head'").pluck().get() as string) as { epoch: number; seq: number });
const heldPhones = (db: Db) => ({
  beside: db.prepare('SELECT callback_phone FROM outbox_personal ORDER BY epoch, seq').pluck().all(),
  ratings: db.prepare('SELECT callback_phone FROM ratings WHERE callback_phone IS NOT NULL ORDER BY id').pluck().all(),
});

describe('the callback phone on the window', () => {
  it('waits beside its record until the centre acknowledges that record, then goes; the chain still verifies', () => {
    const { db, writer } = openWindow();
    db.transaction(() => [{ kind: 'session_started', at: t(0), sessionId: 's1', staffNo: '1001', staffName: '王晓梅', method: 'badge' } as Fact, ...poorRating(1, PHONE)].forEach((f) => writer.write(f)))();
    const details = db.prepare("SELECT seq, payload FROM outbox WHERE kind = 'rating_details'").get() as { seq: number; payload: string };
    expect(details.payload).not.toContain(PHONE);
    const salt = db.prepare('SELECT salt FROM outbox_personal').pluck().get() as string;
    expect(JSON.parse(details.payload).callbackPhoneCommitment).toBe(phoneCommitment(PHONE, salt));
    // The batch carries it beside the record, outside what was hashed.
    expect(nextBatch(db, 1, 0, 10)!.records.find((r) => r.kind === 'rating_details')!.personal).toEqual({ callbackPhone: PHONE, salt });

    markAcknowledged(db, 1, details.seq - 1, t(500));
    expect(heldPhones(db)).toEqual({ beside: [PHONE], ratings: [PHONE] });
    markAcknowledged(db, 1, details.seq, t(501));
    expect(heldPhones(db)).toEqual({ beside: [], ratings: [] });
    expect(verifyChain(db)).toMatchObject({ ok: true, records: 5 });
  });

  it('goes with its record into a new epoch, and leaves when the copy is acknowledged', () => {
    const { db, writer, terminalId } = openWindow();
    db.transaction(() => [{ kind: 'session_started', at: t(0), sessionId: 's1', staffNo: '1001', staffName: '王晓梅', method: 'badge' } as Fact, ...poorRating(1, PHONE)].forEach((f) => writer.write(f)))();
    // The centre holds other records from seq 2 on: this window's database was restored from a copy.
    const started = startNewEpoch(db, terminalId, { fromEpoch: 1, divergedAtSeq: 2, centreHighWater: 4, atLeast: 2, at: t(600) });
    expect(started).toEqual({ epoch: 2, carried: 4 });
    const copy = nextBatch(db, 2, 0, 10)!.records.find((r) => r.kind === 'rating_details')!;
    expect(copy.personal?.callbackPhone).toBe(PHONE);
    expect(JSON.parse(copy.payload).callbackPhoneCommitment).toBe(phoneCommitment(PHONE, copy.personal!.salt));
    expect(heldPhones(db).beside).toEqual([PHONE, PHONE]);
    markAcknowledged(db, 2, head(db).seq, t(700));
    expect(heldPhones(db)).toEqual({ beside: [], ratings: [] });
    expect(verifyChain(db)).toMatchObject({ ok: true });
  });

  it('in a database written before migration 0006, goes from ratings once acknowledged, and the chain still verifies', () => {
    const before = join(tempDir(), 'migrations');
    mkdirSync(before);
    for (const f of readdirSync(DEFAULT_MIGRATIONS_DIR)) if (Number(f.slice(0, 4)) <= 5) copyFileSync(join(DEFAULT_MIGRATIONS_DIR, f), join(before, f));
    const old = openWindow(before);
    // As the earlier version wrote them: the phone inside the chained payload and in ratings.
    old.db.transaction(() => {
      old.writer.write({ kind: 'session_started', at: t(0), sessionId: 's1', staffNo: '1001', staffName: '王晓梅', method: 'badge' });
      for (const n of [1, 2]) {
        poorRating(n, null).forEach((f) => old.writer.write(f));
        old.outbox.append('rating_details', t(n * 100 + 10), { kind: 'rating_details', at: t(n * 100 + 10), windowNo: '1', areaCode: null, ratingId: `r${n}`, reasonCodes: ['R01'], comment: null, callbackPhone: PHONE });
        old.db.prepare('UPDATE ratings SET callback_phone = ?, reason_codes = ?, details_at = ? WHERE id = ?').run(PHONE, '["R01"]', t(n * 100 + 10), `r${n}`);
      }
    })();
    const firstDetails = old.db.prepare("SELECT seq FROM outbox WHERE kind = 'rating_details' ORDER BY seq").pluck().get() as number;
    // The earlier version's acknowledgement: only the mark.
    old.db.prepare('UPDATE outbox SET acked_at = ? WHERE seq <= ?').run(t(300), firstDetails);
    const chained = old.db.prepare('SELECT seq, payload, hash FROM outbox ORDER BY seq').all();
    old.db.close();

    const upgraded = openWindow(undefined, old.dataDir);
    // The acknowledged one's copy went at the upgrade; the other waits for its acknowledgement.
    expect(upgraded.db.prepare('SELECT id, callback_phone FROM ratings ORDER BY id').all()).toEqual([
      { id: 'r1', callback_phone: null },
      { id: 'r2', callback_phone: PHONE },
    ]);
    markAcknowledged(upgraded.db, 1, head(upgraded.db).seq, t(400));
    expect(heldPhones(upgraded.db)).toEqual({ beside: [], ratings: [] });
    // Nothing chained was rewritten: the old payloads keep the number until their records are pruned.
    expect(upgraded.db.prepare('SELECT seq, payload, hash FROM outbox ORDER BY seq').all()).toEqual(chained);
    expect(verifyChain(upgraded.db)).toMatchObject({ ok: true, records: 9 });
  });
});
