/**
 * Poor ratings travel at once: when a 差评 (or the reasons and callback number given after
 * any rating) is recorded, the sync client runs shortly after instead of waiting for the
 * night, so the centre can start the follow-up the same day.
 *
 *   - a short pause first (debounceMs), so a rating and the details the citizen adds a
 *     moment later usually travel in one batch; the pause is counted from the first record,
 *     so a rating never waits for its details;
 *   - the run is an ordinary sync run, serialised with the nightly and the person's runs,
 *     and sends everything pending in order: exactly-once is the outbox's, not this file's;
 *   - when the centre cannot be reached, the next attempt waits a growing, jittered delay
 *     (retryBaseMs doubling up to retryCapMs); records recorded meanwhile wait for that
 *     attempt or the next run, so an offline window never hammers the network.
 */
import { sqlLevelList, POOR_LEVELS } from '../../shared/levels';
import type { Log } from '../log';
import type { Db } from '../store/database';
import type { Clock } from '../time';

export interface AtOnce {
  /** From the first such record to the run. */
  debounceMs: number;
  /** After the first failed attempt; doubles with each failure in a row. */
  retryBaseMs: number;
  retryCapMs: number;
}

export const DEFAULT_AT_ONCE: AtOnce = { debounceMs: 300, retryBaseMs: 30_000, retryCapMs: 30 * 60_000 };

/** Who started a run: a person (staff panel, CLI), the nightly schedule, or a poor rating. */
export type RunCause = 'person' | 'schedule' | 'at_once';

/** How a run ended, as far as the next attempt cares. */
export type RunEnd = { ok: true } | { ok: false; code: string };

const URGENT = `(kind = 'rating_details' OR (kind = 'rating' AND json_extract(payload, '$.level') IN ${sqlLevelList(POOR_LEVELS)}))`;

/** The newest outbox row; rows only ever get larger ids. */
function lastRowId(db: Db): number {
  return (db.prepare('SELECT max(id) FROM outbox').pluck().get() as number | null) ?? 0;
}

/** A poor rating or rating details recorded after row `afterId`, not yet acknowledged. */
function urgentAfter(db: Db, afterId: number): boolean {
  return db.prepare(`SELECT 1 FROM outbox WHERE id > ? AND acked_at IS NULL AND ${URGENT} LIMIT 1`).pluck().get(afterId) !== undefined;
}

/** A poor rating or rating details the centre does not hold yet. */
export function urgentPending(db: Db): boolean {
  return db.prepare(`SELECT 1 FROM outbox WHERE acked_at IS NULL AND ${URGENT} LIMIT 1`).pluck().get() !== undefined;
}

/** Half-jitter: between half and all of min(cap, base · 2^(failures - 1)), so a failed window always waits a while. */
export function atOnceRetryMs(failures: number, policy: AtOnce, random: () => number): number {
  const ceiling = Math.min(policy.retryCapMs, policy.retryBaseMs * 2 ** Math.min(Math.max(failures - 1, 0), 30));
  return Math.floor(ceiling * (0.5 + random() / 2));
}

export interface AtOnceOptions {
  db: Db;
  clock: Clock;
  random: () => number;
  policy: AtOnce;
  /** Calls `changed` after the kiosk records something (any kiosk event); returns the unsubscribe. */
  watch: (changed: () => void) => () => void;
  /** Starts a run now (the client's serialised run). */
  send: () => void;
  running: () => boolean;
  log?: Log;
}

export class AtOnceSender {
  private seenId = 0;
  private cancelTimer: (() => void) | null = null;
  private failures = 0;
  private notBefore = 0;
  /** A record arrived while a run was under way: look again when it ends. */
  private again = false;
  private unwatch: (() => void) | null = null;

  constructor(private readonly o: AtOnceOptions) {}

  start(): void {
    this.stop();
    this.seenId = lastRowId(this.o.db);
    this.unwatch = this.o.watch(() => this.noticed());
  }

  stop(): void {
    this.unwatch?.();
    this.unwatch = null;
    this.cancelTimer?.();
    this.cancelTimer = null;
    this.again = false;
  }

  /** Something was recorded: a cheap look at the newest rows, and a run if one of them is urgent. */
  private noticed(): void {
    try {
      const last = lastRowId(this.o.db);
      if (last === this.seenId) return;
      const urgent = urgentAfter(this.o.db, this.seenId);
      this.seenId = last;
      if (urgent) this.want();
    } catch (err) {
      this.o.log?.warn(`sync: could not check for a poor rating to send at once: ${(err as Error).message}`);
    }
  }

  private want(): void {
    if (this.unwatch === null || this.cancelTimer) return;
    if (this.o.running()) {
      this.again = true;
      return;
    }
    const at = Math.max(this.o.clock.now() + this.o.policy.debounceMs, this.notBefore);
    this.cancelTimer = this.o.clock.setTimer(at, () => {
      this.cancelTimer = null;
      if (this.unwatch === null) return;
      // A run someone else started meanwhile may have begun before this record: look again when it ends.
      if (this.o.running()) this.again = true;
      // Another run may have carried everything while this one waited out its pause.
      else if (this.stillPending()) this.o.send();
    });
  }

  /** Every run's end, whoever started it: success clears the back-off, a failure lengthens it. */
  ran(cause: RunCause, end: RunEnd): void {
    const again = this.again;
    this.again = false;
    if (end.ok) {
      this.failures = 0;
      this.notBefore = 0;
    } else if (end.code !== 'stopped') {
      this.failures += 1;
      this.notBefore = this.o.clock.now() + atOnceRetryMs(this.failures, this.o.policy, this.o.random);
    }
    if (this.unwatch === null) return;
    // After a failure only an unreachable centre is worth trying again by itself; a refusal waits for a person.
    const retry = end.ok ? again : end.code === 'centre_unreachable' && (cause === 'at_once' || again);
    if (retry && this.stillPending()) this.want();
  }

  private stillPending(): boolean {
    try {
      return urgentPending(this.o.db);
    } catch (err) {
      this.o.log?.warn(`sync: could not check for a poor rating to send at once: ${(err as Error).message}`);
      return false;
    }
  }
}
