/**
 * One service window for a browser test: the browser shell on a fresh data folder with the
 * demo lists, and, when asked, a simulated CRK/1 keypad on a real pseudo-terminal pair.
 */
import Database from 'better-sqlite3';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileLog } from '../../../src/core/log';
import { DATABASE_FILE } from '../../../src/core/paths';
import { attachKeypad, type AttachedKeypad } from '../../../src/device/sim/serial-attachment';
import type { HelloFeatures } from '../../../src/device/crk1/messages';
import { DEFAULT_IDENTITY, type SimulatedKeypad } from '../../../src/device/sim/simulated-keypad';
import { SocatPair } from '../../../src/device/sim/socat-pair';
import { startBrowserShell, type BrowserShell } from '../../../src/host/server';
import { builtRenderer } from './renderer';

export const KEYPAD_SERIAL = 'SIM5-E2E0001';

export interface WindowRig {
  shell: BrowserShell;
  dataDir: string;
  configFile: string;
  /** The keypad end of the pseudo-terminal pair, null without a keypad. */
  keypad: SimulatedKeypad | null;
  hostPort: string | null;
  /** Reads the kiosk's database file the way another program would. */
  query<T>(sql: string, ...params: unknown[]): T[];
  readConfig(): string;
  /** Stops the browser shell alone, as when Cordial goes away under open screens. */
  stopShell(): Promise<void>;
  close(): Promise<void>;
}

export interface WindowOptions {
  keypad: boolean;
  /** What the simulated keypad announces in its HELLO; all features unless told. */
  keypadFeatures?: Partial<HelloFeatures>;
  /** Written to config.json before start (the keypad section is added when keypad is true). */
  config?: Record<string, unknown>;
}

export async function startWindow(options: WindowOptions): Promise<WindowRig> {
  const dataDir = mkdtempSync(join(tmpdir(), 'cordial-e2e-data-'));
  const ptyDir = mkdtempSync(join(tmpdir(), 'cordial-e2e-pty-'));
  const configFile = join(dataDir, 'config.json');
  let socat: SocatPair | null = null;
  let device: AttachedKeypad | null = null;
  let shell: BrowserShell | null = null;
  let shellOpen = false;
  const stopShell = async () => {
    if (!shellOpen) return;
    shellOpen = false;
    await shell?.close();
  };
  const cleanup = async () => {
    await stopShell();
    await device?.stop();
    await socat?.unplug();
    rmSync(ptyDir, { recursive: true, force: true });
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    const config: Record<string, unknown> = { ...options.config };
    if (options.keypad) {
      socat = new SocatPair({ hostLink: join(ptyDir, 'cordial'), deviceLink: join(ptyDir, 'keypad') });
      await socat.plug();
      const features = { ...DEFAULT_IDENTITY.features, ...options.keypadFeatures };
      device = attachKeypad(socat.devicePath, 9600, { identity: { serial: KEYPAD_SERIAL, features } });
      await device.ready();
      config.keypad = { driver: 'crk1', path: socat.hostPath, baudRate: 9600 };
    }
    writeFileSync(configFile, `${JSON.stringify(config, null, 2)}\n`);
    // The log goes to its file only: the test output stays readable.
    const log = fileLog(dataDir, false);
    shell = await startBrowserShell({ dataDir, keypad: options.keypad ? 'config' : 'none', demoSeed: true, rendererDir: await builtRenderer(), log });
    shellOpen = true;
  } catch (error) {
    await cleanup();
    throw error;
  }
  const started = shell;
  return {
    shell: started,
    dataDir,
    configFile,
    keypad: device?.keypad ?? null,
    hostPort: socat?.hostPath ?? null,
    query<T>(sql: string, ...params: unknown[]): T[] {
      const db = new Database(join(dataDir, DATABASE_FILE), { readonly: true, fileMustExist: true });
      try {
        return db.prepare(sql).all(...params) as T[];
      } finally {
        db.close();
      }
    },
    readConfig: () => readFileSync(configFile, 'utf8'),
    stopShell,
    close: cleanup,
  };
}
