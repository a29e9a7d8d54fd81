/**
 * The figures at the console, against a real centre that received real windows' uploads:
 * a supervisor walks overview → ranking → drill-down and every figure on the page equals
 * the one this test computes from the cases it played; a department head sees only their
 * department, and the API refuses them another's.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RATING_LEVELS } from '../../src/shared/levels';
import { apiStatus, CONSOLE_VIEWPORTS, launchBrowser, openConsole, screenshot, screenshotBoth, signIn } from './support/browser';
import { ensureConsoleBuilt } from './support/build';
import { ADMIN_TOKEN, startCentreProcess, type CentreProcess } from './support/centre';
import { DEPARTMENT_NAMES, expectedFigures, percent, SCENARIO, seedCentre, type Expected, type ServedCase } from './support/seed';

const MARCH = { from: '2026-03-01', to: '2026-03-31' };
const FEBRUARY = { from: '2026-02-01', to: '2026-02-28' };
const Q1 = { from: '2026-01-01', to: '2026-03-31' };

/** Makes the first admin and two users through the console API, as the pages would. */
async function makeUsers(context: BrowserContext, url: string, setupLink: string): Promise<void> {
  const setupToken = new URLSearchParams(new URL(setupLink).hash.slice(1)).get('token')!;
  const setup = await context.request.post(`${url}/v1/console/setup`, { data: { setupToken, username: 'admin.chen', displayName: '陈管理', password: 'first-admin-pass-1' } });
  const { csrfToken } = (await setup.json()) as { csrfToken: string };
  for (const user of [
    { username: 'li.sup', displayName: '李督查', role: 'supervisor', departmentCode: null },
    { username: 'rs.head', displayName: '周主任', role: 'department', departmentCode: '340104-RS' },
  ]) {
    const made = await context.request.post(`${url}/v1/console/users`, { data: { ...user, password: `${user.username}-pass-1` }, headers: { 'x-cordial-csrf': csrfToken } });
    if (!made.ok()) throw new Error(`could not make ${user.username}: ${await made.text()}`);
  }
}

describe('console figures', () => {
  let centre: CentreProcess;
  let browser: Browser;
  const errors: string[] = [];

  beforeAll(async () => {
    await ensureConsoleBuilt();
    centre = await startCentreProcess();
    await seedCentre(centre.url, ADMIN_TOKEN);
    browser = await launchBrowser();
    const admin = await browser.newContext();
    await makeUsers(admin, centre.url, await centre.setupLink());
    await admin.close();
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await centre?.stop();
  });

  const signedIn = async (username: string, path: string, viewport: { width: number; height: number } = CONSOLE_VIEWPORTS[0], password = `${username}-pass-1`) => {
    const opened = await openConsole(browser, `${centre.url}${path}`, viewport);
    opened.page.on('pageerror', (e) => errors.push(e.message));
    await signIn(opened.page, username, password);
    return opened;
  };
  const card = async (page: Page, id: string) => (await page.getByTestId(`figure-${id}`).locator('.value').textContent())!.trim();
  const overviewOf = (period: string, range: { from: string; to: string }, department?: string) =>
    `/overview?period=${period}&from=${range.from}&to=${range.to}${department ? `&department=${department}` : ''}`;

  /** Waits for the figures of the period in the URL, then checks each against the computed ones. */
  async function expectOverview(page: Page, expected: Expected): Promise<void> {
    await page.locator('.figures:not(.stale)').waitFor();
    await expect.poll(() => card(page, 'cases')).toBe(String(expected.cases));
    expect(await card(page, 'satisfaction')).toBe(percent(expected.satisfaction));
    expect(await card(page, 'rated')).toBe(String(expected.rated));
    expect(await card(page, 'unrated')).toBe(String(expected.unrated));
    expect(await page.getByTestId('figure-unrated').locator('.note').textContent()).toContain(percent(expected.cases ? expected.unrated / expected.cases : null));
    expect(await card(page, 'poor')).toBe(String(expected.poor));
    expect(await card(page, 'misuse')).toBe(String(expected.misuse));
    if (expected.cases > 0) {
      for (const level of RATING_LEVELS) expect(await page.getByTestId(`level-${level}`).locator('td').first().textContent(), level).toBe(String(expected.levels[level]));
    }
  }

  it('shows a supervisor the overview of any period, each figure equal to the one computed from the uploaded cases', async () => {
    const { page, context } = await signedIn('li.sup', overviewOf('month', MARCH));
    await expectOverview(page, expectedFigures(MARCH.from, MARCH.to));
    expect(await page.getByTestId('unrated-policy').textContent()).toBe('未评价的办件不计入满意度（本地区未设默认评价）。');
    expect(await page.getByTestId('channel-keypad').locator('td').textContent()).toBe(String(expectedFigures(MARCH.from, MARCH.to).rated));
    expect(await page.locator('.chart canvas').count()).toBe(2);
    await screenshotBoth(page, 'overview');

    await page.getByRole('button', { name: '上一期' }).click();
    await page.waitForURL(new RegExp(`from=${FEBRUARY.from}&to=${FEBRUARY.to}`));
    await expectOverview(page, expectedFigures(FEBRUARY.from, FEBRUARY.to));
    await page.getByRole('button', { name: '下一期' }).click();
    await page.waitForURL(new RegExp(`from=${MARCH.from}`));
    await expectOverview(page, expectedFigures(MARCH.from, MARCH.to));
    await page.getByRole('button', { name: '季度', exact: true }).click();
    await page.waitForURL(new RegExp(`period=quarter&from=${Q1.from}&to=${Q1.to}`));
    await expectOverview(page, expectedFigures(Q1.from, Q1.to));
    // The view is its address: opened again, it shows the same figures.
    await page.reload();
    await expectOverview(page, expectedFigures(Q1.from, Q1.to));
    await page.getByRole('button', { name: '自定义' }).click();
    await page.locator('.custom input[type=date]').first().fill('2026-03-02');
    await page.locator('.custom input[type=date]').last().fill('2026-03-03');
    await page.getByRole('button', { name: '应用' }).click();
    await page.waitForURL(/period=custom&from=2026-03-02&to=2026-03-03/);
    await expectOverview(page, expectedFigures('2026-03-02', '2026-03-03'));
    await page.goto(`${centre.url}${overviewOf('quarter', Q1)}`);
    await expectOverview(page, expectedFigures(Q1.from, Q1.to));
    await page.locator('select[name=department]').selectOption('340104-SJ');
    await page.waitForURL(/department=340104-SJ/);
    await expectOverview(page, expectedFigures(Q1.from, Q1.to, (c) => c.departmentCode === '340104-SJ'));
    await context.close();
  }, 120_000);

  it('walks a supervisor from the department ranking to a staff member and to their individual ratings, carrying the period along', async () => {
    const { page, context } = await signedIn('li.sup', overviewOf('quarter', Q1));
    await page.locator('nav.side a', { hasText: '排名' }).click();
    await page.waitForURL(new RegExp(`/rankings\\?period=quarter&from=${Q1.from}&to=${Q1.to}`));
    await page.getByRole('link', { name: '部门', exact: true }).click();
    const byDepartment = (code: string) => expectedFigures(Q1.from, Q1.to, (c) => c.departmentCode === code);
    const codes = Object.keys(DEPARTMENT_NAMES);
    // The default minimum of 30 ratings ranks nobody here: every department is listed apart.
    await page.getByTestId('below-threshold').waitFor();
    expect(await page.getByTestId('ranked').count()).toBe(0);
    expect(await page.getByTestId('threshold-note').textContent()).toContain('30');

    const threshold = 5;
    await page.locator('input[name=minRated]').fill(String(threshold));
    await page.getByRole('button', { name: '应用' }).click();
    await page.waitForURL(/minRated=5/);
    await page.getByTestId('ranked').waitFor();
    const rowsOf = async (testId: string) =>
      page.getByTestId(testId).locator('tbody tr').evaluateAll((trs) => trs.map((tr) => ({ key: tr.getAttribute('data-key'), cells: [...tr.querySelectorAll('td')].map((td) => td.textContent ?? '') })));
    const ranked = await rowsOf('ranked');
    // The misuse press with no case waiting belongs to no department: its row holds no cases and is left aside here.
    const below = (await rowsOf('below-threshold')).filter((r) => r.key !== '');
    expect(ranked.map((r) => r.key)).toEqual(codes.filter((c) => byDepartment(c).rated >= threshold).sort((a, b) => byDepartment(b).satisfaction! - byDepartment(a).satisfaction!));
    expect(below.map((r) => r.key)).toEqual(codes.filter((c) => byDepartment(c).rated < threshold));
    for (const row of ranked) {
      const e = byDepartment(row.key!);
      // rank, name (with its drill links), cases, rated, poor, satisfaction
      expect(row.cells[1]).toContain(DEPARTMENT_NAMES[row.key!]);
      expect(row.cells.slice(2)).toEqual([String(e.cases), String(e.rated), String(e.poor), percent(e.satisfaction)]);
    }
    await screenshotBoth(page, 'rankings');

    const sj = page.locator('tr[data-key="340104-SJ"]');
    await sj.getByRole('link', { name: '其人员' }).click();
    await page.waitForURL((u) => u.searchParams.get('dimension') === 'staff' && u.searchParams.get('department') === '340104-SJ' && u.searchParams.get('from') === Q1.from);
    const staffRow = page.locator('tr', { hasText: '王晓梅' }).first();
    await staffRow.waitFor();
    const mine = (c: ServedCase) => c.departmentCode === '340104-SJ' && c.staffName === '王晓梅';
    const staff = expectedFigures(Q1.from, Q1.to, mine);
    expect((await staffRow.locator('td').allTextContents()).slice(-4)).toEqual([String(staff.cases), String(staff.rated), String(staff.poor), percent(staff.satisfaction)]);
    await screenshotBoth(page, 'rankings-staff');

    await staffRow.getByRole('link', { name: '王晓梅' }).click();
    await page.waitForURL((u) => u.pathname === '/rankings/ratings' && u.searchParams.get('period') === 'quarter' && u.searchParams.get('from') === Q1.from && u.searchParams.get('department') === '340104-SJ');
    const lines = page.getByTestId('ratings').locator('tbody tr');
    await lines.first().waitFor();
    const played = SCENARIO.cases.filter((c) => c.day >= Q1.from && c.day <= Q1.to && mine(c) && c.level !== null);
    expect(await lines.count()).toBe(played.length);
    expect((await lines.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-level')))).sort()).toEqual(played.map((c) => c.level).sort());
    const withPhone = page.locator('tr', { has: page.getByTestId('phone').filter({ hasText: '138' }) });
    expect(await withPhone.getByTestId('phone').textContent()).toBe('138****5678');
    expect(await withPhone.locator('td').nth(6).textContent()).toBe('R01, R06');
    expect(await page.locator('body').innerText()).not.toContain('13812345678');
    await screenshotBoth(page, 'drilldown');
    await context.close();
  }, 120_000);

  it('shows a department head only their department, and the API refuses them another', async () => {
    const { page, context } = await signedIn('rs.head', overviewOf('month', MARCH, '340104-SJ'));
    expect(await page.locator('nav.side a').allTextContents()).toEqual(['总览', '排名', '回访台账', '提醒', '窗口告警', '考勤', '预约登记', '导出']);
    // Asking for another department in the address still shows their own.
    await expectOverview(page, expectedFigures(MARCH.from, MARCH.to, (c) => c.departmentCode === '340104-RS'));
    const select = page.locator('select[name=department]');
    expect(await select.isDisabled()).toBe(true);
    expect(await select.locator('option').allTextContents()).toEqual([DEPARTMENT_NAMES['340104-RS']]);
    expect(await apiStatus(page, `/v1/console/figures/overview?period=month&from=${MARCH.from}&to=${MARCH.to}&department=340104-SJ`)).toBe(403);
    expect(await apiStatus(page, `/v1/console/figures/overview?period=month&from=${MARCH.from}&to=${MARCH.to}&department=340104-RS`)).toBe(200);
    await page.locator('nav.side a', { hasText: '排名' }).click();
    await page.locator('table.ranking').first().waitFor();
    const names = await page.locator('table.ranking tbody tr td a').allTextContents();
    expect(names).toContain('李建国');
    expect(names).not.toContain('王晓梅');
    await context.close();
  }, 120_000);

  it('shows the same figures in English', async () => {
    const { page, context } = await signedIn('li.sup', overviewOf('month', MARCH));
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { name: 'Overview' }).waitFor();
    await expectOverview(page, expectedFigures(MARCH.from, MARCH.to));
    expect(await page.getByTestId('level-very_satisfied').locator('th').textContent()).toBe('Very satisfied');
    expect(await page.getByTestId('unrated-policy').textContent()).toContain('Unrated cases are left out of satisfaction');
    await screenshotBoth(page, 'overview-en');
    await context.close();
  }, 120_000);

  it('gives an admin the IT pages in the nav, each opening its own page', async () => {
    for (const viewport of CONSOLE_VIEWPORTS) {
      const { page, context } = await signedIn('admin.chen', '/windows', viewport, 'first-admin-pass-1');
      for (const [path, name] of [['/windows', '窗口'], ['/lists', '名单'], ['/exports', '导出']] as const) {
        await page.locator('nav.side a', { hasText: new RegExp(`^${name}$`) }).click();
        await page.waitForURL((u) => u.pathname === path);
        await page.getByRole('heading', { level: 1, name }).waitFor();
        await screenshot(page, path.slice(1));
      }
      await context.close();
    }
    expect(errors).toEqual([]);
  }, 120_000);
});
