/**
 * 审计日志 answers who changed the rules and lists, in Debian's chromium against a real centre
 * process on a real PostgreSQL: the admin changes a window rule on 监察设置 and a day on 工作日历,
 * and adds a person on 名单, opens 审计日志, filters by each new action and finds the one entry
 * with their name and what changed (before → after) in Chinese; the same in English. Screenshots of the filtered page in
 * zh and en at 1280×800 and 1920×1080 go to test-artifacts/screens/ (rule changes, and the staff list's change).
 */
import { mkdirSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildConsole } from '../../scripts/build';
import { startPostgres, type PgCluster } from '../sync/support/postgres';
import { makeAccounts } from './support/accounts';
import { launchBrowser, openConsole, signIn } from './support/browser';
import { consoleBuildIsFresh } from './support/console-build';
import { startCentreProcess, type CentreProcess } from './support/centre';

const ADMIN = { username: 'admin.zhou', displayName: '周管理', password: 'audit-rules-admin-1' };
const SHOTS = 'test-artifacts/screens';
const SIZES = [
  { width: 1280, height: 800 },
  { width: 1920, height: 1080 },
] as const;

let cluster: PgCluster;
let centre: CentreProcess;
let browser: Browser;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  if (!consoleBuildIsFresh()) await buildConsole();
  cluster = await startPostgres({ fast: true });
  centre = await startCentreProcess({ databaseUrl: await cluster.createDatabase('centre') });
  await makeAccounts(centre, ADMIN, []);
  browser = await launchBrowser();
}, 180_000);

afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => undefined);
  await browser?.close();
  await centre?.stop();
  cluster?.stop();
});

/** The audit table as a person reads it: one array of cell texts per row. */
const rows = (page: Page) =>
  page.getByTestId('audit').locator('tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent ?? '')));

/** Screenshots of the page at both sizes, each checked to fit the screen's width. */
async function shots(page: Page, language: 'zh' | 'en', name = 'console-audit-rule-changes'): Promise<void> {
  mkdirSync(SHOTS, { recursive: true });
  for (const size of SIZES) {
    await page.setViewportSize(size);
    await page.getByTestId('audit').waitFor();
    await page.screenshot({ path: `${SHOTS}/${name}-${language}-${size.width}x${size.height}.png` });
    expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
  }
}

describe('审计日志 of rule changes', () => {
  it('shows who changed a window rule, a calendar day and the staff list, filtered by the new actions, in zh and en', async () => {
    const { context, page, errors } = await openConsole(browser, `${centre.url}/hall/rules`, SIZES[0]);
    contexts.push(context);
    await signIn(page, ADMIN.username, ADMIN.password);

    // A window rule: the default pause limit from 30 to 25 minutes.
    await page.getByRole('heading', { name: '监察设置' }).waitFor();
    await page.locator('fieldset[data-rule=long_pause] input[name=long_pause-minutes]').fill('25');
    await page.getByRole('button', { name: '保存规则' }).click();
    await expect.poll(() => page.getByTestId('rules-notice').textContent()).toBe('监察规则已保存。');

    // A calendar day: 2027-10-06, a Wednesday, made a holiday.
    await page.goto(`${centre.url}/follow-ups/calendar?year=2027`);
    await page.getByTestId('calendar-months').waitFor();
    await page.locator('form[aria-label=添加] input[name=day]').fill('2027-10-06');
    await page.locator('form[aria-label=添加] button[type=submit]').click();
    await page.getByTestId('calendar-save').click();
    await expect.poll(() => page.getByTestId('calendar-notice').textContent()).toBe('2027 年的日历已保存。');

    // A person added to the staff list.
    await page.locator('nav.side a', { hasText: '名单' }).click();
    await page.locator('form[aria-label=人员] input[name=staffNo]').fill('8001');
    await page.locator('form[aria-label=人员] input[name=name]').fill('吴芳');
    await page.locator('form[aria-label=人员] button[type=submit]').click();
    await page.locator('tr[data-staff="8001"]').waitFor();

    // 审计日志, from the nav; the filter lists the rule changes under their own group.
    await page.locator('nav.side a', { hasText: '审计' }).click();
    await page.getByRole('heading', { name: '审计日志' }).waitFor();
    const filter = page.locator('select[name=action]');
    expect(await filter.locator('optgroup[label=规则变更] option').allTextContents()).toEqual([
      '修改提醒规则',
      '修改外发通知',
      '修改工作日历',
      '修改窗口监察设置',
      '修改事项信息',
      '修改大屏令牌',
      '修改终端令牌',
      '修改中心设置',
    ]);

    await filter.selectOption({ label: '修改窗口监察设置' });
    await expect.poll(() => new URL(page.url()).searchParams.get('action')).toBe('window_rules_changed');
    await expect.poll(() => rows(page).then((r) => r.map((cells) => cells.slice(1, 5)))).toEqual([
      ['修改窗口监察设置', ADMIN.username, '暂停超时', '暂停超时 · 默认暂停时限（分钟）：30 → 25'],
    ]);

    // The list changes have a group of their own.
    expect(await filter.locator('optgroup[label=名单变更] option').allTextContents()).toEqual(['修改人员名单', '修改原因代码', '修改转办去向', '修改窗口名单', '生成或作废登记码']);
    await filter.selectOption({ label: '修改人员名单' });
    await expect.poll(() => new URL(page.url()).searchParams.get('action')).toBe('staff_changed');
    await expect.poll(() => rows(page).then((r) => r.map((cells) => cells.slice(1, 5)))).toEqual([['修改人员名单', ADMIN.username, '8001', '新增“吴芳”']]);
    await shots(page, 'zh', 'console-audit-list-changes');
    await page.setViewportSize(SIZES[0]);

    await filter.selectOption({ label: '修改工作日历' });
    await expect.poll(() => new URL(page.url()).searchParams.get('action')).toBe('calendar_changed');
    await expect.poll(() => rows(page).then((r) => r.map((cells) => cells.slice(1, 5)))).toEqual([
      ['修改工作日历', ADMIN.username, '2027', '新增节假日 2027-10-06；现有节假日 1 天、调休上班日 0 天'],
    ]);
    await shots(page, 'zh');

    // The same page in English: the group, the filter, the action and what changed are English.
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { name: 'Audit log' }).waitFor();
    expect(await filter.locator('optgroup[label="Rule changes"] option:checked').textContent()).toBe('Calendar changed');
    await expect.poll(() => rows(page).then((r) => r.map((cells) => cells.slice(1, 5)))).toEqual([
      ['Calendar changed', ADMIN.username, '2027', 'holidays added 2027-10-06; now 1 holiday and 0 working weekend days'],
    ]);
    await filter.selectOption({ label: 'Window rules changed' });
    await expect.poll(() => rows(page).then((r) => r.map((cells) => cells.slice(1, 5)))).toEqual([
      ['Window rules changed', ADMIN.username, 'Pause too long', 'Pause too long · default limit (minutes): 30 → 25'],
    ]);
    await filter.selectOption({ label: 'Staff list changed' });
    await expect.poll(() => rows(page).then((r) => r.map((cells) => cells.slice(1, 5)))).toEqual([['Staff list changed', ADMIN.username, '8001', 'added "吴芳"']]);
    expect(await filter.locator('optgroup[label="List changes"] option:checked').textContent()).toBe('Staff list changed');
    await shots(page, 'en', 'console-audit-list-changes');
    await page.setViewportSize(SIZES[0]);
    await filter.selectOption({ label: 'Calendar changed' });
    await expect.poll(() => rows(page).then((r) => r.map((cells) => cells[1]))).toEqual(['Calendar changed']);
    await shots(page, 'en');

    // All actions again: the first setup and the sign-in are there beside the two rule changes and the list change, each under its own name.
    await filter.selectOption({ label: 'All actions' });
    await expect.poll(() => rows(page).then((r) => r.map((cells) => cells[1]))).toEqual(['Staff list changed', 'Calendar changed', 'Window rules changed', 'Signed in', 'First setup']);
    expect(errors).toEqual([]);
  }, 180_000);
});
