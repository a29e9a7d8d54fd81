/**
 * 首问负责 (10.1) end to end, every part real: the kiosk's browser shell with the keypad
 * simulator on a pseudo-terminal pair, enrolled at a centre that runs as its own process on
 * a real PostgreSQL server, and the centre's console in chromium. The admin sets where staff
 * may send citizens (by script, then on the console's 名单 page); the window receives the list
 * with its config; staff finish a case as a
 * transfer to one of them (refused first without a target), and take a complaint at the
 * window, which reaches the supervisor's follow-up ledger as 窗口投诉 with its summary.
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

const ADMIN = { username: 'admin.qian', displayName: '钱管理', password: 'refer-admin-pass-1' };
const SUPERVISOR = { username: 'sun.sup', displayName: '孙督查', role: 'supervisor', departmentCode: null, password: 'sun.sup-pass-1' };
const ITEM = '个体工商户设立登记';
const KIOSK_PIN = '24681357';
const SUMMARY = '等候两小时无人叫号，工作人员态度生硬';
const TARGETS = [
  { code: 'GA-HJ', name: '公安局户籍窗口', kind: 'department' },
  { code: 'SBJ', name: '市社保中心（政务中心外）', kind: 'outside' },
];

let cluster: PgCluster;
let centre: CentreProcess;
let rig: WindowRig;
let browser: Browser;
let screens: Screens;
let consoleContext: BrowserContext | null = null;

/** The console bundle on disk has the referral list and window complaints: build it when it predates them. */
function consoleShowsComplaints(): boolean {
  try {
    return readdirSync(`${CONSOLE_DIST}/assets`).some((f) => f.endsWith('.js') && readFileSync(`${CONSOLE_DIST}/assets/${f}`, 'utf8').includes('it-referral-targets'));
  } catch {
    return false;
  }
}

function must<T>(answer: { ok: true; result: T } | { ok: false; error: { message: string } }): T {
  if (!answer.ok) throw new Error(answer.error.message);
  return answer.result;
}

async function enrolWindow(windowNo: string): Promise<void> {
  const runtime = rig.shell.runtime;
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

/** Staff open a case for the item, from the staff screen. */
async function openCase(staff: Page, citizen: Page): Promise<void> {
  await staff.getByTestId('item-search').fill(ITEM);
  await staff.getByRole('radio', { name: new RegExp(ITEM) }).check();
  await staff.getByTestId('open-case').click();
  await citizen.getByTestId('serving').filter({ hasText: ITEM }).waitFor();
}

beforeAll(async () => {
  if (!consoleShowsComplaints()) await buildConsole();
  cluster = await startPostgres({ fast: true });
  centre = await startCentreProcess({ databaseUrl: await cluster.createDatabase('centre') });
  await makeAccounts(centre, ADMIN, [SUPERVISOR]);
  const set = await fetch(`${centre.url}/v1/admin/referral-targets`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify(TARGETS.slice(0, 1)),
  });
  expect(set.status).toBe(200);
  rig = await startWindow({
    keypad: true,
    config: { centre: { url: centre.url }, window: { windowNo: '9' }, rating: { windowSeconds: 30, thanksSeconds: 2, detailsSeconds: 60 } },
  });
  await enrolWindow('9');
  browser = await launchBrowser();
  screens = await openScreens(browser, rig.shell);
}, 240_000);

afterAll(async () => {
  await consoleContext?.close().catch(() => undefined);
  await screens?.close();
  await browser?.close();
  await rig?.close();
  await centre?.stop();
  cluster?.stop();
});

describe('referrals and complaints at the window', () => {
  it('sends a transferred citizen to a place from the centre’s list, refusing a transfer that names none', async () => {
    // The admin adds the outside body on the console's 名单 page.
    const admin = await openConsole(browser, `${centre.url}/lists?tab=referrals`);
    await signIn(admin.page, ADMIN.username, ADMIN.password);
    const form = admin.page.getByRole('form', { name: '引导去向' });
    await form.locator('input[name=code]').fill('SBJ');
    await form.locator('input[name=name]').fill(TARGETS[1]!.name);
    await form.locator('select[name=kind]').selectOption('outside');
    await form.locator('input[name=sort]').fill('2');
    await form.getByRole('button', { name: '保存' }).click();
    await admin.page.getByTestId('referral-targets').locator('tbody tr').filter({ hasText: 'SBJ' }).filter({ hasText: '外部单位' }).waitFor();
    expect(await admin.page.getByTestId('referral-targets').locator('tbody tr').count()).toBe(2);
    await admin.context.close();

    // The window takes the list with its config, on a sync after enrolment.
    await expect
      .poll(async () => {
        await rig.shell.runtime.handle('staff', 'syncNow', {});
        return must(await rig.shell.runtime.handle('staff', 'referralTargets', {})).map((t) => t.code);
      }, { timeout: 60_000 })
      .toEqual(['GA-HJ', 'SBJ']);
    const { staff, citizen } = screens;
    await staff.locator('[data-testid="keypad-link"][data-link="online"]').waitFor();
    await staff.getByTestId('badge-input').fill('BADGE-1001');
    await staff.getByTestId('badge-input').press('Enter');
    await citizen.getByTestId('staff-name').filter({ hasText: '王晓梅' }).waitFor();
    await openCase(staff, citizen);

    await staff.getByTestId('outcome-transferred').check();
    const choices = await staff.getByTestId('referral-target').locator('option').allTextContents();
    expect(choices).toEqual(['请选择', '部门 · 公安局户籍窗口', '外部单位 · 市社保中心（政务中心外）']);
    await staff.getByTestId('finish-case').click();
    await staff.getByTestId('finish-case-error').filter({ hasText: '转办须选择引导去向' }).waitFor();
    expect(await citizen.getByTestId('rating-panel').count()).toBe(0);

    await staff.getByTestId('referral-target').selectOption('SBJ');
    expect(await staff.getByTestId('finish-case-error').count()).toBe(0); // choosing a target clears the refusal
    await staff.getByTestId('referral-note').fill('请携带身份证原件到社保中心三楼');
    await staff.getByTestId('finish-case').click();
    await citizen.getByTestId('rating-panel').waitFor();
    rig.keypad!.press(1);
    await citizen.getByTestId('thanks').waitFor();

    const closed = rig.query<{ payload: string }>("SELECT payload FROM outbox WHERE kind = 'case_closed' ORDER BY seq");
    expect(closed.map((c) => JSON.parse(c.payload) as Record<string, unknown>)).toEqual([
      expect.objectContaining({ outcome: 'transferred', referral: { code: 'SBJ', name: '市社保中心（政务中心外）', kind: 'outside' }, referralNote: '请携带身份证原件到社保中心三楼' }),
    ]);
  }, 180_000);

  it('takes a complaint at the window, which reaches the supervisor’s follow-up ledger with its summary', async () => {
    const { staff, citizen } = screens;
    await staff.getByTestId('open-case').waitFor({ timeout: 30_000 });
    await openCase(staff, citizen);
    await staff.getByTestId('outcome-complaint').check();
    await staff.getByTestId('finish-case').click();
    await staff.getByTestId('finish-case-error').filter({ hasText: '投诉须填写一句话的投诉内容' }).waitFor();
    await staff.getByTestId('complaint-summary').fill(SUMMARY);
    await staff.getByTestId('finish-case').click();
    await citizen.getByTestId('rating-panel').waitFor();
    rig.keypad!.press(2);
    await citizen.getByTestId('thanks').waitFor();
    must(await rig.shell.runtime.handle('staff', 'syncNow', {}));

    const opened = await openConsole(browser, `${centre.url}/follow-ups`);
    consoleContext = opened.context;
    const page = opened.page;
    await signIn(page, SUPERVISOR.username, SUPERVISOR.password);
    await page.getByRole('heading', { name: '回访台账' }).waitFor();
    const row = page.getByTestId('ledger').locator('tbody tr').filter({ has: page.getByTestId('row-complaint') });
    await row.waitFor({ timeout: 30_000 });
    expect(await row.count()).toBe(1);
    expect(await row.getByTestId('row-complaint').textContent()).toBe('窗口投诉');
    expect(await row.getByTestId('row-complaint-summary').textContent()).toBe(SUMMARY);
    const text = (await row.textContent())!;
    for (const part of ['9', '王晓梅', ITEM, '待分派']) expect(text).toContain(part);

    await row.getByRole('link').first().click();
    await page.getByTestId('record-state').waitFor();
    expect(await page.getByTestId('record-complaint').textContent()).toBe(`窗口投诉：${SUMMARY}`);
  }, 180_000);
});
