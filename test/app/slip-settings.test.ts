/**
 * The 一次告知 slip's settings live with the kiosk's other settings: saving them restarts
 * nothing (the open case stays in the same core), the staff panel reads them, the citizen
 * screen cannot, and a bad value is refused with nothing saved.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CordialRuntime } from '../../src/app/runtime';
import { fileLog } from '../../src/core/log';
import { tempDir } from '../support/tmp';

const open: CordialRuntime[] = [];
afterEach(async () => {
  for (const r of open.splice(0)) await r.close();
});

async function started() {
  const dataDir = tempDir();
  const runtime = new CordialRuntime({ dataDir, owner: 'test', keypad: false, sync: false, demoSeed: true, log: fileLog(dataDir, false) });
  open.push(runtime);
  const set = await runtime.handle('staff', 'adminSetPin', { pin: '482913', setupCode: runtime.adminSetupCode ?? '' });
  if (!set.ok) throw new Error(set.error.message);
  const login = await runtime.handle('staff', 'adminLogin', { pin: '482913' });
  if (!login.ok) throw new Error(login.error.message);
  return { runtime, dataDir, token: login.result.token };
}

describe('the slip settings', () => {
  it('print on A5 to the default printer until IT says otherwise', async () => {
    const { runtime } = await started();
    expect(await runtime.handle('staff', 'slipSettings', {})).toEqual({ ok: true, result: { print: true, printer: null, layout: 'a5', centreName: null } });
    expect(await runtime.handle('citizen', 'slipSettings', {})).toMatchObject({ ok: false, error: { code: 'unauthorised' } });
  });

  it('are saved with the other settings and restart nothing: the open case stays open in the same core', async () => {
    const { runtime, dataDir, token } = await started();
    const core = runtime.kiosk;
    core.execute({ type: 'signInBadge', badgeId: 'BADGE-1001' }, 'staff');
    core.execute({ type: 'openCase', itemCode: '340104-SJ-001' }, 'staff');
    const current = await runtime.handle('staff', 'adminSettings', { token });
    if (!current.ok) throw new Error(current.error.message);
    const slip = { print: true, printer: 'EPSON_TM_T82', layout: 'receipt_80mm', centreName: '合肥市蜀山区政务服务中心' };
    const saved = await runtime.handle('staff', 'adminSaveSettings', { token, settings: { ...current.result, slip } });
    expect(saved).toMatchObject({ ok: true, result: { restarted: [], settings: { slip } } });
    expect(runtime.kiosk).toBe(core);
    expect(runtime.kiosk.snapshot().phase).toBe('serving');
    expect(JSON.parse(readFileSync(join(dataDir, 'config.json'), 'utf8')).slip).toEqual(slip);
    expect(await runtime.handle('staff', 'slipSettings', {})).toEqual({ ok: true, result: slip });
  });

  it('refuse a paper Cordial does not know, and keep what was saved', async () => {
    const { runtime, dataDir, token } = await started();
    const current = await runtime.handle('staff', 'adminSettings', { token });
    if (!current.ok) throw new Error(current.error.message);
    const refused = await runtime.handle('staff', 'adminSaveSettings', { token, settings: { ...current.result, slip: { ...current.result.slip, layout: 'a4' } } });
    expect(refused).toMatchObject({ ok: false, error: { code: 'invalid_settings', message: expect.stringMatching(/^slip\.layout: /) } });
    expect(await runtime.handle('staff', 'slipSettings', {})).toMatchObject({ ok: true, result: { layout: 'a5' } });
    expect(JSON.parse(readFileSync(join(dataDir, 'config.json'), 'utf8')).slip.layout).toBe('a5');
  });
});
