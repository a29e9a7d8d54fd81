/**
 * The data folder as another user on the same PC would find it: the PIN hash, the database
 * with callback numbers, the log and the exports are readable by the user running Cordial only.
 */
import { chmodSync, lstatSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CordialRuntime } from '../../src/app/runtime';
import { fileLog } from '../../src/core/log';
import { tempDir } from '../support/tmp';

const open: CordialRuntime[] = [];
let umask = 0;
beforeEach(() => {
  // A desktop session's usual umask, under which new files are readable by everyone.
  umask = process.umask(0o022);
});
afterEach(async () => {
  for (const r of open.splice(0)) await r.close();
  process.umask(umask);
});

function start(dataDir: string): CordialRuntime {
  const runtime = new CordialRuntime({ dataDir, owner: 'test', keypad: false, sync: false, demoSeed: true, log: fileLog(dataDir, false) });
  open.push(runtime);
  return runtime;
}

/** Every folder and file under `dir` whose mode lets group or others in, with that mode. */
function openToOthers(dir: string): string[] {
  const found: string[] = [];
  const visit = (path: string, name: string) => {
    const entry = lstatSync(path);
    if ((entry.mode & 0o077) !== 0) found.push(`${name} ${(entry.mode & 0o777).toString(8)}`);
    if (entry.isDirectory()) for (const child of readdirSync(path)) visit(join(path, child), `${name}/${child}`);
  };
  visit(dir, '.');
  return found;
}

const modeOf = (path: string) => (lstatSync(path).mode & 0o777).toString(8);

describe('the data folder', () => {
  it('is made for this user only on a fresh install: folder 0700, settings, database, log and exports 0600', async () => {
    const dataDir = join(tempDir(), 'Cordial');
    const runtime = start(dataDir);
    await runtime.handle('staff', 'adminSetPin', { pin: '482913', setupCode: runtime.adminSetupCode! });
    const login = await runtime.handle('staff', 'adminLogin', { pin: '482913' });
    if (!login.ok) throw new Error(login.error.message);
    expect(await runtime.handle('staff', 'adminExportCases', { token: login.result.token, codes: 'national' })).toMatchObject({ ok: true });

    expect(modeOf(dataDir)).toBe('700');
    for (const file of ['config.json', 'cordial.db', 'logs/cordial.log']) expect(modeOf(join(dataDir, file)), file).toBe('600');
    expect(readdirSync(join(dataDir, 'exports'))).toHaveLength(1);
    expect(openToOthers(dataDir)).toEqual([]);
  });

  it('closes an existing folder left open to other users when it starts, and says so in the log', async () => {
    const dataDir = join(tempDir(), 'Cordial');
    mkdirSync(join(dataDir, 'exports'), { recursive: true, mode: 0o755 });
    chmodSync(dataDir, 0o755);
    writeFileSync(join(dataDir, 'config.json'), JSON.stringify({ window: { windowNo: '4' } }), { mode: 0o644 });
    writeFileSync(join(dataDir, 'exports', 'old.csv'), 'case_no\n', { mode: 0o644 });
    expect(openToOthers(dataDir)).toHaveLength(4);

    start(dataDir);
    expect(openToOthers(dataDir)).toEqual([]);
    const log = readFileSync(join(dataDir, 'logs', 'cordial.log'), 'utf8');
    expect(log).toMatch(/WARN the data folder .* was open to other users on this PC: made \., config\.json, exports, exports\/old\.csv, logs private to this user/);
  });
});
