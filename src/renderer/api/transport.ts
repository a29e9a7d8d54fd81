/**
 * How a screen reaches the core. In Electron the preload has put `window.cordial` there;
 * in the browser shell the same named functions travel over a WebSocket to 127.0.0.1,
 * admitted by the HttpOnly cookie the shell set when this browser was paired.
 */
import { buildApi, type ApiMethod, type CordialApi, type ScreenRole, type WireMessage } from '../../shared/api';
import type { KioskEvent } from '../../shared/contract';

declare global {
  interface Window {
    cordial?: CordialApi;
  }
}

export function cordialApi(role: ScreenRole): CordialApi {
  return window.cordial ?? connectBrowserShell(role);
}

const RECONNECT_MS = 1000;

export function connectBrowserShell(role: ScreenRole): CordialApi {
  const url = `${window.location.protocol === 'https:' ? 'wss' : 'ws'}://${window.location.host}/api?role=${role}`;
  const pending = new Map<number, (message: WireMessage) => void>();
  const listeners = new Set<(event: KioskEvent) => void>();
  const queue: string[] = [];
  let nextId = 1;
  let socket: WebSocket;

  const open = () => {
    socket = new WebSocket(url);
    socket.onopen = () => {
      for (const frame of queue.splice(0)) socket.send(frame);
      // After a reconnect the screen may have missed changes: ask for the state again.
      for (const l of listeners) l({ type: 'connection', connected: true });
    };
    socket.onmessage = (e) => {
      const message = JSON.parse(String(e.data)) as WireMessage;
      if ('event' in message) {
        for (const l of listeners) l(message.event);
      } else {
        pending.get(message.id)?.(message);
        pending.delete(message.id);
      }
    };
    socket.onclose = () => {
      for (const l of listeners) l({ type: 'connection', connected: false });
      for (const [id, resolve] of pending) resolve({ id, ok: false, error: { code: 'unavailable', message: 'lost the connection to Cordial; retrying', reason: 'connection_lost' } });
      pending.clear();
      // Those calls were just answered as failed: they must not run later, on the next connection.
      queue.length = 0;
      setTimeout(open, RECONNECT_MS);
    };
  };
  open();

  const call = (method: ApiMethod, params: unknown) =>
    new Promise<unknown>((resolve) => {
      const id = nextId++;
      pending.set(id, (message) => resolve('ok' in message ? (message.ok ? { ok: true, result: message.result } : { ok: false, error: message.error }) : undefined));
      const frame = JSON.stringify({ id, method, params });
      if (socket.readyState === WebSocket.OPEN) socket.send(frame);
      else queue.push(frame);
    });

  return buildApi(role, call, (listener) => {
    listeners.add(listener);
    return () => listeners.delete(listener);
  });
}
