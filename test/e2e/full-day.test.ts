/**
 * The full day at one window, in a real browser, with the keypad simulator on a real
 * pseudo-terminal: sign in, a case rated on the keypad, a poor rating with reasons and a
 * callback number, a rating window that passes unrated, pause and resume, sign out.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchBrowser, openScreens, type Screens } from './support/browser';
import { KEYPAD_SERIAL, startWindow, type WindowRig } from './support/window';

const PHONE = '13812345678';

let rig: WindowRig;
let browser: Browser;
let screens: Screens;

beforeAll(async () => {
  // A short rating window, so a case left unrated becomes a fact within the test.
  rig = await startWindow({ keypad: true, config: { rating: { windowSeconds: 5, thanksSeconds: 3, detailsSeconds: 120 } } });
  browser = await launchBrowser();
  screens = await openScreens(browser, rig.shell);
});

afterAll(async () => {
  await screens?.close();
  await browser?.close();
  await rig?.close();
});

async function openAndFinishCase(item: string, extra: { caseNo?: string; ticketNo?: string } = {}) {
  const { staff, citizen } = screens;
  await staff.getByTestId('item-search').fill(item);
  await staff.getByRole('radio', { name: new RegExp(item) }).check();
  if (extra.caseNo) await staff.getByTestId('case-no').fill(extra.caseNo);
  if (extra.ticketNo) await staff.getByTestId('ticket-no').fill(extra.ticketNo);
  await staff.getByTestId('open-case').click();
  await citizen.getByTestId('serving').filter({ hasText: item }).waitFor();
  await staff.getByTestId('finish-case').click();
  await citizen.getByTestId('rating-panel').waitFor();
}

describe('a day at window 1', () => {
  it('shows the keypad online and the window closed before anyone signs in', async () => {
    const { staff, citizen } = screens;
    await staff.locator('[data-testid="keypad-link"][data-link="online"]').waitFor();
    await expect(staff.getByTestId('keypad-link').textContent()).resolves.toContain(KEYPAD_SERIAL);
    await citizen.getByTestId('closed').waitFor();
    await expect(citizen.getByTestId('window-status').getAttribute('data-status')).resolves.toBe('closed');
  });

  it('signs in with a badge scan and shows the badge to the citizen', async () => {
    const { staff, citizen } = screens;
    // A USB badge reader types the badge id and Enter into the focused field.
    await expect(staff.getByTestId('badge-input').evaluate((el) => el === document.activeElement)).resolves.toBe(true);
    await staff.keyboard.type('BADGE-1001');
    await staff.keyboard.press('Enter');
    await citizen.getByTestId('staff-name').filter({ hasText: '王晓梅' }).waitFor();
    await expect(citizen.getByTestId('staff-no').textContent()).resolves.toBe('1001');
    await expect(citizen.getByTestId('window-no').textContent()).resolves.toBe('1');
    await expect(citizen.getByTestId('badge').textContent()).resolves.toContain('市场监督管理局');
    await citizen.getByTestId('window-status').filter({ hasText: '空闲' }).waitFor();
    await staff.getByTestId('signed-in-as').filter({ hasText: '王晓梅' }).waitFor();
  });

  it('opens and finishes a case; a key pressed on the keypad is thanked and recorded', async () => {
    const { staff, citizen } = screens;
    await openAndFinishCase('个体工商户设立登记', { caseNo: 'SJ-2026-0001', ticketNo: 'A017' });
    await citizen.getByTestId('phrase').filter({ hasText: '您的业务已办好，请对我们的服务进行评价。' }).waitFor();
    await expect(citizen.getByTestId('countdown').getAttribute('data-seconds')).resolves.toMatch(/^[1-5]$/);
    // The staff panel waits with the citizen, and offers nothing to rate with.
    await staff.getByTestId('awaiting-rating').waitFor();
    await expect(staff.locator('[data-testid^="rate-"]').count()).resolves.toBe(0);

    rig.keypad!.press(1);
    await citizen.getByTestId('thanks').waitFor();
    await citizen.getByTestId('phrase').filter({ hasText: '感谢您对我们工作的支持，欢迎您再来。' }).waitFor();

    const ratings = rig.query<{ level: string; channel: string; raw_key: number; device_serial: string; case_no: string; ticket_no: string; status: string }>(
      'SELECT r.level, r.channel, r.raw_key, r.device_serial, c.case_no, c.ticket_no, c.status FROM ratings r JOIN cases c ON c.id = r.case_id',
    );
    expect(ratings).toEqual([
      { level: 'very_satisfied', channel: 'keypad', raw_key: 1, device_serial: KEYPAD_SERIAL, case_no: 'SJ-2026-0001', ticket_no: 'A017', status: 'rated' },
    ]);
    await staff.getByTestId('today-rated').filter({ hasText: /^1$/ }).waitFor();
    await staff.getByTestId('today-satisfaction').filter({ hasText: '100.0%' }).waitFor();
  });

  it('takes a poor rating with reasons and a callback number that is shown masked only', async () => {
    const { staff, citizen } = screens;
    await openAndFinishCase('食品经营许可');
    rig.keypad!.press(4);
    await citizen.getByTestId('poor-details').waitFor();
    await citizen.getByTestId('reason-R02').click();
    await citizen.getByTestId('reason-R06').click();
    await expect(citizen.getByTestId('reason-R02').getAttribute('aria-pressed')).resolves.toBe('true');
    // The citizen taps the number on the on-screen digit pad.
    for (const digit of PHONE) await citizen.getByRole('button', { name: digit, exact: true }).click();
    await citizen.getByTestId('phone-masked').filter({ hasText: '138****5678' }).waitFor();
    expect(await citizen.locator('body').innerText()).not.toContain(PHONE);
    await expect(citizen.getByTestId('phone-input').count()).resolves.toBe(0);

    // A number without consent is not sent.
    await citizen.getByTestId('details-submit').click();
    await citizen.getByTestId('details-error').filter({ hasText: '勾选同意回访' }).waitFor();
    await citizen.getByTestId('consent').check();
    await citizen.getByTestId('details-submit').click();
    await citizen.getByTestId('thanks').waitFor();
    await citizen.getByTestId('phrase').filter({ hasText: '非常感谢您对我们工作提出宝贵意见，请您留下姓名和电话号码，我们会尽快处理并回复您。' }).waitFor();

    const [poor] = rig.query<{ level: string; reason_codes: string; callback_phone: string }>(
      "SELECT level, reason_codes, callback_phone FROM ratings WHERE level = 'dissatisfied'",
    );
    expect(poor).toEqual({ level: 'dissatisfied', reason_codes: '["R02","R06"]', callback_phone: PHONE });
    expect(await citizen.locator('body').innerText()).not.toContain(PHONE);
    await staff.getByTestId('today-poor').filter({ hasText: /^1$/ }).waitFor();
  });

  it('records a case as unrated when its rating window passes', async () => {
    const { staff, citizen } = screens;
    await openAndFinishCase('社会保障卡申领');
    // Nobody presses: after the 5 s window the citizen screen goes back to waiting.
    await citizen.getByTestId('idle').waitFor({ timeout: 15_000 });
    const cases = rig.query<{ item_name: string; status: string }>("SELECT item_name, status FROM cases WHERE item_name = '社会保障卡申领'");
    expect(cases).toEqual([{ item_name: '社会保障卡申领', status: 'unrated' }]);
    expect(rig.query("SELECT 1 FROM ratings r JOIN cases c ON c.id = r.case_id WHERE c.item_name = '社会保障卡申领'")).toEqual([]);
    await staff.getByTestId('today-unrated').filter({ hasText: /^1$/ }).waitFor();
    await staff.getByTestId('today-cases').filter({ hasText: /^3$/ }).waitFor();
  });

  it('pauses with a reason the citizen can read, and resumes', async () => {
    const { staff, citizen } = screens;
    await staff.getByTestId('pause-reason').fill('午间休息');
    await staff.getByTestId('pause').click();
    await citizen.getByTestId('window-status').filter({ hasText: '暂停服务' }).waitFor();
    await expect(citizen.getByTestId('pause-reason').textContent()).resolves.toContain('午间休息');
    // A press while paused is kept as misuse, never counted.
    rig.keypad!.press(1);
    await expect.poll(() => rig.query<{ cause: string }>('SELECT cause FROM misuse_presses').map((m) => m.cause), { timeout: 10_000 }).toEqual(['window_paused']);
    await staff.getByTestId('resume').click();
    await citizen.getByTestId('window-status').filter({ hasText: '空闲' }).waitFor();
    expect(rig.query<{ reason: string; ended: number }>('SELECT reason, ended_at IS NOT NULL AS ended FROM pauses')).toEqual([{ reason: '午间休息', ended: 1 }]);
  });

  it('signs out, and the citizen screen shows the window closed', async () => {
    const { staff, citizen } = screens;
    await staff.getByTestId('sign-out').click();
    await citizen.getByTestId('closed').waitFor();
    await expect(citizen.getByTestId('staff-name').count()).resolves.toBe(0);
    await staff.getByTestId('badge-input').waitFor();
    expect(rig.query<{ method: string; out: number }>('SELECT method, signed_out_at IS NOT NULL AS out FROM staff_sessions')).toEqual([{ method: 'badge', out: 1 }]);
    expect(screens.errors).toEqual([]);
  });
});
