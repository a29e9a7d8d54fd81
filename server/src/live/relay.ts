/**
 * The live side across API nodes on one PostgreSQL: what this node puts on its bus, and
 * each window status it takes, goes out as a NOTIFY on one channel with this node's id
 * (random at start); every other node LISTENs on a connection of its own and replays what
 * it hears into its own bus and hall (its own notices it skips). PGlite is one process and
 * has no use for it.
 *
 * Best-effort, like the bus: nothing here is ever the only copy of a fact. A status is in
 * window_status (written behind by the node that took it, and read by every node's
 * refresh); an event is a "look now" about a fact on a page. So a lost notice costs a few
 * seconds, not a fact: after the LISTEN connection comes back (with backoff, said once in
 * the log), the hall is read again from the table, and once more a little later for the
 * rows the other nodes were still writing behind.
 *
 * A NOTIFY carries at most 8000 bytes. News larger than that is written to
 * live_relay_spill and only its id is notified; the other nodes read the row.
 *
 * 'window' events are not sent as such: a node's hall makes its own from the statuses it
 * hears, and judges staleness on its own clock, so each tile changes once on every node.
 */
import { randomBytes } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import pg from 'pg';
import type { LiveEvent } from '../../../src/shared/console/live-contract';
import { redact } from '../../../src/shared/privacy';
import type { Sql } from '../db/sql';
import type { HallState, HeldStatus } from '../hall/state';
import type { CentreBus } from './bus';

export const LIVE_CHANNEL = 'cordial_live';
/** PostgreSQL refuses a payload of 8000 bytes or more; the rest goes through the table. */
export const MAX_NOTIFY_BYTES = 7_900;
/** How long a spilled notice is kept for the other nodes to read. */
const SPILL_KEEP_MS = 5 * 60_000;
/** After a reconnect the hall is read again at once and once more this much later (rows still being written behind). */
const SETTLE_MS = 3_000;
const FIRST_RETRY_MS = 250;
const MAX_RETRY_MS = 10_000;

/** What goes on the channel: a bus event, a window status, or the id of a spilled one. */
export type RelayNotice = { n: string; e: LiveEvent } | { n: string; s: HeldStatus } | { n: string; x: number };

export interface RelayDeps {
  /** This node's pool: the NOTIFYs and the spilled rows go through it. */
  db: Sql;
  /** The same PostgreSQL, for the one LISTEN connection. */
  connectionString: string;
  bus: CentreBus;
  hall: HallState;
  log: FastifyBaseLogger;
  now: () => number;
}

export class LiveRelay {
  /** This node, on the channel: its own notices come back to it and are skipped. */
  readonly nodeId = randomBytes(8).toString('hex');
  /**
   * The wait between two tries to listen again (doubling from 250 ms to 10 s). Tests
   * replace it to hold a node off the channel for as long as they need.
   */
  wait: (ms: number) => Promise<void> = (ms) => new Promise((resolve) => setTimeout(resolve, ms).unref());

  private client: pg.Client | null = null;
  private stopped = false;
  private started = false;
  private readonly queue: string[] = [];
  private sending: Promise<void> = Promise.resolve();
  private receiving: Promise<void> = Promise.resolve();
  private sendScheduled = false;
  private lastSendFailure = 0;
  private readonly detach: (() => void)[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly listeners = new Set<() => void>();
  private reconnects = 0;

  constructor(private readonly deps: RelayDeps) {}

  /** Whether this node hears the others now. */
  get listening(): boolean {
    return this.client !== null;
  }

  /** How many times the LISTEN connection was made again after it dropped. */
  get reconnected(): number {
    return this.reconnects;
  }

  /**
   * Starts sending at once, and listening: the first try is awaited; if it fails, the
   * centre starts all the same (its hall refreshes from the table) and keeps trying.
   */
  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    this.detach.push(this.deps.bus.relayTo((event) => this.send(event)));
    this.detach.push(this.deps.hall.onStored((entry) => this.sendStatus(entry)));
    try {
      this.client = await this.listen();
      for (const done of [...this.listeners]) done();
    } catch (err) {
      this.deps.log.warn({ err: { message: redact(err instanceof Error ? err.message : String(err)) } }, 'live relay: cannot listen to the other API nodes; trying again');
      void this.connectLoop();
    }
  }

  /** Resolves once this node hears the others. */
  whenListening(): Promise<void> {
    if (this.client) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        this.listeners.delete(done);
        resolve();
      };
      this.listeners.add(done);
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const off of this.detach.splice(0)) off();
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    // What was gathered still goes out, before the pool closes.
    const last = this.queue.splice(0);
    this.sending = this.sending.then(() => this.sendBatch(last));
    await this.sending;
    await this.receiving;
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => undefined);
  }

  private send(event: LiveEvent): void {
    if (event.type === 'window') return;
    this.enqueue({ n: this.nodeId, e: event });
  }

  private sendStatus(entry: HeldStatus): void {
    const { windowNo, terminalId, runId, seq, status, receivedAt } = entry;
    this.enqueue({ n: this.nodeId, s: { windowNo, terminalId, runId, seq, status, receivedAt } });
  }

  /** Gathered for a turn of the event loop, then one statement sends them all, in order. */
  private enqueue(notice: RelayNotice): void {
    if (this.stopped) return;
    this.queue.push(JSON.stringify(notice));
    if (this.sendScheduled) return;
    this.sendScheduled = true;
    setImmediate(() => {
      this.sendScheduled = false;
      const batch = this.queue.splice(0);
      this.sending = this.sending.then(() => this.sendBatch(batch));
    });
  }

  private async sendBatch(batch: string[]): Promise<void> {
    if (batch.length === 0) return;
    try {
      const payloads: string[] = [];
      for (const text of batch) payloads.push(Buffer.byteLength(text) <= MAX_NOTIFY_BYTES ? text : await this.spill(text));
      await this.deps.db.query('SELECT pg_notify($1, p) FROM unnest($2::text[]) WITH ORDINALITY AS u(p, i) ORDER BY i', [LIVE_CHANNEL, payloads]);
    } catch (err) {
      // Dropped: the other nodes read the hall from the table within seconds, and every event is also on a page.
      const now = Date.now();
      if (now - this.lastSendFailure < 60_000) return;
      this.lastSendFailure = now;
      this.deps.log.warn({ err: { message: redact(err instanceof Error ? err.message : String(err)) } }, 'live relay: could not tell the other API nodes; they catch up from the database');
    }
  }

  private async spill(text: string): Promise<string> {
    const now = this.deps.now();
    const [row] = await this.deps.db.query<{ id: number }>('INSERT INTO live_relay_spill (payload, at) VALUES ($1, $2) RETURNING id', [text, now]);
    void this.deps.db.query('DELETE FROM live_relay_spill WHERE at < $1', [now - SPILL_KEEP_MS]).catch(() => undefined);
    return JSON.stringify({ n: this.nodeId, x: Number(row!.id) } satisfies RelayNotice);
  }

  private async heard(payload: string | undefined): Promise<void> {
    if (!payload) return;
    let notice: RelayNotice;
    try {
      notice = JSON.parse(payload) as RelayNotice;
    } catch {
      return;
    }
    if (notice.n === this.nodeId) return;
    if ('x' in notice) {
      const [row] = await this.deps.db.query<{ payload: string }>('SELECT payload FROM live_relay_spill WHERE id = $1', [notice.x]);
      // Pruned already (a node that was away): the hall's refresh and the pages still have it.
      if (row) await this.heard(row.payload);
      return;
    }
    if ('s' in notice) await this.deps.hall.applyRemote(notice.s);
    else this.deps.bus.replay(notice.e);
  }

  private async listen(): Promise<pg.Client> {
    const client = new pg.Client({ connectionString: this.deps.connectionString, application_name: `cordial-live-${this.nodeId}` });
    client.on('error', () => this.lost(client));
    client.on('end', () => this.lost(client));
    client.on('notification', (message) => {
      if (message.channel !== LIVE_CHANNEL) return;
      // One after the other: a spilled notice read from the table still comes before the next.
      this.receiving = this.receiving
        .then(() => this.heard(message.payload))
        .catch((err: unknown) => {
          this.deps.log.warn({ err: { message: redact(err instanceof Error ? err.message : String(err)) } }, 'live relay: could not read a notice from another API node');
        });
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${LIVE_CHANNEL}`);
    } catch (err) {
      client.removeAllListeners('end');
      await client.end().catch(() => undefined);
      throw err;
    }
    return client;
  }

  /** Listens again, with backoff, until it does (or the relay stops); the caller has said so in the log. */
  private async connectLoop(): Promise<void> {
    let delay = FIRST_RETRY_MS;
    for (let attempt = 1; !this.stopped; attempt++) {
      await this.wait(delay);
      if (this.stopped) return;
      try {
        const client = await this.listen();
        if (this.stopped) {
          await client.end().catch(() => undefined);
          return;
        }
        this.client = client;
        this.reconnects++;
        this.deps.log.info({ attempts: attempt }, 'live relay: listening to the other API nodes again; reading the hall from the database');
        this.catchUp();
        for (const done of [...this.listeners]) done();
        return;
      } catch {
        delay = Math.min(MAX_RETRY_MS, delay * 2);
      }
    }
  }

  private lost(client: pg.Client): void {
    if (this.client !== client || this.stopped) return;
    this.client = null;
    // Once per outage: the loop below says nothing more until it listens again.
    this.deps.log.warn("live relay: lost the connection that listens to the other API nodes; this node's consoles see their changes from the database until it is back");
    void this.connectLoop();
  }

  /** What was missed while away is in window_status: read it now, and again once the others have written behind. */
  private catchUp(): void {
    const reload = () =>
      void this.deps.hall.reload().catch((err: unknown) => {
        this.deps.log.warn({ err: { message: redact(err instanceof Error ? err.message : String(err)) } }, 'live relay: could not read the hall again; its refresh catches up');
      });
    reload();
    const later = setTimeout(() => {
      this.timers.delete(later);
      if (!this.stopped) reload();
    }, SETTLE_MS);
    later.unref();
    this.timers.add(later);
  }
}
