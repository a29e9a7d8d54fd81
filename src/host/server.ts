/**
 * The browser shell: serves the screens and bridges the kiosk API over a WebSocket, on
 * 127.0.0.1 only. It is what `npm start` runs where Electron cannot, and a way to run
 * Cordial in a browser's kiosk mode. A screen's address carries a one-time code, which the
 * first load trades for an HttpOnly cookie holding that screen's token (fresh at every
 * start), so no token is ever printed or left in a URL, a process list or a journal.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { appRoot } from '../core/paths';
import { WebSocketServer, type WebSocket } from 'ws';
import { SCREEN_ROLES, WireRequest, type ScreenRole, type WireMessage } from '../shared/api';
import type { Kiosk } from '../core/kiosk';
import type { Log } from '../core/log';
import type { Clock } from '../core/time';
import { CordialRuntime } from '../app/runtime';
import { contentSecurityPolicy, serveStatic } from '../app/renderer-files';

export const DEFAULT_RENDERER_DIR = join(appRoot(), 'dist', 'renderer');
const MAX_MESSAGE_BYTES = 256 * 1024;
/** The pairing outlives a browser restart; the token in it dies with this start anyway. */
const COOKIE_MAX_AGE_S = 365 * 24 * 3600;
const PAGES: Record<string, ScreenRole> = { '/': 'staff', '/staff.html': 'staff', '/citizen.html': 'citizen' };
const NOT_PAIRED =
  '本屏幕尚未与 Cordial 配对：请打开 Cordial 启动时显示的地址（每个地址只能使用一次），或重新启动 Cordial 以获得新地址。\n' +
  'This screen is not paired with Cordial: open the address Cordial printed when it started (each address works once), or restart Cordial for new addresses.\n';

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
  /** A fresh one-time address of the citizen screen at each read: the first browser to open it is paired. */
  readonly citizenUrl: string;
  /** A fresh one-time address of the staff panel at each read. */
  readonly staffUrl: string;
  /** A one-time address that pairs the browser opening it with the given screen. */
  pairingAddress(role: ScreenRole): string;
  port: number;
  runtime: CordialRuntime;
  readonly kiosk: Kiosk;
  close(): Promise<void>;
}

export const screenCookie = (role: ScreenRole): string => `cordial_${role}`;

export async function startBrowserShell(options: BrowserShellOptions): Promise<BrowserShell> {
  const runtime = new CordialRuntime({
    dataDir: options.dataDir,
    owner: 'Cordial (browser shell)',
    keypad: options.keypad !== 'none',
    demoSeed: options.demoSeed,
    clock: options.clock,
    log: options.log,
  });
  const log = runtime.log;
  const tokens: Record<ScreenRole, string> = { citizen: randomBytes(24).toString('hex'), staff: randomBytes(24).toString('hex') };
  const codes = new Map<string, ScreenRole>();
  const rendererDir = options.rendererDir ?? DEFAULT_RENDERER_DIR;
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  let hosts = new Set<string>();

  const http = createServer((req, res) => {
    const host = ownHost(req, hosts);
    if (!host) {
      res.writeHead(421, { 'Content-Type': 'text/plain; charset=utf-8', Connection: 'close' }).end(misdirected(hosts));
      return;
    }
    const url = new URL(req.url ?? '/', `http://${host}`);
    const page = PAGES[url.pathname];
    if (page && (req.method === 'GET' || req.method === 'HEAD') && !pageAdmitted(req, res, url, page)) return;
    serveStatic(rendererDir, req, res, contentSecurityPolicy([`ws://${host}`]));
  });

  /** True when the page may be served as asked; otherwise it has answered: a redirect that pairs (or drops a used code), or a refusal in a sentence. */
  const pageAdmitted = (req: IncomingMessage, res: ServerResponse, url: URL, role: ScreenRole): boolean => {
    const code = url.searchParams.get('code');
    const paired = cookieRole(req, tokens, role) === role;
    if (code === null) {
      if (paired) return true;
      res.writeHead(403, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' }).end(NOT_PAIRED);
      return false;
    }
    url.searchParams.delete('code');
    const clean = `${url.pathname}${url.search}`;
    const headers: Record<string, string | string[]> = { Location: clean, 'Cache-Control': 'no-store', 'Referrer-Policy': 'no-referrer' };
    if (codes.get(code) === role) {
      codes.delete(code);
      headers['Set-Cookie'] = `${screenCookie(role)}=${tokens[role]}; HttpOnly; SameSite=Strict; Path=/; Max-Age=${COOKIE_MAX_AGE_S}`;
      log.info(`a browser was paired with the ${role} screen`);
    } else if (!paired) {
      log.warn(`refused a ${role} screen address whose code was already used or never issued`);
      res.writeHead(403, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' }).end(NOT_PAIRED);
      return false;
    }
    // A browser restarted on a used address is already paired: it just loses the code.
    res.writeHead(303, headers).end();
    return false;
  };

  http.on('upgrade', (req, socket, head) => {
    const host = ownHost(req, hosts);
    if (!host) {
      socket.end('HTTP/1.1 421 Misdirected Request\r\nConnection: close\r\n\r\n');
      return;
    }
    const role = admit(req, tokens, `http://${host}`);
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
  hosts = new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
  const pairingAddress = (role: ScreenRole) => {
    const code = randomBytes(16).toString('hex');
    codes.set(code, role);
    return `http://127.0.0.1:${port}/${role}.html?code=${code}`;
  };

  return {
    get citizenUrl() {
      return pairingAddress('citizen');
    },
    get staffUrl() {
      return pairingAddress('staff');
    },
    pairingAddress,
    port,
    runtime,
    get kiosk() {
      return runtime.kiosk;
    },
    async close() {
      unsubscribe();
      for (const client of wss.clients) client.terminate();
      wss.close();
      const closed = new Promise<void>((resolve) => http.close(() => resolve()));
      // Browsers hold idle connections open for seconds: a stop must not wait for them.
      http.closeAllConnections();
      await closed;
      await runtime.close();
    },
  };
}

/**
 * The Host the request names, if it is this shell's own: a page on another name that a
 * rebound DNS entry points at 127.0.0.1 must not read the screens or open the API.
 */
function ownHost(req: IncomingMessage, hosts: ReadonlySet<string>): string | null {
  const host = req.headers.host?.toLowerCase();
  return host !== undefined && hosts.has(host) ? host : null;
}

function misdirected(hosts: ReadonlySet<string>): string {
  return `Cordial answers only at ${[...hosts].join(' or ')}: open the address it printed.\n`;
}

/** The role whose valid token the request's cookie holds, preferring `wanted` when a browser holds both. */
function cookieRole(req: IncomingMessage, tokens: Record<ScreenRole, string>, wanted?: ScreenRole): ScreenRole | null {
  const jar = new Map<string, string>();
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const at = part.indexOf('=');
    if (at > 0) jar.set(part.slice(0, at).trim(), part.slice(at + 1).trim());
  }
  const holds = (role: ScreenRole) => {
    const given = Buffer.from(jar.get(screenCookie(role)) ?? '');
    const expected = Buffer.from(tokens[role]);
    return given.length === expected.length && timingSafeEqual(given, expected);
  };
  if (wanted && holds(wanted)) return wanted;
  return SCREEN_ROLES.find(holds) ?? null;
}

/**
 * Lets a WebSocket in only with the cookie of one of this start's screens, from this
 * shell's own pages: a web page elsewhere in a browser on the same PC could otherwise reach
 * 127.0.0.1 too. The cookie decides the role, never the client: the citizen screen's cannot
 * run the window. Returns the role, null without a valid cookie (401), or false for a
 * foreign origin or a role the cookie does not hold (403).
 */
function admit(req: IncomingMessage, tokens: Record<ScreenRole, string>, origin: string): ScreenRole | null | false {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  if (url.pathname !== '/api') return false;
  const claimed = url.searchParams.get('role');
  if (!SCREEN_ROLES.includes(claimed as ScreenRole)) return false;
  const role = cookieRole(req, tokens, claimed as ScreenRole);
  if (!role) return null;
  if (req.headers.origin !== undefined && req.headers.origin !== origin) return false;
  return role === claimed ? role : false;
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
