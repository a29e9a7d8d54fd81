import { execFile, spawn } from 'node:child_process';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { CordialRuntime } from '../../src/app/runtime';
import { fileLog } from '../../src/core/log';
import { tempDir } from '../support/tmp';

const root = fileURLToPath(new URL('../..', import.meta.url));
const run = promisify(execFile);

/** Runs `npm run cli -- …` as IT would, and returns its exit code and output. */
async function cordial(dataDir: string, ...args: string[]): Promise<{ code: number; out: string; err: string }> {
  try {
    const r = await run(process.execPath, ['--import', 'tsx', 'src/cli/cordial.ts', ...args, '--data-dir', dataDir], { cwd: root });
    return { code: 0, out: r.stdout, err: r.stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, out: err.stdout, err: err.stderr };
  }
}

/** Runs a command with `input` piped to its stdin, as a script would. */
function cordialWithInput(dataDir: string, input: string, ...args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolveRun) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/cordial.ts', ...args, '--data-dir', dataDir], { cwd: root });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('close', (code) => resolveRun({ code, out, err }));
    child.stdin.end(input);
  });
}

describe('cordial CLI', () => {
  it('imports lists from CSV, runs a case through the contract, exports CSV and verifies the chain', async () => {
    const dir = tempDir();
    const staffCsv = join(dir, 'staff.csv');
    writeFileSync(staffCsv, '\uFEFFstaff_no,name,department_name,pin,badge_ids\r\n2001,"陈, 静",政务服务管理局,864209,CARD-77;CARD-78\r\n');
    const itemsJson = join(dir, 'items.json');
    writeFileSync(itemsJson, JSON.stringify([{ itemCode: 'ZW-100', name: '不动产登记', departmentName: '自然资源局' }]));

    expect(await cordial(dir, 'import', 'staff', staffCsv)).toMatchObject({ code: 0, out: 'imported 1 staff\n' });
    expect(await cordial(dir, 'import', 'items', itemsJson)).toMatchObject({ code: 0, out: 'imported 1 items\n' });
    expect((await cordial(dir, 'sign-in', '--badge', 'CARD-78')).out).toContain('staff: 陈, 静 工号 2001');
    expect((await cordial(dir, 'open-case', '--item', 'ZW-100', '--ticket', 'C015', '--case-no', 'BJ-9')).out).toContain('case: 不动产登记 (ZW-100) ticket C015');
    expect((await cordial(dir, 'finish-case', '--outcome', 'notified_missing', '--missing', '身份证复印件;户口簿')).out).toContain('waiting for the citizen’s rating');

    const csv = join(dir, 'out.csv');
    expect((await cordial(dir, 'export-cases', '--out', csv)).out).toBe(`wrote 1 cases and 0 misuse presses to ${csv}\n`);
    const lines = readFileSync(csv, 'utf8').replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(lines[0]).toContain('case_no,item_code,item_version,item_name');
    expect(lines[1]).toContain('BJ-9,ZW-100,1,不动产登记');
    expect(lines[1]).toContain('身份证复印件；户口簿');

    expect(await cordial(dir, 'verify')).toMatchObject({ code: 0, out: 'outbox intact: 3 records, chain verified\n' });
    expect(JSON.parse((await cordial(dir, 'today', '--json')).out)).toMatchObject({ cases: 1, rated: 0 });
  });

  it('refuses bad input with a sentence and a non-zero exit, changing nothing', async () => {
    const dir = tempDir();
    expect(await cordial(dir, 'seed-demo')).toMatchObject({ code: 0 });
    expect(await cordial(dir, 'sign-in', '--staff', '1001', '--pin', '111111')).toMatchObject({ code: 1, err: 'cordial: wrong PIN\n' });
    expect(await cordial(dir, 'open-case', '--item', '340104-SJ-001')).toMatchObject({ code: 1, err: 'cordial: cannot open a case: no staff member is signed in\n' });
    const badCsv = join(dir, 'bad.csv');
    writeFileSync(badCsv, 'staff_no,name,shoe_size\n1,a,42\n');
    expect(await cordial(dir, 'import', 'staff', badCsv)).toMatchObject({ code: 1, err: expect.stringContaining('unknown column shoe_size') });
    expect(await cordial(dir, 'frobnicate')).toMatchObject({ code: 2, err: expect.stringContaining('unknown command frobnicate') });
    expect(await cordial(dir, 'verify')).toMatchObject({ code: 0, out: 'outbox intact: 0 records, chain verified\n' });
  });

  it('sets the first admin PIN on this PC, which then opens the admin page, and refuses a bad one', async () => {
    const dir = tempDir();
    expect(await cordialWithInput(dir, '12\n', 'set-admin-pin')).toMatchObject({ code: 1, err: 'cordial: the admin PIN is 6 to 12 digits: nothing was changed\n' });
    expect(await cordialWithInput(dir, '482913\n', 'set-admin-pin')).toMatchObject({ code: 0, out: 'the admin PIN is set: open 系统设置 in the staff panel and type it\n' });
    const config = join(dir, 'config.json');
    expect(readFileSync(config, 'utf8')).not.toContain('482913');
    if (process.platform !== 'win32') expect(statSync(config).mode & 0o777).toBe(0o600);

    const runtime = new CordialRuntime({ dataDir: dir, owner: 'test', keypad: false, sync: false, log: fileLog(dir, false) });
    try {
      expect(runtime.adminSetupCode).toBeNull();
      expect(await runtime.handle('staff', 'adminLogin', { pin: '482913' })).toMatchObject({ ok: true });
      // While Cordial runs, the CLI leaves the PIN alone: the running kiosk would write over it.
      expect(await cordialWithInput(dir, '111111\n', 'set-admin-pin')).toMatchObject({ code: 1, err: expect.stringContaining('Cordial is already running') });
    } finally {
      await runtime.close();
    }
    expect(await cordialWithInput(dir, '13572468\n', 'set-admin-pin')).toMatchObject({ code: 0, out: 'the admin PIN was replaced: the old one no longer opens the settings\n' });
  });
});
