/**
 * The window rules at work: a window's conditions are checked again whenever its tile
 * changes (a 'window' event on the bus: phase, staff, case, pause, keypad link, stale) and
 * every window's in a sweep every 30 s on the centre's clock, since most conditions hold
 * only once some time has passed. An alert starts once, ends when its condition ends, and
 * either way goes on the bus after its commit; a started one also goes to the webhooks.
 *
 * Checks run one at a time in this process; the store's partial unique index keeps a
 * second API node from starting the same alert again.
 */
import type { FastifyBaseLogger } from 'fastify';
import type { WindowAlert, WindowRules } from '../../../src/shared/console/hall-contract';
import { STATUS_STALE_MS } from '../../../src/shared/live-status';
import { redact } from '../../../src/shared/privacy';
import type { WebhookDeliverer } from '../alerts/deliver';
import type { Sql } from '../db/sql';
import type { CentreBus } from '../live/bus';
import { byWindowNumber } from './order';
import { alertChanges, centreDayOf, windowConditions, type CentreDay, type WindowFacts, type WindowHours } from './rules';
import { applyAlertChanges, loadWindowHours, loadWindowRules, openAlertsOf, type StartCandidate } from './rules-store';
import type { HallState, WindowEntry } from './state';

export const WINDOW_RULES_SWEEP_MS = 30_000;
/** A check between sweeps reuses the rules, hours and calendar read this recently (a change in the console reads them afresh). */
const CONTEXT_MAX_AGE_MS = 60_000;
/** Tile changes are gathered this long, so thousands of windows cost a few checks a second, not one per change. */
const GATHER_MS = 100;
/** Windows checked between two turns of the event loop. */
const YIELD_EVERY = 250;

interface Context {
  loadedAt: number;
  rules: WindowRules;
  hours: Map<string, WindowHours>;
  offset: number;
  day: CentreDay;
  departmentOf: Map<string, string | null>;
}

export interface WindowRuleDeps {
  db: Sql;
  bus: CentreBus;
  state: HallState;
  now: () => number;
  /** The alert rules' deliverer: told when something was queued. */
  deliverer: WebhookDeliverer;
  log: FastifyBaseLogger;
  sweepMs?: number;
}

export interface CheckResult {
  started: WindowAlert[];
  ended: WindowAlert[];
}

export class WindowRuleService {
  private chain: Promise<unknown> = Promise.resolve();
  private readonly pending = new Set<Promise<unknown>>();
  private timer: NodeJS.Timeout | null = null;
  private unsubscribe: (() => void) | null = null;
  private stopped = true;
  /** Silence is counted from here at the earliest: the centre cannot have heard a window while it was down. */
  private listeningSince = 0;
  /** Per window: the run and keypad link last seen, and since when (centre time), for a status that does not say. */
  private readonly linkHeard = new Map<string, { key: string; at: number }>();
  /** Windows whose tile changed, waiting for the next check. */
  private readonly waiting = new Set<string>();
  private context: Context | null = null;

  constructor(private readonly deps: WindowRuleDeps) {}

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.listeningSince = this.deps.now();
    this.unsubscribe = this.deps.bus.subscribe((event) => {
      if (event.type === 'window' && !this.stopped) this.changed(event.window.windowNo);
    });
    this.track(this.sweep());
    this.timer = setInterval(() => this.track(this.sweep()), this.deps.sweepMs ?? WINDOW_RULES_SWEEP_MS);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.unsubscribe?.();
    this.unsubscribe = null;
    await this.idle();
  }

  /** Resolves once every check already asked for has finished (tests, and an orderly stop). */
  async idle(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }

  /** A sweep soon, after a change of the rules or the hours (read afresh). */
  soon(): void {
    this.context = null;
    if (!this.stopped) this.track(this.sweep());
  }

  /** A tile changed: its window is checked a moment later with the others that change meanwhile, in one go. */
  private changed(windowNo: string): void {
    const queued = this.waiting.size > 0;
    this.waiting.add(windowNo);
    if (queued) return;
    this.track(
      new Promise((resolve) => setTimeout(resolve, GATHER_MS)).then(() => {
        const windows = [...this.waiting];
        this.waiting.clear();
        return this.check(windows);
      }),
    );
  }

  /** Every window's conditions, now. */
  sweep(): Promise<CheckResult> {
    return this.check(null);
  }

  /** These windows' conditions (every window's when null), after any check already running. */
  check(windowNos: readonly string[] | null): Promise<CheckResult> {
    const run = this.chain.then(() => this.checkNow(windowNos));
    this.chain = run.catch(() => undefined);
    return run;
  }

  /** What every check needs besides the windows: read afresh by each sweep, reused by the checks between. */
  private async contextFor(now: number, fresh: boolean): Promise<Context> {
    const held = this.context;
    if (!fresh && held && now - held.loadedAt < CONTEXT_MAX_AGE_MS && centreDayOf(now, held.offset, () => false).date === held.day.date) return held;
    const { db } = this.deps;
    const [rules, hours, offsetRows, departments] = await Promise.all([
      loadWindowRules(db),
      loadWindowHours(db),
      db.query<{ offset: number }>('SELECT centre_offset_minutes() AS offset'),
      db.query<{ window_no: string; department_code: string | null }>('SELECT window_no, department_code FROM windows'),
    ]);
    const offset = Number(offsetRows[0]?.offset ?? 480);
    const probe = centreDayOf(now, offset, () => false);
    const working = await db.query<{ working: boolean }>('SELECT is_working_day($1::date) AS working', [probe.date]);
    this.context = {
      loadedAt: now,
      rules,
      hours,
      offset,
      day: { ...probe, working: working[0]?.working === true },
      departmentOf: new Map(departments.map((d) => [d.window_no, d.department_code])),
    };
    return this.context;
  }

  private async checkNow(windowNos: readonly string[] | null): Promise<CheckResult> {
    const { db, state } = this.deps;
    const now = this.deps.now();
    const [context, open] = await Promise.all([this.contextFor(now, windowNos === null), openAlertsOf(db, windowNos)]);
    const { rules, hours, day, departmentOf } = context;
    const entryOf = (windowNo: string): WindowEntry | undefined => {
      const entry = state.get(windowNo);
      return entry && { ...entry, stale: entry.stale || now - entry.receivedAt > STATUS_STALE_MS };
    };
    const windows = windowNos ?? [...new Set([...hours.keys(), ...state.latest().keys(), ...open.map((a) => a.windowNo)])].sort(byWindowNumber);
    const openOf = new Map<string, WindowAlert[]>();
    for (const a of open) openOf.set(a.windowNo, [...(openOf.get(a.windowNo) ?? []), a]);

    const start: StartCandidate[] = [];
    const endIds: number[] = [];
    for (const [i, windowNo] of windows.entries()) {
      // A sweep over thousands of windows lets the status requests waiting meanwhile through.
      if (i > 0 && i % YIELD_EVERY === 0) await new Promise((resolve) => setImmediate(resolve));
      const entry = entryOf(windowNo);
      const facts: WindowFacts = {
        windowNo,
        departmentCode: departmentOf.get(windowNo) ?? null,
        status: entry?.status ?? null,
        receivedAt: entry?.receivedAt ?? null,
        stale: entry?.stale ?? false,
        listeningSince: this.listeningSince,
        linkHeardSince: entry ? this.linkSince(windowNo, `${entry.runId}:${entry.status.keypad.link}`, entry.receivedAt) : null,
      };
      const changes = alertChanges(windowConditions(facts, rules, hours.get(windowNo) ?? null, day, now), openOf.get(windowNo) ?? []);
      for (const c of changes.start) start.push({ ...c, windowNo, departmentCode: facts.departmentCode });
      for (const a of changes.end) endIds.push(a.id);
    }
    const result = await applyAlertChanges(db, start, endIds, now);
    for (const alert of [...result.ended, ...result.started]) this.deps.bus.publish({ type: 'window_alert', alert });
    if (result.started.length > 0) this.deps.deliverer.kick();
    return result;
  }

  private linkSince(windowNo: string, key: string, receivedAt: number): number {
    const held = this.linkHeard.get(windowNo);
    if (held?.key === key) return held.at;
    this.linkHeard.set(windowNo, { key, at: receivedAt });
    return receivedAt;
  }

  private track(work: Promise<unknown>): void {
    const job = work.catch((err: unknown) => {
      this.deps.log.warn({ err: { message: redact(err instanceof Error ? err.message : String(err)) } }, 'window rules: could not check the windows; the next sweep tries again');
    });
    this.pending.add(job);
    void job.finally(() => this.pending.delete(job));
  }
}
