import { LIVE_HEARTBEAT_MS } from '../../src/shared/console/live-contract';
import { DEFAULT_WEBHOOK_POLICY, type WebhookPolicy } from './alerts/deliver';

/** How a centre process runs: limits and tolerances (not policies; see settings.ts). */
export interface CentreLimits {
  /** Largest request body as sent (compressed). */
  maxBodyBytes: number;
  /** Largest body once decompressed: a small gzip must not unpack into gigabytes. */
  maxInflatedBytes: number;
  maxRecordsPerBatch: number;
  /** Largest payload of one record, in characters. */
  maxPayloadChars: number;
  /** Largest offline bundle, compressed, and unpacked. */
  maxBundleBytes: number;
  maxBundleInflatedBytes: number;
  /** Most records one batch may declare missing: a terminal cannot have lost more than it could write. */
  maxMissingRecords: number;
}

export interface CentreOptions {
  /** The admin token (CORDIAL_ADMIN_TOKEN); only its hash is kept in memory. */
  adminToken: string;
  now?: () => number;
  limits?: Partial<CentreLimits>;
  /** A terminal whose clock is further off than this is flagged. */
  clockSkewToleranceMs?: number;
  /** Records stamped further ahead of the centre's clock than this are refused. */
  maxFutureMs?: number;
  /** Records stamped before this are refused. */
  earliestRecordMs?: number;
  /** Per terminal: requests per second, and the burst allowed. */
  rateLimit?: { perSecond: number; burst: number };
  /** Per client address on /v1/enrol: codes are guessed there. */
  enrolRateLimit?: { perSecond: number; burst: number };
  /** Reports read new records this long after an upload, or at once when asked for. */
  projectAfterMs?: number;
  /** Fastify logger options; false for none. */
  logger?: boolean | Record<string, unknown>;
  /** Console sign-in: session lifetimes, lockout and the first-start setup link. */
  accounts?: Partial<AccountPolicy>;
  /** Outgoing webhooks: timeout, back-off and when to give up (alerts/deliver.ts). */
  webhooks?: Partial<WebhookPolicy>;
  /** How often the deadline alert rules are swept (they also run at start). */
  alertSweepMs?: number;
  /** How often every window is checked against the window rules on the centre's clock (hall/rules-service.ts); 30 s. */
  windowRulesSweepMs?: number;
  /** How often an open live stream gets a heartbeat and its session is checked. */
  liveHeartbeatMs?: number;
  /** Serve HTTPS with this certificate and key (PEM); reloaded with server.setSecureContext (http/tls.ts). */
  tls?: { cert: string; key: string };
  /** Reverse proxies (addresses or CIDR ranges) whose X-Forwarded-* headers are believed; none by default. */
  trustProxy?: string[];
  /** After a terminal's token is rotated, the old one still works this long (default 24 h). */
  tokenGraceMs?: number;
}

export interface AccountPolicy {
  /** A session unused this long ends. */
  sessionIdleMs: number;
  /** A session ends this long after sign-in, however busy. */
  sessionAbsoluteMs: number;
  /** Wrong passwords in a row before a user name is locked. */
  failuresBeforeLockout: number;
  /** The first lock; each further wrong password doubles it, up to longestLockoutMs. */
  firstLockoutMs: number;
  longestLockoutMs: number;
  /** Failed sign-ins one client address may make in windowMs, whatever names it tries. */
  addressFailures: { max: number; windowMs: number };
  /** How long the printed first-start setup link works. */
  setupTokenMs: number;
}

export const DEFAULT_ACCOUNT_POLICY: AccountPolicy = {
  sessionIdleMs: 30 * 60_000,
  sessionAbsoluteMs: 12 * 3_600_000,
  failuresBeforeLockout: 5,
  firstLockoutMs: 60_000,
  longestLockoutMs: 3_600_000,
  addressFailures: { max: 30, windowMs: 15 * 60_000 },
  setupTokenMs: 24 * 3_600_000,
};

export const DEFAULT_LIMITS: CentreLimits = {
  maxBodyBytes: 8 * 1024 * 1024,
  maxInflatedBytes: 32 * 1024 * 1024,
  maxRecordsPerBatch: 5000,
  maxPayloadChars: 64 * 1024,
  // A year of one window offline is about 100,000 records: some 60 MiB of JSON, a tenth of it gzipped.
  maxBundleBytes: 64 * 1024 * 1024,
  maxBundleInflatedBytes: 256 * 1024 * 1024,
  maxMissingRecords: 100_000,
};

/** No window wrote a record before this (2020-01-01): an earlier time is a clock that was wrong. */
export const EARLIEST_RECORD_MS = Date.UTC(2020, 0, 1);

export interface ResolvedOptions {
  adminToken: string;
  now: () => number;
  limits: CentreLimits;
  clockSkewToleranceMs: number;
  maxFutureMs: number;
  earliestRecordMs: number;
  rateLimit: { perSecond: number; burst: number };
  enrolRateLimit: { perSecond: number; burst: number };
  projectAfterMs: number;
  logger: boolean | Record<string, unknown>;
  accounts: AccountPolicy;
  webhooks: WebhookPolicy;
  alertSweepMs: number;
  windowRulesSweepMs: number;
  liveHeartbeatMs: number;
  tls: { cert: string; key: string } | null;
  trustProxy: string[] | false;
  tokenGraceMs: number;
}

export function resolveOptions(o: CentreOptions): ResolvedOptions {
  return {
    adminToken: o.adminToken,
    now: o.now ?? Date.now,
    limits: { ...DEFAULT_LIMITS, ...o.limits },
    clockSkewToleranceMs: o.clockSkewToleranceMs ?? 5 * 60_000,
    maxFutureMs: o.maxFutureMs ?? 24 * 3_600_000,
    earliestRecordMs: o.earliestRecordMs ?? EARLIEST_RECORD_MS,
    rateLimit: o.rateLimit ?? { perSecond: 20, burst: 60 },
    enrolRateLimit: o.enrolRateLimit ?? { perSecond: 0.2, burst: 10 },
    projectAfterMs: o.projectAfterMs ?? 1_000,
    logger: o.logger ?? true,
    accounts: { ...DEFAULT_ACCOUNT_POLICY, ...o.accounts },
    webhooks: { ...DEFAULT_WEBHOOK_POLICY, ...o.webhooks },
    alertSweepMs: o.alertSweepMs ?? 60_000,
    windowRulesSweepMs: o.windowRulesSweepMs ?? 30_000,
    liveHeartbeatMs: o.liveHeartbeatMs ?? LIVE_HEARTBEAT_MS,
    tls: o.tls ?? null,
    trustProxy: o.trustProxy && o.trustProxy.length > 0 ? o.trustProxy : false,
    tokenGraceMs: o.tokenGraceMs ?? 24 * 3_600_000,
  };
}
