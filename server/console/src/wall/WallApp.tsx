/**
 * 大厅 wall screen (WALL_PAGE): every window as a tile, grouped by department and floor, the
 * centre's satisfaction today and a ticker of live alerts, for a 1920×1080 or 3840×2160
 * display read from across the hall. No sign-in frame and no mouse: the display PC opens
 * `/wall#token=…` once, the token becomes the wall's cookie and leaves the address bar.
 */
import { memo, useEffect, useLayoutEffect, useMemo, useRef, useState, useSyncExternalStore, type RefObject } from 'react';
import { WALL_API, WALL_PAGE, type LiveWindow } from '../../../../src/shared/console/hall-contract';
import type { Language } from '../i18n';
import { WALL_STRINGS, WallLanguage, useWallStrings, type WallStrings } from './strings';
import { stateOf, stateWord } from './tile-state';
import { WallStore, type TickerItem, type WallSnapshot } from './wall-store';
import './wall.css';

const LANGUAGE_KEY = 'cordial.wall.language';

/** The token and language from the address (`#token=…&lang=en`), read once. */
function fromAddress(): { token: string | null; language: Language } {
  const params = new URLSearchParams(window.location.hash.slice(1));
  const asked = params.get('lang');
  if (asked === 'en' || asked === 'zh') window.localStorage.setItem(LANGUAGE_KEY, asked);
  return { token: params.get('token'), language: window.localStorage.getItem(LANGUAGE_KEY) === 'en' ? 'en' : 'zh' };
}

/** One second hand for the whole wall: each running clock reads it, the tiles do not re-draw. */
class SecondHand {
  now = Date.now();
  private readonly listeners = new Set<() => void>();
  private timer: ReturnType<typeof setInterval> | null = null;
  subscribe = (listener: () => void) => {
    this.listeners.add(listener);
    this.timer ??= setInterval(() => {
      this.now = Date.now();
      for (const l of this.listeners) l();
    }, 1_000);
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0 && this.timer) {
        clearInterval(this.timer);
        this.timer = null;
      }
    };
  };
  get = () => this.now;
}
const secondHand = new SecondHand();
/** What the page shows before its store starts: nothing loaded yet. */
const IDLE = new WallStore();
const useSecond = () => useSyncExternalStore(secondHand.subscribe, secondHand.get);

export function WallApp() {
  const [{ token, language }] = useState(fromAddress);
  const [store, setStore] = useState<WallStore>(IDLE);
  useEffect(() => {
    // The token is in memory now; the address bar (and anything that copies it) no longer shows it.
    if (token) window.history.replaceState(null, '', WALL_PAGE);
    // Made here, not during render: a store closed by an unmount is never started again.
    const started = new WallStore();
    setStore(started);
    void started.start(token);
    return () => started.close();
  }, [token]);
  useEffect(() => {
    // A new address pasted into this tab (a new token after a revoked one) differs only in its
    // fragment, which does not load the page again by itself.
    const pasted = () => window.location.reload();
    window.addEventListener('hashchange', pasted);
    return () => window.removeEventListener('hashchange', pasted);
  }, []);
  const snapshot = useSyncExternalStore(store.subscribe, store.get);
  const strings = useMemo(() => ({ language, w: WALL_STRINGS[language] }), [language]);
  useEffect(() => {
    document.documentElement.lang = language === 'zh' ? 'zh-CN' : 'en';
    document.title = strings.w.title;
  }, [language, strings]);
  return (
    <WallLanguage.Provider value={strings}>
      <Wall snapshot={snapshot} hadToken={token !== null} />
    </WallLanguage.Provider>
  );
}

function clockOf(at: number, language: Language, seconds = false): string {
  return new Date(at).toLocaleTimeString(language === 'zh' ? 'zh-CN' : 'en-GB', { hour: '2-digit', minute: '2-digit', ...(seconds ? { second: '2-digit' } : {}), hour12: false });
}

/**
 * The largest tile size at which every window fits on the screen: starts large and shrinks
 * until nothing overflows; starts again when the number of windows or the screen changes.
 */
function useFittedScale(count: number, groups: RefObject<HTMLElement | null>): number {
  const [fit, setFit] = useState({ count, size: `${window.innerWidth}x${window.innerHeight}`, scale: 1.6 });
  useEffect(() => {
    const resized = () => setFit({ count, size: `${window.innerWidth}x${window.innerHeight}`, scale: 1.6 });
    window.addEventListener('resize', resized);
    return () => window.removeEventListener('resize', resized);
  }, [count]);
  const current = fit.count === count ? fit.scale : 1.6;
  useLayoutEffect(() => {
    if (fit.count !== count) return setFit({ ...fit, count, scale: 1.6 });
    const el = groups.current;
    if (el && el.scrollHeight > el.clientHeight + 1 && fit.scale > 0.35) setFit({ ...fit, scale: fit.scale * 0.92 });
  }, [count, fit, groups]);
  return current;
}

function Wall({ snapshot, hadToken }: { snapshot: WallSnapshot; hadToken: boolean }) {
  const { w, language } = useWallStrings();
  const groupsRef = useRef<HTMLElement>(null);
  const count = snapshot.windows.length;
  const scale = useFittedScale(count, groupsRef);
  if (snapshot.stopped) {
    const reason = snapshot.stopped.reason === 'invalid' && !hadToken ? 'missing' : snapshot.stopped.reason;
    return (
      <div className="wall stopped" role="alert" data-stopped={reason}>
        <p className="stopped-text">{w.stopped[reason]}</p>
        <p className="stopped-detail">{w.stopped.detail(snapshot.stopped.message)}</p>
      </div>
    );
  }
  const down = snapshot.downSince !== null;
  return (
    <div className={down ? 'wall outdated' : 'wall'} style={{ ['--scale' as string]: scale.toFixed(3) }} data-loaded={snapshot.loaded}>
      <Header snapshot={snapshot} />
      {down ? (
        <p className="down-banner" role="alert" data-testid="down-banner">
          {w.down(clockOf(snapshot.downSince!, language, true))}
        </p>
      ) : null}
      {!snapshot.loaded ? <p className="wall-note">{w.connecting}</p> : null}
      {snapshot.loaded && count === 0 ? <p className="wall-note">{w.noWindows}</p> : null}
      <main className="groups" ref={groupsRef} data-fitted={scale.toFixed(2)}>
        {groupsOf(snapshot.windows, w).map((group) => (
          <section className="department" key={group.key} aria-label={group.name}>
            <h2>{group.name}</h2>
            {group.floors.map((floor) => (
              <div className="floor" key={floor.key}>
                {floor.name ? <h3>{floor.name}</h3> : null}
                <div className="tiles">
                  {floor.windows.map((window) => (
                    <Tile key={window.windowNo} window={window} offsetMs={snapshot.centreOffsetMs} />
                  ))}
                </div>
              </div>
            ))}
          </section>
        ))}
      </main>
      <Ticker items={snapshot.ticker} />
    </div>
  );
}

interface Group {
  key: string;
  name: string;
  floors: { key: string; name: string; windows: LiveWindow[] }[];
}

/** Departments in the hall's order, each with its floors; the hall already sorts the windows. */
function groupsOf(windows: readonly LiveWindow[], w: WallStrings): Group[] {
  const groups = new Map<string, Group>();
  for (const window of windows) {
    const key = window.departmentCode ?? '';
    let group = groups.get(key);
    if (!group) {
      group = { key: key || '-', name: window.departmentName ?? window.departmentCode ?? w.noDepartment, floors: [] };
      groups.set(key, group);
    }
    const floorName = window.floor ?? '';
    let floor = group.floors.find((f) => f.name === floorName);
    if (!floor) {
      floor = { key: floorName || '-', name: floorName, windows: [] };
      group.floors.push(floor);
    }
    floor.windows.push(window);
  }
  return [...groups.values()];
}

function Header({ snapshot }: { snapshot: WallSnapshot }) {
  const { w, language } = useWallStrings();
  const now = useSecond();
  const today = snapshot.today;
  const open = snapshot.windows.filter((x) => x.status && !x.stale && x.status.phase !== 'closed').length;
  const count = (n: number) => n.toLocaleString(language === 'zh' ? 'zh-CN' : 'en');
  return (
    <header className="wall-head">
      <h1>{w.title}</h1>
      <div className="satisfaction" data-testid="satisfaction">
        <span className="label">{w.satisfaction}</span>
        <span className="value">{today?.satisfaction == null ? w.noRatings : `${(today.satisfaction * 100).toFixed(1)}%`}</span>
      </div>
      <div className="figures">
        <span>{today ? w.todayFigures(count(today.served), count(today.rated), count(today.poor)) : ''}</span>
        <span>{w.windowsOpen(open, snapshot.windows.length)}</span>
      </div>
      <time className="clock">{clockOf(now + snapshot.centreOffsetMs, language, true)}</time>
    </header>
  );
}

/** mm:ss, or h:mm:ss past the hour. */
function lasted(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  const two = (n: number) => String(n).padStart(2, '0');
  const h = Math.floor(s / 3600);
  return h > 0 ? `${h}:${two(Math.floor(s / 60) % 60)}:${two(s % 60)}` : `${two(Math.floor(s / 60))}:${two(s % 60)}`;
}

/** A running clock from a kiosk's time: moved onto the centre's clock (by the status's own skew), then onto this PC's. */
function Elapsed({ since, skewMs, offsetMs }: { since: number; skewMs: number; offsetMs: number }) {
  const now = useSecond();
  return <span className="elapsed">{lasted(now + offsetMs - (since + skewMs))}</span>;
}

const Tile = memo(function Tile({ window, offsetMs }: { window: LiveWindow; offsetMs: number }) {
  const { w, language } = useWallStrings();
  const state = stateOf(window);
  const status = window.status;
  const staff = status && state !== 'closed' ? status.staff : null;
  const skew = status && window.receivedAt !== null ? window.receivedAt - status.at : 0;
  const word = stateWord(window, w);
  return (
    <article className={`tile s-${state}`} data-window={window.windowNo} data-state={state} aria-label={`${w.window(window.windowNo)} ${word}`}>
      <div className="tile-top">
        <span className="no">{window.windowNo}</span>
        <span className="state">{word}</span>
      </div>
      <div className="who">
        {staff && window.hasPhoto ? (
          <img className="photo" src={`${WALL_API}/photos/${encodeURIComponent(staff.staffNo)}`} alt="" decoding="async" />
        ) : (
          <span className="photo none" aria-hidden="true">{staff ? staff.name.slice(0, 1) : '—'}</span>
        )}
        <span className="name">{staff ? staff.name : w.noStaff}</span>
      </div>
      <div className="what">
        {state === 'serving' || state === 'awaiting' ? (
          status?.case ? (
            <>
              <span className="item">{status.case.itemName}</span>
              <Elapsed since={status.case.openedAt} skewMs={skew} offsetMs={offsetMs} />
            </>
          ) : null
        ) : state === 'paused' && status?.pause ? (
          <Elapsed since={status.pause.since} skewMs={skew} offsetMs={offsetMs} />
        ) : state === 'offline' && window.receivedAt !== null ? (
          <span className="item">{w.lastNews(clockOf(window.receivedAt - offsetMs, language))}</span>
        ) : null}
      </div>
      {status ? (
        <div className="figs">
          <span>{w.served} {status.today.served}</span>
          <span>{w.rated} {status.today.rated}</span>
          <span className={status.today.poor > 0 ? 'poor' : undefined}>{w.poor} {status.today.poor}</span>
        </div>
      ) : null}
    </article>
  );
});

function tickerText(item: TickerItem, w: WallStrings): string {
  if (item.kind === 'poor_burst') return w.alertAt(item.windowNo, w.poorBurst);
  return w.alertAt(item.alert.windowNo, w.rules[item.alert.rule]);
}

function Ticker({ items }: { items: readonly TickerItem[] }) {
  const { w, language } = useWallStrings();
  return (
    <footer className="ticker" aria-label={w.alerts}>
      <span className="ticker-label">{w.alerts}</span>
      <ol className="ticker-items" data-testid="ticker">
        {items.length === 0 ? <li className="quiet">{w.noAlerts}</li> : null}
        {items.map((item) => (
          <li key={item.key} data-kind={item.kind}>
            <time>{clockOf(item.kind === 'poor_burst' ? item.at : item.alert.startedAt, language)}</time> {tickerText(item, w)}
          </li>
        ))}
      </ol>
    </footer>
  );
}
