/**
 * The whole follow-up loop of a poor rating, every part real: the kiosk's browser shell with
 * the keypad simulator on a pseudo-terminal pair, enrolled at a centre that runs as its own
 * process on a real PostgreSQL server, and the centre's console in chromium.
 *
 * The citizen presses 不满意 on the keypad and gives reasons and a callback number on the
 * citizen screen; nobody presses 立即同步, yet the supervisor's open console shows it live;
 * the supervisor assigns it; the follow-up officer reveals the phone (logged), records the
 * call, finds it valid, records the measures and the answer, and closes it; the trail shows
 * every step.
 */
import { readdirSync, readFileSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildConsole } from '../../scripts/build';
import { CONSOLE_DIST } from '../../server/src/console-files';
import { makeAccounts } from '../console/support/accounts';
import { openConsole, signIn } from '../console/support/browser';
import { ADMIN_TOKEN, startCentreProcess, type CentreProcess } from '../console/support/centre';
import { startPostgres, type PgCluster } from '../sync/support/postgres';
import { launchBrowser, openScreens, type Screens } from './support/browser';
import { startWindow, type WindowRig } from './support/window';

const ADMIN = { username: 'admin.zhao', displayName: '赵管理', password: 'loop-admin-pass-1' };
const SUPERVISOR = { username: 'zhou.sup', displayName: '周督查', role: 'supervisor', departmentCode: null, password: 'zhou.sup-pass-1' };
const OFFICER = { username: 'wu.hui', displayName: '吴回访', role: 'follow_up', departmentCode: '340104-SJ', password: 'wu.hui-pass-1' };
const PHONE = '13812345678';
const MASKED = '138****5678';
const ITEM = '个体工商户设立登记';
const KIOSK_PIN = '24681357';

let cluster: PgCluster;
let centre: CentreProcess;
let rig: WindowRig;
let browser: Browser;
let screens: Screens;
const consoles: BrowserContext[] = [];
const consoleErrors: string[] = [];
let recordPath = '';

/** The console has its follow-up pages: build it when the build on disk predates them. */
function consoleHasFollowUp(): boolean {
  try {
    return readdirSync(`${CONSOLE_DIST}/assets`).some((f) => f.endsWith('.js') && readFileSync(`${CONSOLE_DIST}/assets/${f}`, 'utf8').includes('fu-ledger-'));
  } catch {
    return false;
  }
}

/** The kiosk's admin desk, as IT uses it from the admin page: the first PIN, then the centre's one-time code. */
async function enrolWindow(windowNo: string): Promise<void> {
  const runtime = rig.shell.runtime;
  const must = <T,>(answer: { ok: true; result: T } | { ok: false; error: { message: string } }): T => {
    if (!answer.ok) throw new Error(answer.error.message);
    return answer.result;
  };
  must(await runtime.handle('staff', 'adminSetPin', { pin: KIOSK_PIN, setupCode: runtime.adminSetupCode ?? '' }));
  const { token } = must(await runtime.handle('staff', 'adminLogin', { pin: KIOSK_PIN }));
  const answer = await fetch(`${centre.url}/v1/admin/enrolment-codes`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ windowNo }),
  });
  const { code } = (await answer.json()) as { code: string };
  expect(must(await runtime.handle('staff', 'adminEnrol', { token, code }))).toEqual({ windowNo });
}

async function consoleAs(user: { username: string; password: string }, path: string): Promise<Page> {
  const { context, page } = await openConsole(browser, `${centre.url}${path}`);
  consoles.push(context);
  page.on('pageerror', (e) => consoleErrors.push(e.message));
  await signIn(page, user.username, user.password);
  return page;
}

const trailActions = (page: Page) => page.getByTestId('trail').locator('tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-action')));

/** One step on the record page: its form filled and sent, the new state shown. */
async function act(page: Page, action: string, fill: (form: ReturnType<Page['locator']>) => Promise<void>, state: string): Promise<void> {
  const form = page.locator(`form[data-action=${action}]`);
  await fill(form);
  await form.locator('button[type=submit]').click();
  // The page's own notice says why, should the centre refuse the step.
  await expect.poll(async () => [await page.getByTestId('record-state').textContent(), await page.getByTestId('record-notice').textContent().catch(() => null)], { timeout: 15_000 }).toEqual([state, expect.stringContaining(state)]);
}

beforeAll(async () => {
  if (!consoleHasFollowUp()) await buildConsole();
  cluster = await startPostgres({ fast: true });
  centre = await startCentreProcess({ databaseUrl: await cluster.createDatabase('centre') });
  await makeAccounts(centre, ADMIN, [SUPERVISOR, OFFICER]);
  rig = await startWindow({
    keypad: true,
    config: { centre: { url: centre.url }, window: { windowNo: '8' }, rating: { windowSeconds: 30, thanksSeconds: 3, detailsSeconds: 120 } },
  });
  await enrolWindow('8');
  browser = await launchBrowser();
  screens = await openScreens(browser, rig.shell);
}, 240_000);

afterAll(async () => {
  for (const c of consoles) await c.close().catch(() => undefined);
  await screens?.close();
  await browser?.close();
  await rig?.close();
  await centre?.stop();
  cluster?.stop();
});

describe('a poor rating from the keypad to its closed follow-up', () => {
  it('reaches the supervisor’s open console live, reasons and all, without anyone syncing', async () => {
    const supervisor = await consoleAs(SUPERVISOR, '/follow-ups');
    await supervisor.getByRole('heading', { name: '回访台账' }).waitFor();
    await expect.poll(() => supervisor.getByTestId('live-status').getAttribute('data-status')).toBe('connected');
    expect(await supervisor.getByTestId('live-notice').count()).toBe(0);

    // At the window: the staff member signs in, serves and finishes a case.
    const { staff, citizen } = screens;
    await staff.locator('[data-testid="keypad-link"][data-link="online"]').waitFor();
    await staff.getByTestId('badge-input').fill('BADGE-1001');
    await staff.getByTestId('badge-input').press('Enter');
    await citizen.getByTestId('staff-name').filter({ hasText: '王晓梅' }).waitFor();
    await staff.getByTestId('item-search').fill(ITEM);
    await staff.getByRole('radio', { name: new RegExp(ITEM) }).check();
    await staff.getByTestId('open-case').click();
    await citizen.getByTestId('serving').filter({ hasText: ITEM }).waitFor();
    await staff.getByTestId('finish-case').click();
    await citizen.getByTestId('rating-panel').waitFor();

    // The citizen presses 不满意 on the keypad, then picks reasons and leaves a number on the screen.
    rig.keypad!.press(4);
    await citizen.getByTestId('poor-details').waitFor();
    await citizen.getByTestId('reason-R02').click();
    await citizen.getByTestId('reason-R06').click();
    for (const digit of PHONE) await citizen.getByRole('button', { name: digit, exact: true }).click();
    await citizen.getByTestId('phone-masked').filter({ hasText: MASKED }).waitFor();
    await citizen.getByTestId('consent').check();
    await citizen.getByTestId('details-submit').click();
    await citizen.getByTestId('thanks').waitFor();

    // The console hears of it while the page stays open: nobody pressed 立即同步.
    const notice = supervisor.getByTestId('live-notice').first();
    await notice.waitFor({ timeout: 30_000 });
    expect(await notice.getAttribute('data-type')).toBe('poor_rating');
    const said = (await notice.textContent())!;
    for (const part of ['新差评', '不满意', '窗口 8', '王晓梅', ITEM]) expect(said).toContain(part);
    expect(said).not.toContain(PHONE);

    // The reasons given on the screen follow on their own, and the window has nothing left to send.
    const row = supervisor.getByTestId('ledger').locator('tbody tr').first();
    await expect.poll(() => row.textContent(), { timeout: 30_000 }).toContain('R02 R06');
    expect(await row.getByTestId('row-state').textContent()).toBe('待分派');
    await staff.locator('[data-testid="sync-pending"]').filter({ hasText: /^0$/ }).waitFor({ timeout: 30_000 });
    expect(rig.query<{ n: number }>("SELECT count(*) AS n FROM outbox WHERE acked_at IS NULL")).toEqual([{ n: 0 }]);

    // The notice opens the record: the number masked, and the supervisor may not reveal it.
    await notice.getByRole('link', { name: '查看回访记录' }).click();
    await supervisor.getByTestId('record-state').waitFor();
    recordPath = new URL(supervisor.url()).pathname + new URL(supervisor.url()).search;
    expect(recordPath).toMatch(/^\/follow-ups\/record\?id=\d+$/);
    expect(await supervisor.getByTestId('record-state').textContent()).toBe('待分派');
    expect(await supervisor.getByTestId('record-phone').textContent()).toBe(MASKED);
    expect(await supervisor.getByTestId('reveal-phone').count()).toBe(0);
  }, 180_000);

  it('is assigned by the supervisor to the department’s follow-up officer', async () => {
    const supervisor = await consoleAs(SUPERVISOR, recordPath);
    await supervisor.getByTestId('record-state').waitFor();
    await act(supervisor, 'assign', async (form) => void (await form.locator('select[name=assignee]').selectOption(OFFICER.username)), '待回访');
    expect(await trailActions(supervisor)).toEqual(['open', 'assign']);
  }, 120_000);

  it('is called back, found valid, put right, answered and closed by the officer, each step in the trail', async () => {
    const officer = await consoleAs(OFFICER, recordPath);
    await officer.getByTestId('record-state').waitFor();
    expect(await officer.getByTestId('record-phone').textContent()).toBe(MASKED);
    await officer.getByTestId('reveal-phone').click();
    await expect.poll(() => officer.getByTestId('record-phone').textContent()).toBe(PHONE);
    await expect.poll(() => trailActions(officer)).toEqual(['open', 'assign', 'reveal_phone']);
    expect(await officer.getByTestId('trail').textContent()).not.toContain(PHONE);

    await act(officer, 'call', async (form) => {
      await form.locator('select[name=result]').selectOption('reached');
      await form.locator('input[name=attempts]').fill('1');
      await form.locator('textarea[name=note]').fill('群众反映等候时间过长，窗口解释不清。');
    }, '已回访');
    await act(officer, 'verify', async (form) => {
      await form.locator('select[name=finding]').selectOption('valid');
      await form.locator('textarea[name=findings]').fill('调阅叫号记录与录像，情况属实。');
    }, '核实');
    await act(officer, 'rectify', async (form) => {
      await form.locator('textarea[name=measures]').fill('高峰时段增开一个窗口，对窗口人员进行一次性告知培训。');
      await form.locator('input[name=responsible]').fill('刘科长');
    }, '整改中');
    await act(officer, 'answer', async (form) => {
      await form.locator('textarea[name=told]').fill('已电话告知群众核实结果和整改措施，群众表示满意。');
      await form.locator('select[name=how]').selectOption('phone');
    }, '已反馈');
    await act(officer, 'close', (form) => form.locator('textarea[name=note]').fill('办结。'), '办结');

    expect(await trailActions(officer)).toEqual(['open', 'assign', 'reveal_phone', 'call', 'verify', 'rectify', 'answer', 'close']);
    const trail = (await officer.getByTestId('trail').textContent())!;
    for (const said of ['待分派 → 待回访', OFFICER.username, '回访结果：已联系上', '核实结论：属实', '整改措施：高峰时段增开一个窗口', '责任人：刘科长', '告知方式：电话', '已反馈 → 办结']) {
      expect(trail).toContain(said);
    }
    expect(trail).not.toContain(PHONE);
    expect(await officer.locator('form.action-form').count()).toBe(0);
    expect(consoleErrors).toEqual([]);
    expect(screens.errors).toEqual([]);
  }, 180_000);
});
