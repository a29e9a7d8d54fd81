import { afterEach, describe, expect, it } from 'vitest';
import { openTestKiosk, key } from '../support/kiosk';
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
  it('does not record (so the keypad is not acked) a press it cannot store, and carries on once space is freed', () => {
    const { kiosk, clock, disk } = kioskOnSmallDisk();
    kiosk.execute({ type: 'signInBadge', badgeId: 'BADGE-1001' }, 'staff');
    kiosk.execute({ type: 'openCase', itemCode: '340104-SJ-001' }, 'staff');
    kiosk.execute({ type: 'finishCase', outcome: 'completed' }, 'staff');
    const before = kiosk.db.prepare('SELECT count(*) FROM outbox').pluck().get();
    disk.fill();

    expect(() => kiosk.recordPress(key(1, 1, clock.now()))).toThrow(/the disk is full/);
    expect(kiosk.snapshot().phase).toBe('awaiting_rating');

    disk.free();
    // The keypad resends the same event; now it is stored, once.
    expect(kiosk.recordPress(key(1, 1, clock.now() + 300))).toMatchObject({ outcome: 'rating', repeat: false });
    expect(kiosk.db.prepare('SELECT count(*) FROM outbox').pluck().get()).toBe((before as number) + 1);
    expect(kiosk.verify()).toMatchObject({ ok: true });
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
