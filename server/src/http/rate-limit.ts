/**
 * Per-terminal token bucket, in memory: each API node limits what reaches it, which is what
 * protects the database behind it. A refused request learns when to come back.
 */
import { Refusal } from '../errors';

export class RateLimiter {
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
    const waitMs = ((1 - b.tokens) / this.perSecond) * 1000;
    const seconds = Math.max(1, Math.ceil(waitMs / 1000));
    throw new Refusal(429, 'rate-limited', `too many requests from ${who}; try again in ${seconds} s`, {}, { 'retry-after': String(seconds) });
  }

  /** Buckets that have refilled hold no information: dropping them keeps many client addresses from growing the map. */
  private forgetIdle(now: number): void {
    for (const [key, b] of this.buckets) if (b.tokens + ((now - b.at) / 1000) * this.perSecond >= this.burst) this.buckets.delete(key);
  }
}
