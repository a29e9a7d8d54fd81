/**
 * Live hall supervision with every part real: three kiosks (the browser shell, each with a
 * simulated keypad on its own pseudo-terminal pair) enrolled at a centre on a real PostgreSQL
 * server, the hall's wall screen in chromium at 1920×1080 opened with a wall token the admin
 * made, and a webhook receiver on this machine.
 *
 * Each window's change at the kiosk (sign-in, a case opened, a pause with its reason) shows on
 * the wall; a kiosk that goes away turns its tile stale; a pause past the window's limit raises
 * the alert on the wall and, signed, at the receiver, and the console's window alerts list it
 * until the pause ends. The centre's clock is the real one plus an offset the test moves, so 45
 * seconds of silence take no waiting (a pause is timed on the kiosk's clock: that minute is
 * waited out). No assertion here is about speed (that is bench:live), but the delay each
 * change took to reach the centre and the wall is printed.
 */
import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildConsole } from '../../scripts/build';
import { buildCentre, type Centre } from '../../server/src/app';
import { migrateCentre } from '../../server/src/db/migrate';
import { openPostgres } from '../../server/src/db/postgres';
import type { CentreDb } from '../../server/src/db/sql';
import { CONSOLE_API, HALL_ROUTES, IT_ROUTES, itPath, type Hall, type NewWallToken, type WindowSchedule } from '../../src/shared/console/contract';
import { LIVE_ROUTES, WEBHOOK_EVENT_HEADER, WEBHOOK_SIGNATURE_HEADER, type WebhookPayload } from '../../src/shared/console/live-contract';
import { STATUS_STALE_MS } from '../../src/shared/live-status';
import { addConsoleUser, signInConsole, type ConsoleSession } from '../centre/support/console-session';
import { startPostgres, type PgCluster } from '../sync/support/postgres';
import { openConsole, screenshot, signIn } from '../console/support/browser';
import { consoleBuildIsFresh } from '../console/support/console-build';
import { launchBrowser, openScreens, type Screens } from './support/browser';
import { startWindow, type WindowRig } from './support/window';

const ADMIN_TOKEN = 'hall-live-admin-token-0123456789abcdef';
const ADMIN = { username: 'admin.hall', password: 'hall-admin-pass-1' };
const KIOSK_PIN = '24681357';
const SECRET = 'hall-webhook-signing-secret';
const ARTIFACTS = 'test-artifacts/e2e';

/** One window per department of the demo lists, each with its own staff member and item. */
const WINDOWS = [
  { windowNo: '1', badge: 'BADGE-1001', staff: '王晓梅', department: '340104-SJ', departmentName: '市场监督管理局', item: '个体工商户设立登记', pause: '系统维护' },
  { windowNo: '2', badge: 'BADGE-1002', staff: '李建国', department: '340104-RS', departmentName: '人力资源和社会保障局', item: '社会保障卡申领', pause: '临时离岗' },
  { windowNo: '3', badge: 'BADGE-1003', staff: '张敏', department: '340104-GA', departmentName: '公安局', item: '居民身份证换领', pause: '业务培训' },
] as const;
type WindowPlan = (typeof WINDOWS)[number];

interface Kiosk {
  plan: WindowPlan;
  rig: WindowRig;
  screens: Screens;
  gone: boolean;
}

/** The centre's clock: the real one plus what the test has moved it on. */
const clock = { offset: 0 };
const centreNow = () => Date.now() + clock.offset;

let cluster: PgCluster;
let db: CentreDb;
let centre: Centre;
let url: string;
let admin: ConsoleSession;
let browser: Browser;
let wall: Page;
let wallContext: BrowserContext;
const wallErrors: string[] = [];
const consoles: BrowserContext[] = [];
const kiosks: Kiosk[] = [];
let receiver: Awaited<ReturnType<typeof startReceiver>>;

/** A webhook receiver on this machine that keeps every delivery and whether its signature checks out. */
async function startReceiver() {
  const got: { event: string; signatureOk: boolean; body: string }[] = [];
  const server: Server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    request.on('data', (c: Buffer) => chunks.push(c));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const signature = `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}`;
      got.push({ event: String(request.headers[WEBHOOK_EVENT_HEADER]), signatureOk: request.headers[WEBHOOK_SIGNATURE_HEADER] === signature, body });
      response.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    got,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

/** A console call as the signed-in admin, through the centre's own routes. */
async function asAdmin<T>(method: 'GET' | 'POST' | 'PUT', path: string, payload?: unknown): Promise<T> {
  const response = await centre.app.inject({ method, url: `${CONSOLE_API}${path}`, headers: admin.headers, payload: payload as Record<string, unknown> | undefined });
  if (response.statusCode >= 300) throw new Error(`${method} ${path} was refused: ${response.statusCode} ${response.body}`);
  return (response.body ? response.json() : undefined) as T;
}

/** The kiosk's admin desk, as IT uses it: the first PIN, then the centre's one-time code. */
async function enrol(rig: WindowRig, windowNo: string): Promise<void> {
  const runtime = rig.shell.runtime;
  const must = <T,>(answer: { ok: true; result: T } | { ok: false; error: { message: string } }): T => {
    if (!answer.ok) throw new Error(answer.error.message);
    return answer.result;
  };
  must(await runtime.handle('staff', 'adminSetPin', { pin: KIOSK_PIN, setupCode: runtime.adminSetupCode ?? '' }));
  const { token } = must(await runtime.handle('staff', 'adminLogin', { pin: KIOSK_PIN }));
  const { code } = await asAdmin<{ code: string }>('POST', IT_ROUTES.enrolmentCodes, { windowNo });
  expect(must(await runtime.handle('staff', 'adminEnrol', { token, code }))).toEqual({ windowNo });
}


/** The wall's tile of a window, and what it says. */
const tile = (windowNo: string) => wall.locator(`[data-window="${windowNo}"]`);
const tileText = async (windowNo: string) => ((await tile(windowNo).count()) > 0 ? ((await tile(windowNo).first().textContent()) ?? '') : '');

/**
 * Polls the centre's hall until the window's status says `words` (in its staff, case or pause),
 * then the wall until the window's tile does, and prints how long each took from `since`.
 */
async function wallShows(windowNo: string, words: string, since: number, what: string): Promise<void> {
  const said = async () => {
    const status = (await hallWindow(windowNo))?.status;
    return [status?.staff?.name, status?.case?.itemName, status?.pause?.reason].join(' ');
  };
  await expect.poll(said, { timeout: 60_000, interval: 50 }).toContain(words);
  const atCentre = Date.now() - since;
  await expect.poll(() => tileText(windowNo), { timeout: 60_000, interval: 50 }).toContain(words);
  console.log(`window ${windowNo}: ${what} at the centre after ${atCentre} ms, on the wall after ${Date.now() - since} ms`);
}

/** The hall as the centre answers it, for the same window: what the wall is fed. */
const hallWindow = async (windowNo: string) => (await asAdmin<Hall>('GET', HALL_ROUTES.hall)).windows.find((w) => w.windowNo === windowNo);

beforeAll(async () => {
  if (!consoleBuildIsFresh()) await buildConsole();
  cluster = await startPostgres({ fast: true });
  db = openPostgres(await cluster.createDatabase('centre'), { max: 10 });
  await migrateCentre(db);
  centre = buildCentre(db, {
    adminToken: ADMIN_TOKEN,
    logger: false,
    now: centreNow,
    // The test moves the centre's clock ahead of the kiosks': that is not a kiosk's fault here.
    clockSkewToleranceMs: 24 * 3_600_000,
    projectAfterMs: 20,
    alertSweepMs: 500,
    webhooks: { timeoutMs: 2_000, baseMs: 50, capMs: 500, pollMs: 100 },
  });
  url = await centre.app.listen({ host: '127.0.0.1', port: 0 });
  await addConsoleUser(db, { username: ADMIN.username, role: 'admin', displayName: '赵管理', password: ADMIN.password });
  admin = await signInConsole(centre.app, ADMIN.username, ADMIN.password);

  receiver = await startReceiver();
  await asAdmin('POST', LIVE_ROUTES.webhooks, { url: receiver.url, secret: SECRET, rules: [] });

  browser = await launchBrowser();
  for (const plan of WINDOWS) {
    await asAdmin('PUT', itPath(IT_ROUTES.window, { windowNo: plan.windowNo }), { departmentCode: plan.department, departmentName: plan.departmentName });
    const rig = await startWindow({
      keypad: true,
      config: { centre: { url }, window: { windowNo: plan.windowNo }, rating: { windowSeconds: 30, thanksSeconds: 3, detailsSeconds: 120 } },
    });
    kiosks.push({ plan, rig, screens: await openScreens(browser, rig.shell), gone: false });
    await enrol(rig, plan.windowNo);
  }

  const made = await asAdmin<NewWallToken>('POST', HALL_ROUTES.wallTokens, { name: '一楼大厅' });
  wallContext = await browser.newContext({ viewport: { width: 1920, height: 1080 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  wallContext.setDefaultTimeout(15_000);
  wall = await wallContext.newPage();
  wall.on('pageerror', (e) => wallErrors.push(e.message));
  // The address names the host the admin asked from; the display opens the same page on this centre.
  const address = new URL(made.address, url);
  await wall.goto(`${url}${address.pathname}${address.hash}`);
}, 300_000);

afterAll(async () => {
  await wallContext?.close().catch(() => undefined);
  for (const c of consoles) await c.close().catch(() => undefined);
  for (const k of kiosks) {
    if (k.gone) continue; // closed by its test already
    await k.screens.close().catch(() => undefined);
    await k.rig.close().catch(() => undefined);
  }
  await browser?.close();
  await centre?.close();
  await db?.close().catch(() => undefined);
  await receiver?.close();
  cluster?.stop();
});

describe('the hall live, three kiosks and the wall', () => {
  it('shows on the wall each window’s sign-in, its case and its pause with the reason', async () => {
    for (const { screens } of kiosks) await screens.staff.locator('[data-testid="keypad-link"][data-link="online"]').waitFor({ timeout: 30_000 });
    await expect.poll(() => wall.locator('[data-window]').count(), { timeout: 60_000 }).toBe(3);
    await wall.screenshot({ path: `${ARTIFACTS}/hall-wall-start-1920x1080.png` });

    for (const { plan, screens, rig } of kiosks) {
      const { staff, citizen } = screens;
      let since = Date.now();
      await staff.getByTestId('badge-input').fill(plan.badge);
      await staff.getByTestId('badge-input').press('Enter');
      await citizen.getByTestId('staff-name').filter({ hasText: plan.staff }).waitFor();
      await wallShows(plan.windowNo, plan.staff, since, 'sign-in');

      await staff.getByTestId('item-search').fill(plan.item);
      await staff.getByRole('radio', { name: new RegExp(plan.item) }).check();
      since = Date.now();
      await staff.getByTestId('open-case').click();
      await citizen.getByTestId('serving').filter({ hasText: plan.item }).waitFor();
      await wallShows(plan.windowNo, plan.item, since, 'case opened');
      // Window 1 goes on serving; windows 2 and 3 finish, are rated on the keypad, and pause.
      if (plan.windowNo === '1') continue;
      await staff.getByTestId('finish-case').click();
      await citizen.getByTestId('rating-panel').waitFor();
      rig.keypad!.press(1);
      await citizen.getByTestId('thanks').waitFor();
      await staff.getByTestId('pause-reason').fill(plan.pause);
      since = Date.now();
      await staff.getByTestId('pause').click();
      await staff.getByTestId('resume').waitFor();
      await wallShows(plan.windowNo, plan.pause, since, 'paused');
    }
    // Window 1 still serves: its tile names its case, not a pause.
    expect(await tileText('1')).toContain(WINDOWS[0].item);
    expect(await tileText('1')).not.toContain(WINDOWS[1].pause);
    expect((await hallWindow('2'))?.status?.pause?.reason).toBe(WINDOWS[1].pause);
    await wall.screenshot({ path: `${ARTIFACTS}/hall-wall-working-1920x1080.png` });
    for (const k of kiosks) expect(k.screens.errors).toEqual([]);
  }, 300_000);

  it('raises the alert of a pause past its limit on the wall and, signed, at the webhook receiver', async () => {
    // Window 2 may pause one minute; it has paused (above). The centre reads a pause on the kiosk's own
    // clock (moved onto its own by the status's age), so this minute is a real one: the test waits it out.
    const open = Array<string | null>(7).fill('00:00');
    const schedule: WindowSchedule = { opensAt: open, closesAt: Array<string | null>(7).fill('23:59'), pauseLimitMinutes: 1, floor: '一楼' };
    await asAdmin('PUT', itPath(HALL_ROUTES.windowSchedule, { windowNo: '2' }), schedule);
    const before = receiver.got.length;

    const ticker = wall.getByTestId('ticker').locator('li[data-kind=window_alert]');
    await expect.poll(() => ticker.allTextContents(), { timeout: 150_000, interval: 500 }).toContainEqual(expect.stringContaining('2 号窗口 暂停超时'));
    // Window 3 has no limit of its own and pauses under the 30-minute default: nothing for it.
    expect((await ticker.allTextContents()).filter((t) => t.includes('3 号窗口'))).toEqual([]);
    expect(await tile('2').getAttribute('data-state')).toBe('paused');
    const pauseAlerts = () => receiver.got.slice(before).filter((d) => d.event === 'long_pause');
    await expect.poll(() => pauseAlerts().length, { timeout: 30_000 }).toBeGreaterThan(0);
    const delivered = pauseAlerts()[0]!;
    expect(delivered.signatureOk).toBe(true);
    const payload = JSON.parse(delivered.body) as WebhookPayload;
    expect(payload.event).toBe('long_pause');
    expect(payload.alert).toMatchObject({ rule: 'long_pause', windowNo: '2', departmentCode: WINDOWS[1].department, endedAt: null });
    expect(delivered.body).toContain(WINDOWS[1].pause);
    // Window 3 has no limit of its own and pauses under the 30-minute default: no alert for it.
    expect(pauseAlerts().filter((d) => (JSON.parse(d.body) as WebhookPayload).alert.windowNo === '3')).toEqual([]);
    await wall.screenshot({ path: `${ARTIFACTS}/hall-wall-alert-1920x1080.png` });

    // The console's window alerts list it as going on; the pause ends at the kiosk, and so does the alert.
    const { context, page } = await openConsole(browser, `${url}/overview`);
    consoles.push(context);
    await signIn(page, ADMIN.username, ADMIN.password);
    await page.locator('nav.side a', { hasText: '窗口告警' }).click();
    const row = page.getByTestId('window-alerts').locator('tr[data-rule=long_pause]');
    await row.first().waitFor();
    expect(await row.count()).toBe(1);
    const listed = (await row.first().textContent())!;
    for (const words of ['暂停超时', WINDOWS[1].departmentName, `已暂停 1 分钟（时限 1 分钟），原因：${WINDOWS[1].pause}`, '仍在持续']) expect(listed).toContain(words);
    await screenshot(page, 'hall-alerts-open');

    await kiosks[1]!.screens.staff.getByTestId('resume').click();
    await kiosks[1]!.screens.staff.getByTestId('pause').waitFor();
    await page.locator('input[name=only-open]').uncheck();
    const ended = async () => {
      await page.getByRole('button', { name: '刷新' }).click();
      return page.getByTestId('window-alerts').locator('tr[data-rule=long_pause]').first().textContent();
    };
    await expect.poll(ended, { timeout: 60_000, interval: 500 }).not.toContain('仍在持续');
    await screenshot(page, 'hall-alerts-ended');
  }, 300_000);

  it('marks the tile of a kiosk that went away stale, and only that one', async () => {
    const gone = kiosks[2]!;
    await gone.screens.close();
    await gone.rig.close();
    gone.gone = true;
    // Silence past the stale limit on the centre's clock; the two kiosks still running speak again at their next heartbeat.
    clock.offset += STATUS_STALE_MS + 1_000;

    await expect.poll(() => tile('3').getAttribute('data-state'), { timeout: 60_000 }).toBe('offline');
    expect(await tileText('3')).toContain('离线');
    // The two still running are back to what they were doing: window 1 serving, window 2 free again after its pause.
    await expect.poll(async () => [await tile('1').getAttribute('data-state'), await tile('2').getAttribute('data-state')], { timeout: 60_000 }).toEqual(['serving', 'idle']);
    expect((await hallWindow('3'))?.stale).toBe(true);
    await wall.screenshot({ path: `${ARTIFACTS}/hall-wall-stale-1920x1080.png` });
    expect(wallErrors).toEqual([]);
  }, 180_000);
});
