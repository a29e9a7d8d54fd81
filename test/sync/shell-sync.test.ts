import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { CordialRuntime } from '../../src/app/runtime';
import { consoleLog } from '../../src/core/log';
import { openTestDatabase, type TestDatabase } from './support/backends';
import { startCentre, type TestCentre } from './support/centre';
import { tempDir } from '../support/tmp';

const root = fileURLToPath(new URL('../..', import.meta.url));
const run = promisify(execFile);
const open: { runtime?: CordialRuntime; centre?: TestCentre; db?: TestDatabase } = {};
afterEach(async () => {
  await open.runtime?.close();
  await open.centre?.close();
  await open.db?.close();
  delete open.runtime;
  delete open.centre;
  delete open.db;
});

/** A window's data folder pointed at a centre, with the demo lists. */
async function windowAndCentre() {
  open.db = await openTestDatabase('pglite');
  open.centre = await startCentre(open.db.db);
  const dataDir = tempDir();
  writeFileSync(join(dataDir, 'config.json'), JSON.stringify({ centre: { url: open.centre.url }, window: { windowNo: '3' } }));
  return { dataDir, centre: open.centre };
}

async function enrolmentCode(centre: TestCentre, windowNo: string): Promise<string> {
  return String((await centre.call('POST', '/v1/admin/enrolment-codes', { body: { windowNo } })).body.code);
}

async function heldAtCentre(centre: TestCentre): Promise<number> {
  const terminals = (await centre.call('GET', '/v1/admin/terminals')).body.terminals as { epochs: { highWater: number }[] }[];
  return terminals.reduce((n, t) => n + t.epochs.reduce((m, e) => m + e.highWater, 0), 0);
}

describe('sync from the running kiosk', () => {
  it('IT enrols from the admin page, staff press "sync now", and the centre holds every record', async () => {
    const { dataDir, centre } = await windowAndCentre();
    const runtime = new CordialRuntime({ dataDir, owner: 'test', keypad: false, demoSeed: true, log: consoleLog });
    open.runtime = runtime;
    expect(await runtime.handle('staff', 'syncNow', {})).toMatchObject({ ok: false, error: { message: expect.stringContaining('enrol') } });

    // The first PIN needs the one-time setup code Cordial shows on the PC itself.
    await runtime.handle('staff', 'adminSetPin', { pin: '902817', setupCode: runtime.adminSetupCode });
    const login = await runtime.handle('staff', 'adminLogin', { pin: '902817' });
    if (!login.ok) throw new Error(login.error.message);
    const token = login.result.token;
    expect(await runtime.handle('staff', 'adminEnrol', { token, code: 'NOT-A-CODE' })).toMatchObject({ ok: false });
    expect(await runtime.handle('staff', 'adminEnrol', { token, code: await enrolmentCode(centre, '3') })).toEqual({ ok: true, result: { windowNo: '3' } });

    for (const command of [
      { type: 'signInBadge', badgeId: 'BADGE-1001' },
      { type: 'openCase', itemCode: '340104-SJ-001' },
      { type: 'finishCase', outcome: 'completed' },
    ]) expect(await runtime.handle('staff', 'execute', { command })).toMatchObject({ ok: true, result: { ok: true } });
    await runtime.handle('citizen', 'execute', { command: { type: 'rateByTouch', level: 'satisfied' } });

    const pending = runtime.kiosk.snapshot().sync.pending;
    expect(pending).toBe(4);
    expect(await runtime.handle('staff', 'syncNow', {})).toEqual({ ok: true, result: { sent: 4, pending: 0 } });
    expect(await heldAtCentre(centre)).toBe(4);
    expect(runtime.kiosk.snapshot().sync).toMatchObject({ state: 'idle', pending: 0, lastSuccessAt: expect.any(Number) });
  });

  it('the CLI enrols, syncs and writes a signed offline bundle', async () => {
    const { dataDir, centre } = await windowAndCentre();
    const cli = async (...args: string[]) => {
      try {
        const r = await run(process.execPath, ['--import', 'tsx', 'src/cli/cordial.ts', ...args, '--data-dir', dataDir], { cwd: root });
        return { code: 0, out: r.stdout, err: r.stderr };
      } catch (e) {
        const err = e as { code: number; stdout: string; stderr: string };
        return { code: err.code, out: err.stdout, err: err.stderr };
      }
    };
    expect(await cli('sync')).toMatchObject({ code: 1, err: expect.stringContaining('cordial: ') });
    expect((await cli('enrol', await enrolmentCode(centre, '3'))).out).toMatch(/^enrolled: this terminal \(T[0-9A-F]+\) is window 3 at the centre/);
    await cli('seed-demo');
    await cli('sign-in', '--badge', 'BADGE-1002');
    expect((await cli('sync')).out).toMatch(/^sent 1 records; 0 still to send/);
    await cli('sign-out');
    const bundle = join(tempDir(), 'window-3.bundle');
    expect((await cli('export-outbox', '--out', bundle)).out).toContain(`wrote 1 records in 1 batches to ${bundle}`);
    expect(await heldAtCentre(centre)).toBe(1);
  });
});
