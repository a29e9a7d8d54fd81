/**
 * Guessing passwords is made slow two ways: per user name (known or not, so the answers
 * do not tell which names exist), a lock that doubles with every further wrong password;
 * and per client address, a cap on failed sign-ins whatever names it tries.
 */
import { one, type Sql } from '../db/sql';
import { Refusal } from '../errors';
import type { AccountPolicy } from '../options';

// Wrong passwords spread over days are forgetfulness, not guessing.
const FAILURES_FORGOTTEN_AFTER_MS = 24 * 3_600_000;

export function usernameKey(username: string): string {
  return username.trim().toLowerCase();
}

function waitSentence(ms: number): string {
  const minutes = Math.ceil(ms / 60_000);
  return minutes <= 1 ? 'in a minute' : `in ${minutes} minutes`;
}

export function lockedOut(waitMs: number): Refusal {
  const seconds = Math.max(1, Math.ceil(waitMs / 1000));
  return new Refusal(429, 'locked-out', `too many wrong passwords for this user name; try again ${waitSentence(waitMs)}, or ask an admin to reset the password`, { retryAfterSeconds: seconds }, { 'retry-after': String(seconds) }).because('accounts.locked_out', { seconds });
}

/** How long the name is still locked, in ms (0: not locked). */
export async function lockRemaining(db: Sql, key: string, now: number): Promise<number> {
  const row = await one<{ locked_until: number | null }>(db, 'SELECT locked_until FROM console_sign_in_failures WHERE username_key = $1', [key]);
  const until = row?.locked_until === null || row?.locked_until === undefined ? 0 : Number(row.locked_until);
  return Math.max(0, until - now);
}

/** Counts a wrong password; returns the lock it starts (ms), or 0. */
export async function countFailure(db: Sql, key: string, now: number, policy: AccountPolicy): Promise<number> {
  const row = await one<{ failures: number }>(
    db,
    `INSERT INTO console_sign_in_failures (username_key, failures, last_failure_at) VALUES ($1, 1, $2)
     ON CONFLICT (username_key) DO UPDATE SET
       failures = CASE WHEN console_sign_in_failures.last_failure_at < $3 THEN 1 ELSE console_sign_in_failures.failures + 1 END,
       last_failure_at = $2
     RETURNING failures`,
    [key, now, now - FAILURES_FORGOTTEN_AFTER_MS],
  );
  const beyond = (row?.failures ?? 0) - policy.failuresBeforeLockout;
  if (beyond < 0) return 0;
  const lockMs = Math.min(policy.longestLockoutMs, policy.firstLockoutMs * 2 ** Math.min(beyond, 30));
  await db.query('UPDATE console_sign_in_failures SET locked_until = $2 WHERE username_key = $1', [key, now + lockMs]);
  return lockMs;
}

export async function forgetFailures(db: Sql, key: string): Promise<void> {
  await db.query('DELETE FROM console_sign_in_failures WHERE username_key = $1', [key]);
}

/** Failed sign-ins per client address in a sliding window, in memory on this node. */
export class AddressFailures {
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly policy: AccountPolicy['addressFailures'],
    private readonly now: () => number,
  ) {}

  /** Refuses the address while it is over its cap. */
  check(address: string): void {
    const recent = this.recent(address);
    if (recent.length < this.policy.max) return;
    const waitMs = recent[0]! + this.policy.windowMs - this.now();
    const seconds = Math.max(1, Math.ceil(waitMs / 1000));
    throw new Refusal(429, 'rate-limited', `too many failed sign-ins from this computer; try again ${waitSentence(waitMs)}`, { retryAfterSeconds: seconds }, { 'retry-after': String(seconds) }).because('accounts.too_many_failed_sign_ins', { seconds });
  }

  record(address: string): void {
    const recent = this.recent(address);
    recent.push(this.now());
    this.failures.set(address, recent.slice(-this.policy.max));
  }

  private recent(address: string): number[] {
    const since = this.now() - this.policy.windowMs;
    if (this.failures.size > 10_000) for (const [a, times] of this.failures) if (times.every((t) => t <= since)) this.failures.delete(a);
    return (this.failures.get(address) ?? []).filter((t) => t > since);
  }
}
