/**
 * 意见簿 (11.2.2) end to end, every part real: the centre as its own process on a real
 * PostgreSQL server, its console in chromium, and a window's browser shell enrolled at that
 * centre. A citizen leaves a suggestion on the touch screen (refused first without a
 * category, then with a number for a reply, tapped twice); after the window syncs it is in the
 * console's 意见簿 once, the phone masked; a supervisor answers and closes it. Screenshots
 * of the citizen's form and the console page at 1280×800 and 1920×1080, zh and en.
 */
import { mkdirSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildConsole } from '../../scripts/build';
import { CONSOLE_DIST } from '../../server/src/console-files';
import { SUGGESTION_ROUTES, type SuggestionList } from '../../src/shared/console/suggestions-contract';
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
const ADMIN = { username: 'admin.qian', displayName: '钱管理', password: 'suggestion-admin-1' };
const SUPERVISOR = { username: 'sun.sup', displayName: '孙督查', role: 'supervisor', departmentCode: null, password: 'sun.sup-pass-001' };
const KIOSK_PIN = '97531864';

let cluster: PgCluster;
let centre: CentreProcess;
let rig: WindowRig;
let browser: Browser;
let screens: Screens;
let consoleContext: BrowserContext | null = null;

/** The console bundle on disk was built after the 意见簿 page or its contract last changed: otherwise build it. */
function consoleIsFresh(): boolean {
  const pageDir = join(ROOT, 'server', 'console', 'src', 'pages', 'suggestions');
  const sources = [...readdirSync(pageDir).map((f) => join(pageDir, f)), join(ROOT, 'src', 'shared', 'console', 'suggestions-contract.ts'), join(ROOT, 'server', 'console', 'src', 'routes.tsx')];
  try {
    return statSync(join(CONSOLE_DIST, 'index.html')).mtimeMs > Math.max(...sources.map((f) => statSync(f).mtimeMs));
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
  if (!consoleIsFresh()) await buildConsole();
  cluster = await startPostgres({ fast: true });
  centre = await startCentreProcess({ databaseUrl: await cluster.createDatabase('centre') });
  await makeAccounts(centre, ADMIN, [SUPERVISOR]);
  rig = await startWindow({ keypad: false, config: { centre: { url: centre.url }, window: { windowNo: '12' } } });
  await enrolWindow('12');
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

describe('a suggestion from the touch screen to the console', () => {
  it('is left on the citizen screen with categories, a few words and a masked reply number', async () => {
    const { staff, citizen } = screens;
    await staff.getByTestId('staff-no-input').fill('1001');
    await staff.getByTestId('pin-input').fill('246810');
    await staff.getByRole('button', { name: '工号签到' }).click();
    await citizen.getByTestId('idle').waitFor();

    await citizen.getByTestId('suggestion-open').click();
    await citizen.getByTestId('suggestion').waitFor();
    expect(await citizen.getByTestId('idle').count()).toBe(0);
    // The centre's signed link for phones, as a QR code beside the form.
    const qr = citizen.getByTestId('suggestion-qr');
    await qr.waitFor();
    const qrLink = (await qr.getAttribute('data-link'))!;
    expect(qrLink.startsWith(`${centre.url}/s/`), qrLink).toBe(true);
    expect(qrLink).toMatch(/\/s\/[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
    expect(await qr.getAttribute('src')).toMatch(/^data:image\/png;base64,/);
    expect((await fetch(qrLink)).status).toBe(200);
    await citizen.getByTestId('suggestion-submit').click();
    expect(await citizen.getByTestId('suggestion-error').textContent()).toBe('请至少选择一个意见类别');

    await citizen.getByTestId('suggestion-category-environment').click();
    await citizen.getByTestId('suggestion-category-efficiency').click();
    await citizen.getByTestId('suggestion-write').click();
    const key = (k: string) => citizen.locator(`[data-testid="comment-keyboard"] [data-skbtn="${k}"]`);
    await key('{mode}').click();
    for (const k of ['m', 'o', 'r', 'e', '{space}', 's', 'e', 'a', 't', 's']) await key(k).click();
    await key('{done}').click();
    expect(await citizen.getByTestId('suggestion-preview').textContent()).toBe('more seats');
    for (const d of '13812345678') await citizen.locator('.phone-pad .pad-key', { hasText: new RegExp(`^${d}$`) }).click();
    expect(await citizen.getByTestId('phone-masked').textContent()).toBe('138****5678');
    await citizen.getByTestId('suggestion-submit').click();
    expect(await citizen.getByTestId('suggestion-error').textContent()).toBe('留下电话需勾选同意答复');
    await citizen.getByTestId('suggestion-consent').check();
    expect(await citizen.getByTestId('suggestion-error').count()).toBe(0);
    await shoot(citizen, 'citizen-suggestion-zh');
    await citizen.getByTestId('lang-toggle').click();
    await citizen.getByRole('heading', { name: 'Leave a suggestion' }).waitFor();
    await shoot(citizen, 'citizen-suggestion-en');
    await citizen.getByTestId('lang-toggle').click();

    // Tapped twice in a hurry: one suggestion.
    await citizen.getByTestId('suggestion-submit').dblclick();
    await citizen.getByTestId('suggestion-sent').filter({ hasText: '我们会尽快电话答复您' }).waitFor();
    await citizen.getByTestId('suggestion-done').click();
    await citizen.getByTestId('idle').waitFor();
    expect(rig.query<{ n: number }>('SELECT COUNT(*) AS n FROM suggestions')[0]!.n).toBe(1);
    expect(JSON.stringify(rig.query('SELECT * FROM suggestions'))).not.toContain('13812345678');
  }, 180_000);

  it('reaches the console once after the window syncs, phone masked, and is answered and closed there', async () => {
    must(await rig.shell.runtime.handle('staff', 'syncNow', {}));
    const opened = await openConsole(browser, `${centre.url}/suggestions`, SIZES[0]);
    consoleContext = opened.context;
    const page = opened.page;
    await signIn(page, SUPERVISOR.username, SUPERVISOR.password);
    await page.getByRole('heading', { name: '意见簿' }).waitFor();
    const rows = page.getByTestId('suggestion-row');
    await rows.first().waitFor();
    expect(await rows.count()).toBe(1);
    const row = rows.first();
    expect(await row.getAttribute('data-source')).toBe('kiosk');
    expect(await row.getByTestId('suggestion-text').textContent()).toBe('more seats');
    expect(await row.getByTestId('suggestion-phone').textContent()).toBe('138****5678');
    const text = (await row.textContent())!;
    for (const part of ['12 号窗口（触摸屏）', '办事效率、环境设施', '待处理']) expect(text).toContain(part);
    expect(await page.content()).not.toContain('13812345678');

    await row.getByTestId('suggestion-answer-open').click();
    await row.getByTestId('suggestion-answer-save').click();
    expect(await row.getByTestId('suggestion-answer-error').textContent()).toBe('请写下给群众的答复。');
    await row.getByTestId('suggestion-answer-input').fill('已电话答复：等候区本周增加座椅二十张。');
    await row.getByTestId('suggestion-answer-save').click();
    await row.getByTestId('suggestion-status').filter({ hasText: '已答复' }).waitFor();
    expect(await row.getByTestId('suggestion-answer').textContent()).toBe('已电话答复：等候区本周增加座椅二十张。');
    await shoot(page, 'console-suggestions-zh');
    await page.getByRole('button', { name: 'English', exact: true }).click();
    await page.getByRole('heading', { name: 'Suggestion book' }).waitFor();
    await shoot(page, 'console-suggestions-en');
    await page.getByRole('button', { name: '中文', exact: true }).click();
    await page.getByRole('heading', { name: '意见簿' }).waitFor();
    await row.getByTestId('suggestion-close').click();
    await row.getByTestId('suggestion-status').filter({ hasText: '已关闭' }).waitFor();
    expect(await row.getByTestId('suggestion-answer-open').count()).toBe(0);

    // Synced again: still one.
    must(await rig.shell.runtime.handle('staff', 'syncNow', {}));
    await page.reload();
    await page.getByTestId('suggestion-row').first().waitFor();
    expect(await page.getByTestId('suggestion-row').count()).toBe(1);
  }, 180_000);
});

describe('a suggestion from a citizen’s phone', () => {
  const PHONE_VIEW = { width: 390, height: 844 };
  let link = '';

  async function post(url: string, body: unknown): Promise<{ status: number; message: string }> {
    const answer = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const json = (await answer.json()) as { error?: { message: string } };
    return { status: answer.status, message: json.error?.message ?? '' };
  }

  it('opens from the window’s signed link, takes a suggestion on a phone-sized screen, and lands in the console once', async () => {
    const [credentials] = rig.query<{ token: string }>('SELECT token FROM sync_credentials WHERE id = 1');
    const answer = await fetch(`${centre.url}/v1/suggestion-link`, { headers: { authorization: `Bearer ${credentials!.token}` } });
    expect(answer.status).toBe(200);
    ({ url: link } = (await answer.json()) as { url: string });
    expect(link).toMatch(/\/s\/[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);

    const context = await browser.newContext({ viewport: PHONE_VIEW, isMobile: true, hasTouch: true, locale: 'zh-CN' });
    const phone = await context.newPage();
    await phone.goto(link);
    await phone.getByRole('heading', { name: '意见建议' }).waitFor();
    expect(await phone.locator('.lead').textContent()).toContain('12 号窗口');
    await phone.getByRole('button', { name: '提交意见' }).click();
    expect(await phone.getByRole('alert').textContent()).toBe('请至少选择一个意见类别。');
    await phone.getByText('流程材料').click();
    await phone.locator('textarea[name=text]').fill('希望在网上公布所需材料清单。');
    await phone.locator('input[name=phone]').fill('13987654321');
    await phone.locator('input[name=consent]').check();
    await phone.screenshot({ path: join(SHOTS, `mobile-suggestion-zh-${PHONE_VIEW.width}x${PHONE_VIEW.height}.png`), fullPage: true });
    for (const size of SIZES) {
      await phone.setViewportSize(size);
      await phone.screenshot({ path: join(SHOTS, `mobile-suggestion-zh-${size.width}x${size.height}.png`) });
    }
    await phone.setViewportSize(PHONE_VIEW);
    await phone.getByRole('button', { name: '提交意见' }).click();
    await phone.getByRole('status').filter({ hasText: '感谢您的宝贵意见' }).waitFor();
    await context.close();

    // The same suggestion sent twice (one key): kept once.
    const again = { key: '0b6f3c1e-7a2d-4e5f-9a8b-1c2d3e4f5a6b', categories: ['other'], text: '同一条意见', consent: false };
    expect((await post(link, again)).status).toBe(201);
    expect((await post(link, again)).status).toBe(200);

    const page = (await openConsole(browser, `${centre.url}/suggestions`, SIZES[0])).page;
    await signIn(page, SUPERVISOR.username, SUPERVISOR.password);
    const mobile = page.locator('[data-testid=suggestion-row][data-source=mobile]');
    await mobile.first().waitFor();
    expect(await mobile.count()).toBe(2);
    expect(await mobile.getByTestId('suggestion-text').allTextContents()).toEqual(['同一条意见', '希望在网上公布所需材料清单。']);
    expect(await mobile.getByTestId('suggestion-phone').allTextContents()).toEqual(['—', '139****4321']);
    expect(await mobile.first().getByTestId('suggestion-source').textContent()).toBe('手机（扫 12 号窗口二维码）');
    expect(await page.content()).not.toContain('13987654321');
    await page.context().close();
  }, 180_000);

  it('refuses a forged code with a sentence, on the page and to a post', async () => {
    const forged = link.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A'));
    const context = await browser.newContext({ viewport: PHONE_VIEW, locale: 'zh-CN' });
    const phone = await context.newPage();
    const answer = await phone.goto(forged);
    expect(answer?.status()).toBe(403);
    expect(await phone.getByTestId('mobile-refused').textContent()).toContain('二维码无效');
    await phone.screenshot({ path: join(SHOTS, `mobile-suggestion-refused-${PHONE_VIEW.width}x${PHONE_VIEW.height}.png`) });
    await context.close();
    expect(await post(forged, { key: '5d0c9b8a-7f6e-4d5c-8b4a-3f2e1d0c9b8a', categories: ['other'], text: 'x' })).toMatchObject({ status: 403, message: expect.stringContaining('二维码无效') });
    expect(await post(link, { key: 'not-a-key', categories: ['other'], text: 'x' })).toMatchObject({ status: 400, message: expect.stringContaining('submission key') });
    expect(await post(link, { key: '6d0c9b8a-7f6e-4d5c-8b4a-3f2e1d0c9b8a', categories: ['other'], text: 'x'.repeat(501) })).toMatchObject({ status: 400, message: expect.stringContaining('at most 500 characters') });
  });

  it('refuses a flood from one code with 429 and a sentence, keeping what came before it', async () => {
    const answers: { status: number; message: string }[] = [];
    for (let i = 0; i < 12; i++) answers.push(await post(link, { key: `7d0c9b8a-7f6e-4d5c-8b4a-${String(i).padStart(12, '0')}`, categories: ['other'], text: `第 ${i} 条` }));
    const refused = answers.filter((a) => a.status === 429);
    expect(refused.length).toBeGreaterThan(0);
    expect(refused[0]!.message).toMatch(/too many requests from this (window’s code|network address); try again in \d+ s/);
    const kept = answers.filter((a) => a.status === 201).length;
    expect(kept + refused.length).toBe(12);
    // What was kept before the limit is in the book, each once; nothing refused is.
    const call = await consoleApiAs(centre, SUPERVISOR);
    const list = await call<SuggestionList>('GET', `${SUGGESTION_ROUTES.suggestions}?source=mobile`);
    expect(list.rows.filter((r) => r.text.startsWith('第 ')).length).toBe(kept);
    expect(new Set(list.rows.map((r) => r.text)).size).toBe(list.rows.length);
  });
});
