/**
 * The wall's data, outside React: the hall read once, kept current by the wall's event
 * stream, read again after every reconnect and every few minutes. Built to run for days:
 * one tile per window replaced in place, the ticker bounded, listeners attached once per
 * connection and timers cleared, and React told at most a few times a second.
 */
import {
  WALL_API,
  WALL_EVENT_TYPES,
  WALL_REFUSALS,
  WALL_ROUTES,
  type Hall,
  type LiveWindow,
  type WallEvent,
  type WindowAlert,
} from '../../../../src/shared/console/hall-contract';

/** At most this many alerts in the ticker. */
export const TICKER_MAX = 12;
/** The centre's heartbeat is 15 s; three missed and the link is taken for down. */
const SILENT_MS = 45_000;
/** The hall is read again this often, so the day's figures and alerts never drift. */
const REFRESH_MS = 5 * 60_000;
/** Changes are drawn at most this often. */
const DRAW_MS = 250;

export type TickerItem =
  | { key: string; kind: 'window_alert'; alert: WindowAlert }
  | { key: string; kind: 'poor_burst'; windowNo: string | null; at: number };

/** Why the wall has stopped: it will not try again by itself. */
export type Stopped = { reason: 'revoked' | 'invalid' | 'missing'; message: string };

export interface WallSnapshot {
  /** Changes with every drawn change: React compares it. */
  version: number;
  windows: readonly LiveWindow[];
  today: Hall['today'] | null;
  ticker: readonly TickerItem[];
  /** Since when (this PC's clock) the link to the centre is down; null while it holds. */
  downSince: number | null;
  /** The centre's clock minus this PC's, from the last hall read. */
  centreOffsetMs: number;
  loaded: boolean;
  stopped: Stopped | null;
}

class WallRefusal extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

async function refusalOf(response: Response): Promise<WallRefusal> {
  let code = `http-${response.status}`;
  let message = response.statusText;
  try {
    const body = (await response.json()) as { error?: { code?: string; message?: string } };
    code = body.error?.code ?? code;
    message = body.error?.message ?? message;
  } catch {
    // not JSON: a proxy's page
  }
  return new WallRefusal(response.status, code, message);
}

function stoppedBy(err: unknown): Stopped | null {
  if (!(err instanceof WallRefusal) || err.status !== 401) return null;
  return { reason: err.code === WALL_REFUSALS.revoked ? 'revoked' : 'invalid', message: err.message };
}

export class WallStore {
  private tiles = new Map<string, LiveWindow>();
  private order: string[] = [];
  private snapshot: WallSnapshot = { version: 0, windows: [], today: null, ticker: [], downSince: null, centreOffsetMs: 0, loaded: false, stopped: null };
  private readonly listeners = new Set<() => void>();
  private source: EventSource | null = null;
  private drawTimer: ReturnType<typeof setTimeout> | null = null;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private watchdog: ReturnType<typeof setInterval> | null = null;
  private refreshTimer: ReturnType<typeof setInterval> | null = null;
  private lastHeard = 0;
  private pause = 2_000;
  private closed = false;
  private ticker: TickerItem[] = [];
  private today: Hall['today'] | null = null;
  private downSince: number | null = null;
  private centreOffsetMs = 0;
  private loaded = false;
  private stopped: Stopped | null = null;
  private readonly onEvent = (message: MessageEvent<string>) => this.heard(message);
  private readonly onBeat = () => {
    this.lastHeard = Date.now();
  };
  private readonly onOpen = () => {
    this.lastHeard = Date.now();
    this.pause = 2_000;
    // Whatever happened while the link was down, the hall read now is the truth.
    void this.load();
  };
  private readonly onError = () => this.lost();

  /** Trades the token from the address for the wall's cookie, then reads and listens. */
  async start(token: string | null): Promise<void> {
    this.watchdog = setInterval(() => {
      if (this.source && Date.now() - this.lastHeard > SILENT_MS) this.lost(true);
    }, 5_000);
    this.refreshTimer = setInterval(() => void this.load(), REFRESH_MS);
    if (token) {
      while (!this.closed) {
        try {
          const response = await fetch(`${WALL_API}${WALL_ROUTES.session}`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, credentials: 'same-origin' });
          if (!response.ok) throw await refusalOf(response);
          break;
        } catch (err) {
          const stopped = stoppedBy(err);
          if (stopped) return this.stop(stopped);
          // The centre is not reachable yet (the display PC booted first): try again.
          this.markDown();
          await new Promise((resolve) => (this.retryTimer = setTimeout(resolve, 5_000)));
        }
      }
    }
    if (await this.load()) this.connect();
  }

  close(): void {
    this.closed = true;
    this.disconnect();
    for (const t of [this.watchdog, this.refreshTimer]) if (t) clearInterval(t);
    for (const t of [this.drawTimer, this.retryTimer]) if (t) clearTimeout(t);
    this.listeners.clear();
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  get = (): WallSnapshot => this.snapshot;

  // ---------------------------------------------------------------- the link

  private connect(): void {
    if (this.closed || this.stopped) return;
    const source = new EventSource(`${WALL_API}${WALL_ROUTES.events}`, { withCredentials: true });
    this.source = source;
    this.lastHeard = Date.now();
    source.addEventListener('open', this.onOpen);
    source.addEventListener('error', this.onError);
    source.addEventListener('beat', this.onBeat);
    for (const type of WALL_EVENT_TYPES) source.addEventListener(type, this.onEvent);
  }

  private disconnect(): void {
    const source = this.source;
    if (!source) return;
    this.source = null;
    source.removeEventListener('open', this.onOpen);
    source.removeEventListener('error', this.onError);
    source.removeEventListener('beat', this.onBeat);
    for (const type of WALL_EVENT_TYPES) source.removeEventListener(type, this.onEvent);
    source.close();
  }

  /** The link dropped or went silent: say so, and open a new one (EventSource gives up after a refused answer). */
  private lost(silent = false): void {
    this.markDown();
    if (!this.source) return;
    if (!silent && this.source.readyState !== EventSource.CLOSED) return; // it reconnects by itself
    this.disconnect();
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      // A refused stream may be a revoked token: the hall read says which, and the wall stops.
      void this.load().then((ok) => {
        if (ok || !this.stopped) this.connect();
      });
    }, this.pause);
    this.pause = Math.min(this.pause * 2, 30_000);
  }

  private markDown(): void {
    if (this.downSince !== null) return;
    this.downSince = Date.now();
    this.draw(true);
  }

  private stop(stopped: Stopped): void {
    this.stopped = stopped;
    this.disconnect();
    this.draw(true);
  }

  /** Reads the whole hall; false when it could not. */
  private async load(): Promise<boolean> {
    if (this.closed || this.stopped) return false;
    try {
      const response = await fetch(`${WALL_API}${WALL_ROUTES.hall}`, { credentials: 'same-origin', headers: { accept: 'application/json' } });
      if (!response.ok) throw await refusalOf(response);
      const hall = (await response.json()) as Hall;
      this.centreOffsetMs = hall.generatedAt - Date.now();
      this.tiles = new Map(hall.windows.map((w) => [w.windowNo, w]));
      this.order = hall.windows.map((w) => w.windowNo);
      this.today = hall.today;
      // Open alerts from the hall, then what the stream adds; the ticker stays bounded.
      const open = hall.alerts.filter((a) => a.endedAt === null).slice(0, TICKER_MAX);
      const kept = this.ticker.filter((t) => t.kind === 'poor_burst');
      this.ticker = [...open.map((alert) => ({ key: `w${alert.id}`, kind: 'window_alert' as const, alert })), ...kept].slice(0, TICKER_MAX);
      this.loaded = true;
      if (this.source && this.source.readyState === EventSource.OPEN) this.downSince = null;
      this.draw(true);
      return true;
    } catch (err) {
      const stopped = stoppedBy(err);
      if (stopped) this.stop(stopped);
      else this.markDown();
      return false;
    }
  }

  // ---------------------------------------------------------------- events

  private heard(message: MessageEvent<string>): void {
    this.lastHeard = Date.now();
    let event: WallEvent;
    try {
      event = JSON.parse(message.data) as WallEvent;
    } catch {
      return;
    }
    if (event.type === 'window') this.windowChanged(event.window);
    else if (event.type === 'window_alert') this.alerted({ key: `w${event.alert.id}`, kind: 'window_alert', alert: event.alert });
    else if (event.type === 'rule_alert') this.alerted({ key: `r${event.alertId}`, kind: 'poor_burst', windowNo: event.windowNo, at: event.raisedAt });
    this.draw(false);
  }

  private windowChanged(next: LiveWindow): void {
    const held = this.tiles.get(next.windowNo);
    if (!held) this.order.push(next.windowNo);
    // The day's totals move with the windows' own counts until the next hall read sets them again.
    const before = held?.status?.today;
    const after = next.status?.today;
    if (this.today && before && after && after.served >= before.served && after.rated >= before.rated && after.poor >= before.poor) {
      const rated = this.today.rated + after.rated - before.rated;
      const poor = this.today.poor + after.poor - before.poor;
      this.today = { served: this.today.served + after.served - before.served, rated, poor, satisfaction: rated === 0 ? null : (rated - poor) / rated };
    }
    this.tiles.set(next.windowNo, next);
  }

  private alerted(item: TickerItem): void {
    const rest = this.ticker.filter((t) => t.key !== item.key);
    // An alert that ended leaves the ticker: the wall shows what holds now.
    const ended = item.kind === 'window_alert' && item.alert.endedAt !== null;
    this.ticker = ended ? rest : [item, ...rest].slice(0, TICKER_MAX);
  }

  // ---------------------------------------------------------------- drawing

  private draw(now: boolean): void {
    if (this.drawTimer) {
      if (!now) return;
      clearTimeout(this.drawTimer);
      this.drawTimer = null;
    }
    const publish = () => {
      this.drawTimer = null;
      this.snapshot = {
        version: this.snapshot.version + 1,
        windows: this.order.map((no) => this.tiles.get(no)!).filter(Boolean),
        today: this.today,
        ticker: this.ticker,
        downSince: this.downSince,
        centreOffsetMs: this.centreOffsetMs,
        loaded: this.loaded,
        stopped: this.stopped,
      };
      for (const listener of this.listeners) listener();
    };
    if (now) publish();
    else this.drawTimer = setTimeout(publish, DRAW_MS);
  }
}
