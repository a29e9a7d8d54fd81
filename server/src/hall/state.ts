/**
 * The hall as this API node knows it: the latest live status of every window, in memory,
 * written behind to table window_status (coalesced: at most one batched UPSERT a second,
 * whatever the number of windows), so a restart or a second node shows the same hall.
 *
 * A 'window' event goes on the bus when what a tile shows changes (phase, staff, case,
 * pause, keypad link, today's figures), when a window turns stale (no news for
 * STATUS_STALE_MS on the centre's clock), and when it is fresh again; a heartbeat that
 * changes nothing says nothing. The live channel is best-effort: nothing here is the only
 * copy of a fact, so a failed write is logged and tried again with the next second's batch.
 *
 * More than one API node: each keeps its own memory and writes its own statuses. On
 * PostgreSQL each status taken is also told to the other nodes at once (live/relay.ts:
 * `onStored` out, `applyRemote` in); and every `refreshMs` each node reads from the table
 * the rows another node wrote (newer than its own), so a console on any node sees every
 * window within a few seconds even when a notice was lost.
 */
import type { FastifyBaseLogger } from 'fastify';
import type { LiveWindow } from '../../../src/shared/console/hall-contract';
import { STATUS_STALE_MS, type WindowStatus } from '../../../src/shared/live-status';
import type { Sql } from '../db/sql';
import type { CentreBus } from '../live/bus';

/** What a tile shows of a status: the fields after the ids. */
export type ShownStatus = NonNullable<LiveWindow['status']>;

export interface WindowEntry {
  windowNo: string;
  terminalId: string;
  runId: string;
  seq: number;
  status: ShownStatus;
  /** Centre time it arrived. */
  receivedAt: number;
  stale: boolean;
}

/** A window as the window list describes it. */
export interface WindowMeta {
  departmentCode: string | null;
  departmentName: string | null;
  floor: string | null;
}

export interface HallStateOptions {
  db: Sql;
  bus: CentreBus;
  now: () => number;
  log: FastifyBaseLogger;
  staleMs?: number;
  /** How often pending statuses are written (default 1 s). */
  flushMs?: number;
  /** How often staleness is checked on the centre's clock (default 1 s). */
  sweepMs?: number;
  /** How often rows written by other API nodes are read in (default 5 s; 0: never). */
  refreshMs?: number;
  /** How often the window list and staff photos are read again for the events (default 30 s). */
  metaMs?: number;
}

export type Accepted = 'stored' | 'older';

/** A status as another API node holds it (a row of window_status, or the relay's notice). */
export type HeldStatus = Omit<WindowEntry, 'stale'>;

type StatusRow = {
  window_no: string;
  terminal_id: string;
  status: ShownStatus;
  received_at: number;
  run_id: string;
  seq: number;
};

const rowStatus = (r: StatusRow): HeldStatus => ({
  windowNo: r.window_no,
  terminalId: r.terminal_id,
  runId: r.run_id,
  seq: Number(r.seq),
  status: r.status,
  receivedAt: Number(r.received_at),
});

const WINDOWS_META = `
  SELECT n.window_no, w.department_code, w.department_name, w.settings->>'floor' AS floor
  FROM (SELECT window_no FROM windows UNION SELECT window_no FROM terminals WHERE revoked_at IS NULL) n
  LEFT JOIN windows w ON w.window_no = n.window_no`;

/** The part of a status whose change a person at the wall would notice. */
function shownKey(s: ShownStatus): string {
  return JSON.stringify([s.phase, s.staff?.staffNo ?? null, s.staff?.name ?? null, s.case, s.pause, s.keypad.link, s.today]);
}

export function shownOf(status: WindowStatus): ShownStatus {
  const { terminalId: _t, windowNo: _w, seq: _s, runId: _r, ...shown } = status;
  return shown;
}

/**
 * A status from a run before the kiosk restarted can still be on its way for as long as the
 * kiosk waits for an answer (5 s); after that, a new run's status is taken whatever its
 * clock says, so a kiosk whose clock was put back is not ignored until it catches up.
 */
const STRAGGLER_MS = 10_000;

/** Whether `incoming` is older than what is held: same run, not a higher seq; another run, sent before, shortly after the held one. */
function isOlder(held: { runId: string; seq: number; status: ShownStatus; receivedAt: number }, incoming: { runId: string; seq: number; at: number }, now: number): boolean {
  if (held.runId === incoming.runId) return incoming.seq <= held.seq;
  return incoming.at < held.status.at && now - held.receivedAt < STRAGGLER_MS;
}

export class HallState {
  private readonly entries = new Map<string, WindowEntry>();
  private readonly dirty = new Set<string>();
  private meta = new Map<string, WindowMeta>();
  private photos = new Set<string>();
  private metaLoading: Promise<void> | null = null;
  private readonly missingTriedAt = new Map<string, number>();
  private readonly timers: NodeJS.Timeout[] = [];
  private flushing: Promise<void> = Promise.resolve();
  private lastFailureLog = 0;
  private refreshedAt = 0;
  private readonly staleMs: number;
  private readonly storedTaps = new Set<(entry: Readonly<WindowEntry>) => void>();

  constructor(private readonly o: HallStateOptions) {
    this.staleMs = o.staleMs ?? STATUS_STALE_MS;
  }

  /** Reads the table (so a restart shows the same hall) and starts the timers. */
  async start(): Promise<void> {
    await this.loadMeta();
    const rows = await this.o.db.query<{ window_no: string; terminal_id: string; status: ShownStatus; received_at: number; run_id: string; seq: number }>(
      'SELECT window_no, terminal_id, status, received_at, run_id, seq FROM window_status',
    );
    const now = this.o.now();
    this.refreshedAt = now;
    for (const r of rows) {
      this.entries.set(r.window_no, {
        windowNo: r.window_no,
        terminalId: r.terminal_id,
        runId: r.run_id,
        seq: Number(r.seq),
        status: r.status,
        receivedAt: Number(r.received_at),
        stale: now - Number(r.received_at) > this.staleMs,
      });
    }
    const every = (ms: number, fn: () => void) => {
      if (ms <= 0) return;
      const t = setInterval(fn, ms);
      t.unref();
      this.timers.push(t);
    };
    every(this.o.flushMs ?? 1_000, () => void this.flush());
    every(this.o.sweepMs ?? 1_000, () => this.sweep());
    every(this.o.refreshMs ?? 5_000, () => void this.refresh().catch((err: unknown) => this.failed('could not read the hall from the database', err)));
    every(this.o.metaMs ?? 30_000, () => void this.loadMeta().catch((err: unknown) => this.failed('could not read the window list', err)));
  }

  /** Stops the timers and writes what is pending. */
  async stop(): Promise<void> {
    for (const t of this.timers.splice(0)) clearInterval(t);
    await this.flush();
  }

  /** A status from a terminal whose token and window were checked. */
  async accept(status: WindowStatus): Promise<Accepted> {
    const held = this.entries.get(status.windowNo);
    if (held && isOlder(held, status, this.o.now())) return 'older';
    await this.knowWindow(status.windowNo);
    const entry: WindowEntry = {
      windowNo: status.windowNo,
      terminalId: status.terminalId,
      runId: status.runId,
      seq: status.seq,
      status: shownOf(status),
      receivedAt: this.o.now(),
      stale: false,
    };
    this.entries.set(entry.windowNo, entry);
    this.dirty.add(entry.windowNo);
    if (!held || held.stale || shownKey(held.status) !== shownKey(entry.status)) this.publish(entry);
    for (const tap of this.storedTaps) {
      try {
        tap(entry);
      } catch {
        // Telling the other nodes is best-effort; the status is held and written behind here.
      }
    }
    return 'stored';
  }

  /** Every status this node takes from a terminal from now on, also to `tap` (the relay). */
  onStored(tap: (entry: Readonly<WindowEntry>) => void): () => void {
    this.storedTaps.add(tap);
    return () => this.storedTaps.delete(tap);
  }

  /**
   * A status another API node took: held if newer than this node's (the order the table
   * keeps), and told to this node's consoles when a tile changes. Not written: its node does.
   */
  async applyRemote(held: HeldStatus): Promise<boolean> {
    await this.knowWindow(held.windowNo);
    return this.adopt(held);
  }

  /** A window enrolled since the list was read: read it again (for a window still missing, at most every few seconds). */
  private async knowWindow(windowNo: string): Promise<void> {
    if (this.meta.has(windowNo) || Date.now() - (this.missingTriedAt.get(windowNo) ?? 0) <= 5_000) return;
    this.missingTriedAt.set(windowNo, Date.now());
    await this.loadMeta().catch((err: unknown) => this.failed('could not read the window list', err));
  }

  /** Reads every window's row again (after the relay was cut off: what it missed is in the table). */
  async reload(): Promise<void> {
    // Windows enrolled meanwhile are announced with their department, so the right consoles hear them.
    await this.loadMeta().catch((err: unknown) => this.failed('could not read the window list', err));
    const rows = await this.o.db.query<StatusRow>('SELECT window_no, terminal_id, status, received_at, run_id, seq FROM window_status');
    for (const r of rows) this.adopt(rowStatus(r));
  }

  private adopt(incoming: HeldStatus): boolean {
    const held = this.entries.get(incoming.windowNo);
    if (held && (held.runId === incoming.runId ? incoming.seq <= held.seq : incoming.receivedAt <= held.receivedAt)) return false;
    const entry: WindowEntry = { ...incoming, stale: this.o.now() - incoming.receivedAt > this.staleMs };
    this.entries.set(entry.windowNo, entry);
    if (!held || held.stale !== entry.stale || shownKey(held.status) !== shownKey(entry.status)) this.publish(entry);
    return true;
  }

  get(windowNo: string): WindowEntry | undefined {
    return this.entries.get(windowNo);
  }

  /**
   * Every window's latest status, as held (not a copy: read it, never change it), with the
   * stale flags brought up to now first (a window that just turned stale is announced).
   */
  latest(): ReadonlyMap<string, Readonly<WindowEntry>> {
    this.sweep();
    return this.entries;
  }

  /** Whether the window has had no news for STATUS_STALE_MS, on the centre's clock now. */
  isStale(entry: Pick<WindowEntry, 'receivedAt'>, now = this.o.now()): boolean {
    return now - entry.receivedAt > this.staleMs;
  }

  /** The tile of one window, as events and the hall show it. */
  liveWindow(windowNo: string, entry: Readonly<WindowEntry> | undefined, meta: WindowMeta | undefined, hasPhoto: boolean, stale = entry?.stale ?? false): LiveWindow {
    return {
      windowNo,
      departmentCode: meta?.departmentCode ?? null,
      departmentName: meta?.departmentName ?? null,
      floor: meta?.floor ?? null,
      hasPhoto,
      status: entry?.status ?? null,
      terminalId: entry?.terminalId ?? null,
      receivedAt: entry?.receivedAt ?? null,
      stale: entry ? stale : false,
    };
  }

  private publish(entry: WindowEntry): void {
    const meta = this.meta.get(entry.windowNo);
    const staffNo = entry.status.staff?.staffNo;
    this.o.bus.publish({ type: 'window', window: this.liveWindow(entry.windowNo, entry, meta, staffNo !== undefined && this.photos.has(staffNo)) });
  }

  /** Marks windows stale (or fresh again, after a refresh) on the centre's clock. */
  sweep(): void {
    const now = this.o.now();
    for (const entry of this.entries.values()) {
      const stale = now - entry.receivedAt > this.staleMs;
      if (stale === entry.stale) continue;
      entry.stale = stale;
      this.publish(entry);
    }
  }

  /** One batched UPSERT of every window that changed since the last; a newer row (another node's) is kept. */
  flush(): Promise<void> {
    this.flushing = this.flushing.then(async () => {
      if (this.dirty.size === 0) return;
      const batch = [...this.dirty].map((no) => this.entries.get(no)).filter((e): e is WindowEntry => e !== undefined);
      this.dirty.clear();
      try {
        await this.o.db.query(
          `INSERT INTO window_status (window_no, terminal_id, department_code, status, received_at, run_id, seq)
           SELECT u.window_no, u.terminal_id, w.department_code, u.status::jsonb, u.received_at, u.run_id, u.seq
           FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[], $5::text[], $6::bigint[]) AS u(window_no, terminal_id, status, received_at, run_id, seq)
           LEFT JOIN windows w ON w.window_no = u.window_no
           ON CONFLICT (window_no) DO UPDATE SET terminal_id = excluded.terminal_id, department_code = excluded.department_code, status = excluded.status,
             received_at = excluded.received_at, run_id = excluded.run_id, seq = excluded.seq
           WHERE (window_status.run_id = excluded.run_id AND window_status.seq < excluded.seq)
              OR (window_status.run_id <> excluded.run_id AND window_status.received_at <= excluded.received_at)`,
          [
            batch.map((e) => e.windowNo),
            batch.map((e) => e.terminalId),
            batch.map((e) => JSON.stringify(e.status)),
            batch.map((e) => e.receivedAt),
            batch.map((e) => e.runId),
            batch.map((e) => e.seq),
          ],
        );
      } catch (err) {
        // Written with the next batch, unless a newer status has replaced it by then.
        for (const e of batch) this.dirty.add(e.windowNo);
        this.failed('could not write the hall statuses', err);
      }
    });
    return this.flushing;
  }

  /** Rows another API node wrote since: light columns first, the statuses only of windows that moved on. */
  async refresh(): Promise<void> {
    // Overlapping reads: a row written behind (up to a second or two late) is still caught by the next one.
    const since = this.refreshedAt - 3_000;
    this.refreshedAt = this.o.now();
    const heads = await this.o.db.query<{ window_no: string; run_id: string; seq: number; received_at: number }>(
      'SELECT window_no, run_id, seq, received_at FROM window_status WHERE received_at > $1',
      [since],
    );
    const moved = heads
      .filter((h) => {
        const held = this.entries.get(h.window_no);
        if (!held) return true;
        if (held.runId === h.run_id) return Number(h.seq) > held.seq;
        return Number(h.received_at) > held.receivedAt;
      })
      .map((h) => h.window_no);
    if (moved.length === 0) return;
    const rows = await this.o.db.query<StatusRow>('SELECT window_no, terminal_id, status, received_at, run_id, seq FROM window_status WHERE window_no = ANY($1::text[])', [moved]);
    for (const r of rows) this.adopt(rowStatus(r));
  }

  /** The window list and who has a photo, for the events (the hall page reads them afresh). */
  loadMeta(): Promise<void> {
    this.metaLoading ??= (async () => {
      try {
        const [windows, photos] = await Promise.all([
          this.o.db.query<{ window_no: string; department_code: string | null; department_name: string | null; floor: string | null }>(WINDOWS_META),
          this.o.db.query<{ staff_no: string }>('SELECT staff_no FROM staff WHERE photo IS NOT NULL'),
        ]);
        this.meta = new Map(windows.map((w) => [w.window_no, { departmentCode: w.department_code, departmentName: w.department_name, floor: w.floor }]));
        this.photos = new Set(photos.map((p) => p.staff_no));
        for (const no of this.missingTriedAt.keys()) if (this.meta.has(no)) this.missingTriedAt.delete(no);
      } finally {
        this.metaLoading = null;
      }
    })();
    return this.metaLoading;
  }

  private failed(what: string, err: unknown): void {
    // At most one line a minute: a database outage must not fill the log once a second.
    const now = Date.now();
    if (now - this.lastFailureLog < 60_000) return;
    this.lastFailureLog = now;
    this.o.log.warn({ err: (err as Error).message }, what);
  }
}

export { WINDOWS_META };
