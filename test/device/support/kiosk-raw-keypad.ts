/**
 * The real kiosk core on a data folder, on a hand-moved clock, linked to a real pseudo-terminal
 * whose far end is driven frame by frame: for what only a hand-driven keypad shows (an exact
 * press age, a KEY before HELLO, a burst in one write). The kiosk can be stopped and started
 * again on the same folder while the keypad end stays plugged in.
 */
import { defaultConfig, type KioskConfig } from '../../../src/core/config';
import { Kiosk } from '../../../src/core/kiosk';
import { loadDemoSeed } from '../../../src/core/seed';
import { startKeypadLink, type KeypadLink } from '../../../src/device';
import { encodeMessage, type Message } from '../../../src/device/crk1/messages';
import { ManualClock } from '../../support/clock';
import { tempDir } from '../../support/tmp';
import { HELLO } from './driver-rig';
import { startPtyPair, type PtyPair } from './pty';
import { openRawEnd, type RawEnd } from './raw-end';
import { waitFor } from './wait-for';

/** The §7 HELLO with feature bit 3: a revision 2 keypad whose KEYs carry the press age. */
export const HELLO_WITH_AGE: Message = { ...HELLO, features: { ...HELLO.features, pressAge: true } };

export interface RawKeypadRig {
  clock: ManualClock;
  dataDir: string;
  device: RawEnd;
  kiosk(): Kiosk;
  /** The keypad end sends these frames in one write; returns nothing, the host reads them as they come. */
  send(...frames: [seq: number, message: Message][]): void;
  /** Waits for a QUERY after `after` frames heard, and answers it with HELLO. */
  answerQuery(hello?: Message): Promise<void>;
  /** The kiosk process stops (its link closes, the keypad end stays plugged in). */
  stopKiosk(): Promise<void>;
  startKiosk(): Promise<void>;
  ackedSeqs(): number[];
  dispose(): Promise<void>;
}

export async function kioskWithRawKeypad(rating: KioskConfig['rating']): Promise<RawKeypadRig> {
  const clock = new ManualClock(Date.UTC(2026, 2, 2, 1, 0, 0));
  const pty: PtyPair = await startPtyPair();
  const device = await openRawEnd(pty.devicePath);
  const dataDir = tempDir('cordial-raw-keypad-');
  const config: KioskConfig = { ...defaultConfig(), rating, keypad: { ...defaultConfig().keypad, driver: 'crk1', path: pty.hostPath } };
  let kiosk: Kiosk | null = null;
  let link: KeypadLink | null = null;
  let queriesAnswered = 0;

  const rig: RawKeypadRig = {
    clock,
    dataDir,
    device,
    kiosk: () => {
      if (!kiosk) throw new Error('the kiosk is not running');
      return kiosk;
    },
    send: (...frames) => {
      const parts = frames.map(([seq, message]) => encodeMessage(seq, message));
      const bytes = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
      parts.reduce((at, p) => (bytes.set(p, at), at + p.length), 0);
      device.write(bytes);
    },
    async answerQuery(hello = HELLO_WITH_AGE) {
      await waitFor(() => device.heard.of('query').length > queriesAnswered, { what: 'a QUERY from the kiosk' });
      queriesAnswered = device.heard.of('query').length;
      rig.send([0, hello]);
      await waitFor(() => kiosk?.snapshot().keypad.link === 'online', { what: 'the keypad online in the kiosk' });
    },
    async stopKiosk() {
      await link?.stop();
      kiosk?.close();
      link = kiosk = null;
    },
    async startKiosk() {
      kiosk = Kiosk.open({ dataDir, config, clock });
      if (kiosk.directory.counts().staff === 0) loadDemoSeed(kiosk.directory);
      link = startKeypadLink(config.keypad, kiosk, { clock });
      queriesAnswered = device.heard.of('query').length;
    },
    ackedSeqs: () => device.heard.of('ack').map((f) => f.message.ackedSeq),
    async dispose() {
      await rig.stopKiosk();
      await device.close();
      await pty.dispose();
    },
  };
  await rig.startKiosk();
  return rig;
}
