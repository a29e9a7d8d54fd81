/**
 * The running kiosk (the runtime both shells use) starts its live status with its sync
 * client: once IT enrols the window from the admin page, what staff do shows at the
 * centre's hall, with the version of the app that runs, and nobody starts anything.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CordialRuntime } from '../../src/app/runtime';
import { recordingLog } from '../support/log';
import { tempDir } from '../support/tmp';
import { openTestDatabase, type TestDatabase } from './support/backends';
import { startCentre, type TestCentre } from './support/centre';

const root = fileURLToPath(new URL('../..', import.meta.url));
const ARRIVAL = { timeout: 30_000, interval: 20 };
const open: { runtime?: CordialRuntime; centre?: TestCentre; db?: TestDatabase } = {};

afterEach(async () => {
  await open.runtime?.close();
  await open.centre?.close();
  await open.db?.close();
  delete open.runtime;
  delete open.centre;
  delete open.db;
});

describe('live status from the running kiosk', () => {
  it('starts with sync: after enrolment from the admin page, a sign-in and a case show at the centre', async () => {
    open.db = await openTestDatabase('postgres');
    const centre = (open.centre = await startCentre(open.db.db));
    const dataDir = tempDir();
    writeFileSync(join(dataDir, 'config.json'), JSON.stringify({ centre: { url: centre.url }, window: { windowNo: '3' } }));
    const runtime = (open.runtime = new CordialRuntime({ dataDir, owner: 'test', keypad: false, demoSeed: true, log: recordingLog() }));

    await runtime.handle('staff', 'adminSetPin', { pin: '902817', setupCode: runtime.adminSetupCode });
    const login = await runtime.handle('staff', 'adminLogin', { pin: '902817' });
    if (!login.ok) throw new Error(login.error.message);
    const code = String((await centre.call('POST', '/v1/admin/enrolment-codes', { body: { windowNo: '3' } })).body.code);
    expect(await runtime.handle('staff', 'adminEnrol', { token: login.result.token, code })).toEqual({ ok: true, result: { windowNo: '3' } });

    for (const command of [
      { type: 'signInBadge', badgeId: 'BADGE-1001' },
      { type: 'openCase', itemCode: '340104-SJ-001' },
    ]) expect(await runtime.handle('staff', 'execute', { command })).toMatchObject({ ok: true, result: { ok: true } });

    const version = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version;
    const hall = centre.centre.hall.state;
    await vi.waitFor(() => expect(hall.get('3')?.status).toMatchObject({ phase: 'serving', case: { itemCode: '340104-SJ-001' }, appVersion: version }), ARRIVAL);
    expect(hall.get('3')?.terminalId).toBe(runtime.kiosk.terminal.terminalId);
  });
});
