/**
 * Token buckets. RateLimiter keeps them in this process: each API node limits what reaches
 * it, which is what protects the database behind it. SharedRateLimiter keeps them in
 * PostgreSQL (table rate_limit_buckets, one upsert per request), for a limit the citizen
 * side must not multiply by the number of nodes behind the load balancer; limiterFor picks
 * it on PostgreSQL and the in-memory one on embedded PGlite, which is one process anyway.
 * A refused request learns when to come back.
 */
import { createHash } from 'node:crypto';
import type { CentreDb, Sql } from '../db/sql';
import { Refusal } from '../errors';

/** Either kind of bucket: a refusal is thrown (or the promise rejects) with the wait. */
export interface Limiter {
  take(key: string, who?: string): void | Promise<void>;
}

function refused(tokens: number, perSecond: number, who: string): Refusal {
  const waitMs = ((1 - tokens) / perSecond) * 1000;
  const seconds = Math.max(1, Math.ceil(waitMs / 1000));
  return new Refusal(429, 'rate-limited', `too many requests from ${who}; try again in ${seconds} s`, {}, { 'retry-after': String(seconds) });
}

export class RateLimiter implements Limiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly perSecond: number,
    private readonly burst: number,
    private readonly now: () => number,
  ) {}

  take(key: string, who = 'this terminal'): void {
    const now = this.now();
    if (this.buckets.size > 10_000) this.forgetIdle(now);
    const b = this.buckets.get(key) ?? { tokens: this.burst, at: now };
    b.tokens = Math.min(this.burst, b.tokens + ((now - b.at) / 1000) * this.perSecond);
    b.at = now;
    this.buckets.set(key, b);
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return;
    }
    throw refused(b.tokens, this.perSecond, who);
  }

  /** Buckets that have refilled hold no information: dropping them keeps many client addresses from growing the map. */
  private forgetIdle(now: number): void {
    for (const [key, b] of this.buckets) if (b.tokens + ((now - b.at) / 1000) * this.perSecond >= this.burst) this.buckets.delete(key);
  }
}

/**
 * One statement takes a token or says there is none, under the row's lock, so two nodes
 * taking at once count twice. The bucket refills from the time it was last touched (never
 * backwards, should two nodes' clocks differ a little).
 */
const TAKE = `
  INSERT INTO rate_limit_buckets AS b (key, tokens, at, idle_after, granted)
  VALUES ($1, $2::float8 - 1, $4::bigint, $4::bigint + $5::bigint, true)
  ON CONFLICT (key) DO UPDATE SET
    tokens = CASE WHEN LEAST($2::float8, b.tokens + GREATEST(0, $4::bigint - b.at) * $3::float8 / 1000) >= 1
                  THEN LEAST($2::float8, b.tokens + GREATEST(0, $4::bigint - b.at) * $3::float8 / 1000) - 1
                  ELSE LEAST($2::float8, b.tokens + GREATEST(0, $4::bigint - b.at) * $3::float8 / 1000) END,
    granted = LEAST($2::float8, b.tokens + GREATEST(0, $4::bigint - b.at) * $3::float8 / 1000) >= 1,
    at = GREATEST(b.at, $4::bigint),
    idle_after = GREATEST(b.at, $4::bigint) + $5::bigint
  RETURNING tokens, granted`;

/** How often a node prunes the buckets that have refilled (on the centre's clock). */
const PRUNE_EVERY_MS = 60_000;

export class SharedRateLimiter implements Limiter {
  private prunedAt = 0;
  /** While the database cannot answer, this node counts alone rather than refuse everyone or no one. */
  private readonly fallback: RateLimiter;
  private readonly fullMs: number;

  constructor(
    private readonly db: Sql,
    /** Keeps two limits' keys apart in the one table. */
    private readonly name: string,
    private readonly perSecond: number,
    private readonly burst: number,
    private readonly now: () => number,
  ) {
    this.fallback = new RateLimiter(perSecond, burst, now);
    this.fullMs = Math.ceil((burst / perSecond) * 1000);
  }

  async take(key: string, who = 'this terminal'): Promise<void> {
    const now = this.now();
    // The table keeps a hash: no address or window code in the clear.
    const hashed = createHash('sha256').update(`${this.name}\0${key}`).digest('base64url');
    let row: { tokens: number; granted: boolean } | undefined;
    try {
      [row] = await this.db.query<{ tokens: number; granted: boolean }>(TAKE, [hashed, this.burst, this.perSecond, now, this.fullMs]);
    } catch {
      this.fallback.take(key, who);
      return;
    }
    if (now - this.prunedAt > PRUNE_EVERY_MS) {
      this.prunedAt = now;
      void this.db.query('DELETE FROM rate_limit_buckets WHERE idle_after < $1', [now]).catch(() => undefined);
    }
    if (!row || row.granted) return;
    throw refused(Number(row.tokens), this.perSecond, who);
  }
}

/** Counted across every API node on PostgreSQL; in this process on embedded PGlite. */
export function limiterFor(db: CentreDb, name: string, perSecond: number, burst: number, now: () => number): Limiter {
  return db.kind === 'postgres' ? new SharedRateLimiter(db, name, perSecond, burst, now) : new RateLimiter(perSecond, burst, now);
}
