/**
 * The window state as a screen sees it: the latest snapshot from the core, whether the
 * transport is connected, and the offset between the core's clock and this page's clock.
 */
import { useEffect, useRef, useState } from 'react';
import type { CordialApi } from '../../shared/api';
import type { KioskEvent, Snapshot } from '../../shared/contract';

export interface KioskView {
  snapshot: Snapshot | null;
  connected: boolean;
  /** core clock minus page clock, measured when the snapshot arrived (ms). */
  skewMs: number;
}

type OtherEvent = Exclude<KioskEvent, { type: 'snapshot' } | { type: 'connection' }>;

export function useKiosk(api: CordialApi, onOther?: (event: OtherEvent) => void): KioskView {
  const [view, setView] = useState<KioskView>({ snapshot: null, connected: true, skewMs: 0 });
  const other = useRef(onOther);
  other.current = onOther;

  useEffect(() => {
    let live = true;
    const accept = (snapshot: Snapshot) => {
      if (!live) return;
      const skewMs = snapshot.at - Date.now();
      // A reply to snapshot() may arrive after a newer pushed event: keep the newest state.
      setView((v) => (v.snapshot && v.snapshot.at > snapshot.at ? v : { ...v, snapshot, skewMs }));
    };
    const refresh = () => {
      void api.snapshot().then((r) => {
        if (r.ok) accept(r.result);
      });
    };
    const stop = api.onEvent((event) => {
      if (event.type === 'snapshot') accept(event.snapshot);
      else if (event.type === 'connection') {
        if (!live) return;
        setView((v) => ({ ...v, connected: event.connected }));
        if (event.connected) refresh();
      } else other.current?.(event);
    });
    refresh();
    return () => {
      live = false;
      stop();
    };
  }, [api]);

  return view;
}
