/**
 * 考勤 in Debian's chromium against a real centre process on a real PostgreSQL: two kiosks play
 * a week (a late sign-in, an early sign-out, a day nobody came, a holiday on the centre's
 * calendar, pauses by reason, cases served after closing) and sync it; the page shows that
 * week per window, per staff member and day by day, says how each figure is counted, exports
 * the same as a CSV, and reads the same in English. A department head sees only their own
 * windows. Screenshots at both console sizes, in Chinese and in English.
 */
import { readFileSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildConsole } from '../../scripts/build';
import { FOLLOW_UP_ROUTES, HALL_ROUTES, IT_ROUTES, itPath } from '../../src/shared/console/contract';
import { HOLIDAY, MARKET, NINE_TO_FIVE, playWeek, WEEK, WINDOWS } from '../centre/support/punctuality-week';
import { startPostgres, type PgCluster } from '../sync/support/postgres';
import { consoleApiAs, makeAccounts } from './support/accounts';
import { launchBrowser, openConsole, screenshotBoth, signIn } from './support/browser';
import { consoleBuildIsFresh } from './support/console-build';
import { ADMIN_TOKEN, startCentreProcess, type CentreProcess } from './support/centre';

const ADMIN = { username: 'admin.zhou', displayName: '周管理', password: 'punctuality-admin-1' };
const DEPT = { username: 'sj.kao', displayName: '高科长', role: 'department', departmentCode: MARKET, password: 'sj.kao-pass-1' };
const THE_WEEK = `/punctuality?period=week&from=${WEEK.from}&to=${WEEK.to}`;

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
  await makeAccounts(centre, ADMIN, [DEPT]);
  const api = await apiAs(ADMIN);
  for (const w of WINDOWS) {
    await api('PUT', itPath(IT_ROUTES.window, { windowNo: w.windowNo }), { departmentCode: w.departmentCode, departmentName: w.departmentName });
    await api('PUT', itPath(HALL_ROUTES.windowSchedule, { windowNo: w.windowNo }), NINE_TO_FIVE);
  }
  await api('PUT', itPath(FOLLOW_UP_ROUTES.calendar, { year: '2026' }), { holidays: [HOLIDAY], workdays: [] });
  await playWeek(centre.url, async (windowNo) => {
    const answer = await fetch(`${centre.url}/v1/admin/enrolment-codes`, { method: 'POST', headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify({ windowNo }) });
    return ((await answer.json()) as { code: string }).code;
  });
  browser = await launchBrowser();
}, 240_000);

afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => undefined);
  await browser?.close();
  await centre?.stop();
  cluster?.stop();
});

const cells = async (row: ReturnType<Page['locator']>) => (await row.locator('td').allInnerTexts()).map((t) => t.trim());

describe('考勤', () => {
  it('shows the week per window, per staff member and day by day, in Chinese and English, and exports it', async () => {
    const page = await consoleAs(ADMIN, '/overview');
    await page.locator('nav.side a', { hasText: '考勤' }).click();
    await page.getByRole('heading', { name: '考勤' }).waitFor();
    await page.goto(`${centre.url}${THE_WEEK}`);
    const windows = page.getByTestId('punctuality-windows');
    await windows.waitFor();

    // Window 1: late once by 12 minutes, left early once by 30, absent Thursday, two cases after closing.
    expect(await cells(windows.locator('tr[data-window="1"]'))).toEqual(['1', '市场监督管理局', '4', '3', '1', '1 次，共 12 分钟', '1 次，共 30 分钟', '会议 25 分钟；如厕 5 分钟', '2']);
    expect(await cells(windows.locator('tr[data-window="2"]'))).toEqual(['2', '人力资源和社会保障局', '4', '3', '1', '1 次，共 30 分钟', '—', '会议 130 分钟', '0']);
    const staff = page.getByTestId('punctuality-staff');
    expect(await cells(staff.locator('tr[data-staff="1001"]'))).toEqual(['1001', '王晓梅', '3', '1 次，共 12 分钟', '1 次，共 30 分钟', '会议 25 分钟；如厕 5 分钟', '2']);
    expect(await cells(staff.locator('tr[data-staff="1002"]'))).toEqual(['1002', '李建国', '3', '1 次，共 30 分钟', '—', '会议 130 分钟', '0']);

    const events = page.getByTestId('punctuality-events').locator('tbody tr');
    expect(await events.count()).toBe(5);
    expect(await cells(events.nth(0))).toEqual(['2026-03-02', '1', '迟到', '王晓梅 (1001)', '09:00', '09:12', '12']);
    expect(await cells(events.nth(1))).toEqual(['2026-03-03', '1', '早退', '王晓梅 (1001)', '17:00', '16:30', '30']);
    expect(await cells(events.nth(2))).toEqual(['2026-03-05', '1', '缺勤', '无人签到', '09:00', '—', '—']);
    // The holiday is on nobody's list.
    expect(await page.locator(`tr[data-date="${HOLIDAY}"]`).count()).toBe(0);

    // How each figure is counted is on the page.
    await page.getByTestId('definitions').locator('summary').click();
    expect(await page.getByTestId('definitions').innerText()).toContain('缺勤：开窗日该窗口全天无人签到');
    await screenshotBoth(page, 'punctuality-zh');

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('punctuality-csv').click()]);
    expect(download.suggestedFilename()).toBe(`考勤-${WEEK.from}-${WEEK.to}.csv`);
    const csv = readFileSync(await download.path(), 'utf8').replace(/^\uFEFF/, '').split('\r\n');
    expect(csv).toContain('窗口,部门,开窗天数,签到天数,缺勤天数,迟到,迟到分钟,早退,早退分钟,暂停分钟：会议,暂停分钟：如厕,延时服务（件）');
    expect(csv).toContain('1,市场监督管理局,4,3,1,1,12,1,30,25,5,2');
    expect(csv).toContain('1001,王晓梅,3,1,12,1,30,25,5,2');
    expect(csv).toContain('2026-03-05,1,缺勤,,,09:00,,0');

    // In English every word of the page is English; only the data stays Chinese.
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { name: 'Attendance' }).waitFor();
    expect(await cells(windows.locator('tr[data-window="1"]'))).toEqual(['1', '市场监督管理局', '4', '3', '1', '1×, 12 min in all', '1×, 30 min in all', '会议 25 min; 如厕 5 min', '2']);
    expect(await cells(events.nth(2))).toEqual(['2026-03-05', '1', 'Absent', 'Nobody signed in', '09:00', '—', '—']);
    const data = ['周管理', '市场监督管理局', '人力资源和社会保障局', '王晓梅', '李建国', '会议', '如厕', '中文'];
    const words = data.reduce((text, d) => text.replaceAll(d, ''), await page.locator('body').innerText());
    expect(words).not.toMatch(/\p{Script=Han}/u);
    await screenshotBoth(page, 'punctuality-en');
    await page.getByRole('button', { name: '中文' }).click();
    expect(pageErrors).toEqual([]);
  }, 120_000);

  it('shows a department head their own windows and people only', async () => {
    const page = await consoleAs(DEPT, THE_WEEK);
    await page.getByTestId('punctuality-windows').waitFor();
    expect(await page.locator('[data-testid=punctuality-windows] tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-window')))).toEqual(['1']);
    expect(await page.locator('[data-testid=punctuality-staff] tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-staff')))).toEqual(['1001']);
    expect(await page.locator('body').innerText()).not.toContain('李建国');
    expect(pageErrors).toEqual([]);
  }, 60_000);
});
