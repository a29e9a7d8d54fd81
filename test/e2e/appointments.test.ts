/**
 * 预约服务 (10.4, annex C) end to end, every part real: the centre as its own process on a real
 * PostgreSQL server, its console in chromium, and a window's browser shell with the keypad
 * simulator on a pseudo-terminal pair, enrolled at that centre. A supervisor registers an
 * appointment on the console's 预约登记 page (refused first without a name); it reaches the
 * window's staff panel with the config, masked; staff open the case from it, the citizen rates,
 * and the case's outcome shows back in the console's register. Screenshots of both screens
 * at 1280×800 and 1920×1080, in Chinese and English.
 */
import { mkdirSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildConsole } from '../../scripts/build';
import { CONSOLE_DIST } from '../../server/src/console-files';
import type { WindowAppointmentEntry } from '../../src/shared/api';
import { APPOINTMENT_ROUTES } from '../../src/shared/console/appointments-contract';
import { consoleApiAs, makeAccounts } from '../console/support/accounts';
import { openConsole, signIn } from '../console/support/browser';
import { ADMIN_TOKEN, startCentreProcess, type CentreProcess } from '../console/support/centre';
import { startPostgres, type PgCluster } from '../sync/support/postgres';
import { launchBrowser, openScreens, type Screens } from './support/browser';
import { ROOT } from './support/renderer';
import { startWindow, type WindowRig } from './support/window';

const SHOTS = join(ROOT, 'test-artifacts', 'screens');
const SIZES = [
  { width: 1280, height: 800 },
  { width: 1920, height: 1080 },
] as const;
const ADMIN = { username: 'admin.zhou', displayName: '周管理', password: 'appointment-admin-1' };
const SUPERVISOR = { username: 'wu.sup', displayName: '吴督查', role: 'supervisor', departmentCode: null, password: 'wu.sup-pass-001' };
const ITEM = { itemCode: '340104-SJ-001', itemVersion: '2', name: '个体工商户设立登记', departmentCode: '340104-SJ', departmentName: '市场监督管理局' };
const OTHER_ITEM = { itemCode: '340104-SJ-002', itemVersion: '1', name: '食品经营许可', departmentCode: '340104-SJ', departmentName: '市场监督管理局' };
const KIOSK_PIN = '97531864';

let cluster: PgCluster;
let centre: CentreProcess;
let rig: WindowRig;
let browser: Browser;
let screens: Screens;
let consoleContext: BrowserContext | null = null;

/** The console bundle on disk was built after the 预约登记 page or its contract last changed: otherwise build it. */
function consoleHasAppointments(): boolean {
  const pageDir = join(ROOT, 'server', 'console', 'src', 'pages', 'appointments');
  const sources = [...readdirSync(pageDir).map((f) => join(pageDir, f)), join(ROOT, 'src', 'shared', 'console', 'appointments-contract.ts')];
  try {
    const newest = Math.max(...sources.map((f) => statSync(f).mtimeMs));
    return statSync(join(CONSOLE_DIST, 'index.html')).mtimeMs > newest;
  } catch {
    return false;
  }
}

function must<T>(answer: { ok: true; result: T } | { ok: false; error: { message: string } }): T {
  if (!answer.ok) throw new Error(answer.error.message);
  return answer.result;
}

async function admin(method: string, path: string, body: unknown): Promise<void> {
  const answer = await fetch(`${centre.url}${path}`, { method, headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  expect(answer.status, await answer.clone().text()).toBe(200);
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

/** The window's list after a sync, once it holds `n` appointments. */
async function windowList(n: number): Promise<WindowAppointmentEntry[]> {
  let list: WindowAppointmentEntry[] = [];
  await expect
    .poll(async () => {
      await rig.shell.runtime.handle('staff', 'syncNow', {});
      list = must(await rig.shell.runtime.handle('staff', 'appointments', {}));
      return list.length;
    }, { timeout: 60_000 })
    .toBe(n);
  return list;
}

async function shoot(page: Page, name: string): Promise<void> {
  for (const size of SIZES) {
    await page.setViewportSize(size);
    await page.screenshot({ path: join(SHOTS, `${name}-${size.width}x${size.height}.png`) });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow, `${name} is wider than a ${size.width}×${size.height} screen`).toBeLessThanOrEqual(0);
  }
  await page.setViewportSize(SIZES[0]);
}

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  if (!consoleHasAppointments()) await buildConsole();
  cluster = await startPostgres({ fast: true });
  centre = await startCentreProcess({ databaseUrl: await cluster.createDatabase('centre') });
  await makeAccounts(centre, ADMIN, [SUPERVISOR]);
  await admin('PUT', '/v1/admin/items', [ITEM, OTHER_ITEM]);
  await admin('PUT', '/v1/admin/windows/9', { departmentCode: '340104-SJ', departmentName: '市场监督管理局' });
  rig = await startWindow({
    keypad: true,
    config: { centre: { url: centre.url }, window: { windowNo: '9' }, rating: { windowSeconds: 30, thanksSeconds: 2, detailsSeconds: 60 } },
  });
  await enrolWindow('9');
  browser = await launchBrowser();
  screens = await openScreens(browser, rig.shell, SIZES[0]);
}, 240_000);

afterAll(async () => {
  await consoleContext?.close().catch(() => undefined);
  await screens?.close();
  await browser?.close();
  await rig?.close();
  await centre?.stop();
  cluster?.stop();
});

describe('appointments from the console to the window and back', () => {
  let register: Page;

  it('registers an appointment on the console, refusing one without a name, and shows the phone masked', async () => {
    const opened = await openConsole(browser, `${centre.url}/appointments`, SIZES[0]);
    consoleContext = opened.context;
    register = opened.page;
    await signIn(register, SUPERVISOR.username, SUPERVISOR.password);
    await register.getByRole('heading', { name: '预约登记' }).waitFor();
    await register.getByTestId('appointments-empty').waitFor();

    const form = register.getByRole('form', { name: '新建预约' });
    await form.locator('input[name=phone]').fill('13812345678');
    await form.locator('select[name=itemCode]').selectOption(ITEM.itemCode);
    await form.locator('select[name=windowNo]').selectOption('9');
    await form.locator('input[name=agreedTime]').fill('10:30');
    await form.locator('select[name=channel]').selectOption('phone');
    await form.getByTestId('appointment-submit').click();
    expect(await form.getByTestId('appointment-error').textContent()).toBe('请填写申请人的姓名或单位名称。');
    expect(await register.getByTestId('appointments').count()).toBe(0);

    // A phone that is no phone is refused in the reader's language, whole: Chinese, then English after the switch.
    await form.locator('input[name=applicantName]').fill('李建国');
    await form.locator('input[name=phone]').fill('12ab');
    await form.getByTestId('appointment-submit').click();
    expect(await form.getByTestId('appointment-error').textContent()).toBe('联系电话应为 11 位手机号（以 1 开头）或带区号的座机号，如 0551-62345678。请改正后再登记。');
    await register.getByRole('button', { name: 'English', exact: true }).click();
    await register.getByRole('heading', { name: 'Appointments' }).waitFor();
    await register.getByRole('form', { name: 'New appointment' }).getByTestId('appointment-submit').click();
    await expect
      .poll(() => register.getByTestId('appointment-error').textContent())
      .toBe('The contact phone must be a mainland mobile (11 digits starting with 1) or a landline with its area code, such as 0551-62345678. Correct it and register again.');
    await register.getByRole('button', { name: '中文', exact: true }).click();
    await register.getByRole('heading', { name: '预约登记' }).waitFor();
    await form.locator('input[name=phone]').fill('13812345678');
    await form.locator('input[name=departmentOpinion]').fill('请携带身份证原件');
    await form.getByTestId('appointment-submit').click();
    await form.getByTestId('appointment-saved').filter({ hasText: '已登记：李建国' }).waitFor();
    const row = register.getByTestId('appointments').locator('tbody tr').filter({ hasText: '李建国' });
    await row.waitFor();
    expect(await row.getByTestId('appointment-phone').textContent()).toBe('138****5678');
    expect(await row.getByTestId('appointment-outcome').textContent()).toBe('未办理');
    const text = (await row.textContent())!;
    for (const part of ['10:30', '个人', ITEM.name, '市场监督管理局', '电话', '吴督查', '请携带身份证原件']) expect(text).toContain(part);
    expect(await register.content()).not.toContain('13812345678');

    // A second, by the API the page uses: a company that booked online, later in the day.
    const call = await consoleApiAs(centre, SUPERVISOR);
    const choices = await call<{ today: string }>('GET', APPOINTMENT_ROUTES.appointmentChoices);
    await call('POST', APPOINTMENT_ROUTES.appointments, {
      applicantKind: 'company', applicantName: '合肥长江商贸有限公司', phone: '0551-62345678', itemCode: OTHER_ITEM.itemCode, windowNo: '9',
      agreedDate: choices.today, agreedTime: '14:00', channel: 'online',
    });
    await register.reload();
    await register.getByTestId('appointments').locator('tbody tr').nth(1).waitFor();
    expect(await register.getByTestId('appointments').locator('tbody tr').count()).toBe(2);
    // The department's opinion, given in place on the second.
    const company = register.getByTestId('appointments').locator('tbody tr').filter({ hasText: '合肥长江商贸有限公司' });
    await company.getByTestId('edit-opinion').click();
    await company.getByTestId('opinion-input').fill('同意，请携带营业执照副本');
    await company.getByRole('button', { name: '保存' }).click();
    await company.getByTestId('appointment-opinion').filter({ hasText: '同意，请携带营业执照副本' }).waitFor();
    await shoot(register, 'console-appointments-zh');
    await register.getByRole('button', { name: 'English', exact: true }).click();
    await register.getByRole('heading', { name: 'Appointments' }).waitFor();
    await shoot(register, 'console-appointments-en');
    await register.getByRole('button', { name: '中文', exact: true }).click();
    await register.getByRole('heading', { name: '预约登记' }).waitFor();
  }, 180_000);

  it('reaches the window’s staff panel masked, and the case opened from it links the two', async () => {
    const list = await windowList(2);
    expect(list.map((a) => [a.agreedTime, a.applicantName, a.phone, a.caseOpened])).toEqual([
      ['10:30', '李建国', '138****5678', false],
      ['14:00', '合肥长江商贸有限公司', '055****5678', false],
    ]);
    const { staff, citizen } = screens;
    await staff.locator('[data-testid="keypad-link"][data-link="online"]').waitFor();
    await staff.getByTestId('badge-input').fill('BADGE-1001');
    await staff.getByTestId('badge-input').press('Enter');
    await citizen.getByTestId('staff-name').filter({ hasText: '王晓梅' }).waitFor();
    const rows = staff.getByTestId('appointment');
    await rows.nth(1).waitFor();
    expect(await rows.getByTestId('appointment-name').allTextContents()).toEqual(['李建国', '合肥长江商贸有限公司']);
    expect(await rows.getByTestId('appointment-phone').allTextContents()).toEqual(['138****5678', '055****5678']);
    expect(await rows.first().textContent()).toContain('部门意见：请携带身份证原件');
    expect(await rows.nth(1).textContent()).toContain('部门意见：同意，请携带营业执照副本');
    expect(await rows.getByTestId('appointment-status').allTextContents()).toEqual(['待办理', '待办理']);
    expect(await staff.content()).not.toContain('13812345678');
    await shoot(staff, 'staff-appointments-zh');
    await staff.getByTestId('staff-lang').click();
    await staff.getByRole('heading', { name: "Today's appointments" }).waitFor();
    expect(await rows.getByTestId('appointment-status').allTextContents()).toEqual(['Waiting', 'Waiting']);
    await shoot(staff, 'staff-appointments-en');
    await staff.getByTestId('staff-lang').click();
    await staff.getByRole('heading', { name: '今日预约' }).waitFor();

    await rows.first().getByTestId('open-from-appointment').click();
    await citizen.getByTestId('serving').filter({ hasText: ITEM.name }).waitFor();
    await staff.getByTestId('finish-case').click();
    await citizen.getByTestId('rating-panel').waitFor();
    rig.keypad!.press(1);
    await citizen.getByTestId('thanks').waitFor();

    const openedCases = rig.query<{ payload: string }>("SELECT payload FROM outbox WHERE kind = 'case_opened' ORDER BY seq");
    expect(openedCases.map((c) => (JSON.parse(c.payload) as { appointmentId?: string }).appointmentId)).toEqual([list[0]!.id]);
    // Back on the form, the appointment is marked as taken; the other still waits.
    await staff.getByTestId('open-case').waitFor({ timeout: 30_000 });
    await expect.poll(async () => staff.getByTestId('appointment-status').allTextContents()).toEqual(['已接办', '待办理']);
    expect(await rows.first().getByTestId('open-from-appointment').count()).toBe(0);
  }, 180_000);

  it('brings the finished case’s outcome back to the console’s register and the window', async () => {
    must(await rig.shell.runtime.handle('staff', 'syncNow', {}));
    const row = register.getByTestId('appointments').locator('tbody tr').filter({ hasText: '李建国' });
    await expect
      .poll(async () => {
        await register.reload();
        await row.waitFor();
        return row.getByTestId('appointment-outcome').textContent();
      }, { timeout: 60_000 })
      .toBe('办结');
    const other = register.getByTestId('appointments').locator('tbody tr').filter({ hasText: '合肥长江商贸有限公司' });
    expect(await other.getByTestId('appointment-outcome').textContent()).toBe('未办理');

    // The next config tells the window too.
    await expect
      .poll(async () => {
        await rig.shell.runtime.handle('staff', 'syncNow', {});
        return must(await rig.shell.runtime.handle('staff', 'appointments', {})).map((a) => a.outcome);
      }, { timeout: 60_000 })
      .toEqual(['completed', null]);
    await screens.staff.getByTestId('appointments-refresh').click();
    await expect.poll(async () => screens.staff.getByTestId('appointment-status').allTextContents()).toEqual(['办结', '待办理']);
    expect(screens.errors).toEqual([]);
  }, 180_000);
});
