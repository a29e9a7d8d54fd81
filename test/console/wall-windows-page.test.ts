/**
 * The console's Windows page in Debian's chromium against a centre on a real PostgreSQL: an
 * admin sees each window's live state change as the kiosk reports it, without reloading, and
 * a window silent too long said plainly; the admin makes a wall address (shown once, with
 * the token in the fragment), the wall opens with it, the list shows its last use, and
 * revoking it stops that wall at once.
 */
import { generateKeyPairSync } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildConsole } from '../../scripts/build';
import { buildCentre, type Centre } from '../../server/src/app';
import { CONSOLE_DIST } from '../../server/src/console-files';
import { STATUS_PATH, type WindowStatus } from '../../src/shared/live-status';
import { addConsoleUser, CONSOLE_PASSWORD } from '../centre/support/console-session';
import { openTestDatabase, type TestDatabase } from '../sync/support/backends';
import { launchBrowser, openConsole, screenshot, signIn } from './support/browser';

const ADMIN_TOKEN = 'wall-page-admin-token-0123456789';

describe('the Windows page: live state and wall screens', () => {
  let database: TestDatabase;
  let centre: Centre;
  let url = '';
  let browser: Browser;
  let page: Page;
  const errors: string[] = [];
  let token = '';
  let seq = 0;

  const status = (phase: WindowStatus['phase']): WindowStatus => ({
    terminalId: 'T-07',
    windowNo: '7',
    seq: ++seq,
    runId: 'run-1',
    at: Date.now(),
    phase,
    pause: null,
    staff: { staffNo: 'S1001', name: '王芳', signedInAt: Date.now() },
    case: phase === 'serving' ? { itemCode: 'SJ-001', itemName: '营业执照办理', openedAt: Date.now() } : null,
    today: { served: seq, rated: seq, poor: 0 },
    keypad: { link: 'online', since: Date.now() },
    backlog: 0,
    appVersion: '1.4.0',
  });
  const post = async (phase: WindowStatus['phase']) => {
    const answer = await fetch(`${url}${STATUS_PATH}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(status(phase)) });
    expect(answer.status).toBe(204);
  };

  beforeAll(async () => {
    const built = (() => {
      try {
        return readdirSync(`${CONSOLE_DIST}/assets`).some((f) => f.endsWith('.js') && readFileSync(`${CONSOLE_DIST}/assets/${f}`, 'utf8').includes('wall-tokens'));
      } catch {
        return false;
      }
    })();
    if (!built) await buildConsole();
    database = await openTestDatabase('postgres');
    await database.db.query(
      `INSERT INTO windows (window_no, department_code, department_name, settings) VALUES
       ('7', '340104-SJ', '市场监督管理局', '{"floor":"1F"}'), ('8', '340104-RS', '人力资源和社会保障局', '{"floor":"2F"}')`,
    );
    // Window 8 last reported a minute ago, before this centre started: it is shown stale from the start.
    const old = Date.now() - 60_000;
    const { terminalId: _t, windowNo: _w, seq: _s, runId: _r, ...shown } = { ...status('idle'), at: old, staff: { staffNo: 'S1002', name: '李强', signedInAt: old } };
    await database.db.query(
      "INSERT INTO window_status (window_no, terminal_id, department_code, status, received_at, run_id, seq) VALUES ('8', 'T-08', '340104-RS', $1, $2, 'run-8', 1)",
      [JSON.stringify(shown), old],
    );
    centre = buildCentre(database.db, { adminToken: ADMIN_TOKEN, logger: false, enrolRateLimit: { perSecond: 100, burst: 100 } });
    await centre.app.ready();
    url = await centre.app.listen({ host: '127.0.0.1', port: 0 });
    await addConsoleUser(database.db, { username: 'admin.chen', role: 'admin', displayName: '陈管理' });
    const code = (await (await fetch(`${url}/v1/admin/enrolment-codes`, { method: 'POST', headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify({ windowNo: '7' }) })).json()) as { code: string };
    const publicKey = generateKeyPairSync('ed25519').publicKey.export({ format: 'der', type: 'spki' }).toString('base64');
    const enrolled = await fetch(`${url}/v1/enrol`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code: code.code, terminalId: 'T-07', publicKey }) });
    token = ((await enrolled.json()) as { token: string }).token;
    await post('idle');
    browser = await launchBrowser();
    const opened = await openConsole(browser, `${url}/windows`, { width: 1920, height: 1080 });
    page = opened.page;
    page.on('pageerror', (e) => errors.push(e.message));
    await signIn(page, 'admin.chen', CONSOLE_PASSWORD);
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await centre?.close();
    await database?.close();
  });

  it("shows each window's live state as it changes, and a silent window plainly", async () => {
    const row7 = page.locator('[data-testid=live-windows] tr[data-window="7"]');
    const row8 = page.locator('[data-testid=live-windows] tr[data-window="8"]');
    await row7.waitFor();
    expect(await row7.getAttribute('data-state')).toBe('idle');
    expect(await row7.locator('td').nth(2).textContent()).toBe('空闲');
    expect(await row8.getAttribute('data-stale')).toBe('true');
    expect(await row8.locator('td').nth(2).textContent()).toBe('离线（数据过时）');
    expect(await row8.locator('td').nth(3).textContent()).toBe('李强');

    // The kiosk starts a case: the row changes without a reload.
    await post('serving');
    await page.locator('[data-testid=live-windows] tr[data-window="7"][data-state="serving"]').waitFor();
    expect(await row7.locator('td').nth(2).textContent()).toBe('办理中');
    expect(await row7.locator('td').nth(4).textContent()).toBe('营业执照办理');
    await post('paused');
    await page.locator('[data-testid=live-windows] tr[data-window="7"][data-state="paused"]').waitFor();
    await screenshot(page, 'wall-windows-live');
  });

  it('makes a wall address shown once, opens the wall with it, and revokes it', async () => {
    await page.locator('input[name=wall-name]').fill('一楼大厅');
    await page.getByRole('button', { name: '新建大屏地址' }).click();
    const address = (await page.locator('[data-testid=wall-address]').textContent())!;
    expect(address).toMatch(new RegExp(`^${url.replace(/[.]/g, '\\.')}/wall#token=wall_[A-Za-z0-9_-]{40,}$`));
    const row = page.locator('[data-testid=wall-tokens] tr', { hasText: '一楼大厅' });
    expect(await row.locator('td').nth(2).textContent()).toBe('从未');
    expect(await row.locator('td').nth(3).textContent()).toBe('有效');
    await screenshot(page, 'wall-windows-tokens');

    const display = await browser.newContext({ viewport: { width: 1920, height: 1080 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
    const wall = await display.newPage();
    await wall.goto(address);
    await wall.locator('.tile[data-window="7"][data-state="paused"]').waitFor();
    expect(wall.url()).toBe(`${url}/wall`);

    // The list shows the wall's last use once read again; the address is not shown again.
    await page.reload();
    await page.locator('[data-testid=wall-tokens]').waitFor();
    expect(await page.locator('[data-testid=wall-address]').count()).toBe(0);
    expect(await row.locator('td').nth(2).textContent()).not.toBe('从未');

    page.once('dialog', (dialog) => void dialog.accept());
    await row.getByRole('button', { name: '吊销' }).click();
    await page.getByRole('status').filter({ hasText: '大屏“一楼大厅”的令牌已吊销。' }).waitFor();
    // The list is read again after the notice: wait for the row to say so.
    await row.filter({ hasText: '已吊销' }).waitFor();
    expect(await row.locator('td').nth(3).textContent()).toMatch(/^已吊销 /);
    await wall.locator('.wall.stopped[data-stopped="revoked"]').waitFor({ timeout: 60_000 });
    await display.close();
    expect(errors).toEqual([]);
  }, 120_000);
});
