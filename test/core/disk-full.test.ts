import { afterEach, describe, expect, it } from 'vitest';
import { afterAck, openTestKiosk, key } from '../support/kiosk';
import { smallDisk } from '../support/small-disk';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0).reverse()) c();
});

function kioskOnSmallDisk() {
  const disk = smallDisk();
  const k = openTestKiosk({ dataDir: disk.dir });
  cleanups.push(() => disk.unmount(), () => k.kiosk.close());
  return { ...k, disk };
}

describe('a full disk', () => {
  it('keeps a press it could make durable, refuses (so the keypad is not acked) the next, and stores both once space is freed', async () => {
    const { kiosk, clock, disk, log } = kioskOnSmallDisk();
    kiosk.execute({ type: 'signInBadge', badgeId: 'BADGE-1001' }, 'staff');
    kiosk.execute({ type: 'openCase', itemCode: '340104-SJ-001' }, 'staff');
    kiosk.execute({ type: 'finishCase', outcome: 'completed' }, 'staff');
    const before = kiosk.db.prepare('SELECT count(*) FROM outbox').pluck().get() as number;
    disk.fill();

    // The press journal was allocated at start, so the press is durable and may be acked ...
    expect(kiosk.recordPress(key(1, 1, clock.now()))).toMatchObject({ outcome: 'rating', repeat: false });
    await afterAck();
    // ... but the database cannot take it yet: the window shows no rating, and says nothing false.
    expect(kiosk.snapshot().phase).toBe('awaiting_rating');
    expect(kiosk.db.prepare('SELECT count(*) FROM outbox').pluck().get()).toBe(before);
    // IT reads why in cordial.log.
    expect(log.lines).toEqual([{ level: 'error', message: expect.stringMatching(/^an acknowledged press is kept in the press journal until it can be stored: .*disk is full/) }]);
    // While it waits, the next press is refused: not durable here, so not acked, so resent later.
    expect(() => kiosk.recordPress(key(2, 2, clock.now() + 200))).toThrow(/the disk is full/);

    disk.free();
    clock.advance(1_000); // the kiosk tries again every second
    expect(kiosk.db.prepare('SELECT kind FROM outbox WHERE seq > ?').pluck().all(before)).toEqual(['rating']);
    expect(kiosk.snapshot()).toMatchObject({ phase: 'thanks', lastRating: { level: 'very_satisfied' } });
    // The keypad resends the refused press; now it is stored (as a second press on the same case).
    expect(kiosk.recordPress(key(2, 2, clock.now()))).toMatchObject({ outcome: 'misuse', cause: 'second_press', repeat: false });
    await afterAck();
    expect(kiosk.db.prepare('SELECT kind FROM outbox WHERE seq > ? ORDER BY seq').pluck().all(before)).toEqual(['rating', 'misuse']);
    expect(kiosk.verify()).toMatchObject({ ok: true });
  });

  it('keeps an acknowledged press across a restart when the disk was full at closing', async () => {
    const disk = smallDisk();
    cleanups.push(() => disk.unmount());
    const first = openTestKiosk({ dataDir: disk.dir });
    first.kiosk.execute({ type: 'signInBadge', badgeId: 'BADGE-1001' }, 'staff');
    first.kiosk.execute({ type: 'openCase', itemCode: '340104-SJ-001' }, 'staff');
    first.kiosk.execute({ type: 'finishCase', outcome: 'completed' }, 'staff');
    disk.fill();
    first.kiosk.recordPress(key(4, 9, first.clock.now()));
    await afterAck();
    first.kiosk.close();
    disk.free();

    const second = openTestKiosk({ dataDir: disk.dir, clock: first.clock });
    cleanups.push(() => second.kiosk.close());
    expect(second.kiosk.db.prepare('SELECT level, device_event_id FROM ratings').all()).toEqual([{ level: 'dissatisfied', device_event_id: 9 }]);
    expect(second.kiosk.recordPress(key(4, 9, first.clock.now() + 300))).toMatchObject({ outcome: 'repeat', cause: null, repeat: true });
    await afterAck();
    // The resend is acknowledged and counted as link noise only: no misuse row.
    expect(second.kiosk.db.prepare('SELECT count(*) FROM misuse_presses').pluck().get()).toBe(0);
    expect(second.kiosk.keypadRepeats()).toEqual({ 'CRK5-000123': 1 });
    expect(second.kiosk.verify()).toMatchObject({ ok: true });
  });

  it('refuses a staff command with a sentence and keeps the window as it was', () => {
    const { kiosk, disk } = kioskOnSmallDisk();
    kiosk.execute({ type: 'signInBadge', badgeId: 'BADGE-1001' }, 'staff');
    disk.fill();
    const r = kiosk.execute({ type: 'openCase', itemCode: '340104-SJ-001' }, 'staff');
    expect(r).toMatchObject({ ok: false, error: { code: 'storage_failed', message: expect.stringMatching(/disk is full.*nothing was changed/) } });
    expect(kiosk.snapshot().phase).toBe('idle');
    disk.free();
    expect(kiosk.execute({ type: 'openCase', itemCode: '340104-SJ-001' }, 'staff').ok).toBe(true);
    expect(kiosk.verify()).toMatchObject({ ok: true, records: 2 });
  });
});
