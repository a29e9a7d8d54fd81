/**
 * 个人信息 in Debian's chromium against a real centre process: a window sends a poor rating
 * with a callback phone, the admin enters the citizen's number, confirms the requester was
 * checked, and erases it; the page says what was erased and lists the erasure with the
 * window told, and the centre holds no phone for that record any more. A wrong number is
 * refused with a sentence and nothing is recorded. Only admins see the page.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildConsole } from '../../scripts/build';
import { openTerminal, type Terminal } from '../sync/support/terminal';
import { enrolledClient } from '../sync/support/sync';
import type { TestCentre } from '../sync/support/centre';
import { rateCase, SJ_ITEM } from '../centre/support/follow-up';
import { makeAccounts } from './support/accounts';
import { launchBrowser, openConsole, screenshotBoth, signIn } from './support/browser';
import { ADMIN_TOKEN, startCentreProcess, type CentreProcess } from './support/centre';
import { consoleBuildIsFresh } from './support/console-build';

const ADMIN = { username: 'admin.zhou', displayName: '周管理', password: 'privacy-admin-pass-1' };
const SUPERVISOR = { username: 'sup.wu', displayName: '吴主任', role: 'supervisor', departmentCode: null, password: 'sup.wu-pass-1' };
const PHONE = '13812345678';

let centre: CentreProcess;
let browser: Browser;
let terminal: Terminal;
const contexts: BrowserContext[] = [];
const pageErrors: string[] = [];

beforeAll(async () => {
  if (!consoleBuildIsFresh()) await buildConsole();
  centre = await startCentreProcess();
  await makeAccounts(centre, ADMIN, [SUPERVISOR]);
  const call: TestCentre['call'] = async (method, path, o = {}) => {
    const response = await fetch(`${centre.url}${path}`, { method, headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify(o.body) });
    const text = await response.text();
    return { status: response.status, body: JSON.parse(text) as Record<string, unknown>, text, headers: response.headers };
  };
  terminal = openTerminal({ windowNo: '9' });
  const { client } = await enrolledClient(terminal, { url: centre.url, call } as TestCentre, { windowNo: '9' });
  rateCase(terminal, SJ_ITEM, 5, { reasons: ['R01'], phone: PHONE });
  expect(await client.syncNow()).toMatchObject({ ok: true, pending: 0 });
  browser = await launchBrowser();
}, 240_000);

afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => undefined);
  await browser?.close();
  terminal?.kiosk.close();
  await centre?.stop();
});

async function consoleAs(user: { username: string; password: string }): Promise<Page> {
  const { context, page } = await openConsole(browser, `${centre.url}/overview`);
  contexts.push(context);
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await signIn(page, user.username, user.password);
  return page;
}

describe('个人信息', () => {
  it("erases a citizen's number when the admin confirms, and lists the erasure with the window told", async () => {
    const page = await consoleAs(ADMIN);
    await page.locator('nav.side a', { hasText: '个人信息' }).click();
    await page.getByRole('heading', { name: '个人信息' }).waitFor();
    await page.getByText('还没有删除过号码。').waitFor();

    const erase = page.getByRole('button', { name: '删除该号码' });
    await page.getByLabel('群众的手机号或座机号').fill('138 1234 5678');
    expect(await erase.isDisabled()).toBe(true);
    await page.getByLabel('已核实申请人身份').check();
    await erase.click();
    await expect.poll(() => page.getByTestId('erase-notice').textContent()).toBe('已删除 138****5678：回访记录 1 条、办件 1 条、原始记录 1 条、预约 0 条；已通知 1 个窗口。');
    const row = page.getByTestId('phone-erasures').locator('tbody tr');
    await expect.poll(() => row.count()).toBe(1);
    expect(await row.locator('td').allTextContents()).toEqual([expect.any(String), '群众申请', ADMIN.username, '138****5678', '1 / 1 / 1', '0', `${terminal.kiosk.terminal.terminalId}（待窗口删除）`]);
    await screenshotBoth(page, 'privacy');

    // The follow-up record has no phone left to reveal.
    const record = await page.evaluate(async () => {
      const ledger = (await (await fetch('/v1/console/follow-ups', { credentials: 'same-origin' })).json()) as { rows: { id: number }[] };
      return (await fetch(`/v1/console/follow-ups/${ledger.rows[0]!.id}`, { credentials: 'same-origin' })).json();
    });
    expect(record).toMatchObject({ phoneMasked: null, mayRevealPhone: false });
  }, 120_000);

  it('refuses a number that is not one with a sentence, and records nothing', async () => {
    const page = await consoleAs(ADMIN);
    await page.goto(`${centre.url}/privacy`);
    await page.getByRole('heading', { name: '个人信息' }).waitFor();
    await page.getByLabel('群众的手机号或座机号').fill('12345');
    await page.getByLabel('已核实申请人身份').check();
    await page.getByRole('button', { name: '删除该号码' }).click();
    await expect.poll(() => page.getByTestId('erase-notice').textContent()).toBe('这不是有效的电话号码：请输入 11 位手机号（以 1 开头），或区号加座机号，如 0551-62345678。没有删除任何数据。');
    await expect.poll(() => page.getByTestId('phone-erasures').locator('tbody tr').count()).toBe(1);
  }, 60_000);

  it('speaks English when asked, with no Chinese word but the data', async () => {
    const page = await consoleAs(ADMIN);
    await page.goto(`${centre.url}/privacy`);
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { name: 'Personal data' }).waitFor();
    const text = await page.locator('section.privacy').innerText();
    expect(text).toContain("Citizen's request");
    expect(text).toContain(`${terminal.kiosk.terminal.terminalId} (not yet)`);
    expect(text.match(/[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]/g)).toBeNull();
  }, 60_000);

  it('is not on the nav of a supervisor', async () => {
    const page = await consoleAs(SUPERVISOR);
    expect(await page.locator('nav.side a', { hasText: '个人信息' }).count()).toBe(0);
    expect(pageErrors).toEqual([]);
  }, 60_000);
});
