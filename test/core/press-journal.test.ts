import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DATABASE_FILE, JOURNAL_FILE } from '../../src/core/paths';
import { JOURNAL_SLOTS, JOURNAL_SLOT_BYTES, PressJournal, encodeSlot, readSlots, type JournalOptions } from '../../src/core/store/press-journal';
import { ManualClock } from '../support/clock';
import { smallDisk } from '../support/small-disk';
import { MORNING, afterAck, key, openTestKiosk } from '../support/kiosk';
import { tempDir } from '../support/tmp';

const closers: (() => void)[] = [];
afterEach(() => {
  for (const close of closers.splice(0).reverse()) close();
});

function journalAt(file: string, floor = 0, options?: JournalOptions): PressJournal {
  const journal = PressJournal.open(file, floor, options);
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

/** A case rated with event 1, a backup of the database taken then, and a second case waiting for its rating. */
async function ratedBackedUpAndWaiting() {
  const opened = openTestKiosk();
  const { kiosk, clock } = opened;
  kiosk.execute({ type: 'signInBadge', badgeId: 'BADGE-1001' }, 'staff');
  finishedCase(kiosk);
  kiosk.recordPress(key(1, 1, clock.now()));
  await afterAck();
  const backup = join(tempDir(), 'backup.db');
  kiosk.db.prepare('VACUUM INTO ?').run(backup);
  clock.advance(30_000);
  finishedCase(kiosk);
  return { ...opened, backup };
}

/** What IT does after losing the database: the backup in its place, the rest of the folder as it was. */
function restoreDatabase(dataDir: string, backup: string): void {
  copyFileSync(backup, join(dataDir, DATABASE_FILE));
  rmSync(join(dataDir, `${DATABASE_FILE}-wal`), { force: true });
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
      { seq: 42, value: { n: 'b' }, committed: false },
      { seq: 43, value: { n: 'c' }, committed: false },
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
    expect(journalAt(file).unapplied).toEqual([{ seq: 1, value: { press: 'whole' }, committed: false }]);
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

  it('rebuilds a file of another slot count keeping the newer of two entries that share a slot', () => {
    const file = join(tempDir(), JOURNAL_FILE);
    const bytes = Buffer.alloc(2 * JOURNAL_SLOTS * JOURNAL_SLOT_BYTES);
    encodeSlot(JOURNAL_SLOTS + 3, { press: 'newer' }).copy(bytes, 3 * JOURNAL_SLOT_BYTES);
    encodeSlot(3, { press: 'older' }, true).copy(bytes, (JOURNAL_SLOTS + 3) * JOURNAL_SLOT_BYTES);
    writeFileSync(file, bytes);
    expect(journalAt(file, 0).unapplied).toEqual([{ seq: JOURNAL_SLOTS + 3, value: { press: 'newer' }, committed: false }]);
    expect(readSlots(readFileSync(file)).map((e) => e.seq)).toEqual([JOURNAL_SLOTS + 3]);
  });

  it('does not give back an entry marked committed, and keeps counting after it', () => {
    const file = join(tempDir(), JOURNAL_FILE);
    const journal = PressJournal.open(file, 0);
    journal.append({ press: 1 });
    journal.append({ press: 2 });
    expect(journal.markCommitted(2)).toBe(true);
    journal.close();
    const reopened = journalAt(file, 0);
    expect(reopened.unapplied.map((e) => e.value)).toEqual([{ press: 1 }]);
    expect(reopened.append({ press: 3 })).toBe(3);
  });

  it('writes and reads the same with fdatasync after each write, as where there is no O_DSYNC', () => {
    const file = join(tempDir(), JOURNAL_FILE);
    const journal = PressJournal.open(file, 0, { dsync: false });
    journal.append({ press: 'a' });
    journal.append({ press: 'b' });
    journal.markCommitted(1);
    journal.close();
    expect(journalAt(file, 0, { dsync: false }).unapplied).toEqual([{ seq: 2, value: { press: 'b' }, committed: false }]);
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
    expect(readSlots(bytes)).toEqual([{ seq: 5, value: { ok: true }, committed: false }]);
  });
});

describe('a press between its ACK and its commit', () => {
  it('is in the journal, not yet in the database, when recordPress returns, whatever is read; the next turn commits it', async () => {
    const { kiosk, clock } = openTestKiosk();
    closers.push(() => kiosk.close());
    kiosk.execute({ type: 'signInBadge', badgeId: 'BADGE-1001' }, 'staff');
    finishedCase(kiosk);
    const ratings = kiosk.db.prepare('SELECT count(*) FROM ratings').pluck();
    kiosk.recordPress(key(2, 1, clock.now()));
    expect(ratings.get()).toBe(0);
    // Reads in that instant show the window as stored, and store nothing themselves.
    expect(kiosk.snapshot().phase).toBe('awaiting_rating');
    expect(kiosk.today()).toMatchObject({ rated: 0 });
    expect(kiosk.keypadView().mode).toBe('rating');
    expect(ratings.get()).toBe(0);
    await afterAck();
    expect(kiosk.snapshot().phase).toBe('thanks');
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
    expect(restarted.kiosk.recordPress(key(4, 77, restarted.clock.now()))).toMatchObject({ outcome: 'repeat', cause: null, repeat: true });
    expect(restarted.kiosk.db.prepare('SELECT count(*) FROM misuse_presses').pluck().get()).toBe(0);
    expect(restarted.kiosk.verify()).toMatchObject({ ok: true });
    // Poor rating: the reasons window the citizen still has is there after the restart.
    expect(restarted.kiosk.snapshot().lastRating).toMatchObject({ level: 'dissatisfied', poor: true });
  });

  it('is not applied again to an older copy of the database restored from a backup', async () => {
    const { kiosk, clock, dataDir, backup } = await ratedBackedUpAndWaiting();
    kiosk.recordPress(key(2, 2, clock.now()));
    // Cut before the second press reaches the database: the journal holds it, against a head the backup never had.
    const cut = copyDataFolder(dataDir);
    kiosk.close();
    restoreDatabase(cut, backup);

    const restored = openTestKiosk({ dataDir: cut, clock: new ManualClock(MORNING + 3_600_000) });
    closers.push(() => restored.kiosk.close());
    expect(restored.kiosk.db.prepare('SELECT device_event_id FROM ratings').pluck().all()).toEqual([1]);
    // What IT finds in cordial.log: the press, by keypad, event and key, that this database does not count.
    expect(restored.log.lines).toEqual([
      {
        level: 'error',
        message: expect.stringMatching(/^the press journal holds 1 press\(es\) written against another copy of the database .*: CRK5-000123 event 2 key 2 at /),
      },
    ]);
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

describe('the press journal after a restore, a failure or a restart', () => {
  it('sets aside presses of the replaced database, and still keeps a later press cut off before its commit', async () => {
    const { kiosk, clock, dataDir, backup } = await ratedBackedUpAndWaiting();
    kiosk.recordPress(key(2, 2, clock.now()));
    await afterAck();
    kiosk.close();
    restoreDatabase(dataDir, backup);

    const restored = openTestKiosk({ dataDir, clock });
    expect(restored.log.lines).toEqual([]); // press 2 was committed, and its slot says so
    clock.advance(30_000);
    finishedCase(restored.kiosk);
    restored.kiosk.recordPress(key(3, 3, clock.now()));
    const cut = copyDataFolder(dataDir);
    restored.kiosk.close();

    const again = openTestKiosk({ dataDir: cut, clock: new ManualClock(clock.now() + 5_000) });
    closers.push(() => again.kiosk.close());
    expect(again.kiosk.db.prepare('SELECT device_event_id FROM ratings ORDER BY rated_at').pluck().all()).toEqual([1, 3]);
  });

  it('does not give a press to a backup taken while that very case waited for it', async () => {
    const { kiosk, clock, dataDir } = openTestKiosk();
    kiosk.execute({ type: 'signInBadge', badgeId: 'BADGE-1001' }, 'staff');
    finishedCase(kiosk);
    const backup = join(tempDir(), 'backup.db');
    kiosk.db.prepare('VACUUM INTO ?').run(backup); // its outbox head is the one the press is written against
    kiosk.recordPress(key(5, 1, clock.now()));
    await afterAck();
    kiosk.close();
    restoreDatabase(dataDir, backup);

    const restored = openTestKiosk({ dataDir, clock });
    closers.push(() => restored.kiosk.close());
    // The press is in the database that was replaced (and maybe at the centre): not counted again here.
    expect(restored.kiosk.db.prepare('SELECT count(*) FROM ratings').pluck().get()).toBe(0);
    expect(restored.kiosk.snapshot().phase).toBe('awaiting_rating');
  });

  it('stores a press once even when a listener fails after its commit', async () => {
    const { kiosk, clock, log } = openTestKiosk();
    closers.push(() => kiosk.close());
    kiosk.execute({ type: 'signInBadge', badgeId: 'BADGE-1001' }, 'staff');
    finishedCase(kiosk);
    let failures = 0;
    kiosk.onKeypadCommand(() => {
      if (failures++ === 0) throw new Error('the port went away');
    });
    kiosk.recordPress(key(2, 1, clock.now()));
    await afterAck();
    clock.advance(1_000);
    await afterAck();
    expect(log.lines).toEqual([{ level: 'error', message: 'a listener failed: the port went away' }]);
    expect(kiosk.db.prepare("SELECT kind FROM outbox WHERE kind IN ('rating', 'misuse')").pluck().all()).toEqual(['rating']);
    // The window went on as usual: thanks, then idle.
    clock.advance(kiosk.config.rating.thanksSeconds * 1000);
    expect(kiosk.snapshot().phase).toBe('idle');
  });

  it('records a press made during the thanks screen as the second press on that case, even across a restart', async () => {
    const { kiosk, clock, dataDir } = openTestKiosk();
    kiosk.execute({ type: 'signInBadge', badgeId: 'BADGE-1001' }, 'staff');
    finishedCase(kiosk);
    const caseId = kiosk.snapshot().case!.id;
    kiosk.recordPress(key(1, 1, clock.now()));
    await afterAck();
    clock.advance(500);
    expect(kiosk.recordPress(key(1, 2, clock.now()))).toMatchObject({ outcome: 'misuse', cause: 'second_press' });
    const cut = copyDataFolder(dataDir);
    kiosk.close();

    const restarted = openTestKiosk({ dataDir: cut, clock: new ManualClock(clock.now() + 60_000) });
    closers.push(() => restarted.kiosk.close());
    expect(restarted.kiosk.db.prepare('SELECT cause, case_id, device_event_id FROM misuse_presses').all()).toEqual([
      { cause: 'second_press', case_id: caseId, device_event_id: 2 },
    ]);
    expect(restarted.kiosk.snapshot().phase).toBe('idle');
  });

  it('says so when the journal file went missing, and numbers new presses after the database’s last', async () => {
    const { kiosk, clock, dataDir } = openTestKiosk();
    kiosk.execute({ type: 'signInBadge', badgeId: 'BADGE-1001' }, 'staff');
    finishedCase(kiosk);
    kiosk.recordPress(key(1, 1, clock.now()));
    await afterAck();
    kiosk.close();
    rmSync(join(dataDir, JOURNAL_FILE));

    const reopened = openTestKiosk({ dataDir, clock });
    closers.push(() => reopened.kiosk.close());
    expect(reopened.log.lines).toEqual([
      { level: 'warn', message: `the press journal ${join(dataDir, JOURNAL_FILE)} was missing, though the database had used one; a new one was made` },
    ]);
    clock.advance(30_000);
    finishedCase(reopened.kiosk);
    reopened.kiosk.recordPress(key(2, 2, clock.now()));
    await afterAck();
    expect(reopened.kiosk.db.prepare('SELECT applied_seq FROM press_journal').pluck().get()).toBe(2);
  });

  it('will not start on a full disk, says so, and stores the waiting press once there is room', () => {
    const disk = smallDisk();
    closers.push(() => disk.unmount());
    const first = openTestKiosk({ dataDir: disk.dir });
    first.kiosk.execute({ type: 'signInBadge', badgeId: 'BADGE-1001' }, 'staff');
    finishedCase(first.kiosk);
    first.kiosk.recordPress(key(3, 1, first.clock.now()));
    // A power cut now: what is on the disk at this instant is what the next start finds.
    const cut = join(disk.dir, 'cut');
    mkdirSync(cut);
    for (const name of [DATABASE_FILE, `${DATABASE_FILE}-wal`, JOURNAL_FILE]) {
      if (existsSync(join(disk.dir, name))) copyFileSync(join(disk.dir, name), join(cut, name));
    }
    first.kiosk.close();
    disk.fill();

    const clock = new ManualClock(first.clock.now() + 1_000);
    expect(() => openTestKiosk({ dataDir: cut, clock })).toThrow(/cannot start on .*cut: the disk is full/);
    expect(existsSync(join(cut, 'cordial.lock'))).toBe(false);

    disk.free();
    const second = openTestKiosk({ dataDir: cut, clock });
    closers.push(() => second.kiosk.close());
    expect(second.kiosk.db.prepare('SELECT level, device_event_id FROM ratings').all()).toEqual([{ level: 'basically_satisfied', device_event_id: 1 }]);
  });
});
