/**
 * The real kiosk core on a real SQLite file, linked by its own keypad settings to a keypad on the
 * far end of a real pseudo-terminal pair: what a window runs, with the keypad in software.
 */
import { defaultConfig, type KioskConfig } from '../../../src/core/config';
import { Kiosk } from '../../../src/core/kiosk';
import { loadDemoSeed } from '../../../src/core/seed';
import { parseKeypadConfig, startKeypadLink, type KeypadConfigInput, type KeypadLink, type KeypadLinkOptions } from '../../../src/device';
import { attachKeypad, type AttachedKeypad } from '../../../src/device/sim/serial-attachment';
import type { SimulatedKeypadOptions } from '../../../src/device/sim/simulated-keypad';
import type { Db } from '../../../src/core/store/database';
import { tempDir } from '../../support/tmp';
import { startPtyPair, type PtyPair } from './pty';
import { openRawEnd, type RawEnd } from './raw-end';
import { waitFor } from './wait-for';

/** A badge and a service item of the demo lists (seed/demo.json). */
export const BADGE = 'BADGE-1001';
export const ITEM = '340104-SJ-001';

export interface KioskOnPty {
  pty: PtyPair;
  kiosk: Kiosk;
  dataDir: string;
  link: KeypadLink;
  /** Stops everything this rig started, in reverse order, even if one part fails to stop. */
  dispose(): Promise<void>;
}

export interface KioskWithKeypad extends KioskOnPty {
  device: AttachedKeypad;
  keypad: AttachedKeypad['keypad'];
}

export interface KioskWithLegacyKeypad extends KioskOnPty {
  /** The keypad's end of the line, written byte by byte. */
  device: RawEnd;
}

interface RigOptions {
  /** Rating timing and the like; the keypad settings come from `keypad`. */
  config?: Partial<Omit<KioskConfig, 'keypad'>>;
  link?: KeypadLinkOptions;
}

/** Short thanks, so a test can run case after case without waiting for the window to free up. */
const QUICK_RATING = { windowSeconds: 60, detailsSeconds: 60, thanksSeconds: 1 };

async function realKioskOnPty(keypad: KeypadConfigInput, options: RigOptions) {
  const stops: (() => unknown)[] = [];
  const dispose = async () => {
    const errors: unknown[] = [];
    for (const stop of stops.splice(0).reverse()) {
      try {
        await stop();
      } catch (error) {
        errors.push(error);
      }
    }
    if (errors.length > 0) throw errors[0];
  };
  try {
    const pty = await startPtyPair();
    stops.push(() => pty.dispose());
    const dataDir = tempDir('cordial-keypad-core-');
    const settings = parseKeypadConfig({ ...keypad, path: pty.hostPath });
    if (!settings.ok) throw new Error(`test keypad settings: ${settings.message}`);
    const config: KioskConfig = { ...defaultConfig(), rating: QUICK_RATING, ...options.config, keypad: settings.config };
    const kiosk = Kiosk.open({ dataDir, config });
    stops.push(() => kiosk.close());
    loadDemoSeed(kiosk.directory);
    // The kiosk's own settings go to the link, as the composition passes them.
    const link = startKeypadLink(kiosk.config.keypad, kiosk, options.link);
    stops.push(() => link.stop());
    return { pty, kiosk, dataDir, link, stops, dispose };
  } catch (error) {
    await dispose();
    throw error;
  }
}

/** A CRK/1 kiosk and a simulated CRK/1 keypad, plugged in and powered. */
export async function kioskWithKeypad(
  simulator: Omit<SimulatedKeypadOptions, 'write'> = {},
  options: RigOptions & { baudRate?: 9600 | 115200 } = {},
): Promise<KioskWithKeypad> {
  const baudRate = options.baudRate ?? 9600;
  const rig = await realKioskOnPty({ driver: 'crk1', baudRate }, options);
  try {
    const device = attachKeypad(rig.pty.devicePath, baudRate, simulator);
    rig.stops.push(() => device.stop());
    await device.ready();
    return { ...rig, device, keypad: device.keypad };
  } catch (error) {
    await rig.dispose();
    throw error;
  }
}

/** A kiosk set up for a single-byte keypad, and that keypad's end of the line. */
export async function kioskWithLegacyKeypad(
  legacy: Pick<KeypadConfigInput, 'legacyMap' | 'legacyDebounceMs'>,
  options: RigOptions = {},
): Promise<KioskWithLegacyKeypad> {
  const rig = await realKioskOnPty({ driver: 'legacy', ...legacy }, options);
  try {
    const device = await openRawEnd(rig.pty.devicePath);
    rig.stops.push(() => device.close());
    return { ...rig, device };
  } catch (error) {
    await rig.dispose();
    throw error;
  }
}

/** The keypad as the staff panel shows it. */
export async function waitKeypadOnline(kiosk: Kiosk, timeoutMs = 10_000): Promise<void> {
  await waitFor(() => kiosk.snapshot().keypad.link === 'online', {
    timeoutMs,
    what: `keypad online in the snapshot (now ${JSON.stringify(kiosk.snapshot().keypad)})`,
  });
}

/** Runs a staff command and fails the test with the core's own message if it is refused. */
export function staff(kiosk: Kiosk, command: Record<string, unknown>): void {
  const result = kiosk.execute(command, 'staff');
  if (!result.ok) throw new Error(`${String(command.type)} refused: ${result.error.code}: ${result.error.message}`);
}

/** Signs in if nobody is, opens a case and finishes it: the window now waits for a rating. Returns the case id. */
export function caseAwaitingRating(kiosk: Kiosk): string {
  if (kiosk.snapshot().phase === 'closed') staff(kiosk, { type: 'signInBadge', badgeId: BADGE });
  staff(kiosk, { type: 'openCase', itemCode: ITEM });
  const caseId = kiosk.snapshot().case?.id;
  if (!caseId) throw new Error('no case open after openCase');
  staff(kiosk, { type: 'finishCase', outcome: 'completed' });
  return caseId;
}

export interface RatingRow {
  id: string;
  case_id: string;
  level: string;
  raw_key: number | null;
  channel: string;
  device_serial: string | null;
  device_event_id: number | null;
}

export interface MisuseRow {
  id: string;
  cause: string;
  level: string | null;
  raw_key: number | null;
  channel: string;
  device_serial: string | null;
  device_event_id: number | null;
  case_id: string | null;
}

/** What the database says about presses: the outcome a report, an export and the centre see. */
export function pressRecords(db: Db) {
  const ratings = db.prepare('SELECT id, case_id, level, raw_key, channel, device_serial, device_event_id FROM ratings ORDER BY rated_at, rowid').all() as RatingRow[];
  const misuse = db
    .prepare('SELECT id, cause, level, raw_key, channel, device_serial, device_event_id, case_id FROM misuse_presses ORDER BY pressed_at, rowid')
    .all() as MisuseRow[];
  const deviceEvents = db.prepare('SELECT device_serial, event_id, press_id FROM device_events ORDER BY event_id').all() as {
    device_serial: string;
    event_id: number;
    press_id: string;
  }[];
  return {
    ratings,
    misuse,
    deviceEvents,
    /** Rows that count a press (a rating, or misuse for a reason other than being a repeat). */
    counted(): { eventId: number | null; kind: 'rating' | 'misuse'; id: string }[] {
      return [
        ...ratings.map((r) => ({ eventId: r.device_event_id, kind: 'rating' as const, id: r.id })),
        ...misuse.filter((m) => m.cause !== 'repeat_event').map((m) => ({ eventId: m.device_event_id, kind: 'misuse' as const, id: m.id })),
      ];
    },
    /** Resends stored as misuse, as earlier versions did: none now. */
    repeats(): MisuseRow[] {
      return misuse.filter((m) => m.cause === 'repeat_event');
    },
    /** Resends counted per keypad: link noise, kept for diagnostics only. */
    resends(serial: string): number {
      return (db.prepare('SELECT resends FROM keypad_resends WHERE device_serial = ?').pluck().get(serial) as number | undefined) ?? 0;
    },
    outboxKinds(): string[] {
      return db.prepare('SELECT kind FROM outbox ORDER BY epoch, seq').pluck().all() as string[];
    },
  };
}

/** How often each event id occurs in a list (a press recorded twice shows up as 2). */
export function occurrences(ids: (number | null)[]): Map<number | null, number> {
  const counts = new Map<number | null, number>();
  for (const id of ids) counts.set(id, (counts.get(id) ?? 0) + 1);
  return counts;
}
