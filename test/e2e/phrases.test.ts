/**
 * Annex A at the window, in a real browser with the keypad simulator on a real pseudo-terminal:
 * a phrase the keypad cannot speak, touched on the staff panel, appears on the citizen screen
 * (and the keypad is sent nothing); A.1.1.3 takes the open case's item; finishing a case as
 * 一次告知 shows the incomplete-materials notice with its missing materials by itself; the
 * phrase card's help lists the phrases never to use. Screenshots at 1920x1080 and 1280x800.
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

let rig: WindowRig;
let browser: Browser;

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  // A long rating window, so the 一次告知 notice stays on screen while it is checked.
  rig = await startWindow({ keypad: true, config: { rating: { windowSeconds: 120, thanksSeconds: 2 } } });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await rig?.close();
});

async function shot(page: Page, name: string, viewport: Viewport, inside: string[], scroll: 'none' | 'vertical') {
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: join(SHOTS, `${name}-${viewport.width}x${viewport.height}.png`) });
  expect(await layoutProblems(page, { inside, scroll }), `${name} at ${viewport.width}x${viewport.height}`).toEqual([]);
}

const prompts = () => [...(rig.keypad?.display.prompts ?? [])];
const shown = (s: Screens, text: string) => s.citizen.getByTestId('phrase').filter({ hasText: text }).waitFor();

async function walk(viewport: Viewport) {
  const s = await openScreens(browser, rig.shell, viewport);
  try {
    await s.staff.locator('[data-testid="keypad-link"][data-link="online"]').waitFor();
    await s.staff.getByTestId('staff-no-input').fill('1001');
    await s.staff.getByTestId('pin-input').fill('246810');
    await s.staff.getByRole('button', { name: '工号签到' }).click();
    await s.citizen.getByTestId('idle').waitFor();

    // Without a case, A.1.1.3 has no documents to name: it is not offered.
    await s.staff.getByTestId('phrase-show_materials-unavailable').waitFor();
    await expect(s.staff.getByTestId('phrase-show_materials').count()).resolves.toBe(0);

    // A.1.1.9, first sentence: the keypad has no prompt for it, so the citizen screen shows it.
    const before = prompts();
    await s.staff.getByTestId('phrase-phone_call').click();
    await shown(s, '对不起，我接一下电话，请稍候。');
    await expect(s.citizen.getByTestId('phrase').getAttribute('data-phrase')).resolves.toBe('phone_call');
    // Its second sentence is a keypad prompt (5): spoken, and the only prompt since the phone call.
    await s.staff.getByTestId('phrase-sorry_for_wait').click();
    await shown(s, '对不起，让您久等了。');
    await expect.poll(prompts).toEqual([...before, 5]);

    await s.staff.getByTestId('phrase-you_are_welcome').click();
    await shown(s, '没关系，这是我们应该做的。');
    await shot(s.citizen, 'citizen-phrase-shown', viewport, ['phrase', 'badge'], 'none');

    // A case: A.1.1.3 names its item's documents.
    await s.staff.getByTestId('item-search').fill('居住证办理');
    await s.staff.getByRole('radio', { name: /居住证办理/ }).check();
    await s.staff.getByTestId('open-case').click();
    await s.citizen.getByTestId('serving').filter({ hasText: '居住证办理' }).waitFor();
    await s.staff.getByTestId('phrase-show_materials').filter({ hasText: '请您出示居住证办理资料（证件）。' }).click();
    await shown(s, '请您出示居住证办理资料（证件）。');

    // A.2, in the card's help.
    await s.staff.getByTestId('phrase-help').locator('summary').click();
    await s.staff.getByTestId('banned-phrases').getByText('这事不归我管，找别人去。').waitFor();
    await shot(s.staff, 'staff-phrases', viewport, ['staff-phase'], 'vertical');

    // 一次告知: the notice shows by itself, filled with the item and the missing materials.
    await s.staff.getByTestId('outcome-notified_missing').check();
    await s.staff.getByTestId('missing-materials').fill('户口簿复印件\n近期免冠照片');
    await s.staff.getByTestId('finish-case').click();
    await s.citizen.getByTestId('rating-panel').waitFor();
    await shown(s, '对不起，根据居住证办理规定，这项业务需要提供户口簿复印件、近期免冠照片资料，请您准备齐全再来。');
    await expect(s.citizen.getByTestId('phrase').getAttribute('data-phrase')).resolves.toBe('materials_incomplete');
    await shot(s.citizen, 'citizen-materials-incomplete', viewport, ['phrase', 'badge', 'rate-satisfied', 'rate-very_dissatisfied'], 'none');

    await s.citizen.getByTestId('rate-satisfied').click();
    await shown(s, '感谢您对我们工作的支持，欢迎您再来。');
    await s.citizen.getByTestId('idle').waitFor();
    await s.staff.getByTestId('sign-out').click();
    await s.citizen.getByTestId('closed').waitFor();
    expect(s.errors).toEqual([]);
  } finally {
    await s.close();
  }
}

describe('annex A phrases at the window', () => {
  for (const viewport of VIEWPORTS) {
    it(`touching a phrase shows it to the citizen; 一次告知 shows the missing materials (${viewport.width}x${viewport.height})`, () => walk(viewport), 120_000);
  }
});
