/**
 * A settings change restarts only what it touches: moving the nightly sync time must not
 * reopen the window's database or drop the keypad link, and IT reads in cordial.log what
 * was restarted. The core's own log lines reach that file too.
 */
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CordialRuntime } from '../../src/app/runtime';
import type { AdminSettings } from '../../src/shared/config';
import { JOURNAL_FILE } from '../../src/core/paths';
import { fileLog } from '../../src/core/log';
import { afterAck, key } from '../support/kiosk';
import { tempDir } from '../support/tmp';

const open: CordialRuntime[] = [];
afterEach(async () => {
  for (const r of open.splice(0)) await r.close();
});

function start(dataDir: string): CordialRuntime {
  const runtime = new CordialRuntime({ dataDir, owner: 'test', keypad: false, sync: false, demoSeed: true, log: fileLog(dataDir, false) });
  open.push(runtime);
  return runtime;
}

async function adminToken(runtime: CordialRuntime): Promise<string> {
  const set = await runtime.handle('staff', 'adminSetPin', { pin: '482913', setupCode: runtime.adminSetupCode ?? '' });
  if (!set.ok) throw new Error(set.error.message);
  const login = await runtime.handle('staff', 'adminLogin', { pin: '482913' });
  if (!login.ok) throw new Error(login.error.message);
  return login.result.token;
}

async function save(runtime: CordialRuntime, token: string, change: (s: AdminSettings) => AdminSettings) {
  const current = await runtime.handle('staff', 'adminSettings', { token });
  if (!current.ok) throw new Error(current.error.message);
  const saved = await runtime.handle('staff', 'adminSaveSettings', { token, settings: change(current.result) });
  if (!saved.ok) throw new Error(saved.error.message);
  return saved.result;
}

const logOf = (dataDir: string) => readFileSync(join(dataDir, 'logs', 'cordial.log'), 'utf8');

describe('a settings change', () => {
  it('that only moves the nightly sync restarts sync alone, and the open case stays open in the same core', async () => {
    const dataDir = tempDir();
    const runtime = start(dataDir);
    const token = await adminToken(runtime);
    const core = runtime.kiosk;
    core.execute({ type: 'signInBadge', badgeId: 'BADGE-1001' }, 'staff');
    core.execute({ type: 'openCase', itemCode: '340104-SJ-001' }, 'staff');

    const result = await save(runtime, token, (s) => ({ ...s, centre: { ...s.centre, syncAt: '03:15' } }));

    expect(result.restarted).toEqual(['sync']);
    expect(runtime.kiosk).toBe(core);
    expect(runtime.kiosk.snapshot().phase).toBe('serving');
    expect(logOf(dataDir)).toContain('settings saved; restarted: sync');
  });

  it('that changes the window number reopens the core, and with it the keypad link and sync', async () => {
    const dataDir = tempDir();
    const runtime = start(dataDir);
    const token = await adminToken(runtime);
    const core = runtime.kiosk;

    const result = await save(runtime, token, (s) => ({ ...s, window: { ...s.window, windowNo: '12' } }));

    expect(result.restarted).toEqual(['core', 'keypad', 'sync']);
    expect(runtime.kiosk).not.toBe(core);
    expect(runtime.kiosk.snapshot().window.windowNo).toBe('12');
  });

  it('that changes nothing restarts nothing', async () => {
    const dataDir = tempDir();
    const runtime = start(dataDir);
    const token = await adminToken(runtime);
    const core = runtime.kiosk;

    expect((await save(runtime, token, (s) => s)).restarted).toEqual([]);
    expect(runtime.kiosk).toBe(core);
    expect(logOf(dataDir)).toContain('settings saved; nothing needed a restart');
  });
});

describe('the core running in a window', () => {
  it('writes its warnings into the data folder’s cordial.log, where IT looks', async () => {
    const dataDir = tempDir();
    const runtime = start(dataDir);
    const kiosk = runtime.kiosk;
    kiosk.execute({ type: 'signInBadge', badgeId: 'BADGE-1001' }, 'staff');
    kiosk.execute({ type: 'openCase', itemCode: '340104-SJ-001' }, 'staff');
    kiosk.execute({ type: 'finishCase', outcome: 'completed' }, 'staff');
    kiosk.recordPress(key(1, 1, Date.now()));
    await afterAck();
    await runtime.close();
    open.splice(0);
    rmSync(join(dataDir, JOURNAL_FILE));

    start(dataDir);

    expect(logOf(dataDir)).toContain(`the press journal ${join(dataDir, JOURNAL_FILE)} was missing`);
  });
});
