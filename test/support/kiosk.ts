import { Kiosk } from '../../src/core/kiosk';
import { defaultConfig, type KioskConfig } from '../../src/core/config';
import { loadDemoSeed } from '../../src/core/seed';
import { ManualClock } from './clock';
import { recordingLog } from './log';
import { tempDir } from './tmp';

/** 2026-03-02 09:00 in Asia/Shanghai. */
export const MORNING = Date.UTC(2026, 2, 2, 1, 0, 0);

/** A real kiosk on a real SQLite file in a temp folder, with the demo lists, a hand-moved clock and a log the test can read. */
export function openTestKiosk(options: { dataDir?: string; clock?: ManualClock; config?: Partial<KioskConfig> } = {}) {
  const dataDir = options.dataDir ?? tempDir();
  const clock = options.clock ?? new ManualClock(MORNING);
  const log = recordingLog();
  const kiosk = Kiosk.open({ dataDir, clock, log, config: { ...defaultConfig(), ...options.config } });
  if (kiosk.directory.counts().staff === 0) loadDemoSeed(kiosk.directory);
  return { kiosk, clock, dataDir, log };
}

export const key = (key: number, eventId: number, at: number, deviceSerial = 'CRK5-000123') =>
  ({ kind: 'key', key, keyCount: 5, deviceSerial, eventId, at }) as const;

/**
 * One turn of the event loop, as after the keypad driver has handed a press's ACK to the
 * port: the kiosk commits the journaled press to the database in that turn.
 */
export const afterAck = () => new Promise<void>((resolve) => setImmediate(resolve));
