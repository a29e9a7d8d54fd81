/**
 * The running kiosk, whichever shell shows it: the core, the keypad link and IT's admin
 * desk behind one `handle(role, method, params)`. Electron IPC and the browser shell's
 * WebSocket both call it, so both shells speak exactly the same contract.
 */
import { CITIZEN_METHODS, parseParams, type ApiMethod, type ApiResponse, type ScreenRole } from '../shared/api';
import type { KioskEvent } from '../shared/contract';
import { startKeypadLink, type KeypadLink } from '../device';
import { KioskConfig, loadConfig, saveConfig } from '../core/config';
import { Kiosk } from '../core/kiosk';
import { fileLog, type Log } from '../core/log';
import { loadDemoSeed } from '../core/seed';
import { systemClock, type Clock } from '../core/time';
import { syncClientFor, withCentreWindowSettings, type SyncClient } from '../core/sync';
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
      return { ok: false, error: { code: 'unauthorised', message: `the citizen screen cannot call ${method}` } };
    }
    const parsed = parseParams(method, params);
    if (!parsed.ok) return parsed;
    try {
      return (await this.dispatch(role, method, parsed.params as Record<string, unknown>)) as ApiResponse<M>;
    } catch (err) {
      this.log.error(`${method} failed: ${(err as Error).message}`);
      return { ok: false, error: { code: 'unavailable', message: `${method} failed: ${(err as Error).message}` } };
    }
  }

  private async dispatch(role: ScreenRole, method: ApiMethod, p: Record<string, unknown>): Promise<ApiResponse<ApiMethod>> {
    const kiosk = this.kioskNow;
    const ok = <T>(result: T) => ({ ok: true as const, result });
    switch (method) {
      case 'execute': {
        const result = kiosk.execute(p.command, role);
        if (!result.ok) this.log.info(`refused ${describe(p.command)} from the ${role} screen: ${result.error.message}`);
        return ok(result);
      }
      case 'snapshot':
        return ok(kiosk.snapshot());
      case 'today':
        return ok(kiosk.today());
      case 'items':
        return ok(kiosk.directory.items().map((i) => ({ itemCode: i.itemCode, itemVersion: i.itemVersion, name: i.name, departmentName: i.departmentName })));
      case 'reasons':
        return ok(kiosk.directory.reasons());
      case 'syncNow': {
        if (!this.sync) return { ok: false, error: { code: 'unavailable', message: 'sync is off: IT has not set the centre address' } };
        const r = await this.sync.syncNow();
        if (!r.ok) return { ok: false, error: { code: 'unavailable', message: r.error.message } };
        return ok({ sent: r.sent, pending: r.pending });
      }
      case 'adminStatus':
        return ok({ pinSet: this.admin.pinSet(this.config) });
      case 'adminSetPin': {
        const first = !this.admin.pinSet(this.config);
        const r = this.admin.setPin(this.config, p.pin as string, { currentPin: p.currentPin as string | undefined, setupCode: p.setupCode as string | undefined });
        if (!r.ok) return r;
        this.config = { ...this.config, adminPinHash: r.result };
        saveConfig(this.options.dataDir, this.config);
        this.setupCode = null;
        this.log.info(first ? 'the first admin PIN was set with the setup code' : 'the admin PIN was changed; every admin session has ended');
        return ok({ ok: true as const });
      }
      case 'adminLogin':
        return this.admin.login(this.config, p.pin as string);
    }
    if (!this.admin.authorised(p.token as string)) {
      return { ok: false, error: { code: 'unauthorised', message: 'the admin session has ended: enter the admin PIN again' } };
    }
    switch (method) {
      case 'adminSettings':
        return ok(withoutSecrets(this.config));
      case 'adminSaveSettings': {
        const { token: _token, ...rest } = p;
        const checked = await this.admin.checkSettings(rest.settings, this.config);
        if (!checked.ok) return checked;
        await this.applySettings(checked.result);
        return ok({ settings: withoutSecrets(this.config), applied: 'saved and applied' });
      }
      case 'adminPorts':
        return ok(await listPorts());
      case 'adminEnrol': {
        if (!this.sync) return { ok: false, error: { code: 'not_allowed_now', message: 'set the centre address first, then enrol' } };
        const r = await this.sync.enrol(p.code as string);
        if (!r.ok) return { ok: false, error: { code: 'invalid_settings', message: r.error.message } };
        this.log.info(`enrolled with the centre as window ${r.windowNo}`);
        return ok({ windowNo: r.windowNo });
      }
      case 'adminDiagnostics':
        return ok(diagnostics(kiosk, this.options.dataDir, this.log.file, this.options.electronVersion ?? null));
      case 'adminExportCases':
        return ok(await exportCases(kiosk, this.options.dataDir, p as { from?: string; to?: string; codes: 'national' | 'provincial' }));
      default:
        return { ok: false, error: { code: 'invalid_command', message: `unknown method ${method}` } };
    }
  }

  /**
   * Saves new settings, then reopens the core and the keypad link with them; the window's
   * state is restored from disk. One change at a time: an admin save and the centre's
   * settings arriving together must not both reopen the link.
   */
  private applySettings(next: KioskConfig): Promise<void> {
    const run = this.applying.then(() => this.reopenWith(next));
    this.applying = run.catch(() => undefined);
    return run;
  }

  private async reopenWith(next: KioskConfig): Promise<void> {
    saveConfig(this.options.dataDir, next);
    this.config = next;
    await this.stopKeypad();
    await this.stopSync();
    this.unsubscribe();
    this.kioskNow.close();
    this.kioskNow = this.openKiosk();
    this.startKeypad();
    this.startSync();
    this.log.info('settings saved and applied');
    this.emit({ type: 'snapshot', snapshot: this.kioskNow.snapshot() });
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
    this.sync = syncClientFor(kiosk, {
      clock: this.clock,
      log: this.log,
      onStatus: (status) => {
        const succeeded = status.lastSuccessAt !== null && status.lastSuccessAt !== kiosk.snapshot().sync.lastSuccessAt;
        kiosk.setSyncStatus(status);
        if (succeeded) this.adoptCentreSettings().catch((err: unknown) => this.log.error(`could not apply the centre's window settings: ${(err as Error).message}`));
      },
    });
    this.sync.start();
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

function withoutSecrets(config: KioskConfig) {
  const { adminPinHash: _secret, ...settings } = config;
  return settings;
}

/** Names a command for the log without its values (they may hold personal information). */
function describe(command: unknown): string {
  return typeof command === 'object' && command !== null && 'type' in command ? String((command as { type: unknown }).type) : 'a malformed command';
}
