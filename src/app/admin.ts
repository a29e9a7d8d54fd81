/**
 * IT's side of the kiosk: the admin PIN, admin sessions, settings, ports, diagnostics and
 * export. Every input is checked before anything is written; a refused change changes nothing.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { AdminSettings } from '../shared/config';
import type { Diagnostics, SerialPortInfo } from '../shared/api';
import type { KioskError } from '../shared/contract';
import { discoverSerialPorts } from '../device';
import type { KioskConfig } from '../core/config';
import { exportCasesCsv } from '../core/export/cases-csv';
import type { Kiosk } from '../core/kiosk';
import { DATABASE_FILE, appRoot } from '../core/paths';
import { hashPin, verifyPin } from '../core/pin';
import { startOfLocalDate } from '../core/time';

const SESSION_MS = 30 * 60_000;
const ATTEMPTS = 5;
const LOCKOUT_MS = 5 * 60_000;

export type Outcome<T> = { ok: true; result: T } | { ok: false; error: KioskError };
const refuse = (code: KioskError['code'], message: string): { ok: false; error: KioskError } => ({ ok: false, error: { code, message } });

export class AdminDesk {
  private readonly sessions = new Map<string, number>();
  private failures = { count: 0, since: 0 };

  constructor(private readonly now: () => number) {}

  pinSet(config: KioskConfig): boolean {
    return config.adminPinHash !== null;
  }

  /** First run sets the PIN; changing it needs the current one. Returns the new hash. */
  setPin(config: KioskConfig, pin: string, currentPin: string | undefined): Outcome<string> {
    if (config.adminPinHash && !verifyPin(currentPin ?? '', config.adminPinHash)) return refuse('wrong_pin', 'the current admin PIN is wrong');
    return { ok: true, result: hashPin(pin) };
  }

  login(config: KioskConfig, pin: string): Outcome<{ token: string }> {
    const now = this.now();
    if (!config.adminPinHash) return refuse('not_allowed_now', 'no admin PIN is set yet: set one first');
    if (this.failures.count >= ATTEMPTS && now - this.failures.since < LOCKOUT_MS) {
      return refuse('wrong_pin', `too many wrong admin PINs; try again in ${Math.ceil((this.failures.since + LOCKOUT_MS - now) / 60_000)} min`);
    }
    if (!verifyPin(pin, config.adminPinHash)) {
      this.failures = now - this.failures.since > LOCKOUT_MS || this.failures.count === 0 ? { count: 1, since: now } : { count: this.failures.count + 1, since: this.failures.since };
      return refuse('wrong_pin', 'wrong admin PIN');
    }
    this.failures = { count: 0, since: 0 };
    const token = randomBytes(24).toString('hex');
    this.sessions.set(token, now + SESSION_MS);
    return { ok: true, result: { token } };
  }

  authorised(token: string): boolean {
    const until = this.sessions.get(token);
    if (until === undefined) return false;
    if (until < this.now()) {
      this.sessions.delete(token);
      return false;
    }
    this.sessions.set(token, this.now() + SESSION_MS);
    return true;
  }

  /** Parses and checks new settings against the machine (the keypad port must exist). */
  async checkSettings(input: unknown, current: KioskConfig): Promise<Outcome<KioskConfig>> {
    const parsed = AdminSettings.safeParse(input);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      return refuse('invalid_settings', `${issue?.path.join('.') || 'settings'}: ${issue?.message}`);
    }
    const next: KioskConfig = { ...parsed.data, adminPinHash: current.adminPinHash };
    const path = next.keypad.path;
    if (next.keypad.driver !== 'none' && path && process.platform !== 'win32' && !existsSync(path)) {
      return refuse('invalid_settings', `serial port ${path} does not exist: plug the keypad in, or choose a port from the list`);
    }
    return { ok: true, result: next };
  }
}

export async function listPorts(): Promise<SerialPortInfo[]> {
  const found = await discoverSerialPorts();
  const how = found.source === 'serialport' ? 'system list' : 'found in /dev (system list unavailable)';
  return found.ports.map((p) => ({ path: p.path, description: `${p.label}${p.usb ? ' (USB)' : ''} · ${how}` }));
}

export function diagnostics(kiosk: Kiosk, dataDir: string, logFile: string | null, electron: string | null): Diagnostics {
  const size = (file: string) => statSync(file, { throwIfNoEntry: false })?.size ?? 0;
  const db = join(dataDir, DATABASE_FILE);
  const chain = kiosk.verify();
  const pkg = JSON.parse(readFileSync(join(appRoot(), 'package.json'), 'utf8')) as { version: string };
  return {
    version: pkg.version,
    electron,
    node: process.versions.node,
    dataDir,
    databaseBytes: size(db) + size(`${db}-wal`),
    logFile,
    terminalId: kiosk.terminal.terminalId,
    outboxPending: kiosk.pendingOutbox(),
    chain: chain.ok ? `intact (${chain.records} records)` : chain.message,
  };
}

export async function exportCases(
  kiosk: Kiosk,
  dataDir: string,
  request: { from?: string | undefined; to?: string | undefined; codes: 'national' | 'provincial' },
): Promise<{ fileName: string; csv: string; cases: number; misuse: number }> {
  const offset = kiosk.utcOffsetMinutes;
  const from = request.from ? startOfLocalDate(request.from, offset) : undefined;
  const to = request.to ? startOfLocalDate(request.to, offset) + 86_400_000 : undefined;
  const dir = join(dataDir, 'exports');
  mkdirSync(dir, { recursive: true });
  const fileName = `cordial-cases-${request.from ?? 'all'}-${request.to ?? 'now'}.csv`;
  const file = join(dir, fileName);
  const counts = await exportCasesCsv(kiosk.db, file, { from, to, utcOffsetMinutes: offset, direction: request.codes });
  return { fileName, csv: readFileSync(file, 'utf8'), ...counts };
}
