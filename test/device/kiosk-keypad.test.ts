import { afterEach, describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/core/config';
import { Kiosk } from '../../src/core/kiosk';
import { loadDemoSeed } from '../../src/core/seed';
import { startKeypadLink, type KeypadLink } from '../../src/device/keypad-link';
import { attachKeypad, type AttachedKeypad } from '../../src/device/sim/serial-attachment';
import { tempDir } from '../support/tmp';
import { startPtyPair, type PtyPair } from './support/pty';
import { waitFor } from './support/wait-for';

let kiosk: Kiosk | null = null;
let link: KeypadLink | null = null;
let device: AttachedKeypad | null = null;
let pty: PtyPair | null = null;
afterEach(async () => {
  await link?.stop();
  await device?.stop();
  kiosk?.close();
  await pty?.dispose();
  kiosk = link = device = pty = null;
});

describe('a real kiosk and a keypad on a real serial line', () => {
  it('the keypad follows the window, and a press after a finished case becomes the case’s rating, once', async () => {
    pty = await startPtyPair();
    const base = defaultConfig();
    kiosk = Kiosk.open({ dataDir: tempDir(), config: { ...base, keypad: { ...base.keypad, driver: 'crk1', path: pty.hostPath } } });
    loadDemoSeed(kiosk.directory);
    device = attachKeypad(pty.devicePath, 9600, { identity: { serial: 'CRK5-004242' } });
    const keypad = device.keypad;
    // The kiosk's own keypad settings go to the link unchanged.
    link = startKeypadLink(kiosk.config.keypad, kiosk);
    const k = kiosk;
    await waitFor(() => k.snapshot().keypad.link === 'online', { what: 'keypad online in the snapshot' });
    expect(k.snapshot().keypad.serial).toBe('CRK5-004242');
    await waitFor(() => keypad.display.mode === 'closed', { what: 'keypad closed while nobody is signed in' });

    expect(k.execute({ type: 'signInBadge', badgeId: 'BADGE-1001' }, 'staff').ok).toBe(true);
    expect(k.execute({ type: 'openCase', itemCode: '340104-SJ-001' }, 'staff').ok).toBe(true);
    await waitFor(() => keypad.display.mode === 'serving', { what: 'serving on the keypad' });
    expect(k.execute({ type: 'finishCase', outcome: 'completed' }, 'staff').ok).toBe(true);
    await waitFor(() => keypad.display.mode === 'rating' && keypad.display.prompts.includes(3), { what: 'rating invited' });

    // The first ACKs are lost: the keypad sends the press again and again.
    keypad.withheldAcksPerPress = 2;
    const press = keypad.press(1);
    await waitFor(() => keypad.waiting === 0, { what: 'press acknowledged' });
    expect(keypad.sendsByEvent.get('eventId' in press ? press.eventId : -1)).toBe(3);
    expect(k.snapshot().lastRating).toMatchObject({ level: 'very_satisfied', poor: false });
    await waitFor(() => keypad.display.mode === 'thanks', { what: 'thanks on the keypad' });

    const rating = k.db.prepare('SELECT level, channel, device_serial, device_event_id, raw_key FROM ratings').all();
    expect(rating).toEqual([
      { level: 'very_satisfied', channel: 'keypad', device_serial: 'CRK5-004242', device_event_id: 'eventId' in press ? press.eventId : -1, raw_key: 1 },
    ]);
    expect(k.today()).toMatchObject({ cases: 1, rated: 1 });
  }, 30_000);
});
