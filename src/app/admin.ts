/**
 * IT's side of the kiosk: the admin PIN, admin sessions, settings, ports, diagnostics and
 * export. Every input is checked before anything is written; a refused change changes nothing.
 */
import { randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { AdminSettings } from '../shared/config';
import type { Diagnostics, SerialPortInfo } from '../shared/api';
import type { KioskError } from '../shared/contract';
import { refusal, type RefusalFields, type RefusalReason } from '../shared/refusals';
import { discoverSerialPorts } from '../device';
import type { KioskConfig } from '../core/config';
import { exportCasesCsv } from '../core/export/cases-csv';
import type { Kiosk } from '../core/kiosk';
import type { Log } from '../core/log';
import { DATABASE_FILE, appRoot } from '../core/paths';
import { hashPin, verifyPin } from '../core/pin';
import { startOfLocalDate } from '../core/time';

const SESSION_MS = 30 * 60_000;
const ATTEMPTS = 5;
const LOCKOUT_MS = 5 * 60_000;
const SETUP_CODE_DIGITS = 8;

export type Outcome<T> = { ok: true; result: T } | { ok: false; error: KioskError };
const refuse = (code: KioskError['code'], reason: RefusalReason, message: string, fields?: RefusalFields): { ok: false; error: KioskError } => ({
  ok: false,
  error: refusal(code, reason, message, fields),
});

/** What a secret was checked for, in the log and in the refusal. */
type Check = { action: string; wrong: string; reason: RefusalReason };

export class AdminDesk {
  private readonly sessions = new Map<string, number>();
  /** Times of the wrong secrets not yet forgiven; the lockout starts at the fifth within LOCKOUT_MS. */
  private failures: number[] = [];
  private lockedUntil = 0;
  private setupCode: string | null = null;

  constructor(
    private readonly now: () => number,
    private readonly log: Log,
  ) {}

  pinSet(config: KioskConfig): boolean {
    return config.adminPinHash !== null;
  }

  /**
   * With no admin PIN yet, makes the one-time code that lets the first PIN be set from the
   * admin page. The caller shows it on this PC only (console, log, a dialog); no API returns it.
   */
  openSetup(config: KioskConfig): string | null {
    this.setupCode = this.pinSet(config) ? null : String(randomInt(10 ** SETUP_CODE_DIGITS)).padStart(SETUP_CODE_DIGITS, '0');
    return this.setupCode;
  }

  /** The first PIN needs the setup code; changing it needs the current PIN. Returns the new hash and ends every admin session. */
  setPin(config: KioskConfig, pin: string, proof: { currentPin?: string | undefined; setupCode?: string | undefined }): Outcome<string> {
    const hash = config.adminPinHash;
    const checked = hash
      ? this.guarded({ action: 'admin PIN change', wrong: 'the current admin PIN is wrong', reason: 'admin_current_pin_wrong' }, () => verifyPin(proof.currentPin ?? '', hash))
      : this.guarded({ action: 'first admin PIN', wrong: 'the setup code is wrong: type the code Cordial showed on this PC when it started', reason: 'setup_code_wrong' }, () =>
          this.setupCodeMatches(proof.setupCode),
        );
    if (!checked.ok) return checked;
    this.setupCode = null;
    this.sessions.clear();
    return { ok: true, result: hashPin(pin) };
  }

  login(config: KioskConfig, pin: string): Outcome<{ token: string }> {
    const hash = config.adminPinHash;
    if (!hash) return refuse('not_allowed_now', 'admin_pin_unset', 'no admin PIN is set yet: set one first');
    const checked = this.guarded({ action: 'admin sign-in', wrong: 'wrong admin PIN', reason: 'admin_pin_wrong' }, () => verifyPin(pin, hash));
    if (!checked.ok) return checked;
    const token = randomBytes(24).toString('hex');
    this.sessions.set(token, this.now() + SESSION_MS);
    return { ok: true, result: { token } };
  }

  /**
   * The one gate for every admin secret (PIN or setup code), wherever it is asked for: a
   * lockout refuses even the right one, and every wrong one counts and is logged.
   */
  private guarded(check: Check, matches: () => boolean): Outcome<void> {
    const now = this.now();
    if (now < this.lockedUntil) {
      const minutes = Math.ceil((this.lockedUntil - now) / 60_000);
      this.log.warn(`${check.action} refused: the admin page is locked after ${ATTEMPTS} wrong attempts`);
      return refuse('wrong_pin', 'admin_locked', `too many wrong admin PINs; try again in ${minutes} min`, { minutes });
    }
    if (!matches()) {
      this.failures = [...this.failures.filter((at) => now - at < LOCKOUT_MS), now];
      if (this.failures.length >= ATTEMPTS) {
        this.failures = [];
        this.lockedUntil = now + LOCKOUT_MS;
        this.log.warn(`${check.action} refused: ${ATTEMPTS} wrong attempts in a row; the admin page is locked for ${LOCKOUT_MS / 60_000} min`);
      } else {
        this.log.warn(`${check.action} refused: ${check.wrong} (${this.failures.length} of ${ATTEMPTS} before the lockout)`);
      }
      return refuse('wrong_pin', check.reason, check.wrong);
    }
    this.failures = [];
    return { ok: true, result: undefined };
  }

  private setupCodeMatches(given: string | undefined): boolean {
    if (this.setupCode === null || given === undefined) return false;
    const typed = Buffer.from(given.replace(/[\s-]/g, ''));
    const expected = Buffer.from(this.setupCode);
    return typed.length === expected.length && timingSafeEqual(typed, expected);
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
      const field = issue?.path.join('.') || 'settings';
      return refuse('invalid_settings', 'settings_invalid', `${field}: ${issue?.message}`, { field, detail: issue?.message ?? '' });
    }
    const next: KioskConfig = { ...parsed.data, adminPinHash: current.adminPinHash };
    const path = next.keypad.path;
    if (next.keypad.driver !== 'none' && path && process.platform !== 'win32' && !existsSync(path)) {
      return refuse('invalid_settings', 'serial_port_missing', `serial port ${path} does not exist: plug the keypad in, or choose a port from the list`, { path });
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
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const fileName = `cordial-cases-${request.from ?? 'all'}-${request.to ?? 'now'}.csv`;
  const file = join(dir, fileName);
  const counts = await exportCasesCsv(kiosk.db, file, { from, to, utcOffsetMinutes: offset, direction: request.codes });
  // Cases name staff and may hold callback numbers: the copy is for this user only.
  if (process.platform !== 'win32') chmodSync(file, 0o600);
  return { fileName, csv: readFileSync(file, 'utf8'), ...counts };
}
