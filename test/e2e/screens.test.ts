/**
 * Every state of the citizen screen and the staff panel, at 1920x1080 and 1280x800:
 * screenshots written to test-artifacts/screens/, and layout checks a person would notice
 * (no scrollbars, badge and rating buttons wholly on screen, no text spilling out).
 * Ratings here are given by touch, the citizen screen's own channel.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, openScreens, VIEWPORTS, type Screens, type Viewport } from './support/browser';
import { layoutProblems } from './support/layout';
import { ROOT } from './support/renderer';
import { startWindow, type WindowRig } from './support/window';

const SHOTS = join(ROOT, 'test-artifacts', 'screens');
const LEVEL_WORDS = /非常满意|基本满意|不满意|Very satisfied|Dissatisfied/;
const CITIZEN_PARTS = ['badge', 'window-status', 'lang-toggle'];
const STAFF_PARTS = ['staff-phase', 'toggle-admin'];

let rig: WindowRig;
let browser: Browser;

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  // Long windows: each state stays on screen while it is photographed.
  rig = await startWindow({ keypad: false, config: { rating: { windowSeconds: 120, detailsSeconds: 300, thanksSeconds: 60 }, window: { windowNo: '12', departmentName: '综合受理' } } });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await rig?.close();
});

async function shoot(page: Page, name: string, viewport: Viewport, inside: string[], scroll: 'none' | 'vertical') {
  await page.screenshot({ path: join(SHOTS, `${name}-${viewport.width}x${viewport.height}.png`) });
  expect(await layoutProblems(page, { inside, scroll }), `${name} at ${viewport.width}x${viewport.height}`).toEqual([]);
}

const citizenShot = (s: Screens, name: string, v: Viewport, parts: string[] = []) => shoot(s.citizen, `citizen-${name}`, v, [...CITIZEN_PARTS, ...parts], 'none');
async function staffShot(s: Screens, name: string, v: Viewport) {
  await shoot(s.staff, `staff-${name}`, v, STAFF_PARTS, 'vertical');
  // Whatever the state, the staff panel offers nothing that rates.
  await expect(s.staff.locator('[data-testid^="rate-"]').count()).resolves.toBe(0);
  await expect(s.staff.getByRole('button', { name: LEVEL_WORDS }).count()).resolves.toBe(0);
}

async function openCase(s: Screens, item: string, ticketNo?: string) {
  await s.staff.getByTestId('item-search').fill(item);
  await s.staff.getByRole('radio', { name: new RegExp(item) }).check();
  if (ticketNo) await s.staff.getByTestId('ticket-no').fill(ticketNo);
  await s.staff.getByTestId('open-case').click();
  await s.citizen.getByTestId('serving').filter({ hasText: item }).waitFor();
}

async function walkThroughStates(viewport: Viewport) {
  const s = await openScreens(browser, rig.shell, viewport);
  try {
    await s.citizen.getByTestId('closed').waitFor();
    await citizenShot(s, 'closed', viewport);
    await staffShot(s, 'sign-in', viewport);

    // 工号 + PIN this time; the badge scan is in the full-day test.
    await s.staff.getByTestId('staff-no-input').fill('1001');
    await s.staff.getByTestId('pin-input').fill('246810');
    await s.staff.getByRole('button', { name: '工号签到' }).click();
    await s.citizen.getByTestId('idle').waitFor();
    await citizenShot(s, 'idle', viewport, ['staff-name', 'month-satisfaction']);
    await staffShot(s, 'idle', viewport);

    await openCase(s, '居住证办理', 'B108');
    await citizenShot(s, 'serving', viewport, ['staff-name']);
    await staffShot(s, 'serving', viewport);

    // 一次告知 needs the list of missing materials.
    await s.staff.getByTestId('outcome-notified_missing').check();
    await s.staff.getByTestId('finish-case').click();
    await s.staff.getByTestId('finish-case-error').filter({ hasText: '一次告知需要填写缺少的材料' }).waitFor();
    await s.staff.getByTestId('missing-materials').fill('户口簿复印件\n近期免冠照片');
    await s.staff.getByTestId('finish-case').click();
    await s.citizen.getByTestId('rating-panel').waitFor();
    const levels = ['rate-very_satisfied', 'rate-satisfied', 'rate-basically_satisfied', 'rate-dissatisfied', 'rate-very_dissatisfied'];
    await citizenShot(s, 'rating', viewport, ['staff-name', 'countdown', ...levels]);
    await staffShot(s, 'awaiting-rating', viewport);

    await s.citizen.getByTestId('lang-toggle').click();
    await s.citizen.getByText('Please rate this service').waitFor();
    await expect(s.citizen.evaluate(() => document.documentElement.lang)).resolves.toBe('en');
    await citizenShot(s, 'rating-en', viewport, ['staff-name', 'countdown', ...levels]);
    await s.citizen.getByTestId('lang-toggle').click();
    await s.citizen.getByText('请对本次服务进行评价').waitFor();

    await s.citizen.getByTestId('rate-very_dissatisfied').click();
    await s.citizen.getByTestId('poor-details').waitFor();
    await citizenShot(s, 'poor-reasons', viewport, ['details-submit', 'details-skip', 'reason-R01', 'reason-R99']);
    await s.citizen.getByTestId('reason-R03').click();
    await s.citizen.getByTestId('phone-input').fill('13912345678');
    await s.citizen.getByTestId('phone-masked').filter({ hasText: '139****5678' }).waitFor();
    await s.citizen.getByTestId('consent').check();
    await citizenShot(s, 'poor-phone-masked', viewport, ['details-submit', 'phone-masked', 'consent']);
    await s.citizen.getByTestId('details-submit').click();
    await s.citizen.getByTestId('thanks').waitFor();
    await citizenShot(s, 'thanks-after-poor', viewport, ['staff-name']);

    await openCase(s, '政策咨询');
    await s.staff.getByTestId('outcome-consultation').check();
    await s.staff.getByTestId('finish-case').click();
    await s.citizen.getByTestId('rate-satisfied').click();
    await s.citizen.getByTestId('thanks').waitFor();
    await citizenShot(s, 'thanks', viewport, ['staff-name']);
    await staffShot(s, 'rated', viewport);

    await s.staff.getByTestId('pause-reason').fill('系统故障');
    await s.staff.getByTestId('pause').click();
    await s.citizen.getByTestId('paused').waitFor();
    await citizenShot(s, 'paused', viewport, ['staff-name', 'pause-reason']);
    // Staff who paused see 恢复服务 without looking for it, however far the panel had scrolled.
    await s.staff.waitForFunction(() => document.activeElement?.getAttribute('data-testid') === 'resume', undefined, { timeout: 10_000 });
    await staffShot(s, 'paused', viewport);
    expect(await layoutProblems(s.staff, { inside: ['resume'], scroll: 'vertical' })).toEqual([]);
    await s.staff.getByTestId('resume').click();
    await s.citizen.getByTestId('idle').waitFor();

    await s.staff.getByTestId('toggle-admin').click();
    await s.staff.getByTestId('set-pin').or(s.staff.getByTestId('admin-login')).waitFor();
    await staffShot(s, 'admin-gate', viewport);
    await s.staff.getByTestId('toggle-admin').click();
    await s.staff.getByTestId('sign-out').click();
    await s.citizen.getByTestId('closed').waitFor();
    expect(s.errors).toEqual([]);
  } finally {
    await s.close();
  }
}

describe('screens', () => {
  for (const viewport of VIEWPORTS) {
    it(`every state at ${viewport.width}x${viewport.height}`, () => walkThroughStates(viewport), 120_000);
  }

  it('records touch ratings on their own channel, with reasons and the consented callback', () => {
    const rows = rig.query<{ level: string; channel: string; reason_codes: string | null; callback_phone: string | null }>(
      'SELECT level, channel, reason_codes, callback_phone FROM ratings ORDER BY rated_at',
    );
    expect(rows).toHaveLength(VIEWPORTS.length * 2);
    expect(rows.every((r) => r.channel === 'touch')).toBe(true);
    expect(rows.filter((r) => r.level === 'very_dissatisfied').map((r) => [r.reason_codes, r.callback_phone])).toEqual(
      VIEWPORTS.map(() => ['["R03"]', '13912345678']),
    );
    const missing = rig.query<{ missing_materials: string }>("SELECT missing_materials FROM cases WHERE outcome = 'notified_missing'");
    expect(missing.map((m) => JSON.parse(m.missing_materials) as string[])).toEqual(VIEWPORTS.map(() => ['户口簿复印件', '近期免冠照片']));
  });

  it('gives a passer-by no way off the citizen screen', async () => {
    const s = await openScreens(browser, rig.shell, VIEWPORTS[1]);
    try {
      await s.citizen.getByTestId('closed').waitFor();
      const page = await s.citizen.evaluate(() => {
        const menu = new MouseEvent('contextmenu', { bubbles: true, cancelable: true });
        document.body.dispatchEvent(menu);
        const back = new KeyboardEvent('keydown', { key: 'ArrowLeft', altKey: true, bubbles: true, cancelable: true });
        document.body.dispatchEvent(back);
        return {
          links: document.querySelectorAll('a, area, iframe, form[action]').length,
          menuBlocked: menu.defaultPrevented,
          backBlocked: back.defaultPrevented,
          selectable: getComputedStyle(document.body).userSelect,
          lang: document.documentElement.lang,
          csp: document.querySelector('meta[http-equiv="Content-Security-Policy"]')?.getAttribute('content') ?? '',
        };
      });
      expect(page).toMatchObject({ links: 0, menuBlocked: true, backBlocked: true, selectable: 'none', lang: 'zh-CN' });
      expect(page.csp).toContain("default-src 'self'");
      expect(page.csp).toContain("connect-src 'self';");
      expect(page.csp).not.toMatch(/https?:/);
    } finally {
      await s.close();
    }
  });

  it('lets a screen open a WebSocket to its own shell only, not to another local port', async () => {
    const s = await openScreens(browser, rig.shell, VIEWPORTS[1]);
    try {
      await s.citizen.getByTestId('closed').waitFor();
      // Whichever comes first: the policy blocking the socket, or the socket failing on its own (nothing listens on port 9).
      const outcome = await s.citizen.evaluate(
        () =>
          new Promise<string>((resolve) => {
            document.addEventListener('securitypolicyviolation', (e) => resolve(`blocked by ${e.effectiveDirective}`), { once: true });
            const ws = new WebSocket('ws://127.0.0.1:9/api');
            ws.addEventListener('close', () => resolve('not blocked: the socket was tried'));
          }),
      );
      expect(outcome).toBe('blocked by connect-src');
      // The screen's own connection is untouched.
      await expect(s.citizen.getByTestId('connection-banner').count()).resolves.toBe(0);
    } finally {
      await s.close();
    }
  });

  it('says so at once when the connection to Cordial is lost', async () => {
    const s = await openScreens(browser, rig.shell, VIEWPORTS[1]);
    try {
      await s.citizen.getByTestId('closed').waitFor();
      await expect(s.citizen.getByTestId('connection-banner').count()).resolves.toBe(0);
      await rig.stopShell();
      await s.citizen.getByTestId('connection-banner').filter({ hasText: '连接已断开' }).waitFor();
      await s.staff.getByTestId('connection-banner').waitFor();
      await s.citizen.screenshot({ path: join(SHOTS, 'citizen-disconnected-1280x800.png') });
      // The banner pushes the screen down rather than covering the status.
      expect(await layoutProblems(s.citizen, { inside: ['connection-banner', 'window-status', 'badge'], scroll: 'none' })).toEqual([]);
      const [banner, status] = await Promise.all([s.citizen.getByTestId('connection-banner').boundingBox(), s.citizen.getByTestId('window-status').boundingBox()]);
      expect(banner!.y + banner!.height).toBeLessThanOrEqual(status!.y);
    } finally {
      await s.close();
    }
  });
});
