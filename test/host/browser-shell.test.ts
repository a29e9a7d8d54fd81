import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startBrowserShell, type BrowserShell } from '../../src/host/server';
import { resolveInside } from '../../src/app/renderer-files';
import type { WireMessage } from '../../src/shared/api';
import { tempDir } from '../support/tmp';

const shells: BrowserShell[] = [];
afterEach(async () => {
  for (const s of shells.splice(0)) await s.close();
});

async function shell(): Promise<BrowserShell> {
  const rendererDir = tempDir();
  writeFileSync(join(rendererDir, 'citizen.html'), '<!doctype html><title>citizen</title>');
  writeFileSync(join(rendererDir, 'staff.html'), '<!doctype html><title>staff</title>');
  mkdirSync(join(rendererDir, 'assets'));
  writeFileSync(join(rendererDir, 'assets', 'app.js'), 'console.log(1)');
  const s = await startBrowserShell({ dataDir: tempDir(), keypad: 'none', demoSeed: true, rendererDir });
  shells.push(s);
  return s;
}

/** A WebSocket client as a screen would open it; resolves once open, or with the HTTP status it was refused with. */
function connect(s: BrowserShell, role: string, token = s.tokens[role as 'staff'] ?? s.tokens.staff, origin = `http://127.0.0.1:${s.port}`) {
  return new Promise<{ ws: WebSocket; request: (method: string, params?: unknown) => Promise<WireMessage> } | { refused: number }>((resolve) => {
    const ws = new WebSocket(`ws://127.0.0.1:${s.port}/api?role=${role}&token=${token}`, { origin });
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

describe('browser shell', () => {
  it('listens on 127.0.0.1 only and prints the two screens with a per-start token', async () => {
    const s = await shell();
    expect(s.citizenUrl).toBe(`http://127.0.0.1:${s.port}/citizen.html?token=${s.tokens.citizen}`);
    expect(s.tokens.citizen).not.toBe(s.tokens.staff);
    expect(s.staffUrl).toMatch(/\/staff\.html\?token=[0-9a-f]{48}$/);
    const page = await fetch(s.citizenUrl);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("default-src 'self'");
  });

  it('refuses a WebSocket without the token, or from another web page', async () => {
    const s = await shell();
    expect(await connect(s, 'staff', 'f'.repeat(48))).toEqual({ refused: 401 });
    expect(await connect(s, 'staff', s.tokens.staff, 'http://evil.example')).toEqual({ refused: 403 });
    expect(await connect(s, 'admin')).toEqual({ refused: 403 });
    // The citizen page's token cannot open a staff connection.
    expect(await connect(s, 'staff', s.tokens.citizen)).toEqual({ refused: 403 });
  });

  it('runs the kiosk API: staff sign in and open a case, the citizen sees it', async () => {
    const s = await shell();
    const staff = await connect(s, 'staff');
    const citizen = await connect(s, 'citizen');
    if (!('ws' in staff) || !('ws' in citizen)) throw new Error('connection refused');
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
    const staff = await connect(s, 'staff');
    if (!('ws' in staff)) throw new Error('refused');
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
    const citizen = await connect(s, 'citizen');
    const staff = await connect(s, 'staff');
    if (!('ws' in citizen) || !('ws' in staff)) throw new Error('refused');
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
    const staff = await connect(s, 'staff');
    if (!('ws' in staff)) throw new Error('refused');
    expect(await staff.request('adminStatus')).toMatchObject({ result: { pinSet: false } });
    expect(await staff.request('adminSetPin', { pin: '12' })).toMatchObject({ ok: false, error: { message: expect.stringContaining('6 to 12 digits') } });
    expect(await staff.request('adminSetPin', { pin: '482913' })).toMatchObject({ ok: true });
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
});
