import { copyFileSync, existsSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DATABASE_FILE, JOURNAL_FILE } from '../../src/core/paths';
import { JOURNAL_SLOTS, JOURNAL_SLOT_BYTES, PressJournal, encodeSlot, readSlots } from '../../src/core/store/press-journal';
import { ManualClock } from '../support/clock';
import { MORNING, afterAck, key, openTestKiosk } from '../support/kiosk';
import { tempDir } from '../support/tmp';

const closers: (() => void)[] = [];
afterEach(() => {
  for (const close of closers.splice(0).reverse()) close();
  vi.restoreAllMocks();
});

function journalAt(file: string, floor = 0): PressJournal {
  const journal = PressJournal.open(file, floor);
  closers.push(() => journal.close());
  return journal;
}

/** The files a power cut would leave behind at this instant: database, its WAL, and the journal. */
function copyDataFolder(from: string): string {
  const to = tempDir();
  for (const name of [DATABASE_FILE, `${DATABASE_FILE}-wal`, JOURNAL_FILE]) {
    if (existsSync(join(from, name))) copyFileSync(join(from, name), join(to, name));
  }
  return to;
}

function finishedCase(kiosk: ReturnType<typeof openTestKiosk>['kiosk']): void {
  for (const command of [{ type: 'openCase', itemCode: '340104-SJ-001' }, { type: 'finishCase', outcome: 'completed' }]) {
    const r = kiosk.execute(command, 'staff');
    if (!r.ok) throw new Error(r.error.message);
  }
}

describe('the press journal file', () => {
  it('is allocated whole at creation, so writing a press later needs no new space', () => {
    const file = join(tempDir(), JOURNAL_FILE);
    journalAt(file);
    expect(statSync(file).size).toBe(JOURNAL_SLOTS * JOURNAL_SLOT_BYTES);
  });

  it('gives back, after a reopen, every entry newer than what the database holds, in order', () => {
    const file = join(tempDir(), JOURNAL_FILE);
    const journal = PressJournal.open(file, 40);
    expect(journal.append({ n: 'a' })).toBe(41);
    expect(journal.append({ n: 'b' })).toBe(42);
    expect(journal.append({ n: 'c' })).toBe(43);
    journal.close();
    const reopened = journalAt(file, 41);
    expect(reopened.unapplied).toEqual([
      { seq: 42, value: { n: 'b' } },
      { seq: 43, value: { n: 'c' } },
    ]);
    expect(reopened.append({ n: 'd' })).toBe(44);
  });

  it('continues after the database’s seq when the journal file was lost', () => {
    const file = join(tempDir(), JOURNAL_FILE);
    const journal = journalAt(file, 900);
    expect(journal.unapplied).toEqual([]);
    expect(journal.append({})).toBe(901);
  });

  it('ignores a slot whose write was torn: its press was never acknowledged', () => {
    const file = join(tempDir(), JOURNAL_FILE);
    const journal = PressJournal.open(file, 0);
    journal.append({ press: 'whole' });
    journal.append({ press: 'torn' });
    journal.close();
    const bytes = readFileSync(file);
    // The second slot's payload reached the disk only in part.
    bytes.fill(0, 2 * JOURNAL_SLOT_BYTES + 30, 3 * JOURNAL_SLOT_BYTES);
    writeFileSync(file, bytes);
    expect(journalAt(file).unapplied).toEqual([{ seq: 1, value: { press: 'whole' } }]);
  });

  it('rebuilds a file cut short, keeping every entry it still held', () => {
    const file = join(tempDir(), JOURNAL_FILE);
    const journal = PressJournal.open(file, 0);
    journal.append({ press: 1 });
    journal.append({ press: 2 });
    journal.close();
    truncateSync(file, 3 * JOURNAL_SLOT_BYTES);
    expect(journalAt(file).unapplied.map((e) => e.value)).toEqual([{ press: 1 }, { press: 2 }]);
    expect(statSync(file).size).toBe(JOURNAL_SLOTS * JOURNAL_SLOT_BYTES);
  });

  it('refuses to overwrite presses the database does not hold yet', () => {
    const journal = journalAt(join(tempDir(), JOURNAL_FILE));
    for (let i = 0; i < JOURNAL_SLOTS; i++) journal.append({ i });
    expect(() => journal.append({ i: 'one too many' })).toThrow(/press journal is full: 32 presses wait/);
    journal.markApplied(1);
    expect(journal.append({ i: 'fits again' })).toBe(JOURNAL_SLOTS + 1);
  });

  it('refuses a record too large for a slot, with its size', () => {
    expect(() => encodeSlot(1, { serial: 'x'.repeat(JOURNAL_SLOT_BYTES) })).toThrow(/does not fit the press journal/);
  });

  it('skips slots that are empty or hold something else', () => {
    const bytes = Buffer.alloc(3 * JOURNAL_SLOT_BYTES);
    bytes.write('not a journal slot at all', 0);
    encodeSlot(5, { ok: true }).copy(bytes, JOURNAL_SLOT_BYTES);
    expect(readSlots(bytes)).toEqual([{ seq: 5, value: { ok: true } }]);
  });
});

describe('a press between its ACK and its commit', () => {
  it('is in the journal, not yet in the database, when recordPress returns; the next turn commits it', async () => {
    const { kiosk, clock } = openTestKiosk();
    closers.push(() => kiosk.close());
    kiosk.execute({ type: 'signInBadge', badgeId: 'BADGE-1001' }, 'staff');
    finishedCase(kiosk);
    const ratings = kiosk.db.prepare('SELECT count(*) FROM ratings').pluck();
    kiosk.recordPress(key(2, 1, clock.now()));
    expect(ratings.get()).toBe(0);
    await afterAck();
    expect(ratings.get()).toBe(1);
    expect(kiosk.db.prepare('SELECT applied_seq FROM press_journal').pluck().get()).toBe(1);
  });

  it('survives a power cut at that instant: the next start commits it once, and its resend is a repeat', () => {
    const { kiosk, clock, dataDir } = openTestKiosk();
    kiosk.execute({ type: 'signInBadge', badgeId: 'BADGE-1001' }, 'staff');
    finishedCase(kiosk);
    const caseId = kiosk.snapshot().case!.id;
    kiosk.recordPress(key(4, 77, clock.now()));
    const afterCut = copyDataFolder(dataDir); // before the event loop turns: only the journal has it
    kiosk.close();

    const restarted = openTestKiosk({ dataDir: afterCut, clock: new ManualClock(clock.now() + 5_000) });
    closers.push(() => restarted.kiosk.close());
    expect(restarted.kiosk.db.prepare('SELECT case_id, level, device_event_id FROM ratings').all()).toEqual([
      { case_id: caseId, level: 'dissatisfied', device_event_id: 77 },
    ]);
    expect(restarted.kiosk.recordPress(key(4, 77, restarted.clock.now()))).toMatchObject({ outcome: 'misuse', cause: 'repeat_event', repeat: true });
    expect(restarted.kiosk.verify()).toMatchObject({ ok: true });
    // Poor rating: the reasons window the citizen still has is there after the restart.
    expect(restarted.kiosk.snapshot().lastRating).toMatchObject({ level: 'dissatisfied', poor: true });
  });

  it('is not applied again to an older copy of the database restored from a backup', async () => {
    const { kiosk, clock, dataDir } = openTestKiosk();
    kiosk.execute({ type: 'signInBadge', badgeId: 'BADGE-1001' }, 'staff');
    finishedCase(kiosk);
    kiosk.recordPress(key(1, 1, clock.now()));
    await afterAck();
    const backup = join(tempDir(), 'backup.db');
    kiosk.db.prepare('VACUUM INTO ?').run(backup);
    clock.advance(30_000);
    finishedCase(kiosk);
    kiosk.recordPress(key(2, 2, clock.now()));
    // Cut before the second press reaches the database: the journal holds it, against a head the backup never had.
    const cut = copyDataFolder(dataDir);
    kiosk.close();
    copyFileSync(backup, join(cut, DATABASE_FILE));
    rmSync(join(cut, `${DATABASE_FILE}-wal`), { force: true });

    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    const restored = openTestKiosk({ dataDir: cut, clock: new ManualClock(MORNING + 3_600_000) });
    closers.push(() => restored.kiosk.close());
    expect(restored.kiosk.db.prepare('SELECT device_event_id FROM ratings').pluck().all()).toEqual([1]);
    expect(errors).toHaveBeenCalledWith(expect.stringMatching(/1 press\(es\) written against another copy of the database/));
    // The window records on, and its journal takes new presses.
    finishedCase(restored.kiosk);
    expect(restored.kiosk.recordPress(key(3, 3, restored.clock.now()))).toMatchObject({ outcome: 'rating' });
    await afterAck();
    expect(restored.kiosk.db.prepare('SELECT device_event_id FROM ratings ORDER BY rated_at').pluck().all()).toEqual([1, 3]);
  });

  it('lets a staff command or a timer run only after the press before it is committed', () => {
    const { kiosk, clock } = openTestKiosk();
    closers.push(() => kiosk.close());
    kiosk.execute({ type: 'signInBadge', badgeId: 'BADGE-1001' }, 'staff');
    finishedCase(kiosk);
    kiosk.recordPress(key(1, 1, clock.now()));
    // Same turn, no await: the command must see the rated case, not the one awaiting its rating.
    expect(kiosk.execute({ type: 'openCase', itemCode: '340104-SJ-002' }, 'staff')).toMatchObject({ ok: true, snapshot: { phase: 'serving' } });
    const kinds = kiosk.db.prepare('SELECT kind FROM outbox ORDER BY seq').pluck().all();
    expect(kinds.slice(-3)).toEqual(['case_closed', 'rating', 'case_opened']);
  });
});
