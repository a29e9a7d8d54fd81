/**
 * Presses that arrive together are made durable with one journal write and stored with one
 * transaction. A power cut between the two loses none and counts none twice: the next start
 * stores every one of them, in order, and the keypad's resends of them count for nothing.
 */
import { copyFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DATABASE_FILE, JOURNAL_FILE } from '../../src/core/paths';
import { readSlots } from '../../src/core/store/press-journal';
import { ManualClock } from '../support/clock';
import { afterAck, key, openTestKiosk } from '../support/kiosk';
import { tempDir } from '../support/tmp';
import { readFileSync } from 'node:fs';

const closers: (() => void)[] = [];
afterEach(() => {
  for (const close of closers.splice(0).reverse()) close();
});

/** The files a power cut would leave behind at this instant. */
function copyDataFolder(from: string): string {
  const to = tempDir();
  for (const name of [DATABASE_FILE, `${DATABASE_FILE}-wal`, JOURNAL_FILE]) {
    if (existsSync(join(from, name))) copyFileSync(join(from, name), join(to, name));
  }
  return to;
}

function waitingCase(kiosk: ReturnType<typeof openTestKiosk>['kiosk']): string {
  for (const command of [{ type: 'signInBadge', badgeId: 'BADGE-1001' }, { type: 'openCase', itemCode: '340104-SJ-001' }]) {
    const r = kiosk.execute(command, 'staff');
    if (!r.ok) throw new Error(r.error.message);
  }
  const id = kiosk.snapshot().case!.id;
  if (!kiosk.execute({ type: 'finishCase', outcome: 'completed' }, 'staff').ok) throw new Error('finishCase refused');
  return id;
}

const burst = (at: number) => Array.from({ length: 16 }, (_, i) => key((i % 5) + 1, 500 + i, at));

describe('presses that arrive together', () => {
  it('are journaled together and stored together, each counted once, in order', async () => {
    const { kiosk, clock, dataDir } = openTestKiosk();
    closers.push(() => kiosk.close());
    const caseId = waitingCase(kiosk);
    const receipts = kiosk.recordPresses(burst(clock.now()));
    expect(receipts.map((r) => r.outcome)).toEqual(['rating', ...Array(15).fill('misuse')]);
    // Durable before any ACK: all 16 are in the journal, none yet in the database.
    const journaled = readSlots(readFileSync(join(dataDir, JOURNAL_FILE))).map((e) => (e.value as { event: { press: { eventId: number } } }).event.press.eventId);
    expect(journaled.sort((a, b) => a - b)).toEqual(burst(0).map((k) => k.eventId));
    expect(kiosk.db.prepare('SELECT count(*) FROM device_events').pluck().get()).toBe(0);
    await afterAck();
    expect(kiosk.db.prepare('SELECT event_id FROM device_events ORDER BY event_id').pluck().all()).toEqual(burst(0).map((k) => k.eventId));
    expect(kiosk.db.prepare('SELECT case_id FROM ratings').pluck().all()).toEqual([caseId]);
    expect(kiosk.db.prepare('SELECT applied_seq FROM press_journal').pluck().get()).toBe(16);
  });

  it('survive a power cut between the journal write and the commit: the next start stores all of them once, and their resends are repeats', () => {
    const { kiosk, clock, dataDir } = openTestKiosk();
    const caseId = waitingCase(kiosk);
    kiosk.recordPresses(burst(clock.now()));
    const afterCut = copyDataFolder(dataDir); // before the event loop turns: only the journal has them
    kiosk.close();

    const restarted = openTestKiosk({ dataDir: afterCut, clock: new ManualClock(clock.now() + 5_000) });
    closers.push(() => restarted.kiosk.close());
    const db = restarted.kiosk.db;
    expect(db.prepare('SELECT case_id, device_event_id FROM ratings').all()).toEqual([{ case_id: caseId, device_event_id: 500 }]);
    expect(db.prepare('SELECT device_event_id FROM misuse_presses ORDER BY rowid').pluck().all()).toEqual(burst(0).slice(1).map((k) => k.eventId));
    const outboxBefore = db.prepare('SELECT count(*) FROM outbox').pluck().get();

    // The keypad never got the ACKs, so it sends all 16 again: acknowledged, counted for nothing.
    const again = restarted.kiosk.recordPresses(burst(restarted.clock.now()));
    expect(again.map((r) => r.outcome)).toEqual(Array(16).fill('repeat'));
    expect(db.prepare('SELECT count(*) FROM outbox').pluck().get()).toBe(outboxBefore);
    expect(restarted.kiosk.keypadRepeats()).toEqual({ 'CRK5-000123': 16 });
    expect(restarted.kiosk.verify()).toMatchObject({ ok: true });
  });

  it('count a press sent twice within the same group once', async () => {
    const { kiosk, clock } = openTestKiosk();
    closers.push(() => kiosk.close());
    waitingCase(kiosk);
    const receipts = kiosk.recordPresses([key(2, 9, clock.now()), key(2, 9, clock.now()), key(3, 10, clock.now())]);
    expect(receipts.map((r) => r.outcome)).toEqual(['rating', 'repeat', 'misuse']);
    await afterAck();
    expect(kiosk.db.prepare('SELECT event_id FROM device_events ORDER BY event_id').pluck().all()).toEqual([9, 10]);
  });
});
