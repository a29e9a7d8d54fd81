/**
 * The running kiosk, whichever shell shows it: the core, the keypad link and IT's admin
 * desk behind one `handle(role, method, params)`. Electron IPC and the browser shell's
 * WebSocket both call it, so both shells speak exactly the same contract.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CITIZEN_METHODS, parseParams, type ApiMethod, type ApiParams, type ApiResponse, type RestartedPart, type ScreenRole } from '../shared/api';
import type { KioskError, KioskEvent } from '../shared/contract';
import { refusal, type RefusalFields, type RefusalReason } from '../shared/refusals';
import { startKeypadLink, type KeypadLink } from '../device';
import { KioskConfig, loadConfig, saveConfig } from '../core/config';
import { Kiosk } from '../core/kiosk';
import { fileLog, type Log } from '../core/log';
import { loadDemoSeed } from '../core/seed';
import { systemClock, type Clock } from '../core/time';
import { syncClientFor, withCentreWindowSettings, type SyncClient } from '../core/sync';
import type { SyncError } from '../core/sync/errors';
import { checkCaCertificates } from '../core/sync/ca-certificate';
import { readCredentials } from '../core/sync/credentials';
import { isLoopbackHost } from '../core/sync/transport';
import { startStatusSender, type StatusSender } from '../core/live/status-sender';
import { appRoot } from '../core/paths';
import { AdminDesk, diagnostics, exportCases, listPorts } from './admin';
import { privacyWarnings, secureDataFolder } from './data-folder';

export interface RuntimeOptions {
  dataDir: string;
  owner: string;
  clock?: Clock;
  log?: Log;
  /** Start the keypad link the settings name (default true). */
  keypad?: boolean;
  /** Load the demo lists into an empty database, so a fresh install can be tried at once. */
  demoSeed?: boolean;
  /** Sync with the centre (nightly, and on demand) when a centre address is set (default true). */
  sync?: boolean;
  electronVersion?: string | null;
}

export class CordialRuntime {
  private kioskNow: Kiosk;
  private config: KioskConfig;
  private link: KeypadLink | null = null;
  private sync: SyncClient | null = null;
  /** The live status to the centre's hall, beside the sync client (best-effort). */
  private live: StatusSender | null = null;
  private applying: Promise<void> = Promise.resolve();
  private unsubscribe: () => void = () => {};
  private readonly listeners = new Set<(event: KioskEvent) => void>();
  private readonly admin: AdminDesk;
  private setupCode: string | null = null;
  readonly log: Log;
  private readonly clock: Clock;

  constructor(private readonly options: RuntimeOptions) {
    this.clock = options.clock ?? systemClock;
    // Before anything is written into it: a folder left open to other users is closed first.
    const found = secureDataFolder(options.dataDir);
    this.log = options.log ?? fileLog(options.dataDir);
    for (const line of privacyWarnings(options.dataDir, found)) this.log.warn(line);
    this.admin = new AdminDesk(() => this.clock.now(), this.log);
    this.config = loadConfig(options.dataDir);
    this.kioskNow = this.openKiosk();
    if (options.demoSeed && this.kioskNow.directory.counts().staff === 0) {
      const n = loadDemoSeed(this.kioskNow.directory);
      this.log.info(`loaded the demo lists: ${n.staff} staff, ${n.items} items, ${n.reasons} reasons`);
    }
    this.setupCode = this.admin.openSetup(this.config);
    if (this.setupCode) {
      this.log.warn(`no admin PIN is set yet: the one-time setup code for the admin page is ${this.setupCode} (or set the PIN on this PC with: npm run cli -- set-admin-pin)`);
    }
    // The database, journal and log were just made under the process umask, which may be looser.
    const late = secureDataFolder(options.dataDir);
    if (late.failed.length > 0) for (const line of privacyWarnings(options.dataDir, late)) this.log.warn(line);
    this.startKeypad();
    this.startSync();
  }

  /**
   * The code that lets the first admin PIN be set from the admin page, while none is set: for
   * the shells to show on this PC (console, dialog). No request from a screen returns it.
   */
  get adminSetupCode(): string | null {
    return this.setupCode;
  }

  get kiosk(): Kiosk {
    return this.kioskNow;
  }

  /** The settings in force (secrets included: for the shells, never for a screen). */
  get settings(): KioskConfig {
    return this.config;
  }

  get dataDir(): string {
    return this.options.dataDir;
  }

  onEvent(listener: (event: KioskEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** One request from a screen. Params are untrusted: parsed here, and again by the core. */
  async handle<M extends ApiMethod>(role: ScreenRole, method: M, params: unknown): Promise<ApiResponse<M>> {
    if (role === 'citizen' && !CITIZEN_METHODS.includes(method)) {
      return { ok: false, error: refusal('unauthorised', 'screen_not_allowed', `the citizen screen cannot call ${method}`, { method }) };
    }
    const parsed = parseParams(method, params);
    if (!parsed.ok) return parsed;
    // Every method that takes an admin session's token is for IT only.
    const p: ApiParams<M> = parsed.params;
    if ('token' in p && !this.admin.authorised(p.token)) {
      return { ok: false, error: refusal('unauthorised', 'admin_session_ended', 'the admin session has ended: enter the admin PIN again') };
    }
    const handler: Handler<M> = this.handlers[method];
    try {
      return await handler(p, role);
    } catch (err) {
      this.log.error(`${method} failed: ${(err as Error).message}`);
      return { ok: false, error: refusal('unavailable', 'call_failed', `${method} failed: ${(err as Error).message}`, { method, detail: (err as Error).message }) };
    }
  }

  /** One handler per method, typed from the API schemas: a wrong field is a compile error. */
  private readonly handlers: Handlers = {
    execute: (p, role) => {
      const result = this.kioskNow.execute(p.command, role);
      if (!result.ok) this.log.info(`refused ${describe(p.command)} from the ${role} screen: ${result.error.message}`);
      return ok(result);
    },
    snapshot: () => ok(this.kioskNow.snapshot()),
    today: () => ok(this.kioskNow.today()),
    items: () =>
      ok(this.kioskNow.directory.items().map((i) => ({ itemCode: i.itemCode, itemVersion: i.itemVersion, name: i.name, departmentName: i.departmentName }))),
    reasons: () => ok(this.kioskNow.directory.reasons()),
    suggestionLink: async () => {
      if (!this.sync?.suggestionLink) return refuse('unavailable', 'no_phone_link', 'this window has no centre to give a link for phones');
      const r = await this.sync.suggestionLink();
      return r.ok ? ok({ url: r.url, expiresAt: r.expiresAt }) : syncRefused('unavailable', r.error);
    },
    referralTargets: () => ok(this.kioskNow.directory.referralTargets()),
    appointments: () => ok(this.kioskNow.appointmentsToday()),
    slipSettings: () => ok(this.config.slip),
    syncNow: async () => {
      if (!this.sync) return refuse('unavailable', 'sync_off', 'sync is off: IT has not set the centre address');
      const r = await this.sync.syncNow();
      return r.ok ? ok({ sent: r.sent, pending: r.pending }) : syncRefused('unavailable', r.error);
    },
    adminStatus: () => ok({ pinSet: this.admin.pinSet(this.config) }),
    adminSetPin: (p) => {
      const first = !this.admin.pinSet(this.config);
      const r = this.admin.setPin(this.config, p.pin, { currentPin: p.currentPin, setupCode: p.setupCode });
      if (!r.ok) return r;
      this.config = { ...this.config, adminPinHash: r.result };
      saveConfig(this.options.dataDir, this.config);
      this.setupCode = null;
      this.log.info(first ? 'the first admin PIN was set with the setup code' : 'the admin PIN was changed; every admin session has ended');
      return ok({ ok: true as const });
    },
    adminLogin: (p) => this.admin.login(this.config, p.pin),
    adminSettings: () => ok(withoutSecrets(this.config)),
    adminSaveSettings: async (p) => {
      const checked = await this.admin.checkSettings(p.settings, this.config);
      if (!checked.ok) return checked;
      const ca = checked.result.centre.caCertificate;
      const read = ca === null ? null : checkCaCertificates(ca, this.clock.now());
      if (read && !read.ok) return refuse('invalid_settings', 'ca_invalid', read.message, { detail: read.message });
      if (read?.ok && read.certificates.every((c) => c.dates !== 'valid')) {
        const list = read.certificates.map((c) => `${c.subject}: ${c.validFrom} to ${c.validTo}`).join('; ');
        return refuse('invalid_settings', 'ca_none_valid', `no certificate in the centre CA field is valid now (${list}): ask the centre's IT for the current CA certificate`, { list });
      }
      const restarted = await this.applySettings(checked.result);
      return ok({ settings: withoutSecrets(this.config), restarted });
    },
    adminPorts: async () => ok(await listPorts()),
    adminEnrol: async (p) => {
      if (!this.sync) return refuse('not_allowed_now', 'enrol_needs_address', 'set the centre address first, then enrol');
      const r = await this.sync.enrol(p.code);
      if (!r.ok) return syncRefused('invalid_settings', r.error);
      this.log.info(`enrolled with the centre as window ${r.windowNo}`);
      return ok({ windowNo: r.windowNo });
    },
    adminCheckCertificate: (p) => {
      const read = checkCaCertificates(p.pem, this.clock.now());
      return read.ok ? ok(read.certificates) : refuse('invalid_settings', 'ca_invalid', read.message, { detail: read.message });
    },
    adminCentreTrust: () => {
      const credentials = readCredentials(this.kioskNow.db);
      return ok({ recordedPin: credentials?.centrePin ?? null, enrolledUrl: credentials?.centreUrl ?? null, enrolledAt: credentials?.enrolledAt ?? null });
    },
    adminDiagnostics: () => ok(diagnostics(this.kioskNow, this.options.dataDir, this.log.file, this.options.electronVersion ?? null)),
    adminExportCases: async (p) => ok(await exportCases(this.kioskNow, this.options.dataDir, p)),
  };

  /**
   * Saves new settings and restarts only the parts whose settings changed: the core (and with
   * it the link and sync, which hold it), the keypad link, or the sync client. The window's
   * state is restored from disk. One change at a time: an admin save and the centre's
   * settings arriving together must not both reopen the link. Resolves to what was restarted.
   */
  private applySettings(next: KioskConfig): Promise<RestartedPart[]> {
    const run = this.applying.then(() => this.reopenWith(next));
    this.applying = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  private async reopenWith(next: KioskConfig): Promise<RestartedPart[]> {
    const parts = changedParts(this.config, next);
    saveConfig(this.options.dataDir, next);
    this.config = next;
    if (parts.includes('keypad')) await this.stopKeypad();
    if (parts.includes('sync')) await this.stopSync();
    if (parts.includes('core')) {
      this.unsubscribe();
      this.kioskNow.close();
      this.kioskNow = this.openKiosk();
    }
    if (parts.includes('keypad')) this.startKeypad();
    if (parts.includes('sync')) this.startSync();
    this.log.info(parts.length > 0 ? `settings saved; restarted: ${parts.join(', ')}` : 'settings saved; nothing needed a restart');
    this.emit({ type: 'snapshot', snapshot: this.kioskNow.snapshot() });
    return parts;
  }

  private openKiosk(): Kiosk {
    const kiosk = Kiosk.open({ dataDir: this.options.dataDir, config: this.config, clock: this.clock, log: this.log, owner: this.options.owner });
    this.unsubscribe = kiosk.subscribe((e) => this.emit(e));
    return kiosk;
  }

  private startKeypad(): void {
    if (this.options.keypad === false) return;
    this.link = startKeypadLink(this.config.keypad, this.kioskNow, { clock: this.clock });
  }

  private startSync(): void {
    if (this.options.sync === false || !this.config.centre.url) return;
    const kiosk = this.kioskNow;
    this.sync = syncClientFor(
      kiosk,
      {
        clock: this.clock,
        log: this.log,
        onStatus: (status) => {
          const succeeded = status.lastSuccessAt !== null && status.lastSuccessAt !== kiosk.snapshot().sync.lastSuccessAt;
          kiosk.setSyncStatus({ ...status, unencrypted: travelsUnencrypted(this.config.centre) });
          if (succeeded) this.adoptCentreSettings().catch((err: unknown) => this.log.error(`could not apply the centre's window settings: ${(err as Error).message}`));
        },
      },
      this.config.centre,
    );
    this.sync.start();
    const centre = this.config.centre;
    this.live = startStatusSender({
      kiosk,
      clock: this.clock,
      log: this.log,
      centreUrl: centre.url,
      appVersion: appVersion(),
      trust: { allowPlaintext: centre.allowPlaintext, caCertificate: centre.caCertificate, pin: centre.pin },
    });
  }

  /** After a sync, the window settings the centre distributes (window number, rating times, …) replace the local ones. */
  private async adoptCentreSettings(): Promise<void> {
    const centre = this.sync?.cachedConfig();
    if (!centre) return;
    const checked = KioskConfig.safeParse(withCentreWindowSettings(this.config, centre));
    if (!checked.success) {
      const issue = checked.error.issues[0];
      this.log.warn(`ignored the centre's window settings: ${issue?.path.join('.')}: ${issue?.message}`);
      return;
    }
    const next = checked.data;
    if (JSON.stringify(next) === JSON.stringify(this.config)) return;
    this.log.info('applying the window settings distributed by the centre');
    await this.applySettings(next);
  }

  private async stopSync(): Promise<void> {
    await this.live?.stop();
    this.live = null;
    await this.sync?.stop();
    this.sync = null;
  }

  private async stopKeypad(): Promise<void> {
    await this.link?.stop();
    this.link = null;
  }

  private emit(event: KioskEvent): void {
    for (const l of this.listeners) l(event);
  }

  async close(): Promise<void> {
    await this.stopKeypad();
    await this.stopSync();
    this.unsubscribe();
    this.kioskNow.close();
    this.listeners.clear();
  }
}

let version: string | null = null;
function appVersion(): string {
  try {
    version ??= (JSON.parse(readFileSync(join(appRoot(), 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    version = 'unknown'; // The live status is best-effort: a missing version never stops sync.
  }
  return version;
}

type Handler<M extends ApiMethod> = (params: ApiParams<M>, role: ScreenRole) => ApiResponse<M> | Promise<ApiResponse<M>>;
type Handlers = { [M in ApiMethod]: Handler<M> };

const ok = <T>(result: T) => ({ ok: true as const, result });
const refuse = (code: KioskError['code'], reason: RefusalReason, message: string, fields?: RefusalFields) => ({ ok: false as const, error: refusal(code, reason, message, fields) });

/** A refusal that passes on the sync's own: the screens word its code, and keep its sentence for IT. */
const syncRefused = (code: KioskError['code'], error: SyncError) => refuse(code, 'sync_refused', error.message, { sync: error.code, detail: error.message });


/**
 * The core reads every setting but the keypad's, the centre's, the admin PIN, the display and
 * the slip's (the shells read those); the keypad link and the sync client each read their own group.
 */
export function changedParts(before: KioskConfig, after: KioskConfig): RestartedPart[] {
  const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
  const core = (c: KioskConfig) => {
    const { keypad: _keypad, centre: _centre, adminPinHash: _pin, citizenDisplay: _display, slip: _slip, ...rest } = c;
    return rest;
  };
  const parts: RestartedPart[] = [];
  const coreChanged = !same(core(before), core(after));
  if (coreChanged) parts.push('core');
  // The link and the sync client hold the core, so a new core restarts them too.
  if (coreChanged || !same(before.keypad, after.keypad)) parts.push('keypad');
  if (coreChanged || !same(before.centre, after.centre)) parts.push('sync');
  return parts;
}

/** Plain http:// that IT allowed, to a centre off this PC: what the staff panel warns of. */
export function travelsUnencrypted(centre: KioskConfig['centre']): boolean {
  if (!centre.allowPlaintext || !centre.url) return false;
  try {
    const url = new URL(centre.url);
    return url.protocol === 'http:' && !isLoopbackHost(url.hostname);
  } catch {
    return false;
  }
}

function withoutSecrets(config: KioskConfig) {
  const { adminPinHash: _secret, ...settings } = config;
  return settings;
}

/** Names a command for the log without its values (they may hold personal information). */
function describe(command: unknown): string {
  return typeof command === 'object' && command !== null && 'type' in command ? String((command as { type: unknown }).type) : 'a malformed command';
}
