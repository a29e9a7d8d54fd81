/**
 * The hall's wall screen in Debian's chromium against a centre on a real PostgreSQL, fed by
 * twenty enrolled windows posting their live status through the centre's status route:
 * - a wrong token is told plainly and the address bar keeps no token;
 * - the wall shows every window grouped by department and floor (screenshots at 1920×1080
 *   and 3840×2160 in test-artifacts/console/);
 * - an hour of a busy hall compressed into a few minutes (each window changing every
 *   100–200 ms) leaves the page's JS heap within 20 % of its value after warm-up, the ticker
 *   bounded, and the wall showing each window's last status; a window that goes silent is
 *   shown 离线;
 * - the centre restarts: the wall says since when its link is down, then reconnects by itself
 *   and shows what changed meanwhile;
 * - the token is revoked: the wall says so and stops; a new address pasted into the same
 *   tab brings it back.
 */
import { generateKeyPairSync } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildConsole } from '../../scripts/build';
import { buildCentre, type Centre } from '../../server/src/app';
import { CONSOLE_DIST } from '../../server/src/console-files';
import { CONSOLE_API } from '../../src/shared/console/contract';
import { HALL_ROUTES, type NewWallToken } from '../../src/shared/console/hall-contract';
import { STATUS_PATH, type WindowStatus } from '../../src/shared/live-status';
import { consoleSessionAs, type ConsoleSession } from '../centre/support/console-session';
import { openTestDatabase, type TestDatabase } from '../sync/support/backends';
import { launchBrowser, screenshot } from './support/browser';

const ADMIN_TOKEN = 'wall-soak-admin-token-0123456789';
const DEPARTMENTS = [
  { code: '340104-SJ', name: '市场监督管理局', floor: '1F' },
  { code: '340104-RS', name: '人力资源和社会保障局', floor: '1F' },
  { code: '340104-GA', name: '公安局', floor: '2F' },
  { code: '340104-BDC', name: '不动产登记中心', floor: '2F' },
];
const NAMES = ['王芳', '李强', '张伟', '刘洋', '陈静', '杨磊', '赵敏', '黄勇', '周婷', '吴军', '徐丽', '孙浩', '胡杰', '朱琳', '高峰', '林娜', '何涛', '郭燕', '马超', '罗霞'];
const ITEMS = ['营业执照办理', '社保卡申领', '居住证办理', '不动产登记', '食品经营许可', '养老保险转移'];
const WINDOWS = 20;
/** One hour of a big hall, compressed: each window changes every 100–200 ms for this long. */
const SOAK_MS = Number(process.env.CORDIAL_WALL_SOAK_MS ?? 200_000);
const WARM_UP_MS = 30_000;
const SILENT_WINDOW = '20';

interface Window {
  windowNo: string;
  terminalId: string;
  token: string;
  staffNo: string;
  name: string;
  seq: number;
  served: number;
  rated: number;
  poor: number;
  last: WindowStatus | null;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('the hall wall screen', () => {
  let database: TestDatabase;
  let centre: Centre;
  let port = 0;
  let url = '';
  let browser: Browser;
  let admin: ConsoleSession;
  let wallToken: NewWallToken;
  let context: BrowserContext;
  let page: Page;
  const errors: string[] = [];
  const windows: Window[] = [];

  async function startCentre(): Promise<void> {
    centre = buildCentre(database.db, {
      adminToken: ADMIN_TOKEN,
      logger: false,
      enrolRateLimit: { perSecond: 100, burst: 100 },
      rateLimit: { perSecond: 100, burst: 200 },
    });
    await centre.app.ready();
    url = await centre.app.listen({ host: '127.0.0.1', port });
    port = Number(new URL(url).port);
  }

  const v1 = async (path: string, token: string, body: unknown) =>
    fetch(`${url}${path}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });

  function statusOf(w: Window, phase: WindowStatus['phase']): WindowStatus {
    const now = Date.now();
    const status: WindowStatus = {
      terminalId: w.terminalId,
      windowNo: w.windowNo,
      seq: ++w.seq,
      runId: `run-${w.windowNo}`,
      at: now,
      phase,
      pause: phase === 'paused' ? { reason: w.seq % 2 === 0 ? '午休' : '临时会议', since: now } : null,
      staff: phase === 'closed' ? null : { staffNo: w.staffNo, name: w.name, signedInAt: now - 3_600_000 },
      case: phase === 'serving' || phase === 'awaiting_rating' ? { itemCode: `I-${w.seq % ITEMS.length}`, itemName: ITEMS[w.seq % ITEMS.length]!, openedAt: now - 90_000 } : null,
      today: { served: w.served, rated: w.rated, poor: w.poor },
      keypad: { link: 'online', since: now - 3_600_000 },
      backlog: 0,
      appVersion: '1.4.0',
    };
    w.last = status;
    return status;
  }

  async function post(w: Window, phase: WindowStatus['phase']): Promise<void> {
    const answer = await v1(STATUS_PATH, w.token, statusOf(w, phase));
    if (answer.status !== 204) throw new Error(`window ${w.windowNo}'s status was refused: ${answer.status} ${await answer.text()}`);
  }

  /** The phases a window goes through for one citizen, sometimes with a pause after. */
  const CYCLE: WindowStatus['phase'][] = ['idle', 'serving', 'awaiting_rating', 'thanks'];
  async function traffic(w: Window, until: () => boolean): Promise<void> {
    let step = 0;
    while (!until()) {
      const phase = step % 13 === 12 ? 'paused' : CYCLE[step % CYCLE.length]!;
      if (phase === 'thanks') {
        w.served += 1;
        w.rated += 1;
        if (step % 31 === 3) w.poor += 1;
      }
      await post(w, phase);
      step += 1;
      await sleep(100 + Math.random() * 100);
    }
  }

  /** A photo drawn by the browser: a head and shoulders on a coloured ground. */
  async function drawnPhoto(hue: number): Promise<string> {
    const p = await browser.newPage();
    const dataUrl = await p.evaluate((h) => {
      const canvas = document.createElement('canvas');
      canvas.width = 120;
      canvas.height = 144;
      const g = canvas.getContext('2d')!;
      g.fillStyle = `hsl(${h}, 45%, 72%)`;
      g.fillRect(0, 0, 120, 144);
      g.fillStyle = '#1d2b3a';
      g.beginPath();
      g.arc(60, 58, 28, 0, Math.PI * 2);
      g.fill();
      g.beginPath();
      g.ellipse(60, 150, 52, 50, 0, 0, Math.PI * 2);
      g.fill();
      return canvas.toDataURL('image/png');
    }, hue);
    await p.close();
    return dataUrl;
  }

  const heapUsed = async (): Promise<number> => {
    const cdp = await context.newCDPSession(page);
    await cdp.send('HeapProfiler.collectGarbage');
    await cdp.send('HeapProfiler.collectGarbage');
    const usage = (await cdp.send('Runtime.getHeapUsage')) as { usedSize: number };
    await cdp.detach();
    return usage.usedSize;
  };

  beforeAll(async () => {
    const built = (() => {
      try {
        return readdirSync(`${CONSOLE_DIST}/assets`).some((f) => f.endsWith('.js') && readFileSync(`${CONSOLE_DIST}/assets/${f}`, 'utf8').includes('data-fitted'));
      } catch {
        return false;
      }
    })();
    if (!built) await buildConsole();
    database = await openTestDatabase('postgres');
    await startCentre();
    browser = await launchBrowser();

    for (let i = 0; i < WINDOWS; i += 1) {
      const department = DEPARTMENTS[i % DEPARTMENTS.length]!;
      const windowNo = String(i + 1);
      const staffNo = `S${1001 + i}`;
      await database.db.query('INSERT INTO windows (window_no, department_code, department_name, settings) VALUES ($1, $2, $3, $4)', [
        windowNo,
        department.code,
        department.name,
        JSON.stringify({ floor: department.floor }),
      ]);
      // Most staff have a photo; a few do not, and their tile shows the first character of the name.
      const photo = i % 7 === 6 ? null : await drawnPhoto((i * 37) % 360);
      await database.db.query('INSERT INTO staff (staff_no, name, photo, department_code, department_name) VALUES ($1, $2, $3, $4, $5)', [staffNo, NAMES[i], photo, department.code, department.name]);
      const code = (await (await v1('/v1/admin/enrolment-codes', ADMIN_TOKEN, { windowNo })).json()) as { code: string };
      const terminalId = `T-${windowNo.padStart(2, '0')}`;
      const publicKey = generateKeyPairSync('ed25519').publicKey.export({ format: 'der', type: 'spki' }).toString('base64');
      const enrolled = await fetch(`${url}/v1/enrol`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code: code.code, terminalId, publicKey }) });
      const { token } = (await enrolled.json()) as { token: string };
      windows.push({ windowNo, terminalId, token, staffNo, name: NAMES[i]!, seq: 0, served: 0, rated: 0, poor: 0, last: null });
    }
    admin = await consoleSessionAs(centre, 'admin');
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await centre?.close();
    await database?.close();
  });

  it('tells a wall opened with a wrong token so, in a sentence, and keeps no token in the address', async () => {
    const wrong = await browser.newContext({ viewport: { width: 1920, height: 1080 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
    const p = await wrong.newPage();
    await p.goto(`${url}/wall#token=wall_this-is-not-a-token-the-centre-made`);
    const stopped = p.locator('.wall.stopped');
    await stopped.waitFor();
    expect(await stopped.getAttribute('data-stopped')).toBe('invalid');
    expect(await stopped.textContent()).toContain('此大屏的令牌无效或不完整');
    expect(await stopped.textContent()).toContain('does not know this wall token');
    expect(p.url()).toBe(`${url}/wall`);
    await screenshot(p, 'wall-wrong-token');

    // Opened with no token at all on a PC that never had one: told how to set the wall up.
    await p.goto(`${url}/wall`);
    await p.locator('.wall.stopped[data-stopped="missing"]').waitFor();
    expect(await p.locator('.wall.stopped').textContent()).toContain('此大屏尚未登记');
    // In English when the address asks for it, and remembered on this PC.
    await p.goto(`${url}/wall#lang=en`);
    await p.locator('.wall.stopped[data-stopped="missing"]').waitFor();
    expect(await p.locator('.stopped-text').textContent()).toBe(
      "This display is not set up as a wall yet. Open the wall address the admin made on the console's Windows page (it ends in #token=) on this PC.",
    );
    await p.goto(`${url}/wall`);
    await p.locator('.wall.stopped').waitFor();
    expect(await p.locator('.stopped-text').textContent()).toMatch(/^This display is not set up/);
    await wrong.close();
  });

  it('shows every window by department and floor, with a state word, the staff and their photo', async () => {
    const made = await fetch(`${url}${CONSOLE_API}${HALL_ROUTES.wallTokens}`, { method: 'POST', headers: { ...admin.headers, 'content-type': 'application/json' }, body: JSON.stringify({ name: '一楼大厅' }) });
    expect(made.status).toBe(200);
    wallToken = (await made.json()) as NewWallToken;
    // Each window reports once; window 3 pauses and window 4 has not opened.
    for (const w of windows) await post(w, w.windowNo === '3' ? 'paused' : w.windowNo === '4' ? 'closed' : w.windowNo === '2' ? 'serving' : 'idle');

    context = await browser.newContext({ viewport: { width: 1920, height: 1080 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
    page = await context.newPage();
    page.on('pageerror', (e) => errors.push(e.message));
    expect(wallToken.address).toBe(`${url}/wall#token=${wallToken.token}`);
    await page.goto(wallToken.address);
    await page.locator('.wall[data-loaded="true"] .tile').first().waitFor();
    // The token left the address bar once it became the wall's cookie.
    expect(page.url()).toBe(`${url}/wall`);
    expect(await page.locator('.tile').count()).toBe(WINDOWS);
    expect(await page.locator('.department h2').allTextContents()).toEqual(['不动产登记中心', '公安局', '人力资源和社会保障局', '市场监督管理局']);
    expect(await page.locator('.tile[data-window="1"] .state').textContent()).toBe('空闲');
    expect(await page.locator('.tile[data-window="2"] .state').textContent()).toBe('办理中');
    expect(await page.locator('.tile[data-window="2"] .what').textContent()).toMatch(/^.+\d\d:\d\d$/);
    expect(await page.locator('.tile[data-window="3"] .state').textContent()).toMatch(/^暂停·(午休|临时会议)$/);
    expect(await page.locator('.tile[data-window="4"] .state').textContent()).toBe('未开');
    expect(await page.locator('.tile[data-window="1"] .name').textContent()).toBe('王芳');
    await page.waitForFunction(() => [...document.querySelectorAll<HTMLImageElement>('.tile img.photo')].every((img) => img.complete && img.naturalWidth > 0));
    expect(await page.locator('.tile img.photo').count()).toBe(windows.filter((_, i) => i % 7 !== 6).length - 1); // window 4 is closed: nobody signed in
    // The running case clock ticks on its own.
    const first = await page.locator('.tile[data-window="2"] .elapsed').textContent();
    await page.waitForFunction((before) => document.querySelector('.tile[data-window="2"] .elapsed')?.textContent !== before, first);
    expect(await page.locator('[data-testid=satisfaction] .value').textContent()).toBe('暂无评价');
    await screenshot(page, 'wall');
    // No page is wider or taller than the screen: the wall never scrolls.
    expect(await page.evaluate(() => [document.documentElement.scrollWidth - innerWidth, document.documentElement.scrollHeight - innerHeight])).toEqual([0, 0]);
    const big = await context.newPage();
    await big.setViewportSize({ width: 3840, height: 2160 });
    await big.goto(`${url}/wall`);
    await big.locator('.wall[data-loaded="true"] .tile').first().waitFor();
    await big.waitForFunction(() => [...document.querySelectorAll<HTMLImageElement>('.tile img.photo')].every((img) => img.complete && img.naturalWidth > 0));
    await screenshot(big, 'wall');
    // The 4K tile is twice the 1080p tile: the same layout, read from the same distance.
    const small = await page.locator('.tile').first().boundingBox();
    const large = await big.locator('.tile').first().boundingBox();
    expect(large!.width / small!.width).toBeCloseTo(2, 1);
    await big.close();
  }, 120_000);

  it('runs an hour of traffic without its heap growing, bounds its ticker, and shows a silent window 离线', async () => {
    let stop = false;
    const silent = windows.find((w) => w.windowNo === SILENT_WINDOW)!;
    let silentAfter = Date.now() + WARM_UP_MS;
    const running = windows.map((w) => traffic(w, () => stop || (w === silent && Date.now() > silentAfter)));
    let alertId = 1_000;
    const bursts = setInterval(() => {
      const w = windows[alertId % WINDOWS]!;
      centre.bus.publish({ type: 'rule_alert', alertId: alertId++, rule: 'poor_burst', departmentCode: null, windowNo: w.windowNo, followUpId: null, detail: '', raisedAt: Date.now() });
    }, 1_500);
    try {
      await sleep(WARM_UP_MS);
      const warm = await heapUsed();
      silentAfter = Date.now();
      const started = Date.now();
      // The silent window is marked stale by the centre after 45 s without news, and the wall says so.
      await page.waitForFunction((no) => document.querySelector(`.tile[data-window="${no}"]`)?.getAttribute('data-state') === 'offline', SILENT_WINDOW, { timeout: 120_000 });
      expect(await page.locator(`.tile[data-window="${SILENT_WINDOW}"] .state`).textContent()).toBe('离线');
      expect(await page.locator(`.tile[data-window="${SILENT_WINDOW}"] .what`).textContent()).toMatch(/^最后消息 \d\d:\d\d$/);
      await screenshot(page, 'wall-busy');
      await sleep(Math.max(0, SOAK_MS - WARM_UP_MS - (Date.now() - started)));
      stop = true;
      await Promise.all(running);
      const end = await heapUsed();
      const statuses = windows.reduce((n, w) => n + w.seq, 0);
      console.log(`wall soak: ${statuses} statuses, ${alertId - 1_000} alerts; heap after warm-up ${(warm / 1e6).toFixed(2)} MB, at the end ${(end / 1e6).toFixed(2)} MB`);
      expect(statuses).toBeGreaterThan(WINDOWS * (SOAK_MS / 200) * 0.5);
      expect(end).toBeLessThanOrEqual(warm * 1.2);
    } finally {
      clearInterval(bursts);
      stop = true;
    }
    // The ticker holds at most its bound, newest first.
    const ticker = page.locator('[data-testid=ticker] li');
    expect(await ticker.count()).toBeLessThanOrEqual(12);
    expect(await ticker.count()).toBeGreaterThan(0);
    expect(await ticker.first().textContent()).toMatch(/\d+ 号窗口 短时间内多次差评/);
    // Every window still reporting shows its last status; the day's figures add up.
    for (const w of windows.filter((x) => x !== silent)) {
      const expected = { idle: 'idle', thanks: 'idle', serving: 'serving', awaiting_rating: 'awaiting', paused: 'paused', closed: 'closed' }[w.last!.phase];
      await page.waitForFunction(([no, state]) => document.querySelector(`.tile[data-window="${no}"]`)?.getAttribute('data-state') === state, [w.windowNo, expected] as const);
    }
    const served = windows.reduce((n, w) => n + w.served, 0);
    expect(await page.locator('.wall-head .figures').textContent()).toContain(`办件 ${served.toLocaleString('zh-CN')}`);
    expect(errors).toEqual([]);
  }, SOAK_MS + 240_000);

  it('says since when its link is down while the centre restarts, then reconnects by itself', async () => {
    await centre.close();
    const banner = page.locator('[data-testid=down-banner]');
    await banner.waitFor({ timeout: 60_000 });
    expect(await banner.textContent()).toMatch(/^与中心的连接已中断（自 \d\d:\d\d:\d\d 起），下面显示的不是最新状态；正在自动重连…$/);
    await screenshot(page, 'wall-link-down');
    await startCentre();
    // A change made while the wall was away shows once it is back.
    const w = windows[0]!;
    await post(w, 'paused');
    await banner.waitFor({ state: 'detached', timeout: 90_000 });
    await page.waitForFunction((no) => document.querySelector(`.tile[data-window="${no}"]`)?.getAttribute('data-state') === 'paused', w.windowNo, { timeout: 30_000 });
    // And the stream carries news again.
    await post(w, 'serving');
    await page.waitForFunction((no) => document.querySelector(`.tile[data-window="${no}"]`)?.getAttribute('data-state') === 'serving', w.windowNo, { timeout: 30_000 });
  }, 180_000);

  it('stops and says so plainly when its token is revoked', async () => {
    const revoked = await fetch(`${url}${CONSOLE_API}${HALL_ROUTES.revokeWallToken.replace(':id', String(wallToken.id))}`, {
      method: 'POST',
      headers: { ...admin.headers, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(revoked.status).toBe(200);
    const stopped = page.locator('.wall.stopped[data-stopped="revoked"]');
    await stopped.waitFor({ timeout: 60_000 });
    expect(await stopped.textContent()).toContain('此大屏的令牌已被管理员吊销');
    expect(await stopped.textContent()).toContain('"一楼大厅" was revoked');
    await screenshot(page, 'wall-revoked');

    // The admin makes a new address and it is pasted into the same tab: the wall comes back.
    const made = await fetch(`${url}${CONSOLE_API}${HALL_ROUTES.wallTokens}`, { method: 'POST', headers: { ...admin.headers, 'content-type': 'application/json' }, body: JSON.stringify({ name: '一楼大厅（新）' }) });
    const fresh = (await made.json()) as NewWallToken;
    await page.goto(fresh.address);
    await page.locator('.wall[data-loaded="true"] .tile').first().waitFor();
    expect(page.url()).toBe(`${url}/wall`);
    expect(await page.locator('.tile').count()).toBe(WINDOWS);
  }, 90_000);
});
