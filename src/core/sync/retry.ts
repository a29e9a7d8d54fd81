/**
 * When to try again: the centre's Retry-After when it gives one (seconds or an HTTP date),
 * else exponential back-off with full jitter, so windows that failed together do not all
 * come back in the same second.
 */
export interface RetryPolicy {
  /** Consecutive failures before a run gives up (the records wait for the next run). */
  attempts: number;
  baseMs: number;
  capMs: number;
  /** The longest Retry-After honoured; beyond it the run ends and the next one resumes. */
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 8, baseMs: 1_000, capMs: 5 * 60_000, maxRetryAfterMs: 15 * 60_000 };

/** Full jitter: uniformly between 0 and min(cap, base · 2^attempt). */
export function backoffMs(attempt: number, policy: RetryPolicy, random: () => number): number {
  const ceiling = Math.min(policy.capMs, policy.baseMs * 2 ** Math.min(attempt, 30));
  return Math.floor(random() * ceiling);
}

/** Retry-After in ms, or null when absent or unreadable. */
export function retryAfterMs(header: string | null | undefined, now: number): number | null {
  if (!header) return null;
  const text = header.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const at = Date.parse(text);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

/** Answers worth retrying: no answer, rate limited, or the centre (or a proxy) in trouble. */
export function isTransient(status: number): boolean {
  return status === 0 || status === 408 || status === 429 || status >= 500;
}
