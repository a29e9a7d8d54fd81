/**
 * 监察设置 and 窗口告警 in Debian's chromium against a real centre process on a real PostgreSQL:
 * the admin switches the window rules and sets their thresholds (the case limit per item from
 * the item list), gives a window its weekly hours, pause limit and floor, and what the page
 * sends is what the centre keeps. A slip is named in a sentence and nothing is sent; the
 * centre's own refusal is a sentence too, and the typed values stay. In English every word
 * is English. The window alerts page is on the nav of each role that watches the hall, not
 * of an evaluator.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildConsole } from '../../scripts/build';
import { CONSOLE_ROUTES, HALL_ROUTES, IT_ROUTES, itPath, type WindowRules, type WindowSchedule } from '../../src/shared/console/contract';
import { startPostgres, type PgCluster } from '../sync/support/postgres';
import { consoleApiAs, makeAccounts } from './support/accounts';
import { launchBrowser, openConsole, screenshotBoth, signIn } from './support/browser';
import { consoleBuildIsFresh } from './support/console-build';
import { startCentreProcess, type CentreProcess } from './support/centre';

const ADMIN = { username: 'admin.qian', displayName: '钱管理', password: 'hall-rules-admin-1' };
const DEPT = { username: 'sj.head', displayName: '孙科长', role: 'department', departmentCode: '340104-SJ', password: 'sj.head-pass-1' };
const EVALUATOR = { username: 'eval.li', displayName: '李评估', role: 'evaluator', departmentCode: null, password: 'eval.li-pass-1' };
const ITEMS = [
  { code: '340104-SJ-001', version: '2', name: '个体工商户设立登记', department: '340104-SJ', departmentName: '市场监督管理局' },
  { code: '340104-RS-001', version: '1', name: '社会保障卡申领', department: '340104-RS', departmentName: '人力资源和社会保障局' },
];
const WINDOWS = [
  { windowNo: '5', department: '340104-SJ', departmentName: '市场监督管理局' },
  { windowNo: '6', department: '340104-RS', departmentName: '人力资源和社会保障局' },
];

let cluster: PgCluster;
let centre: CentreProcess;
let browser: Browser;
const contexts: BrowserContext[] = [];
const pageErrors: string[] = [];


const apiAs = (user: { username: string; password: string }) => consoleApiAs(centre, user);

async function consoleAs(user: { username: string; password: string }, path: string): Promise<Page> {
  const { context, page } = await openConsole(browser, `${centre.url}${path}`);
  contexts.push(context);
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await signIn(page, user.username, user.password);
  return page;
}

beforeAll(async () => {
  if (!consoleBuildIsFresh()) await buildConsole();
  cluster = await startPostgres({ fast: true });
  centre = await startCentreProcess({ databaseUrl: await cluster.createDatabase('centre') });
  await makeAccounts(centre, ADMIN, [DEPT, EVALUATOR]);
  const api = await apiAs(ADMIN);
  for (const i of ITEMS) await api('PUT', itPath(IT_ROUTES.item, { itemCode: i.code, itemVersion: i.version }), { name: i.name, departmentCode: i.department, departmentName: i.departmentName });
  for (const w of WINDOWS) await api('PUT', itPath(IT_ROUTES.window, { windowNo: w.windowNo }), { departmentCode: w.department, departmentName: w.departmentName });
  browser = await launchBrowser();
}, 180_000);

afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => undefined);
  await browser?.close();
  await centre?.stop();
  cluster?.stop();
});

const rule = (page: Page, kind: string) => page.locator(`fieldset[data-rule=${kind}]`);
const notice = (page: Page) => page.getByTestId('rules-notice');

describe('监察设置', () => {
  it('saves the five rules, switches and thresholds, and the case limit of one item, as the centre keeps them', async () => {
    const api = await apiAs(ADMIN);
    const page = await consoleAs(ADMIN, '/overview');
    await page.locator('nav.side a', { hasText: '监察设置' }).click();
    await page.getByRole('heading', { name: '监察设置' }).waitFor();
    // The centre's defaults, as the issue names them.
    expect(await rule(page, 'long_pause').locator('input[name=long_pause-minutes]').inputValue()).toBe('30');
    expect(await rule(page, 'not_open').locator('input[name=not_open-minutes]').inputValue()).toBe('10');
    expect(await rule(page, 'keypad_offline').locator('input[name=keypad_offline-minutes]').inputValue()).toBe('5');
    expect(await rule(page, 'terminal_silent').locator('input[name=terminal_silent-minutes]').inputValue()).toBe('10');
    expect(await page.getByTestId('item-limits').locator('tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-item')))).toEqual(ITEMS.map((i) => i.code).sort());

    await rule(page, 'long_pause').locator('input[name=long_pause-minutes]').fill('20');
    await rule(page, 'keypad_offline').locator('input[name=keypad_offline-on]').uncheck();
    await rule(page, 'long_case').locator('input[name=long_case-minutes]').fill('90');
    await page.locator(`input[name="item-${ITEMS[0]!.code}"]`).fill('45');
    await page.getByRole('button', { name: '保存规则' }).click();
    await expect.poll(() => notice(page).textContent()).toBe('监察规则已保存。');

    const kept = await api<WindowRules>('GET', HALL_ROUTES.windowRules);
    expect(kept).toEqual({
      notOpen: { enabled: true, graceMinutes: 10 },
      longPause: { enabled: true, defaultLimitMinutes: 20 },
      keypadOffline: { enabled: false, minutes: 5 },
      longCase: { enabled: true, defaultMinutes: 90, byItem: { [ITEMS[0]!.code]: 45 } },
      terminalSilent: { enabled: true, minutes: 10 },
    });
    // A fresh page shows what the centre kept.
    await page.reload();
    await page.getByRole('heading', { name: '监察设置' }).waitFor();
    expect(await rule(page, 'long_pause').locator('input[name=long_pause-minutes]').inputValue()).toBe('20');
    expect(await rule(page, 'keypad_offline').locator('input[name=keypad_offline-on]').isChecked()).toBe(false);
    expect(await page.locator(`input[name="item-${ITEMS[0]!.code}"]`).inputValue()).toBe('45');
    expect(await page.locator(`input[name="item-${ITEMS[1]!.code}"]`).inputValue()).toBe('');
    await screenshotBoth(page, 'hall-rules');
  }, 120_000);

  it('names a slip in a sentence and sends nothing; the centre’s refusal is a sentence and the typed values stay', async () => {
    const api = await apiAs(ADMIN);
    const before = await api<WindowRules>('GET', HALL_ROUTES.windowRules);
    const page = await consoleAs(ADMIN, '/hall/rules');
    await page.getByRole('heading', { name: '监察设置' }).waitFor();

    await rule(page, 'long_pause').locator('input[name=long_pause-minutes]').fill('0');
    await page.getByRole('button', { name: '保存规则' }).click();
    await expect.poll(() => notice(page).textContent()).toBe('“暂停超时 · 默认暂停时限（分钟）”须为 1 到 480 之间的整数分钟。');
    await rule(page, 'long_pause').locator('input[name=long_pause-minutes]').fill('25');
    await page.locator(`input[name="item-${ITEMS[1]!.code}"]`).fill('一小时');
    await page.getByRole('button', { name: '保存规则' }).click();
    await expect.poll(() => notice(page).textContent()).toBe('事项“社会保障卡申领”的时限须为 1 到 1440 之间的整数分钟，或留空使用默认时限。');
    expect(await api<WindowRules>('GET', HALL_ROUTES.windowRules)).toEqual(before);

    // The session ends elsewhere (sign out on every device): the centre refuses the save, and says so.
    await page.locator(`input[name="item-${ITEMS[1]!.code}"]`).fill('50');
    await api('POST', CONSOLE_ROUTES.signOutEverywhere);
    await page.getByRole('button', { name: '保存规则' }).click();
    await expect.poll(() => notice(page).textContent()).toBe('登录已失效，请重新登录。');
    expect(await rule(page, 'long_pause').locator('input[name=long_pause-minutes]').inputValue()).toBe('25');
    expect(await page.locator(`input[name="item-${ITEMS[1]!.code}"]`).inputValue()).toBe('50');
    const fresh = await apiAs(ADMIN);
    expect(await fresh<WindowRules>('GET', HALL_ROUTES.windowRules)).toEqual(before);
  }, 120_000);

  it('gives a window its hours per weekday, pause limit and floor, and refuses half a day in words', async () => {
    const api = await apiAs(ADMIN);
    const page = await consoleAs(ADMIN, '/hall/rules');
    await page.getByRole('heading', { name: '窗口作息' }).waitFor();
    await page.locator('select[name=schedule-window]').selectOption('6');
    const form = page.locator('form[data-window="6"]');
    await form.waitFor();
    for (let day = 1; day <= 5; day++) {
      await form.locator(`input[name=opens-${day}]`).fill('08:30');
      await form.locator(`input[name=closes-${day}]`).fill(day === 5 ? '16:00' : '17:30');
    }
    await form.locator('input[name=opens-6]').fill('09:00');
    await form.locator('input[name=pause-limit]').fill('15');
    await form.locator('input[name=floor]').fill('二楼');
    await form.getByRole('button', { name: '保存作息' }).click();
    await expect.poll(() => page.getByTestId('schedule-notice').textContent()).toBe('周六只填了开窗或关窗中的一个；请两个都填，或都留空表示不开窗。');
    expect(await api<WindowSchedule>('GET', itPath(HALL_ROUTES.windowSchedule, { windowNo: '6' }))).toEqual({
      opensAt: [null, null, null, null, null, null, null],
      closesAt: [null, null, null, null, null, null, null],
      pauseLimitMinutes: null,
      floor: null,
    });

    await form.locator('input[name=closes-6]').fill('12:00');
    await form.getByRole('button', { name: '保存作息' }).click();
    await expect.poll(() => page.getByTestId('schedule-notice').textContent()).toBe('窗口 6 的作息已保存。');
    expect(await api<WindowSchedule>('GET', itPath(HALL_ROUTES.windowSchedule, { windowNo: '6' }))).toEqual({
      opensAt: ['08:30', '08:30', '08:30', '08:30', '08:30', '09:00', null],
      closesAt: ['17:30', '17:30', '17:30', '17:30', '16:00', '12:00', null],
      pauseLimitMinutes: 15,
      floor: '二楼',
    });
    // The window is in the address: a fresh page opens on it, with what the centre kept.
    expect(new URL(page.url()).searchParams.get('window')).toBe('6');
    await page.reload();
    await page.locator('form[data-window="6"] input[name=floor]').waitFor();
    expect(await page.locator('form[data-window="6"] input[name=floor]').inputValue()).toBe('二楼');
    expect(await page.locator('form[data-window="6"] input[name=closes-5]').inputValue()).toBe('16:00');
    // The other window has its own, still empty, week.
    await page.locator('select[name=schedule-window]').selectOption('5');
    await page.locator('form[data-window="5"]').waitFor();
    expect(await page.locator('form[data-window="5"] input[name=pause-limit]').inputValue()).toBe('');

    // In English every word of the page is English; only the data stays Chinese.
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { name: 'Supervision settings' }).waitFor();
    const data = ['钱管理', ...ITEMS.map((i) => i.name), ...WINDOWS.map((w) => w.departmentName), '二楼', '中文'];
    const words = data.reduce((text, d) => text.replaceAll(d, ''), await page.locator('body').innerText());
    expect(words).not.toMatch(/\p{Script=Han}/u);
    await screenshotBoth(page, 'hall-rules-en');
    await page.getByRole('button', { name: '中文' }).click();
    await page.getByRole('heading', { name: '监察设置' }).waitFor();
  }, 120_000);
});

describe('窗口告警', () => {
  it('is on the nav of those who watch the hall, says when none is going on, and is not an evaluator’s', async () => {
    const head = await consoleAs(DEPT, '/overview');
    expect(await head.locator('nav.side a', { hasText: '监察设置' }).count()).toBe(0);
    await head.locator('nav.side a', { hasText: '窗口告警' }).click();
    await head.getByRole('heading', { name: '窗口告警' }).waitFor();
    await expect.poll(() => head.locator('.hall-alerts .empty').textContent()).toBe('目前没有未结束的窗口告警。');
    await head.locator('input[name=only-open]').uncheck();
    await expect.poll(() => head.locator('.hall-alerts .empty').textContent()).toBe('没有窗口告警。');
    expect(new URL(head.url()).searchParams.get('all')).toBe('1');

    const evaluator = await consoleAs(EVALUATOR, '/overview');
    expect(await evaluator.locator('nav.side a', { hasText: '窗口告警' }).count()).toBe(0);
    expect(pageErrors).toEqual([]);
  }, 120_000);
});
