/**
 * Admin settings in a real browser: the PIN gate (the first PIN needs the setup code shown
 * on this PC), settings checked before anything is written (a port that does not exist, a
 * wrong PIN, a malformed centre address change nothing), good settings applied, live keypad
 * presses, CSV export, diagnostics, and a PIN change that ends the session.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchBrowser, openPage, VIEWPORTS } from './support/browser';
import { ROOT } from './support/renderer';
import { startWindow, type WindowRig } from './support/window';

const ADMIN_PIN = '20260301';
const SHOTS = join(ROOT, 'test-artifacts', 'screens');
const shot = (name: string) => staff.screenshot({ path: join(SHOTS, `staff-admin-${name}-1280x800.png`), fullPage: true });

let rig: WindowRig;
let browser: Browser;
let context: BrowserContext;
let staff: Page;
const errors: string[] = [];

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  rig = await startWindow({ keypad: true });
  browser = await launchBrowser();
  ({ context, page: staff } = await openPage(browser, rig.shell.staffUrl, VIEWPORTS[1], errors));
});

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await rig?.close();
});

/** The settings as stored, so a refused change can be shown to have changed nothing. */
const stored = () => rig.readConfig();
const storedSettings = () => JSON.parse(stored()) as { rating: { windowSeconds: number }; centre: { url: string | null }; keypad: { path: string }; adminPinHash: string | null };

describe('admin settings', () => {
  it('asks for the setup code shown on this PC and a new admin PIN on first run, refusing a wrong code and two different PINs', async () => {
    await staff.getByTestId('toggle-admin').click();
    await staff.getByText('首次使用').waitFor();
    await staff.getByTestId('setup-hint').filter({ hasText: 'set-admin-pin' }).waitFor();
    const before = stored();
    const code = rig.shell.runtime.adminSetupCode!;
    await staff.getByTestId('setup-code').fill(code === '12345678' ? '87654321' : '12345678');
    await staff.getByTestId('new-pin').fill(ADMIN_PIN);
    await staff.getByTestId('confirm-pin').fill(ADMIN_PIN);
    await staff.getByTestId('set-pin').click();
    await staff.getByTestId('set-pin-error').filter({ hasText: '设置码错误：请输入 Cordial 启动时在本机显示的设置码。' }).waitFor();
    expect(stored()).toBe(before);

    await staff.getByTestId('setup-code').fill(code);
    await staff.getByTestId('new-pin').fill(ADMIN_PIN);
    await staff.getByTestId('confirm-pin').fill('20260302');
    await staff.getByTestId('set-pin').click();
    await staff.getByTestId('set-pin-error').filter({ hasText: '两次输入的 PIN 不一致' }).waitFor();
    expect(stored()).toBe(before);

    await staff.getByTestId('new-pin').fill(ADMIN_PIN);
    await staff.getByTestId('confirm-pin').fill(ADMIN_PIN);
    await staff.getByTestId('set-pin').click();
    await staff.getByTestId('tab-identity').waitFor();
    expect(storedSettings().adminPinHash).toMatch(/\S/);
  });

  it('refuses a wrong PIN with a sentence, and opens nothing', async () => {
    await staff.getByTestId('admin-lock').click();
    await staff.getByTestId('admin-pin').fill('11112222');
    await staff.getByTestId('admin-login').click();
    await staff.getByTestId('admin-login-error').filter({ hasText: '管理员密码错误。' }).waitFor();
    await expect(staff.getByTestId('tab-identity').count()).resolves.toBe(0);
    // The refusal shown follows the panel's language, both ways.
    await staff.getByTestId('staff-lang').click();
    await staff.getByTestId('admin-login-error').filter({ hasText: 'Wrong admin PIN.' }).waitFor();
    await staff.getByTestId('staff-lang').click();
    await staff.getByTestId('admin-login-error').filter({ hasText: '管理员密码错误。' }).waitFor();
    await staff.getByTestId('admin-pin').fill(ADMIN_PIN);
    await staff.getByTestId('admin-login').click();
    await staff.getByTestId('tab-identity').waitFor();
  });

  it('refuses a keypad port that does not exist, and changes nothing', async () => {
    const before = stored();
    await staff.getByTestId('tab-keypad').click();
    await staff.getByTestId('keypad-port').selectOption({ label: '手动输入…' });
    await staff.getByTestId('keypad-path').fill('/dev/ttyCORDIAL-NOT-HERE');
    await staff.getByTestId('keypad-save').click();
    await staff.getByTestId('keypad-error').filter({ hasText: '串口 /dev/ttyCORDIAL-NOT-HERE 不存在：请插上评价器，或从列表中选择端口。' }).waitFor();
    expect(stored()).toBe(before);
    await shot('keypad-refused');
    // The keypad in use is untouched.
    await staff.getByTestId('tab-test').click();
    await staff.locator('[data-testid="test-link"][data-link="online"]').waitFor();
  });

  it('refuses a malformed centre address and a bad closing time, and changes nothing', async () => {
    const before = stored();
    await staff.getByTestId('tab-general').click();
    await staff.getByTestId('centre-url').fill('zwfw.example.gov.cn/api');
    await staff.getByTestId('general-save').click();
    await staff.getByTestId('general-error').filter({ hasText: '中心服务器地址须为以 http:// 或 https:// 开头的完整网址' }).waitFor();
    expect(stored()).toBe(before);
    await shot('centre-refused');

    await staff.getByTestId('centre-url').fill('');
    await staff.getByTestId('closing-time').fill('25:00');
    await staff.getByTestId('general-save').click();
    await staff.getByTestId('general-error').filter({ hasText: '下班时间须写成 时:分' }).waitFor();
    expect(stored()).toBe(before);
  });

  it('saves good settings and applies them: the keypad comes back online', async () => {
    await staff.getByTestId('tab-general').click();
    await staff.getByTestId('closing-time').fill('17:30');
    await staff.getByTestId('rating-window').fill('20');
    await staff.getByTestId('centre-url').fill('http://127.0.0.1:9/centre');
    await staff.getByTestId('general-save').click();
    await staff.getByTestId('general-saved').waitFor();
    expect(storedSettings().rating.windowSeconds).toBe(20);
    expect(storedSettings().centre.url).toBe('http://127.0.0.1:9/centre');
    expect(storedSettings().keypad.path).toBe(rig.hostPort);
    await staff.getByTestId('tab-test').click();
    await staff.locator('[data-testid="test-link"][data-link="online"]').waitFor();
  });

  it('shows live presses in the keypad test view', async () => {
    await staff.getByTestId('tab-test').click();
    await staff.getByTestId('press-log').filter({ hasText: '尚未收到按键' }).waitFor();
    rig.keypad!.press(3);
    await staff.getByTestId('press').filter({ hasText: '误按' }).filter({ hasText: '无人签到' }).waitFor();
    await expect(staff.getByTestId('press').count()).resolves.toBe(1);
    await shot('test-keypad');
  });

  it('exports the cases as a CSV download with the record fields', async () => {
    await staff.getByTestId('tab-export').click();
    const [download] = await Promise.all([staff.waitForEvent('download'), staff.getByTestId('export').click()]);
    expect(download.suggestedFilename()).toMatch(/^cordial-cases-.*\.csv$/);
    const csv = readFileSync((await download.path())!, 'utf8').replace(/^\ufeff/, '');
    const header = csv.split(/\r?\n/)[0]!.split(',');
    expect(header).toEqual(expect.arrayContaining(['case_no', 'item_code', 'staff_no', 'window_no', 'ticket_no', 'level', 'reason_codes', 'rated_at', 'device_serial', 'misuse', 'status']));
    await staff.getByTestId('export-done').filter({ hasText: '已导出' }).waitFor();
  });

  it('shows diagnostics: versions, data folder, database size', async () => {
    await staff.getByTestId('tab-diagnostics').click();
    const text = staff.getByTestId('diagnostics');
    await text.filter({ hasText: rig.dataDir }).waitFor();
    await text.filter({ hasText: 'Node' }).waitFor();
    await text.filter({ hasText: /KB|MB/ }).waitFor();
    await shot('diagnostics');
  });

  it('refuses to change the admin PIN without the current one', async () => {
    const before = stored();
    await staff.getByTestId('tab-pin').click();
    await staff.getByTestId('current-pin').fill('99999999');
    await staff.getByTestId('new-pin').fill('24681357');
    await staff.getByTestId('confirm-pin').fill('24681357');
    await staff.getByTestId('set-pin').click();
    await staff.getByTestId('set-pin-error').filter({ hasText: '当前管理员密码错误。' }).waitFor();
    expect(stored()).toBe(before);
  });

  it('changes the PIN with the current one, and then asks for the new PIN', async () => {
    await staff.getByTestId('current-pin').fill(ADMIN_PIN);
    await staff.getByTestId('new-pin').fill('24681357');
    await staff.getByTestId('confirm-pin').fill('24681357');
    await staff.getByTestId('set-pin').click();
    // The change ended this session too: the gate says why and asks again.
    await staff.getByTestId('admin-notice').filter({ hasText: '所有设置会话已结束' }).waitFor();
    await staff.getByTestId('admin-pin').fill('24681357');
    await staff.getByTestId('admin-login').click();
    await staff.getByTestId('tab-identity').waitFor();
  });

  it('says the keypad line and a sign-in refusal in the panel’s language, and again when it changes', async () => {
    // IT takes the keypad off this window: the desk says so in Chinese, then in English.
    await staff.getByTestId('tab-keypad').click();
    await staff.getByTestId('keypad-driver').selectOption('none');
    await staff.getByTestId('keypad-save').click();
    await staff.getByTestId('keypad-saved').waitFor();
    await staff.getByTestId('toggle-admin').click();
    const line = staff.getByTestId('keypad-detail');
    await line.filter({ hasText: '本窗口未配置评价器' }).waitFor();
    await staff.getByTestId('badge-input').fill('BADGE-NOBODY');
    await staff.getByTestId('badge-input').press('Enter');
    const refusal = staff.getByTestId('badge-error');
    await refusal.filter({ hasText: '此工牌未登记：请联系信息科添加。' }).waitFor();
    await shot('refusal-zh');

    await staff.getByTestId('staff-lang').click();
    await line.filter({ hasText: 'no rating keypad is configured for this window' }).waitFor();
    await refusal.filter({ hasText: 'This badge is not registered; ask IT to add it.' }).waitFor();
    await shot('refusal-en');
    await staff.getByTestId('staff-lang').click();
    await refusal.filter({ hasText: '此工牌未登记' }).waitFor();
    expect(errors).toEqual([]);
  });
});
