/**
 * The sync client: carries this window's outbox to the centre and the centre's config back.
 *
 *   const sync = createSyncClient({ db: kiosk.db, terminalId: kiosk.terminal.terminalId,
 *     centreUrl: kiosk.config.centre.url, onStatus: (s) => kiosk.setSyncStatus(s) });
 *   await sync.enrol('K7QX-92MD-4TPA');   // once, with the code from the centre admin
 *   sync.start();                         // nightly, 02:00 local with jitter, and poor ratings at once (see at-once.ts)
 *   await sync.syncNow();                 // "sync now" in the staff panel and the CLI
 *
 * Every method resolves to a result value; none throws for a network or centre problem.
 */
import type { SyncStatus } from '../../shared/contract';
import { reenrolmentText } from '../../shared/sync-wire';
import { TOKEN_ROTATE_HEADER, TOKEN_ROTATE_PATH } from '../../shared/token-rotation';
import type { Log } from '../log';
import { pruneAcknowledged } from '../outbox/prune';
import type { Db } from '../store/database';
import { systemClock, type Clock } from '../time';
import { AtOnceSender, DEFAULT_AT_ONCE, type AtOnce, type RunCause } from './at-once';
import { writeBundle } from './bundle';
import { applyCentreConfig, cachedConfig, CentreConfig } from './config-pull';
import { newSigningKeys, readCredentials, saveCredentials, saveRotatedToken, signWithEnrolmentKey, type Credentials } from './credentials';
import { syncError, type SyncError } from './errors';
import { callCentre, centreMessage, type FetchLike } from './http';
import { DEFAULT_RETRY, type RetryPolicy } from './retry';
import { DEFAULT_NIGHTLY, nextNightlyRun, type Nightly } from './schedule';
import { beginRun, endRun, idleStatus } from './status';
import { centreFetch, plaintextRefusal } from './transport';
import { pendingFirst, uploadPending } from './upload';

export interface SyncClientOptions {
  db: Db;
  /** kiosk.terminal.terminalId: every record carries it. */
  terminalId: string;
  /** kiosk.config.centre.url; null uses the address this window enrolled with. The token only ever goes to the enrolled origin. */
  centreUrl: string | null;
  /** Where refusals and failures are written for IT. */
  log?: Log;
  clock?: Clock;
  /** kiosk.setSyncStatus. */
  onStatus?: (status: SyncStatus) => void;
  /** Records per upload (the centre takes up to 5,000). */
  batchSize?: number;
  requestTimeoutMs?: number;
  retry?: Partial<RetryPolicy>;
  nightly?: Partial<Nightly>;
  /** How long acknowledged records stay on the window before pruning. */
  keepAcknowledgedMs?: number;
  /** Replaces the HTTPS checks below: tests with a fake centre only. */
  fetch?: FetchLike;
  /** How the centre is trusted (kiosk.config.centre): plaintext off the loopback, the CA, the key pin. */
  trust?: Partial<CentreTrustSettings>;
  random?: () => number;
  /**
   * Calls `changed` whenever the kiosk may have recorded something (kiosk.subscribe); returns
   * the unsubscribe. With it, start() also sends poor ratings and rating details at once.
   */
  watch?: (changed: () => void) => () => void;
  /** Timing of the send at once; false turns it off. */
  atOnce?: Partial<AtOnce> | false;
}

export interface CentreTrustSettings {
  allowPlaintext: boolean;
  caCertificate: string | null;
  /** A base64 SPKI SHA-256, 'enrolment' (the key seen at enrolment), or null. */
  pin: string | null;
}

export type SyncResult = { ok: true; sent: number; pending: number; epochsStarted: number; configChanged: boolean } | { ok: false; error: SyncError; sent: number; pending: number };
export type EnrolResult = { ok: true; terminalId: string; windowNo: string } | { ok: false; error: SyncError };
export type ConfigResult = { ok: true; changed: boolean; config: CentreConfig | null } | { ok: false; error: SyncError };
export type BundleExport = { ok: true; file: string; records: number; batches: number } | { ok: false; error: SyncError };

export interface SyncClient {
  enrol(code: string): Promise<EnrolResult>;
  syncNow(): Promise<SyncResult>;
  pullConfig(): Promise<ConfigResult>;
  /** 意见簿: the centre's signed, expiring link to its mobile suggestion page for this window. */
  suggestionLink?(): Promise<{ ok: true; url: string; expiresAt: number } | { ok: false; error: SyncError }>;
  exportBundle(file: string): Promise<BundleExport>;
  /** The config last pulled, for offline start-up. */
  cachedConfig(): CentreConfig | null;
  /** Runs nightly from now on. */
  start(): void;
  /** Cancels the schedule and any retry wait; resolves when a running sync has stopped. */
  stop(): Promise<void>;
  status(): SyncStatus;
}

const DAY = 86_400_000;

export function createSyncClient(options: SyncClientOptions): SyncClient {
  const { db } = options;
  const clock = options.clock ?? systemClock;
  const random = options.random ?? Math.random;
  const retry = { ...DEFAULT_RETRY, ...options.retry };
  const nightly = { ...DEFAULT_NIGHTLY, ...options.nightly };
  const timeoutMs = options.requestTimeoutMs ?? 60_000;
  const trust: CentreTrustSettings = { allowPlaintext: false, caCertificate: null, pin: null, ...options.trust };
  /** The pin in force: the one IT typed, or the one recorded at enrolment. */
  const pinFor = (credentials: Credentials | null): string | null => (trust.pin === null ? null : trust.pin === 'enrolment' ? (credentials?.centrePin ?? null) : trust.pin);
  const fetchers = new Map<string, FetchLike>();
  const fetchFor = (credentials: Credentials | null): FetchLike => {
    if (options.fetch) return options.fetch;
    const pin = pinFor(credentials);
    let made = fetchers.get(pin ?? '');
    if (!made) fetchers.set(pin ?? '', (made = centreFetch({ ca: trust.caCertificate, pin })));
    return made;
  };
  const refusedAnswer = (answer: { status: number; untrusted?: true }, fallback: SyncError['code']): SyncError['code'] => (answer.untrusted ? 'centre_untrusted' : fallback);
  const waits = new Set<() => void>();
  let stopping = false;
  let running: Promise<SyncResult> | null = null;
  let cancelNightly: (() => void) | null = null;
  const log = options.log;
  const configuredUrl = options.centreUrl ? trimUrl(options.centreUrl) : null;
  const centreUrl = (): string | null => {
    const enrolled = readCredentials(db)?.centreUrl;
    return configuredUrl ?? (enrolled ? trimUrl(enrolled) : null);
  };
  /** What the centre last refused as invalid: not resent by the nightly run while it is still the next thing to send. */
  let refused: { first: string; error: SyncError } | null = null;
  let current: SyncStatus = idleStatus(db, readCredentials(db) !== null && centreUrl() !== null, null);

  /** Where requests carrying the token may go: the origin it was issued by, never another. */
  const tokenTarget = (credentials: Credentials): { url: string } | { error: SyncError } => {
    const enrolled = trimUrl(credentials.centreUrl);
    const plaintext = plaintextRefusal(configuredUrl ?? enrolled, trust.allowPlaintext);
    if (plaintext) return { error: plaintext };
    if (!configuredUrl) return { url: enrolled };
    if (originOf(configuredUrl) === originOf(enrolled)) return { url: configuredUrl };
    return { error: syncError('address_changed', `the centre address changed from ${enrolled} to ${configuredUrl}: enrol this window again with a new code from the centre admin`) };
  };

  const publish = (status: SyncStatus) => {
    current = status;
    options.onStatus?.(status);
  };
  const sleep = (ms: number) =>
    new Promise<boolean>((resolve) => {
      if (stopping) return resolve(false);
      let cancel: (() => void) | null = null;
      const wake = () => {
        waits.delete(wake);
        cancel?.();
        resolve(!stopping);
      };
      waits.add(wake);
      cancel = clock.setTimer(clock.now() + ms, wake);
    });

  async function pullConfig(): Promise<ConfigResult> {
    const credentials = readCredentials(db);
    if (!credentials) return { ok: false, error: syncError('not_enrolled', 'this window is not enrolled with a centre yet') };
    const target = tokenTarget(credentials);
    if ('error' in target) return { ok: false, error: target.error };
    const url = target.url;
    const cached = cachedConfig(db);
    const answer = await callCentre(
      { method: 'GET', url: `${url}/v1/config`, token: credentials.token, headers: cached ? { 'if-none-match': cached.etag } : {}, timeoutMs },
      fetchFor(credentials),
    );
    if (answer.headers?.get(TOKEN_ROTATE_HEADER) === 'due') await rotateToken(credentials, url);
    if (answer.status === 304 && cached) return { ok: true, changed: false, config: cached.config };
    if (answer.status !== 200) {
      const code = answer.status === 401 ? 'token_refused' : answer.status === 0 || answer.status >= 500 ? refusedAnswer(answer, 'centre_unreachable') : 'centre_refused';
      return { ok: false, error: syncError(code, `could not fetch the centre's config: ${centreMessage(answer)}`) };
    }
    const parsed = CentreConfig.safeParse(answer.body);
    if (!parsed.success) return { ok: false, error: syncError('centre_refused', 'the centre sent a config this version of Cordial cannot read') };
    try {
      applyCentreConfig(db, parsed.data, answer.headers?.get('etag') ?? '', answer.text, clock.now());
    } catch (err) {
      return { ok: false, error: syncError('storage_failed', `could not apply the centre's config: ${(err as Error).message}`) };
    }
    return { ok: true, changed: true, config: parsed.data };
  }

  /**
   * IT rotated this window's token: fetch the new one with the one held. Until it is saved
   * the old one keeps working (the centre's grace period), so a lost answer costs nothing:
   * the next contact asks again.
   */
  async function rotateToken(credentials: Credentials, url: string): Promise<void> {
    const answer = await callCentre({ method: 'POST', url: `${url}${TOKEN_ROTATE_PATH}`, token: credentials.token, timeoutMs }, fetchFor(credentials));
    const token = answer.body?.token;
    if (answer.status !== 200 || typeof token !== 'string' || token === '') {
      log?.warn(`sync: the centre asked this window to fetch a new token, and that failed: ${centreMessage(answer)}; the token held still works and the next sync asks again`);
      return;
    }
    saveRotatedToken(db, token);
    const until = Number(answer.body?.previousValidUntil);
    log?.info(`sync: the centre issued this window a new token${Number.isFinite(until) ? `; the old one works until ${new Date(until).toISOString()}` : ''}`);
  }

  async function run(by: RunCause): Promise<SyncResult> {
    const credentials = readCredentials(db);
    const disabled = (error: SyncError): SyncResult => {
      publish(idleStatus(db, false, error.message, error.code));
      return { ok: false, error, sent: 0, pending: current.pending };
    };
    const stuck = (error: SyncError): SyncResult => {
      publish({ ...idleStatus(db, true, error.message, error.code), state: 'error' });
      return { ok: false, error, sent: 0, pending: current.pending };
    };
    if (!centreUrl()) return disabled(syncError('not_configured', 'no centre address is set for this window'));
    if (!credentials) return disabled(syncError('not_enrolled', 'this window is not enrolled with the centre: enrol it with a code from the centre admin'));
    if (credentials.terminalId !== options.terminalId) {
      return disabled(syncError('not_enrolled', `the credentials here belong to terminal ${credentials.terminalId}, not ${options.terminalId}; enrol this window again`));
    }
    const target = tokenTarget(credentials);
    if ('error' in target) {
      log?.error(`sync: ${target.error.message}`);
      return stuck(target.error);
    }
    const url = target.url;
    // The centre would refuse the same record again: only a person (or a restart, or a change to the records) tries it again.
    if (by !== 'person' && refused && refused.first === pendingFirst(db)) {
      log?.warn(`sync: the ${by === 'schedule' ? 'nightly run' : 'send at once'} did not resend what the centre refused: ${refused.error.message}`);
      return stuck(refused.error);
    }
    const runId = beginRun(db, clock.now());
    const base = idleStatus(db, true, null);
    publish({ ...base, state: 'syncing', progress: { sent: 0, total: base.pending }, detail: 'sending records to the centre', code: 'sending' });
    const upload = await uploadPending({
      db,
      credentials,
      centreUrl: url,
      clock,
      fetch: fetchFor(credentials),
      // Sent at once: one try, and on failure the back-off of at-once.ts, not minutes of retries holding the status at "syncing".
      retry: by === 'at_once' ? { ...retry, attempts: 1 } : retry,
      random,
      batchSize: options.batchSize ?? 2_000,
      timeoutMs,
      sleep,
      stopping: () => stopping,
      onProgress: (sent, total) => publish({ ...current, state: 'syncing', pending: Math.max(0, total - sent), progress: { sent, total } }),
    });
    let configChanged = false;
    let detail: string;
    let code: string;
    let fields: Record<string, string | number> | undefined;
    if (upload.ok) {
      const config = await pullConfig();
      configChanged = config.ok && config.changed;
      pruneAcknowledged(db, { olderThanMs: options.keepAcknowledgedMs ?? 30 * DAY, now: clock.now() });
      detail = `sent ${upload.sent} records; the centre holds them all${config.ok ? '' : ` (${config.error.message})`}`;
      code = config.ok ? 'sent' : 'sent_config_failed';
      fields = config.ok ? { sent: upload.sent } : { sent: upload.sent, reason: config.error.message };
      refused = null;
      log?.info(`sync: ${detail}`);
    } else {
      detail =
        by === 'at_once' && upload.error.code === 'centre_unreachable'
          ? `could not reach the centre to send a poor rating at once (${centreReason(upload.error.message)}); it is kept on this window and goes with the next sync`
          : upload.error.message;
      const waits = by === 'at_once' && upload.error.code === 'centre_unreachable';
      code = waits ? 'poor_rating_waits' : upload.error.code;
      fields = waits ? { reason: centreReason(upload.error.message) } : undefined;
      if (upload.refused !== undefined) refused = { first: upload.refused, error: upload.error };
      if (upload.refused !== undefined) log?.error(`sync: ${detail}`);
      else log?.warn(`sync: ${detail}`);
    }
    endRun(db, runId, clock.now(), upload.ok ? 'ok' : 'error', upload.sent, detail);
    const after = idleStatus(db, true, detail, code, fields);
    publish(upload.ok ? after : { ...after, state: 'error' });
    return upload.ok
      ? { ok: true, sent: upload.sent, pending: after.pending, epochsStarted: upload.epochsStarted, configChanged }
      : { ok: false, error: upload.error, sent: upload.sent, pending: after.pending };
  }

  /** One run at a time: whoever asks while one is under way gets that run's result. */
  function syncRun(by: RunCause): Promise<SyncResult> {
    if (running) return running;
    // A run waiting to retry holds the process open, so a one-shot caller (the CLI) does not exit with records unsent.
    const hold = setInterval(() => undefined, 2 ** 30);
    running = run(by)
      .catch((err: unknown): SyncResult => {
        const error = syncError('storage_failed', `the sync stopped: ${(err as Error).message}`);
        publish({ ...idleStatus(db, true, error.message, error.code), state: 'error' });
        return { ok: false, error, sent: 0, pending: current.pending };
      })
      .then((result) => {
        running = null;
        clearInterval(hold);
        atOnce?.ran(by, result.ok ? { ok: true } : { ok: false, code: result.error.code });
        return result;
      });
    return running;
  }

  const atOncePolicy = options.atOnce === false ? null : { ...DEFAULT_AT_ONCE, ...options.atOnce };
  const atOnce =
    options.watch && atOncePolicy
      ? new AtOnceSender({
          db,
          clock,
          random,
          policy: atOncePolicy,
          watch: options.watch,
          send: () => void syncRun('at_once'),
          running: () => running !== null,
          log,
        })
      : null;

  const syncNow = (): Promise<SyncResult> => syncRun('person');

  function scheduleNight(): void {
    cancelNightly?.();
    cancelNightly = clock.setTimer(nextNightlyRun(clock.now(), nightly, random), () => {
      void syncRun('schedule').finally(() => {
        if (!stopping) scheduleNight();
      });
    });
  }

  return {
    async enrol(code) {
      const url = centreUrl();
      if (!url) return { ok: false, error: syncError('not_configured', 'set the centre address first') };
      const plaintext = plaintextRefusal(url, trust.allowPlaintext);
      if (plaintext) return { ok: false, error: plaintext };
      if (trust.pin !== null && !url.startsWith('https:')) {
        return { ok: false, error: syncError('centre_untrusted', `a pinned key needs an https:// centre address, and ${url} is not one: change the address or turn the pin off`) };
      }
      const keys = newSigningKeys();
      // Enrolling again (a new token, a new address): the key registered last time proves it is this terminal.
      const before = readCredentials(db);
      const proof = before?.terminalId === options.terminalId ? signWithEnrolmentKey(before, reenrolmentText(options.terminalId, keys.publicKey, code)) : undefined;
      // The pin seen at enrolment is recorded; with 'enrolment', no key is required yet (the CA still is).
      let seenPin: string | null = null;
      const enrolFetch = options.fetch ?? centreFetch({ ca: trust.caCertificate, pin: trust.pin === 'enrolment' ? null : trust.pin, onPin: (pin) => (seenPin = pin) });
      const answer = await callCentre(
        { method: 'POST', url: `${url}/v1/enrol`, json: JSON.stringify({ code, terminalId: options.terminalId, publicKey: keys.publicKey, proof }), timeoutMs },
        enrolFetch,
      );
      if (answer.status !== 200 || typeof answer.body?.token !== 'string') {
        const reason = answer.status === 0 || answer.status >= 500 ? refusedAnswer(answer, 'centre_unreachable') : 'enrolment_refused';
        return { ok: false, error: syncError(reason, `enrolment failed: ${centreMessage(answer)}`) };
      }
      const windowNo = String(answer.body.windowNo);
      saveCredentials(db, {
        centreUrl: url,
        terminalId: options.terminalId,
        windowNo,
        token: answer.body.token,
        signingKey: keys.privateKey,
        enrolledAt: clock.now(),
        centrePin: trust.pin === null ? null : seenPin,
      });
      publish(idleStatus(db, true, `enrolled with the centre as window ${windowNo}`));
      return { ok: true, terminalId: options.terminalId, windowNo };
    },
    syncNow,
    pullConfig,
    async suggestionLink() {
      const credentials = readCredentials(db);
      if (!credentials) return { ok: false, error: syncError('not_enrolled', 'this window is not enrolled with a centre yet') };
      const target = tokenTarget(credentials);
      if ('error' in target) return { ok: false, error: target.error };
      const answer = await callCentre({ method: 'GET', url: `${target.url}/v1/suggestion-link`, token: credentials.token, timeoutMs }, fetchFor(credentials));
      const body = answer.body as { url?: unknown; expiresAt?: unknown } | null;
      if (answer.status !== 200 || typeof body?.url !== 'string' || typeof body.expiresAt !== 'number') {
        return { ok: false, error: syncError(answer.status === 0 || answer.status >= 500 ? refusedAnswer(answer, 'centre_unreachable') : 'centre_refused', `could not get the suggestion link: ${centreMessage(answer)}`) };
      }
      return { ok: true, url: body.url, expiresAt: body.expiresAt };
    },
    async exportBundle(file) {
      const credentials = readCredentials(db);
      if (!credentials) return { ok: false, error: syncError('not_enrolled', 'a bundle is signed with the enrolment key: enrol this window first') };
      try {
        return { ok: true, ...writeBundle(db, credentials, file, clock.now()) };
      } catch (err) {
        return { ok: false, error: syncError('storage_failed', `could not write ${file}: ${(err as Error).message}`) };
      }
    },
    cachedConfig: () => cachedConfig(db)?.config ?? null,
    start() {
      stopping = false;
      const credentials = readCredentials(db);
      const target = credentials ? tokenTarget(credentials) : null;
      if (target && 'error' in target) publish({ ...idleStatus(db, true, target.error.message, target.error.code), state: 'error' });
      else publish(idleStatus(db, credentials !== null && centreUrl() !== null, current.detail, current.code ?? null, current.fields));
      scheduleNight();
      atOnce?.start();
    },
    async stop() {
      stopping = true;
      atOnce?.stop();
      cancelNightly?.();
      cancelNightly = null;
      for (const wake of [...waits]) wake();
      await running;
    },
    status: () => current,
  };
}

/** The centre's reason inside an upload failure's sentence, without the advice about retries that follows it. */
function centreReason(message: string): string {
  const last = /\(last: (.*)\)/.exec(message);
  return last?.[1] ?? message;
}

function trimUrl(url: string): string {
  return url.trim().replace(/\/+$/, '');
}

/** scheme://host:port, with default ports and letter case made alike; an unreadable address is compared as written. */
function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return url;
  }
}
