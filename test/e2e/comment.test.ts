/**
 * A written comment after a poor rating, in a real browser on the kiosk's browser shell: the
 * citizen taps pinyin on the on-screen keyboard, picks characters from the candidates, adds
 * the digits of a phone number and sends; the kiosk stores the Chinese text with the number
 * masked. In English the 中/英 key gives plain letters, and the 200-character limit refuses
 * more with a sentence. Left alone near the close, what was typed is sent by itself.
 * Screenshots at 1920x1080 and 1280x800, in Chinese and English.
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
const CITIZEN_PARTS = ['badge', 'window-status', 'lang-toggle'];
/** The limit the screen states to the citizen. */
const COMMENT_MAX = 200;

let rig: WindowRig;
let browser: Browser;

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  // A long details window: each state stays on screen while it is checked and photographed.
  rig = await startWindow({ keypad: false, config: { rating: { windowSeconds: 120, detailsSeconds: 300, thanksSeconds: 2 } } });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await rig?.close();
});

async function shot(page: Page, name: string, viewport: Viewport, parts: string[]) {
  await page.screenshot({ path: join(SHOTS, `citizen-${name}-${viewport.width}x${viewport.height}.png`) });
  expect(await layoutProblems(page, { inside: [...CITIZEN_PARTS, ...parts], scroll: 'none' }), `${name} at ${viewport.width}x${viewport.height}`).toEqual([]);
}

async function signIn(s: Screens) {
  await s.staff.getByTestId('staff-no-input').fill('1001');
  await s.staff.getByTestId('pin-input').fill('246810');
  await s.staff.getByRole('button', { name: '工号签到' }).click();
  await s.citizen.getByTestId('idle').waitFor();
}

/** A consultation opened and finished at the staff panel; the citizen rates 非常不满意. */
async function ratePoorly(s: Screens) {
  await s.staff.getByTestId('item-search').fill('政策咨询');
  await s.staff.getByRole('radio', { name: /政策咨询/ }).check();
  await s.staff.getByTestId('open-case').click();
  await s.citizen.getByTestId('serving').waitFor();
  await s.staff.getByTestId('outcome-consultation').check();
  await s.staff.getByTestId('finish-case').click();
  await s.citizen.getByTestId('rate-very_dissatisfied').click();
  await s.citizen.getByTestId('poor-details').waitFor();
}

const key = (s: Screens, k: string) => s.citizen.locator(`[data-testid="comment-keyboard"] [data-skbtn="${k}"]`);
async function tap(s: Screens, keys: string[]) {
  for (const k of keys) await key(s, k).click();
}
const candidate = (s: Screens, text: string) => s.citizen.locator('.hg-candidate-box-list-item').filter({ hasText: new RegExp(`^${text}$`) });
const textBox = (s: Screens) => s.citizen.getByTestId('comment-text');

/** The comment the kiosk stored with the most recent details, read from its database file. */
function lastStoredComment(): string | null {
  const rows = rig.query<{ comment: string | null }>('SELECT comment FROM ratings WHERE details_at IS NOT NULL ORDER BY details_at DESC LIMIT 1');
  return rows[0]?.comment ?? null;
}
const detailsCount = () => rig.query<{ n: number }>('SELECT COUNT(*) AS n FROM ratings WHERE details_at IS NOT NULL')[0]?.n ?? 0;

async function chineseComment(s: Screens, viewport: Viewport) {
  await ratePoorly(s);
  await shot(s.citizen, 'poor-comment-offer', viewport, ['comment-open', 'details-submit']);
  await s.citizen.getByTestId('reason-R03').click();
  await s.citizen.getByTestId('comment-open').filter({ hasText: '写下意见' }).click();
  await s.citizen.getByTestId('comment-mode').filter({ hasText: '中文拼音输入' }).waitFor();

  // b-a-n offers 办 among its candidates; picking it replaces the letters.
  await tap(s, ['b', 'a']);
  await textBox(s).filter({ hasText: /^ba$/ }).waitFor();
  await tap(s, ['n']);
  await candidate(s, '办').click();
  await textBox(s).filter({ hasText: /^办$/ }).waitFor();
  await tap(s, ['s', 'h', 'i']);
  await candidate(s, '事').waitFor();
  await shot(s.citizen, 'comment-candidates', viewport, ['comment-keyboard', 'comment-text', 'comment-count']);
  await candidate(s, '事').click();
  await tap(s, ['m', 'a', 'n']);
  await candidate(s, '慢').click();
  await tap(s, ['，']);
  await textBox(s).filter({ hasText: /^办事慢，$/ }).waitFor();
  await s.citizen.getByTestId('comment-count').filter({ hasText: `4 / ${COMMENT_MAX} 字` }).waitFor();

  // A phone number in the text: on screen it is masked once complete, as the callback number is.
  await tap(s, ['1', '3', '8', '0', '0', '1', '3', '8', '0', '0', '0']);
  await textBox(s).filter({ hasText: /^办事慢，138\*\*\*\*8000$/ }).waitFor();
  await s.citizen.getByTestId('comment-count').filter({ hasText: `15 / ${COMMENT_MAX} 字` }).waitFor();
  await shot(s.citizen, 'comment-keyboard', viewport, ['comment-keyboard', 'comment-text', 'comment-count']);

  await tap(s, ['{done}']);
  await s.citizen.getByTestId('comment-preview').filter({ hasText: '办事慢，138****8000' }).waitFor();
  await expect(s.citizen.getByTestId('comment-open').textContent()).resolves.toBe('修改意见');
  await shot(s.citizen, 'comment-written', viewport, ['comment-preview', 'details-submit']);

  const before = detailsCount();
  await s.citizen.getByTestId('details-submit').click();
  await s.citizen.getByTestId('thanks').waitFor();
  await expect.poll(detailsCount).toBe(before + 1);
  expect(lastStoredComment()).toBe('办事慢，138****8000');
  const reasons = rig.query<{ reason_codes: string }>('SELECT reason_codes FROM ratings WHERE details_at IS NOT NULL ORDER BY details_at DESC LIMIT 1');
  expect(JSON.parse(reasons[0]?.reason_codes ?? '[]')).toEqual(['R03']);
}

async function englishComment(s: Screens, viewport: Viewport) {
  await s.citizen.getByTestId('idle').waitFor();
  await s.citizen.getByTestId('lang-toggle').click();
  await ratePoorly(s);
  await s.citizen.getByTestId('comment-open').filter({ hasText: 'Write a comment' }).click();
  await tap(s, ['{mode}']);
  await s.citizen.getByTestId('comment-mode').filter({ hasText: 'English letters' }).waitFor();
  // Letters stay letters: no candidates in English.
  await tap(s, ['s', 'l', 'o', 'w', '{space}']);
  await textBox(s).filter({ hasText: /^slow $/ }).waitFor();
  await expect(s.citizen.locator('.hg-candidate-box').count()).resolves.toBe(0);
  await shot(s.citizen, 'comment-keyboard-en', viewport, ['comment-keyboard', 'comment-text', 'comment-count']);

  // Past the limit the keyboard adds nothing more, and says so.
  const room = COMMENT_MAX - 'slow '.length;
  // Taps on the key, each after the screen has drawn the last (a Playwright click each would take minutes).
  await key(s, 'x').evaluate(async (button, times) => {
    for (let i = 0; i < times; i += 1) {
      button.dispatchEvent(new PointerEvent('pointerdown', { bubbles: true }));
      button.dispatchEvent(new PointerEvent('pointerup', { bubbles: true }));
      await new Promise((resolve) => requestAnimationFrame(resolve));
    }
  }, room + 3);
  await s.citizen.getByTestId('comment-limit').filter({ hasText: `at most ${COMMENT_MAX} characters` }).waitFor();
  await s.citizen.getByTestId('comment-count').filter({ hasText: `${COMMENT_MAX} / ${COMMENT_MAX} characters` }).waitFor();
  await shot(s.citizen, 'comment-limit-en', viewport, ['comment-keyboard', 'comment-text', 'comment-limit']);
  // Deleting one makes room again, and the refusal goes.
  await tap(s, ['{bksp}', 'y']);
  await expect(s.citizen.getByTestId('comment-limit').count()).resolves.toBe(0);
  await tap(s, ['{done}']);

  const before = detailsCount();
  await s.citizen.getByTestId('details-submit').click();
  await s.citizen.getByTestId('thanks').waitFor();
  await expect.poll(detailsCount).toBe(before + 1);
  expect(lastStoredComment()).toBe(`slow ${'x'.repeat(room - 1)}y`);
}

describe('a written comment on the on-screen keyboard', () => {
  for (const viewport of VIEWPORTS) {
    it(`is typed in pinyin and English and stored masked at ${viewport.width}x${viewport.height}`, async () => {
      const s = await openScreens(browser, rig.shell, viewport);
      try {
        await signIn(s);
        await chineseComment(s, viewport);
        await englishComment(s, viewport);
        await s.citizen.getByTestId('idle').waitFor();
        await s.staff.getByTestId('sign-out').click();
        await s.citizen.getByTestId('closed').waitFor();
        expect(s.errors).toEqual([]);
      } finally {
        await s.close();
      }
    }, 180_000);
  }

  it('goes with the reasons when the next case opens while the citizen is still typing', async () => {
    const viewport = VIEWPORTS[1];
    const s = await openScreens(browser, rig.shell, viewport);
    try {
      await signIn(s);
      await ratePoorly(s);
      await s.citizen.getByTestId('reason-R02').click();
      await s.citizen.getByTestId('comment-open').click();
      await tap(s, ['h', 'a', 'o']);
      await candidate(s, '好').click();
      await tap(s, ['m', 'a', 'n']);
      await candidate(s, '慢').click();
      await textBox(s).filter({ hasText: /^好慢$/ }).waitFor();
      const before = detailsCount();
      // The staff member calls the next citizen long before the details would close.
      await s.staff.getByTestId('item-search').fill('居住证办理');
      await s.staff.getByRole('radio', { name: /居住证办理/ }).check();
      await s.staff.getByTestId('open-case').click();
      await s.citizen.getByTestId('serving').filter({ hasText: '居住证办理' }).waitFor();
      await expect.poll(detailsCount).toBe(before + 1);
      expect(lastStoredComment()).toBe('好慢');
      const reasons = rig.query<{ reason_codes: string }>('SELECT reason_codes FROM ratings WHERE details_at IS NOT NULL ORDER BY details_at DESC LIMIT 1');
      expect(JSON.parse(reasons[0]?.reason_codes ?? '[]')).toEqual(['R02']);
      expect(s.errors).toEqual([]);
    } finally {
      await s.close();
    }
  }, 120_000);
});

describe('a comment still being typed near the close of the details', () => {
  let shortRig: WindowRig;
  beforeAll(async () => {
    // A short details window: the close comes while the citizen is still at the keyboard.
    shortRig = await startWindow({ keypad: false, config: { rating: { windowSeconds: 120, detailsSeconds: 30, thanksSeconds: 2 } } });
  });
  afterAll(async () => {
    await shortRig?.close();
  });

  it('is sent by itself instead of being thrown away', async () => {
    const viewport = VIEWPORTS[1];
    const s = await openScreens(browser, shortRig.shell, viewport);
    try {
      await signIn(s);
      await ratePoorly(s);
      await s.citizen.getByTestId('comment-open').click();
      await tap(s, ['n', 'i']);
      await candidate(s, '你').click();
      await tap(s, ['h', 'a', 'o']);
      await candidate(s, '好').click();
      await textBox(s).filter({ hasText: /^你好$/ }).waitFor();
      // No 完成, no 提交: the screen says it will send, then does.
      await s.citizen.getByTestId('details-autosend').filter({ hasText: '秒后将自动提交您已填写的内容' }).waitFor({ timeout: 30_000 });
      await shot(s.citizen, 'comment-autosend', viewport, ['comment-keyboard', 'details-autosend']);
      await s.citizen.getByTestId('thanks').waitFor({ timeout: 30_000 });
      const stored = shortRig.query<{ comment: string | null }>('SELECT comment FROM ratings WHERE details_at IS NOT NULL');
      expect(stored).toEqual([{ comment: '你好' }]);
      await s.citizen.getByTestId('idle').waitFor();
      await s.staff.getByTestId('sign-out').click();
      await s.citizen.getByTestId('closed').waitFor();
      expect(s.errors).toEqual([]);
    } finally {
      await s.close();
    }
  }, 120_000);
});

describe('a citizen still typing when the details would close', () => {
  let tightRig: WindowRig;
  beforeAll(async () => {
    // The shortest details window IT can set: without typing, it never shows more than 10 s left.
    tightRig = await startWindow({ keypad: false, config: { rating: { windowSeconds: 120, detailsSeconds: 10, thanksSeconds: 2 } } });
  });
  afterAll(async () => {
    await tightRig?.close();
  });

  it('gets more time with each keystroke, and the comment is kept', async () => {
    const viewport = VIEWPORTS[0];
    const s = await openScreens(browser, tightRig.shell, viewport);
    try {
      await signIn(s);
      await ratePoorly(s);
      await s.citizen.getByTestId('comment-open').click();
      await tap(s, ['n', 'i']);
      await candidate(s, '你').click();
      // Typing moved the close 30 s past the keystroke: more time left than the window ever had.
      const left = s.citizen.locator('.details-left');
      await left.filter({ hasText: /剩余 (1[1-9]|2\d|30) 秒/ }).waitFor({ timeout: 15_000 });
      await tap(s, ['h', 'a', 'o']);
      await candidate(s, '好').click();
      await textBox(s).filter({ hasText: /^你好$/ }).waitFor();
      await s.citizen.getByTestId('thanks').waitFor({ timeout: 60_000 });
      const stored = tightRig.query<{ comment: string | null }>('SELECT comment FROM ratings WHERE details_at IS NOT NULL');
      expect(stored).toEqual([{ comment: '你好' }]);
      expect(s.errors).toEqual([]);
    } finally {
      await s.close();
    }
  }, 120_000);
});
