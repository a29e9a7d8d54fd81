import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, vi } from 'vitest';
import { denyAllPermissions, hardenContents, isTrustedUrl } from '../../src/main/guards';
import { makeCallHandler, senderRole } from '../../src/main/ipc';
import { watchRenderer } from '../../src/main/recovery';
import { serveAppRequest } from '../../src/main/app-protocol';
import { CITIZEN_URL, STAFF_URL, citizenWindowOptions, layoutWindows, staffWindowOptions } from '../../src/main/window-options';
import { FakeContents, FakeWindow, emitPreventable } from './electron-fakes';
import { tempDir } from '../support/tmp';

const screen = { x: 0, y: 0, width: 1920, height: 1080 };
const root = fileURLToPath(new URL('../..', import.meta.url));

describe('window options', () => {
  it('locks both windows down: context isolation, sandbox, no Node, no webviews', () => {
    for (const options of [citizenWindowOptions(screen, '/p.cjs', false), staffWindowOptions(screen, '/p.cjs', false)]) {
      expect(options.webPreferences).toMatchObject({
        contextIsolation: true,
        sandbox: true,
        nodeIntegration: false,
        nodeIntegrationInWorker: false,
        webviewTag: false,
        webSecurity: true,
        devTools: false,
        preload: '/p.cjs',
      });
    }
  });

  it('puts the citizen screen in kiosk mode with nothing to close it by', () => {
    expect(citizenWindowOptions(screen, '/p.cjs', false)).toMatchObject({ kiosk: true, frame: false, closable: false, minimizable: false });
  });

  it('keeps devtools for development builds only', () => {
    expect(staffWindowOptions(screen, '/p.cjs', true).webPreferences?.devTools).toBe(true);
  });

  it('places the citizen screen on the second display, the staff panel on the primary', () => {
    const displays = [
      { id: 1, bounds: screen },
      { id: 2, bounds: { x: 1920, y: 0, width: 1280, height: 800 } },
    ];
    expect(layoutWindows(displays, 1, null)).toEqual({ citizen: displays[1]!.bounds, staff: screen, kiosk: true });
    expect(layoutWindows(displays, 2, 1)).toEqual({ citizen: screen, staff: displays[1]!.bounds, kiosk: true });
    // A configured display that is not plugged in: the first non-primary one instead.
    expect(layoutWindows(displays, 1, 3)).toEqual({ citizen: displays[1]!.bounds, staff: screen, kiosk: true });
  });

  it('splits a single display: staff panel left, citizen screen right, not in kiosk mode', () => {
    expect(layoutWindows([{ id: 1, bounds: screen }], 1, null)).toEqual({
      staff: { x: 0, y: 0, width: 768, height: 1080 },
      citizen: { x: 768, y: 0, width: 1152, height: 1080 },
      kiosk: false,
    });
  });
});

describe('navigation and permission guards', () => {
  it('trusts only app://cordial pages, whatever a URL pretends', () => {
    expect(isTrustedUrl('app://cordial/staff.html')).toBe(true);
    for (const url of ['https://cordial/staff.html', 'app://cordial.evil.com/x', 'app://evil/cordial', 'app://user@cordial/x', 'file:///etc/passwd', 'javascript:alert(1)', 'not a url', 'http://127.0.0.1:8620/staff.html']) {
      expect(isTrustedUrl(url), url).toBe(false);
    }
  });

  it('blocks navigation away, new windows and webviews', () => {
    const contents = new FakeContents();
    hardenContents(contents as never);
    expect(emitPreventable(contents, 'will-navigate', 'https://example.com')).toBe(true);
    expect(emitPreventable(contents, 'will-redirect', 'http://evil.example/')).toBe(true);
    expect(emitPreventable(contents, 'will-navigate', 'app://cordial/citizen.html')).toBe(false);
    expect(emitPreventable(contents, 'will-attach-webview', {}, {})).toBe(true);
    expect(contents.openHandler?.({ url: 'app://cordial/staff.html' })).toEqual({ action: 'deny' });
  });

  it('denies every permission request and check', () => {
    const handlers: Record<string, (...args: never[]) => unknown> = {};
    const session = {
      setPermissionRequestHandler: (h: never) => (handlers.request = h),
      setPermissionCheckHandler: (h: never) => (handlers.check = h),
      setDevicePermissionHandler: (h: never) => (handlers.device = h),
    };
    denyAllPermissions(session as never);
    let granted: boolean | null = null;
    (handlers.request as unknown as (c: unknown, p: string, cb: (ok: boolean) => void) => void)(null, 'media', (ok) => (granted = ok));
    expect(granted).toBe(false);
    expect((handlers.check as unknown as () => boolean)()).toBe(false);
    expect((handlers.device as unknown as () => boolean)()).toBe(false);
  });
});

describe('IPC validation', () => {
  const citizen = new FakeContents();
  const staff = new FakeContents();
  const screens = () => ({ citizen: citizen as never, staff: staff as never });
  const frame = (url: string, parent: unknown = null) => ({ url, parent });

  it('takes the role from the window that sent the message', async () => {
    const calls: unknown[] = [];
    const handler = makeCallHandler(screens, async (role, method, params) => {
      calls.push([role, method, params]);
      return { ok: true, result: null as never };
    });
    await handler({ sender: staff, senderFrame: frame(`${STAFF_URL}?x=1`) } as never, { method: 'today', params: {} });
    await handler({ sender: citizen, senderFrame: frame(CITIZEN_URL) } as never, { method: 'snapshot', params: {} });
    expect(calls).toEqual([
      ['staff', 'today', {}],
      ['citizen', 'snapshot', {}],
    ]);
  });

  it('rejects a forged sender: another contents, another page, or a subframe', () => {
    const stranger = new FakeContents();
    expect(senderRole({ sender: stranger, senderFrame: frame(STAFF_URL) } as never, screens())).toMatch(/unknown page/);
    expect(senderRole({ sender: citizen, senderFrame: frame(STAFF_URL) } as never, screens())).toMatch(/unknown page/);
    expect(senderRole({ sender: staff, senderFrame: frame('https://evil.example/staff.html') } as never, screens())).toMatch(/unknown page/);
    expect(senderRole({ sender: staff, senderFrame: frame(STAFF_URL, {}) } as never, screens())).toBe('the message did not come from a main frame');
  });

  it('rejects a bad payload before the core sees it', async () => {
    const handle = vi.fn();
    const handler = makeCallHandler(screens, handle);
    const event = { sender: staff, senderFrame: frame(STAFF_URL) } as never;
    for (const payload of [null, 'snapshot', { method: 'dropTables', params: {} }, { method: 'snapshot', params: {}, extra: 1 }]) {
      expect(await handler(event, payload)).toEqual({ ok: false, error: { code: 'invalid_command', message: 'malformed request' } });
    }
    expect(await handler({ sender: new FakeContents(), senderFrame: frame(STAFF_URL) } as never, { method: 'snapshot', params: {} })).toMatchObject({
      ok: false,
      error: { code: 'unauthorised' },
    });
    expect(handle).not.toHaveBeenCalled();
  });
});

describe('renderer recovery', () => {
  it('reloads a crashed renderer, and relaunches the app when it keeps crashing', () => {
    const window = new FakeWindow({});
    let t = 0;
    const relaunch = vi.fn();
    watchRenderer(window as never, relaunch, () => t);
    window.webContents.emit('render-process-gone', {}, { reason: 'crashed' });
    t += 10_000;
    window.webContents.emit('render-process-gone', {}, { reason: 'oom' });
    expect(window.webContents.reloads).toBe(2);
    expect(relaunch).not.toHaveBeenCalled();
    t += 10_000;
    window.webContents.emit('render-process-gone', {}, { reason: 'crashed' });
    expect(relaunch).toHaveBeenCalledOnce();
  });

  it('forgets crashes older than a minute', () => {
    const window = new FakeWindow({});
    let t = 0;
    const relaunch = vi.fn();
    watchRenderer(window as never, relaunch, () => t);
    for (let i = 0; i < 5; i++) {
      window.webContents.emit('render-process-gone', {}, { reason: 'crashed' });
      t += 40_000;
    }
    expect(relaunch).not.toHaveBeenCalled();
    expect(window.webContents.reloads).toBe(5);
  });
});

describe('app:// protocol', () => {
  it('serves renderer files with the CSP, and nothing else', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'staff.html'), '<title>staff</title>');
    const ok = await serveAppRequest(dir, { method: 'GET', url: 'app://cordial/staff.html' });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-security-policy')).toContain("object-src 'none'");
    expect(await ok.text()).toBe('<title>staff</title>');
    expect((await serveAppRequest(dir, { method: 'POST', url: 'app://cordial/staff.html' })).status).toBe(405);
    expect((await serveAppRequest(dir, { method: 'GET', url: 'app://cordial/../../etc/passwd' })).status).toBe(404);
    expect((await serveAppRequest(dir, { method: 'GET', url: 'app://cordial/%2e%2e%2fetc%2fpasswd' })).status).toBe(404);
    expect((await serveAppRequest(dir, { method: 'GET', url: 'app://other/staff.html' })).status).toBe(404);
  });

  it('lets no page under app:// open a WebSocket: the screens talk over IPC only', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'staff.html'), '<title>staff</title>');
    const csp = (await serveAppRequest(dir, { method: 'GET', url: 'app://cordial/staff.html' })).headers.get('content-security-policy') ?? '';
    expect(/connect-src ([^;]*)/.exec(csp)?.[1]).toBe("'self'");
    // The pages' own policy must not open what the header closes.
    for (const page of ['citizen.html', 'staff.html']) {
      const meta = /http-equiv="Content-Security-Policy" content="([^"]*)"/.exec(readFileSync(join(root, 'src', 'renderer', page), 'utf8'))?.[1] ?? '';
      expect(/connect-src ([^;]*)/.exec(meta)?.[1], page).toBe("'self'");
    }
  });
});

describe('Electron main with a mocked electron module', () => {
  it('creates the two windows on app:// pages, locks the session and serves IPC', async () => {
    const dataDir = tempDir();
    process.env.CORDIAL_DATA_DIR = dataDir;
    const handled: Record<string, unknown> = {};
    const started: string[] = [];
    const permissions: string[] = [];
    const dialogs: { message: string; detail?: string }[] = [];
    vi.doMock('electron', () => ({
      dialog: { showMessageBox: (options: { message: string; detail?: string }) => (dialogs.push(options), Promise.resolve({ response: 0 })) },
      app: {
        requestSingleInstanceLock: () => true,
        whenReady: () => Promise.resolve(),
        on: vi.fn(),
        quit: vi.fn(),
        isPackaged: true,
        setLoginItemSettings: vi.fn(),
        relaunch: vi.fn(),
        exit: vi.fn(),
      },
      BrowserWindow: FakeWindow,
      ipcMain: { handle: (channel: string, fn: unknown) => (handled[channel] = fn) },
      powerSaveBlocker: { start: (kind: string) => started.push(kind) },
      protocol: { registerSchemesAsPrivileged: vi.fn() },
      screen: { getAllDisplays: () => [{ id: 1, bounds: screen }], getPrimaryDisplay: () => ({ id: 1 }), on: vi.fn() },
      session: {
        defaultSession: {
          protocol: { handle: (scheme: string) => permissions.push(`protocol:${scheme}`) },
          setPermissionRequestHandler: () => permissions.push('request'),
          setPermissionCheckHandler: () => permissions.push('check'),
          setDevicePermissionHandler: () => permissions.push('device'),
        },
      },
    }));
    FakeWindow.created = [];
    await import('../../src/main/main');
    await vi.waitFor(() => expect(FakeWindow.created).toHaveLength(2));
    const [citizen, staff] = FakeWindow.created as [FakeWindow, FakeWindow];
    expect(citizen.loaded).toBe(CITIZEN_URL);
    expect(staff.loaded).toBe(STAFF_URL);
    expect((citizen.options.webPreferences as { devTools: boolean }).devTools).toBe(false);
    expect(started).toEqual(['prevent-display-sleep']);
    expect(permissions).toEqual(expect.arrayContaining(['request', 'check', 'device', 'protocol:app']));

    const call = handled['cordial:call'] as (e: unknown, p: unknown) => Promise<unknown>;
    const reply = await call({ sender: staff.webContents, senderFrame: { url: STAFF_URL, parent: null } }, { method: 'snapshot', params: {} });
    expect(reply).toMatchObject({ ok: true, result: { phase: 'closed' } });
    const forged = await call({ sender: new FakeContents(), senderFrame: { url: STAFF_URL, parent: null } }, { method: 'snapshot', params: {} });
    expect(forged).toMatchObject({ ok: false, error: { code: 'unauthorised' } });
    expect(readFileSync(join(dataDir, 'cordial.lock'), 'utf8')).toContain('"owner":"Cordial"');

    // No admin PIN yet: the setup code is shown on this PC's screen, and no screen's request returns it.
    expect(dialogs).toHaveLength(1);
    const code = /(\d{8})/.exec(dialogs[0]!.message)?.[1];
    expect(code).toBeDefined();
    const fromStaff = (method: string, params: unknown) => call({ sender: staff.webContents, senderFrame: { url: STAFF_URL, parent: null } }, { method, params });
    expect(JSON.stringify(await fromStaff('adminStatus', {}))).not.toContain(code);
    expect(await fromStaff('adminSetPin', { pin: '482913' })).toMatchObject({ ok: false, error: { code: 'wrong_pin' } });
    expect(await fromStaff('adminSetPin', { pin: '482913', setupCode: code })).toMatchObject({ ok: true });
  });
});
