import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startBrowserShell, type BrowserShell } from '../../src/host/server';
import { resolveInside } from '../../src/app/renderer-files';
import type { WireMessage } from '../../src/shared/api';
import type { Log } from '../../src/core/log';
import { ManualClock } from '../support/clock';
import { tempDir } from '../support/tmp';

const shells: BrowserShell[] = [];
afterEach(async () => {
  for (const s of shells.splice(0)) await s.close();
});

async function shell(options: { clock?: ManualClock; log?: Log } = {}): Promise<BrowserShell> {
  const rendererDir = tempDir();
  writeFileSync(join(rendererDir, 'citizen.html'), '<!doctype html><title>citizen</title>');
  writeFileSync(join(rendererDir, 'staff.html'), '<!doctype html><title>staff</title>');
  mkdirSync(join(rendererDir, 'assets'));
  writeFileSync(join(rendererDir, 'assets', 'app.js'), 'console.log(1)');
  const s = await startBrowserShell({ dataDir: tempDir(), keypad: 'none', demoSeed: true, rendererDir, ...options });
  shells.push(s);
  return s;
}

/** The log as a list of lines, to see what IT would find in it. */
function memoryLog(): Log & { lines: string[] } {
  const lines: string[] = [];
  return { file: null, lines, info: (m) => lines.push(`INFO ${m}`), warn: (m) => lines.push(`WARN ${m}`), error: (m) => lines.push(`ERROR ${m}`) };
}

/** The PIN hash as stored; a fresh install has no config.json yet. */
function storedPinHash(s: BrowserShell): string | null {
  const file = join(s.runtime.dataDir, 'config.json');
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as { adminPinHash: string | null }).adminPinHash : null;
}

/** Opens a screen's one-time address as a browser would, and returns the cookie the shell paired it with. */
async function pair(s: BrowserShell, role: 'citizen' | 'staff'): Promise<string> {
  const res = await fetch(s.pairingAddress(role), { redirect: 'manual' });
  const cookie = res.headers.get('set-cookie');
  if (res.status !== 303 || !cookie) throw new Error(`pairing the ${role} screen answered ${res.status}`);
  return cookie.split(';')[0]!;
}

/** A WebSocket client as a screen would open it; resolves once open, or with the HTTP status it was refused with. */
function connect(s: BrowserShell, role: string, cookie: string, options: { origin?: string; path?: string; host?: string } = {}) {
  return new Promise<{ ws: WebSocket; request: (method: string, params?: unknown) => Promise<WireMessage> } | { refused: number }>((resolve) => {
    const headers: Record<string, string> = cookie ? { Cookie: cookie } : {};
    if (options.host) headers.Host = options.host;
    const ws = new WebSocket(`ws://127.0.0.1:${s.port}${options.path ?? `/api?role=${role}`}`, { origin: options.origin ?? `http://127.0.0.1:${s.port}`, headers });
    let nextId = 1;
    const waiting = new Map<number, (m: WireMessage) => void>();
    ws.on('message', (data) => {
      const m = JSON.parse(data.toString()) as WireMessage;
      if ('id' in m) waiting.get(m.id)?.(m);
    });
    ws.on('unexpected-response', (_req, res) => resolve({ refused: res.statusCode ?? 0 }));
    ws.on('open', () =>
      resolve({
        ws,
        request: (method, params = {}) =>
          new Promise((done) => {
            const id = nextId++;
            waiting.set(id, done);
            ws.send(JSON.stringify({ id, method, params }));
          }),
      }),
    );
  });
}

/** A paired screen's connection, as the page would hold it. */
async function screen(s: BrowserShell, role: 'citizen' | 'staff') {
  const c = await connect(s, role, await pair(s, role));
  if (!('ws' in c)) throw new Error(`the ${role} connection was refused with ${c.refused}`);
  return c;
}

/** A plain HTTP GET with the Host header of the caller's choosing, as a rebound DNS name would send it. */
function getWithHost(port: number, path: string, host: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, path, headers: { Host: host } }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('browser shell', () => {
  it('listens on 127.0.0.1 only, and gives each screen a one-time address instead of its token', async () => {
    const s = await shell();
    const address = s.citizenUrl;
    expect(address).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${s.port}/citizen\\.html\\?code=[0-9a-f]{32}$`));
    expect(s.staffUrl).not.toBe(s.staffUrl);

    // The first load trades the code for an HttpOnly cookie and leaves the code out of the address.
    const first = await fetch(address, { redirect: 'manual' });
    expect(first.status).toBe(303);
    expect(first.headers.get('location')).toBe('/citizen.html');
    const setCookie = first.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(/^cordial_citizen=[0-9a-f]{48}; HttpOnly; SameSite=Strict; Path=\//);
    const cookie = setCookie.split(';')[0]!;
    const page = await fetch(`http://127.0.0.1:${s.port}/citizen.html`, { headers: { Cookie: cookie } });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("default-src 'self'");

    // Whoever copies the address from a process list or a journal afterwards gets nothing.
    const again = await fetch(address, { redirect: 'manual' });
    expect(again.status).toBe(403);
    expect(again.headers.get('set-cookie')).toBeNull();
    expect(await again.text()).toContain('not paired');
    expect((await fetch(`http://127.0.0.1:${s.port}/staff.html`)).status).toBe(403);
    // A browser restarted on its used address is still paired, and simply loses the code.
    const restarted = await fetch(address, { redirect: 'manual', headers: { Cookie: cookie } });
    expect(restarted.status).toBe(303);
    expect(restarted.headers.get('set-cookie')).toBeNull();
  });

  it('takes a screen token from its cookie only, never from the address', async () => {
    const s = await shell();
    const cookie = await pair(s, 'staff');
    const token = cookie.split('=')[1]!;
    expect(await connect(s, 'staff', '', { path: `/api?role=staff&token=${token}` })).toEqual({ refused: 401 });
    expect(await connect(s, 'staff', cookie)).toMatchObject({ ws: expect.anything() });
  });

  it('answers 421 to any Host but its own, so a rebound DNS name reads nothing', async () => {
    const s = await shell();
    const cookie = await pair(s, 'staff');
    for (const host of [`rebind.example:${s.port}`, '127.0.0.1', `127.0.0.1:${s.port + 1}`, `localhost.evil:${s.port}`]) {
      expect((await getWithHost(s.port, '/assets/app.js', host)).status, host).toBe(421);
      expect(await connect(s, 'staff', cookie, { host, origin: `http://${host}` }), host).toEqual({ refused: 421 });
    }
    expect((await getWithHost(s.port, '/assets/app.js', `127.0.0.1:${s.port}`)).status).toBe(200);
    expect((await getWithHost(s.port, '/assets/app.js', `localhost:${s.port}`)).status).toBe(200);
  });

  it("lets the pages connect to the shell's own port only", async () => {
    const s = await shell();
    const csp = (await fetch(`http://127.0.0.1:${s.port}/assets/app.js`)).headers.get('content-security-policy') ?? '';
    expect(/connect-src ([^;]*)/.exec(csp)?.[1]).toBe(`'self' ws://127.0.0.1:${s.port}`);
    const viaLocalhost = await getWithHost(s.port, '/assets/app.js', `localhost:${s.port}`);
    expect(viaLocalhost.status).toBe(200);
  });

  it('refuses a WebSocket without a paired cookie, or from another web page', async () => {
    const s = await shell();
    const staff = await pair(s, 'staff');
    const citizen = await pair(s, 'citizen');
    expect(await connect(s, 'staff', `cordial_staff=${'f'.repeat(48)}`)).toEqual({ refused: 401 });
    expect(await connect(s, 'staff', '')).toEqual({ refused: 401 });
    expect(await connect(s, 'staff', staff, { origin: 'http://evil.example' })).toEqual({ refused: 403 });
    expect(await connect(s, 'admin', staff)).toEqual({ refused: 403 });
    // The citizen screen's cookie cannot open a staff connection.
    expect(await connect(s, 'staff', citizen)).toEqual({ refused: 403 });
  });

  it('runs the kiosk API: staff sign in and open a case, the citizen sees it', async () => {
    const s = await shell();
    const staff = await screen(s, 'staff');
    const citizen = await screen(s, 'citizen');
    const seen: string[] = [];
    citizen.ws.on('message', (d) => {
      const m = JSON.parse(d.toString()) as WireMessage;
      if ('event' in m && m.event.type === 'snapshot') seen.push(m.event.snapshot.phase);
    });
    expect(await staff.request('execute', { command: { type: 'signInBadge', badgeId: 'BADGE-1001' } })).toMatchObject({ ok: true, result: { ok: true } });
    await staff.request('execute', { command: { type: 'openCase', itemCode: '340104-SJ-001' } });
    const snap = await citizen.request('snapshot');
    expect(snap).toMatchObject({ ok: true, result: { phase: 'serving', staff: { name: '王晓梅' } } });
    await expect.poll(() => seen).toContain('serving');
    staff.ws.close();
    citizen.ws.close();
  });

  it('answers malformed requests with a sentence and keeps the connection', async () => {
    const s = await shell();
    const staff = await screen(s, 'staff');
    const replies: WireMessage[] = [];
    staff.ws.on('message', (d) => replies.push(JSON.parse(d.toString()) as WireMessage));
    staff.ws.send('not json');
    staff.ws.send(JSON.stringify({ id: 7, method: 'dropTables', params: {} }));
    await expect.poll(() => replies.length).toBe(2);
    expect(replies[0]).toMatchObject({ ok: false, error: { message: 'the message is not JSON' } });
    expect(replies[1]).toMatchObject({ id: 7, ok: false, error: { code: 'invalid_command', message: expect.stringContaining('malformed request: method') } });
    expect(await staff.request('execute', { command: { type: 'openCase' } })).toMatchObject({ ok: true, result: { ok: false, error: { code: 'invalid_command' } } });
    expect(await staff.request('snapshot')).toMatchObject({ ok: true });
    staff.ws.close();
  });

  it('keeps the citizen screen to its own methods, and staff away from ratings', async () => {
    const s = await shell();
    const citizen = await screen(s, 'citizen');
    const staff = await screen(s, 'staff');
    expect(await citizen.request('adminStatus')).toMatchObject({ ok: false, error: { code: 'unauthorised' } });
    expect(await citizen.request('execute', { command: { type: 'signInBadge', badgeId: 'BADGE-1001' } })).toMatchObject({ result: { ok: false } });
    expect(await staff.request('execute', { command: { type: 'rateByTouch', level: 'very_satisfied' } })).toMatchObject({
      result: { ok: false, error: { message: 'staff cannot enter or change a rating' } },
    });
    citizen.ws.close();
    staff.ws.close();
  });

  it('serves only files inside the renderer folder, and only for GET and HEAD', async () => {
    const s = await shell();
    expect((await fetch(`http://127.0.0.1:${s.port}/assets/app.js`)).status).toBe(200);
    expect((await fetch(`http://127.0.0.1:${s.port}/%2e%2e/%2e%2e/etc/passwd`)).status).toBe(404);
    expect((await fetch(`http://127.0.0.1:${s.port}/citizen.html`, { method: 'POST' })).status).toBe(405);
    const root = tempDir();
    expect(resolveInside(root, '/../../etc/passwd')).toBeNull();
    expect(resolveInside(root, '/..%2f..%2fetc/passwd')).toBeNull();
    expect(resolveInside(root, '/%00')).toBeNull();
  });
});

describe('admin over the browser shell', () => {
  it('sets the PIN on first run, refuses a wrong PIN, and refuses bad settings without changing anything', async () => {
    const s = await shell();
    const staff = await screen(s, 'staff');
    expect(await staff.request('adminStatus')).toMatchObject({ result: { pinSet: false } });
    expect(await staff.request('adminSetPin', { pin: '12' })).toMatchObject({ ok: false, error: { message: expect.stringContaining('6 to 12 digits') } });
    expect(await staff.request('adminSetPin', { pin: '482913', setupCode: s.runtime.adminSetupCode! })).toMatchObject({ ok: true });
    expect(await staff.request('adminLogin', { pin: '000000' })).toMatchObject({ ok: false, error: { message: 'wrong admin PIN' } });
    const login = (await staff.request('adminLogin', { pin: '482913' })) as { ok: true; result: { token: string } };
    const token = login.result.token;
    const before = (await staff.request('adminSettings', { token })) as { ok: true; result: Record<string, unknown> };
    expect(before.result).not.toHaveProperty('adminPinHash');

    const noPort = { ...before.result, keypad: { ...(before.result.keypad as object), driver: 'crk1', path: '/dev/ttyNOPE9' } };
    expect(await staff.request('adminSaveSettings', { token, settings: noPort })).toMatchObject({
      ok: false,
      error: { message: 'serial port /dev/ttyNOPE9 does not exist: plug the keypad in, or choose a port from the list' },
    });
    const badCentre = { ...before.result, centre: { url: 'centre.local:8080' } };
    expect(await staff.request('adminSaveSettings', { token, settings: badCentre })).toMatchObject({
      ok: false,
      error: { code: 'invalid_settings', message: expect.stringContaining('centre address must be an http:// or https:// URL') },
    });
    expect(await staff.request('adminSettings', { token })).toMatchObject({ ok: true, result: before.result });

    const renamed = { ...before.result, window: { ...(before.result.window as object), windowNo: '7' } };
    expect(await staff.request('adminSaveSettings', { token, settings: renamed })).toMatchObject({ ok: true });
    expect(await staff.request('snapshot')).toMatchObject({ result: { window: { windowNo: '7' } } });
    expect(await staff.request('adminSettings', { token: 'x'.repeat(48) })).toMatchObject({ ok: false, error: { code: 'unauthorised' } });
    staff.ws.close();
  });

  it('lets nobody at the staff panel set the first PIN without the setup code shown on this PC', async () => {
    const s = await shell();
    const staff = await screen(s, 'staff');
    const code = s.runtime.adminSetupCode!;
    expect(code).toMatch(/^\d{8}$/);
    const status = await staff.request('adminStatus');
    expect(status).toEqual({ id: expect.any(Number), ok: true, result: { pinSet: false } });
    expect(JSON.stringify(status)).not.toContain(code);

    expect(await staff.request('adminSetPin', { pin: '482913' })).toMatchObject({ ok: false, error: { code: 'wrong_pin', message: expect.stringContaining('the setup code is wrong') } });
    const wrong = code === '00000000' ? '11111111' : '00000000';
    expect(await staff.request('adminSetPin', { pin: '482913', setupCode: wrong })).toMatchObject({ ok: false, error: { code: 'wrong_pin' } });
    expect(storedPinHash(s)).toBeNull();
    expect(await staff.request('adminLogin', { pin: '482913' })).toMatchObject({ ok: false, error: { code: 'not_allowed_now' } });

    expect(await staff.request('adminSetPin', { pin: '482913', setupCode: `${code.slice(0, 4)} ${code.slice(4)}` })).toMatchObject({ ok: true });
    expect(storedPinHash(s)).toMatch(/^scrypt\$/);
    expect(s.runtime.adminSetupCode).toBeNull();
    // The code works once: afterwards only the current PIN changes the PIN.
    expect(await staff.request('adminSetPin', { pin: '111111', setupCode: code })).toMatchObject({ ok: false, error: { message: 'the current admin PIN is wrong' } });
    expect(await staff.request('adminLogin', { pin: '482913' })).toMatchObject({ ok: true });
    staff.ws.close();
  });

  it('counts wrong current PINs toward the lockout, and refuses even the right one while it lasts', async () => {
    const clock = new ManualClock();
    const log = memoryLog();
    const s = await shell({ clock, log });
    const staff = await screen(s, 'staff');
    expect(await staff.request('adminSetPin', { pin: '482913', setupCode: s.runtime.adminSetupCode! })).toMatchObject({ ok: true });
    const hash = storedPinHash(s);
    log.lines.length = 0;

    // Two wrong sign-ins and three wrong current PINs: one counter, five wrong attempts.
    for (const pin of ['000001', '000002']) expect(await staff.request('adminLogin', { pin })).toMatchObject({ ok: false, error: { message: 'wrong admin PIN' } });
    for (const currentPin of ['000003', '000004', '000005']) {
      expect(await staff.request('adminSetPin', { pin: '777777', currentPin })).toMatchObject({ ok: false, error: { message: 'the current admin PIN is wrong' } });
    }
    expect(await staff.request('adminSetPin', { pin: '777777', currentPin: '482913' })).toMatchObject({ ok: false, error: { code: 'wrong_pin', message: expect.stringContaining('too many wrong admin PINs') } });
    expect(await staff.request('adminLogin', { pin: '482913' })).toMatchObject({ ok: false, error: { message: expect.stringContaining('too many wrong admin PINs') } });
    expect(storedPinHash(s)).toBe(hash);
    expect(log.lines.filter((l) => l.startsWith('WARN admin PIN change refused'))).toHaveLength(4);
    expect(log.lines).toContainEqual(expect.stringMatching(/admin PIN change refused: 5 wrong attempts in a row; the admin page is locked for 5 min/));

    clock.advance(5 * 60_000);
    expect(await staff.request('adminSetPin', { pin: '777777', currentPin: '482913' })).toMatchObject({ ok: true });
    expect(await staff.request('adminLogin', { pin: '777777' })).toMatchObject({ ok: true });
    staff.ws.close();
  });

  it('ends every admin session when the PIN changes', async () => {
    const s = await shell();
    const staff = await screen(s, 'staff');
    const other = await screen(s, 'staff');
    await staff.request('adminSetPin', { pin: '482913', setupCode: s.runtime.adminSetupCode! });
    const tokenOf = async (c: typeof staff, pin: string) => ((await c.request('adminLogin', { pin })) as { ok: true; result: { token: string } }).result.token;
    const mine = await tokenOf(staff, '482913');
    const theirs = await tokenOf(other, '482913');
    expect(await other.request('adminSettings', { token: theirs })).toMatchObject({ ok: true });

    expect(await staff.request('adminSetPin', { pin: '13572468', currentPin: '482913' })).toMatchObject({ ok: true });
    for (const [c, token] of [[staff, mine], [other, theirs]] as const) {
      expect(await c.request('adminSettings', { token })).toMatchObject({ ok: false, error: { code: 'unauthorised' } });
    }
    expect(await staff.request('adminLogin', { pin: '482913' })).toMatchObject({ ok: false });
    expect(await staff.request('adminLogin', { pin: '13572468' })).toMatchObject({ ok: true });
    staff.ws.close();
    other.ws.close();
  });
});
