/**
 * The browser shell: serves the screens and bridges the kiosk API over a WebSocket, on
 * 127.0.0.1 only, with a token made fresh at every start. It is what `npm start` runs
 * where Electron cannot, and a way to run Cordial in a browser's kiosk mode.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { appRoot } from '../core/paths';
import { WebSocketServer, type WebSocket } from 'ws';
import { SCREEN_ROLES, WireRequest, type ScreenRole, type WireMessage } from '../shared/api';
import type { Kiosk } from '../core/kiosk';
import type { Log } from '../core/log';
import type { Clock } from '../core/time';
import { CordialRuntime } from '../app/runtime';
import { serveStatic } from '../app/renderer-files';

export const DEFAULT_RENDERER_DIR = join(appRoot(), 'dist', 'renderer');
const MAX_MESSAGE_BYTES = 256 * 1024;

export interface BrowserShellOptions {
  dataDir: string;
  /** 0 or absent: any free port. */
  port?: number;
  keypad?: 'config' | 'none';
  rendererDir?: string;
  demoSeed?: boolean;
  clock?: Clock;
  log?: Log;
}

export interface BrowserShell {
  citizenUrl: string;
  staffUrl: string;
  /** One token per screen, made fresh at every start: the token a page holds is its role. */
  tokens: Record<ScreenRole, string>;
  port: number;
  runtime: CordialRuntime;
  readonly kiosk: Kiosk;
  close(): Promise<void>;
}

export async function startBrowserShell(options: BrowserShellOptions): Promise<BrowserShell> {
  const runtime = new CordialRuntime({
    dataDir: options.dataDir,
    owner: 'Cordial (browser shell)',
    keypad: options.keypad !== 'none',
    demoSeed: options.demoSeed,
    clock: options.clock,
    log: options.log,
  });
  const tokens: Record<ScreenRole, string> = { citizen: randomBytes(24).toString('hex'), staff: randomBytes(24).toString('hex') };
  const rendererDir = options.rendererDir ?? DEFAULT_RENDERER_DIR;
  const http = createServer((req, res) => serveStatic(rendererDir, req, res));
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  let origin = '';

  http.on('upgrade', (req, socket, head) => {
    const role = admit(req, tokens, origin);
    if (role === null || role === false) {
      socket.end(`HTTP/1.1 ${role === null ? '401 Unauthorized' : '403 Forbidden'}\r\nConnection: close\r\n\r\n`);
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => bridge(ws, role, runtime));
  });
  const unsubscribe = runtime.onEvent((event) => {
    const frame = JSON.stringify({ event } satisfies WireMessage);
    for (const client of wss.clients) if (client.readyState === client.OPEN) client.send(frame);
  });

  try {
    await new Promise<void>((resolve, reject) => {
      http.once('error', reject);
      http.listen(options.port ?? 0, '127.0.0.1', () => resolve());
    });
  } catch (err) {
    await runtime.close();
    const code = (err as NodeJS.ErrnoException).code;
    throw new Error(code === 'EADDRINUSE' ? `port ${options.port} on 127.0.0.1 is in use by another program: choose another with --port` : (err as Error).message);
  }
  const port = (http.address() as AddressInfo).port;
  origin = `http://127.0.0.1:${port}`;

  return {
    citizenUrl: `${origin}/citizen.html?token=${tokens.citizen}`,
    staffUrl: `${origin}/staff.html?token=${tokens.staff}`,
    tokens,
    port,
    runtime,
    get kiosk() {
      return runtime.kiosk;
    },
    async close() {
      unsubscribe();
      for (const client of wss.clients) client.terminate();
      wss.close();
      await new Promise<void>((resolve) => http.close(() => resolve()));
      await runtime.close();
    },
  };
}

/**
 * Lets a WebSocket in only with one of this start's tokens, from this shell's own pages: a
 * web page elsewhere in a browser on the same PC could otherwise reach 127.0.0.1 too. The
 * token decides the role, never the client: the citizen page's token cannot run the window.
 * Returns the role, null for a bad token (401), or false for a foreign origin or a role
 * that does not match the token (403).
 */
function admit(req: IncomingMessage, tokens: Record<ScreenRole, string>, origin: string): ScreenRole | null | false {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  if (url.pathname !== '/api') return false;
  const given = Buffer.from(url.searchParams.get('token') ?? '');
  const role = SCREEN_ROLES.find((r) => {
    const expected = Buffer.from(tokens[r]);
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
  if (!role) return null;
  if (req.headers.origin !== undefined && req.headers.origin !== origin) return false;
  const claimed = url.searchParams.get('role');
  return claimed === null || claimed === role ? role : false;
}

function bridge(ws: WebSocket, role: ScreenRole, runtime: CordialRuntime): void {
  const send = (message: WireMessage) => {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(message));
  };
  ws.on('message', async (data) => {
    let raw: unknown;
    try {
      raw = JSON.parse(data.toString());
    } catch {
      send({ id: 0, ok: false, error: { code: 'invalid_command', message: 'the message is not JSON' } });
      return;
    }
    const request = WireRequest.safeParse(raw);
    if (!request.success) {
      const id = typeof (raw as { id?: unknown })?.id === 'number' ? (raw as { id: number }).id : 0;
      const issue = request.error.issues[0];
      send({ id, ok: false, error: { code: 'invalid_command', message: `malformed request: ${issue?.path.join('.') || 'message'}: ${issue?.message}` } });
      return;
    }
    const { id, method, params } = request.data;
    const response = await runtime.handle(role, method, params);
    send(response.ok ? { id, ok: true, result: response.result } : { id, ok: false, error: response.error });
  });
}
