/**
 * The appointment register's marks by hand, every part real: a centre on a real PostgreSQL
 * server with its console in chromium, and a real kiosk for window 9 pulling its config and
 * syncing over HTTP. The centre's clock is the real one moved to 09:00 of the centre's day plus
 * what the test moves it on, so the agreed times come when the test says.
 *
 * A supervisor registers an appointment on the 预约登记 page and cancels it for another reason
 * (refused first without the line saying what it is); the window's next list leaves it out.
 * Marking a no-show before the agreed time is refused with a sentence; once the time has
 * passed it is marked; the window, whose list still holds it, serves it after all, and the
 * register shows it done with the mark as a note. An admin erases a citizen's phone on the
 * 个人信息 page and sees how many appointments it reached. Screenshots of the register with its
 * marks at 1280×800 and 1920×1080, in Chinese and English.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildConsole } from '../../scripts/build';
import { centreToday } from '../../server/src/appointments/routes';
import { migrateCentre } from '../../server/src/db/migrate';
import { openPostgres } from '../../server/src/db/postgres';
import type { CentreDb } from '../../server/src/db/sql';
import { APPOINTMENT_ROUTES, type AppointmentRow } from '../../src/shared/console/appointments-contract';
import { CONSOLE_API } from '../../src/shared/console/contract';
import { addConsoleUser, signInConsole, type ConsoleSession } from '../centre/support/console-session';
import { consoleBuildIsFresh } from '../console/support/console-build';
import { openConsole, signIn } from '../console/support/browser';
import { ManualClock } from '../support/clock';
import { startCentre, type TestCentre } from '../sync/support/centre';
import { startPostgres, type PgCluster } from '../sync/support/postgres';
import { enrolledClient, type SyncedTerminal } from '../sync/support/sync';
import { openTerminal, type Terminal } from '../sync/support/terminal';
import { launchBrowser } from './support/browser';
import { ROOT } from './support/renderer';

const SHOTS = join(ROOT, 'test-artifacts', 'screens');
const SIZES = [
  { width: 1280, height: 800 },
  { width: 1920, height: 1080 },
] as const;
const SUPERVISOR = { username: 'wu.sup', displayName: '吴督查', password: 'wu.sup-pass-0001' };
const ADMIN = { username: 'admin.zhou', displayName: '周管理', password: 'zhou-admin-pass-01' };
const ITEM = { itemCode: '340104-SJ-001', itemVersion: '2', name: '个体工商户设立登记', departmentCode: '340104-SJ', departmentName: '市场监督管理局' };
const OTHER_ITEM = { itemCode: '340104-SJ-002', itemVersion: '1', name: '食品经营许可', departmentCode: '340104-SJ', departmentName: '市场监督管理局' };
const BEIJING = 8 * 60;

// The centre's day, and its clock at 09:00 of that day (set again once everything has started) plus what the test moves on.
const DAY = centreToday(Date.now(), BEIJING);
const NINE = Date.parse(`${DAY}T09:00:00+08:00`);
const clock = { offset: NINE - Date.now() };
const centreNow = () => Date.now() + clock.offset;

let cluster: PgCluster;
let db: CentreDb;
let centre: TestCentre;
let supervisor: ConsoleSession;
let browser: Browser;
let kiosk: Terminal & SyncedTerminal;
const contexts: BrowserContext[] = [];
const pageErrors: string[] = [];

/** A console call as the supervisor, through the centre's own routes. */
async function asSupervisor<T>(method: 'GET' | 'POST', path: string, payload?: unknown): Promise<T> {
  const response = await centre.centre.app.inject({ method, url: `${CONSOLE_API}${path}`, headers: supervisor.headers, payload: payload as Record<string, unknown> | undefined });
  if (response.statusCode >= 300) throw new Error(`${method} ${path} was refused: ${response.statusCode} ${response.body}`);
  return response.json() as T;
}

/** The names on the window's list after it pulls its config. */
async function windowList(): Promise<string[]> {
  expect(await kiosk.client.pullConfig()).toMatchObject({ ok: true });
  return kiosk.kiosk.appointmentsToday().map((a) => a.applicantName);
}

async function shoot(page: Page, name: string): Promise<void> {
  for (const size of SIZES) {
    await page.setViewportSize(size);
    await page.screenshot({ path: join(SHOTS, `${name}-${size.width}x${size.height}.png`), fullPage: true });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow, `${name} is wider than a ${size.width}×${size.height} screen`).toBeLessThanOrEqual(0);
  }
  await page.setViewportSize(SIZES[0]);
}

async function openAs(account: { username: string; password: string }, path: string): Promise<Page> {
  const opened = await openConsole(browser, `${centre.url}${path}`, SIZES[0]);
  contexts.push(opened.context);
  opened.page.on('pageerror', (error) => pageErrors.push(error.message));
  await signIn(opened.page, account.username, account.password);
  return opened.page;
}

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  if (!consoleBuildIsFresh()) await buildConsole();
  cluster = await startPostgres({ fast: true });
  db = openPostgres(await cluster.createDatabase('centre'), { max: 10 });
  await migrateCentre(db);
  // The window's batches carry the real time, which the centre's moved clock may be behind or ahead of.
  centre = await startCentre(db, { now: centreNow, projectAfterMs: 20, clockSkewToleranceMs: 48 * 3_600_000, maxFutureMs: 48 * 3_600_000 });
  await addConsoleUser(db, { username: SUPERVISOR.username, role: 'supervisor', displayName: SUPERVISOR.displayName, password: SUPERVISOR.password });
  await addConsoleUser(db, { username: ADMIN.username, role: 'admin', displayName: ADMIN.displayName, password: ADMIN.password });
  supervisor = await signInConsole(centre.centre.app, SUPERVISOR.username, SUPERVISOR.password);
  expect((await centre.call('PUT', '/v1/admin/items', { body: [ITEM, OTHER_ITEM] })).status).toBe(200);
  expect((await centre.call('PUT', '/v1/admin/windows/9', { body: { departmentCode: '340104-SJ', departmentName: '市场监督管理局' } })).status).toBe(200);
  const t = openTerminal({ clock: new ManualClock(NINE), windowNo: '9' });
  kiosk = { ...t, ...(await enrolledClient(t, centre, { windowNo: '9' })) };
  browser = await launchBrowser();
  clock.offset = NINE - Date.now();
}, 240_000);

afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => undefined);
  await browser?.close();
  kiosk?.kiosk.close();
  await centre?.close();
  await db?.close();
  cluster?.stop();
});

describe('appointments cancelled and marked no-show on the console', () => {
  let register: Page;
  const row = (name: string) => register.getByTestId('appointments').locator('tbody tr').filter({ hasText: name });

  it('cancels an appointment for another reason with its line, shows it marked, and the window’s list leaves it out', async () => {
    register = await openAs(SUPERVISOR, `/appointments?day=${DAY}`);
    await register.getByRole('heading', { name: '预约登记' }).waitFor();
    const form = register.getByRole('form', { name: '新建预约' });
    await form.locator('input[name=applicantName]').fill('李建国');
    await form.locator('input[name=phone]').fill('13812345678');
    await form.locator('select[name=itemCode]').selectOption(ITEM.itemCode);
    await form.locator('select[name=windowNo]').selectOption('9');
    await form.locator('input[name=agreedTime]').fill('10:30');
    await form.locator('select[name=channel]').selectOption('phone');
    await form.getByTestId('appointment-submit').click();
    await form.getByTestId('appointment-saved').filter({ hasText: '已登记：李建国' }).waitFor();
    // Three more by the API the page uses: two soon after nine, one later sharing 李建国's phone.
    const book = (name: string, phone: string, time: string) =>
      asSupervisor<AppointmentRow>('POST', APPOINTMENT_ROUTES.appointments, { applicantKind: 'person', applicantName: name, phone, itemCode: OTHER_ITEM.itemCode, windowNo: '9', agreedDate: DAY, agreedTime: time, channel: 'on_site' });
    await book('周敏', '13900001111', '09:15');
    await book('赵强', '13600003333', '09:18');
    await book('王芳', '13812345678', '11:00');
    expect(await windowList()).toEqual(['周敏', '赵强', '李建国', '王芳']);

    await register.reload();
    await row('王芳').waitFor();
    const li = row('李建国');
    expect(await li.getByTestId('appointment-outcome').textContent()).toBe('未办理');
    await li.getByTestId('cancel-appointment').click();
    const cancel = li.getByRole('form', { name: '取消 李建国 的预约' });
    await cancel.getByLabel('其他原因').check();
    await cancel.getByTestId('mark-confirm').click();
    expect(await cancel.getByTestId('mark-error').textContent()).toBe('选择「其他原因」时请写明原因。');
    await cancel.getByTestId('mark-note').fill('申请人改约下周');
    await cancel.getByTestId('mark-confirm').click();
    await li.getByTestId('appointment-outcome').filter({ hasText: '已取消' }).waitFor();
    expect(await li.getByTestId('appointment-mark-reason').textContent()).toBe('其他原因：申请人改约下周');
    expect(await li.getByTestId('appointment-mark-by').textContent()).toMatch(/^吴督查 于 .*09:0\d 标记$/);
    expect(await li.getByTestId('cancel-appointment').count()).toBe(0);
    expect(await li.getAttribute('data-mark')).toBe('cancelled');

    expect(await windowList()).toEqual(['周敏', '赵强', '王芳']);
  }, 180_000);

  it('refuses a no-show before the agreed time, marks it after, and shows it served with the mark as a note when the window serves it after all', async () => {
    const zhou = row('周敏');
    await zhou.getByTestId('mark-no-show').click();
    await zhou.getByTestId('mark-form').getByText('确认申请人未在约定的 09:15 前来？').waitFor();
    await zhou.getByTestId('mark-confirm').click();
    expect(await zhou.getByTestId('mark-error').textContent()).toBe(`约定时间 ${DAY} 09:15 还没到，过了约定时间才能标记未到。`);
    expect(await zhou.getByTestId('appointment-outcome').textContent()).toBe('未办理');

    // Twenty minutes on at the centre: both 09:15 and 09:18 have passed.
    clock.offset += 20 * 60_000;
    await zhou.getByTestId('mark-confirm').click();
    await zhou.getByTestId('appointment-outcome').filter({ hasText: '未到' }).waitFor();
    expect(await zhou.getByTestId('appointment-mark-by').textContent()).toMatch(/^吴督查 于 .*09:2\d 标记$/);
    const zhao = row('赵强');
    await zhao.getByTestId('mark-no-show').click();
    await zhao.getByTestId('mark-confirm').click();
    await zhao.getByTestId('appointment-outcome').filter({ hasText: '未到' }).waitFor();

    // 周敏 comes late: the window's list still holds them, and staff serve them from it.
    kiosk.clock.advance(centreNow() - kiosk.clock.now());
    const [late] = kiosk.kiosk.appointmentsToday();
    expect(late?.applicantName).toBe('周敏');
    expect(kiosk.kiosk.execute({ type: 'signInBadge', badgeId: 'BADGE-1001' }, 'staff')).toMatchObject({ ok: true });
    expect(kiosk.kiosk.execute({ type: 'openCase', itemCode: late!.itemCode, appointmentId: late!.id }, 'staff')).toMatchObject({ ok: true });
    kiosk.clock.advance(120_000);
    expect(kiosk.kiosk.execute({ type: 'finishCase', outcome: 'completed' }, 'staff')).toMatchObject({ ok: true });
    expect(await kiosk.client.syncNow()).toMatchObject({ ok: true, pending: 0 });
    await expect
      .poll(async () => {
        await register.reload();
        await zhou.waitFor();
        return zhou.getByTestId('appointment-outcome').textContent();
      }, { timeout: 60_000 })
      .toBe('办结');
    expect(await zhou.getByTestId('appointment-mark-note').textContent()).toMatch(/^此前已被 吴督查 于 .*09:2\d 标记为「未到」，窗口仍按预约办理。$/);
    expect(await zhou.getByTestId('mark-no-show').count()).toBe(0);
    expect(await row('赵强').getByTestId('appointment-outcome').textContent()).toBe('未到');
    expect(await row('王芳').getByTestId('appointment-outcome').textContent()).toBe('未办理');

    await register.getByTestId('appointments').scrollIntoViewIfNeeded();
    await shoot(register, 'console-appointment-marks-zh');
    await register.getByRole('button', { name: 'English', exact: true }).click();
    await register.getByRole('heading', { name: 'Appointments' }).waitFor();
    expect(await row('李建国').getByTestId('appointment-outcome').textContent()).toBe('Cancelled');
    expect(await row('李建国').getByTestId('appointment-mark-reason').textContent()).toBe('Another reason: 申请人改约下周');
    expect(await row('赵强').getByTestId('appointment-outcome').textContent()).toBe('Did not come');
    expect(await zhou.getByTestId('appointment-mark-note').textContent()).toMatch(/^Marked “Did not come” by 吴督查, .* before the window served it\.$/);
    await shoot(register, 'console-appointment-marks-en');
    await register.getByRole('button', { name: '中文', exact: true }).click();
    await register.getByRole('heading', { name: '预约登记' }).waitFor();
  }, 180_000);

  it('erases a citizen’s phone and shows on the privacy page how many appointments it reached', async () => {
    const privacy = await openAs(ADMIN, '/privacy');
    await privacy.getByRole('heading', { name: '个人信息' }).waitFor();
    const form = privacy.getByTestId('erase-phone');
    await form.locator('input[type=tel]').fill('138 1234 5678');
    await form.locator('input[type=checkbox]').check();
    await form.locator('button[type=submit]').click();
    expect(await privacy.getByTestId('erase-notice').textContent()).toContain('预约 2 条');
    const erasure = privacy.getByTestId('phone-erasures').locator('tbody tr').first();
    await erasure.getByTestId('erasure-appointments').filter({ hasText: '2' }).waitFor();
    expect(await erasure.textContent()).toContain('138****5678');

    // The register keeps both rows, without the phone.
    await register.reload();
    await row('王芳').waitFor();
    expect(await row('李建国').getByTestId('appointment-phone').textContent()).toBe('（不显示）');
    expect(await row('王芳').getByTestId('appointment-phone').textContent()).toBe('（不显示）');
    expect(await row('赵强').getByTestId('appointment-phone').textContent()).toBe('136****3333');
    expect(pageErrors).toEqual([]);
  }, 180_000);
});
