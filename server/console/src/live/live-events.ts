/**
 * The console's one live channel: an EventSource on LIVE_ROUTES.events while someone is
 * signed in. Each event is passed on to the page as a window event, so any page can listen
 * without a second connection; an event only says "look now", the pages read the facts.
 */
import { useEffect, useRef, useState } from 'react';
import { CONSOLE_API, LIVE_ROUTES, type LiveEvent, type LiveEventType } from '../../../../src/shared/console/contract';

export const LIVE_EVENT_TYPES: readonly LiveEventType[] = ['poor_rating', 'follow_up', 'integrity_alert', 'rule_alert', 'window', 'window_alert'];
const DISPATCHED = 'cordial:live';

export type LiveStatus = 'connecting' | 'connected' | 'reconnecting';

function isLiveEvent(value: unknown): value is LiveEvent {
  return typeof value === 'object' && value !== null && LIVE_EVENT_TYPES.includes((value as { type?: LiveEventType }).type as LiveEventType);
}

/**
 * Opens the stream and keeps it open. EventSource reconnects by itself after a dropped
 * connection; when the centre answers with an error instead (restarting, or a proxy's
 * page), EventSource gives up, so this opens a new one after a growing pause.
 */
export function connectLive(onStatus: (status: LiveStatus) => void): () => void {
  let source: EventSource | null = null;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let pause = 2_000;
  let stopped = false;
  const open = () => {
    source = new EventSource(`${CONSOLE_API}${LIVE_ROUTES.events}`, { withCredentials: true });
    source.onopen = () => {
      pause = 2_000;
      onStatus('connected');
    };
    source.onerror = () => {
      onStatus('reconnecting');
      if (source?.readyState === EventSource.CLOSED && !stopped) {
        source.close();
        timer = setTimeout(open, pause);
        pause = Math.min(pause * 2, 30_000);
      }
    };
    for (const type of LIVE_EVENT_TYPES) {
      source.addEventListener(type, (message: MessageEvent<string>) => {
        let data: unknown;
        try {
          data = JSON.parse(message.data);
        } catch {
          return;
        }
        const event = isLiveEvent(data) ? data : isLiveEvent({ ...(data as object), type }) ? ({ ...(data as object), type } as LiveEvent) : null;
        if (event) window.dispatchEvent(new CustomEvent<LiveEvent>(DISPATCHED, { detail: event }));
      });
    }
  };
  onStatus('connecting');
  open();
  return () => {
    stopped = true;
    if (timer) clearTimeout(timer);
    source?.close();
  };
}

/** Calls `handle` for every live event of the given types while the component is shown. */
export function useLiveEvents(types: readonly LiveEventType[], handle: (event: LiveEvent) => void): void {
  const key = types.join(',');
  const latest = useRef(handle);
  latest.current = handle;
  useEffect(() => {
    const wanted = key.split(',');
    const listener = (e: Event) => {
      const event = (e as CustomEvent<LiveEvent>).detail;
      if (wanted.includes(event.type)) latest.current(event);
    };
    window.addEventListener(DISPATCHED, listener);
    return () => window.removeEventListener(DISPATCHED, listener);
  }, [key]);
}

/** A number that grows with each live event of the given types: put it in a load's key to reload. */
export function useLiveTick(types: readonly LiveEventType[]): number {
  const [tick, setTick] = useState(0);
  useLiveEvents(types, () => setTick((n) => n + 1));
  return tick;
}
