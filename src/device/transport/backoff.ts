/** Reopen delays: quick after a glitch, then doubling, capped so a replugged keypad is back within seconds. */
export interface Backoff {
  initialMs: number;
  maxMs: number;
}

export const DEFAULT_BACKOFF: Backoff = { initialMs: 250, maxMs: 1500 };

/** Delay before reopen attempt `attempt` (0 = first attempt after a loss). */
export function backoffDelay(attempt: number, backoff: Backoff = DEFAULT_BACKOFF): number {
  const delay = backoff.initialMs * 2 ** Math.min(Math.max(attempt, 0), 16);
  return Math.min(delay, backoff.maxMs);
}
