/**
 * The citizen's 意见建议 page on a phone, in Chinese and English, every part real: a centre on
 * a real PostgreSQL server, listening on 127.0.0.1, the window's signed link from its own
 * route, and chromium at a phone's size. The page starts in the browser's language, switches
 * in place without losing what was typed, thanks in the chosen language, and says each of the
 * centre's refusals (a flood, too much, unreadable, a bad phone, a lost database, an expired
 * code) and a lost connection in the citizen's language. The centre's clock is the test's,
 * so a link expires when the test says and the wait after a flood is the same on every run.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page, Response } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateCentre } from '../../server/src/db/migrate';
import { openPostgres } from '../../server/src/db/postgres';
import type { CentreDb } from '../../server/src/db/sql';
import { SUGGESTION_TOKEN_MS } from '../../server/src/suggestions/token';
import { ManualClock } from '../support/clock';
import { startCentre, type TestCentre } from '../sync/support/centre';
import { startPostgres, type PgCluster } from '../sync/support/postgres';
import { launchBrowser } from './support/browser';
import { ROOT } from './support/renderer';

const SHOTS = join(ROOT, 'test-artifacts', 'screens');
const PHONE_VIEW = { width: 390, height: 844 };
const LARGE = [
  { width: 1280, height: 800 },
  { width: 1920, height: 1080 },
] as const;

const EN = {
  heading: 'Leave a suggestion',
  send: 'Send suggestion',
  chooseCategory: 'Please choose at least one category.',
  thanks: 'Thank you for your suggestion. We will look into it carefully.',
  badPhone: 'Please enter an 11-digit mobile number, or a landline number with its area code.',
  tooLarge: 'What you sent is too long. Please shorten it and try again.',
  malformed: 'The centre could not read what was sent. Please reload the page and try again.',
  storage: 'The centre could not save your suggestion just now. Please try again later.',
  network: 'The centre cannot be reached. Please check your connection and try again.',
  wait: (s: number) => `Too many suggestions have been sent from here just now. Please try again in ${s} seconds.`,
  expired: 'This code has expired. Please scan the code on the window’s screen again.',
  forged: 'This code is not valid. Please scan the code on the window’s screen again.',
};
const ZH = {
  heading: '意见建议',
  send: '提交意见',
  chooseCategory: '请至少选择一个意见类别。',
  thanks: '感谢您的宝贵意见，我们会认真研究。',
  badPhone: '请输入11位手机号码或带区号的固定电话。',
  network: '网络不通，请检查网络后再试。',
  wait: (s: number) => `提交太频繁，请 ${s} 秒后再试。`,
  expired: '二维码已过期，请重新扫描窗口屏幕上的二维码。',
};

let cluster: PgCluster;
let db: CentreDb;
let centre: TestCentre;
let browser: Browser;
let link = '';
const clock = new ManualClock(Date.UTC(2026, 2, 10, 2, 0, 0));
const contexts: BrowserContext[] = [];
const pageErrors: string[] = [];

/** A phone whose browser prefers `locale`: its Accept-Language says so. */
async function phoneAt(url: string, locale: 'en-GB' | 'zh-CN'): Promise<{ page: Page; response: Response | null }> {
  const context = await browser.newContext({ viewport: PHONE_VIEW, isMobile: true, hasTouch: true, locale });
  context.setDefaultTimeout(15_000);
  contexts.push(context);
  const page = await context.newPage();
  page.on('pageerror', (error) => pageErrors.push(error.message));
  const response = await page.goto(url);
  return { page, response };
}

const problem = (page: Page) => page.getByTestId('mobile-problem');

/** Clicked through the switch, the page is in the other language without a reload. */
async function switchTo(page: Page, name: 'English' | '中文', heading: string): Promise<void> {
  await page.getByRole('link', { name, exact: true }).click();
  await page.getByRole('heading', { name: heading }).waitFor();
}

async function send(page: Page, name: string): Promise<Response> {
  const [response] = await Promise.all([page.waitForResponse((r) => r.request().method() === 'POST' && r.url() === link), page.getByRole('button', { name }).click()]);
  return response;
}

const shot = (page: Page, name: string) => page.screenshot({ path: join(SHOTS, `${name}-${PHONE_VIEW.width}x${PHONE_VIEW.height}.png`), fullPage: true });

async function rowsWith(text: string): Promise<{ source: string; window_no: string; phone_masked: string | null }[]> {
  return db.query('SELECT source, window_no, phone_masked FROM suggestions WHERE body = $1', [text]);
}

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  cluster = await startPostgres({ fast: true });
  db = openPostgres(await cluster.createDatabase('centre'), { max: 5 });
  await migrateCentre(db);
  centre = await startCentre(db, { now: () => clock.now() });
  const token = await centre.enrol('window-12', '12');
  const answer = await centre.call('GET', '/v1/suggestion-link', { token });
  expect(answer.status).toBe(200);
  link = String(answer.body.url);
  browser = await launchBrowser();
}, 180_000);

afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => undefined);
  await browser?.close();
  await centre?.close();
  await db?.close();
  cluster?.stop();
});

describe('the mobile suggestion page in two languages', () => {
  it('starts in the language the address names, else the one the browser ranks higher, else Chinese', async () => {
    const langOf = async (query: string, acceptLanguage?: string) => {
      const answer = await fetch(`${link}${query}`, { headers: acceptLanguage ? { 'accept-language': acceptLanguage } : {} });
      expect(answer.status).toBe(200);
      const html = await answer.text();
      const lang = /<html lang="([^"]+)"/.exec(html)?.[1];
      expect(html).toContain(lang === 'en' ? '<h1 data-w="heading">Leave a suggestion</h1>' : '<h1 data-w="heading">意见建议</h1>');
      return lang;
    };
    expect(await langOf('')).toBe('zh-CN');
    expect(await langOf('', 'en-US,en;q=0.9')).toBe('en');
    expect(await langOf('', 'fr-FR,fr;q=0.9,en;q=0.8,zh-CN;q=0.5')).toBe('en');
    expect(await langOf('', 'en;q=0.5,zh-CN')).toBe('zh-CN');
    expect(await langOf('', 'zh-TW,zh;q=0.9,en;q=0.8')).toBe('zh-CN');
    expect(await langOf('', 'de-DE')).toBe('zh-CN');
    expect(await langOf('?lang=zh', 'en-US,en;q=0.9')).toBe('zh-CN');
    expect(await langOf('?lang=en', 'zh-CN')).toBe('en');
    expect(await langOf('?lang=fr', 'zh-CN')).toBe('zh-CN');
  });

  it('opens in English for an English phone, switches to Chinese and back keeping what was typed, and thanks in English; the centre keeps it once', async () => {
    const { page } = await phoneAt(link, 'en-GB');
    await page.getByRole('heading', { name: EN.heading }).waitFor();
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('en');
    expect(await page.locator('.lead').textContent()).toBe('Window 12 · Choose what your suggestion is about; you may add a few words.');
    expect(await page.locator('.chip').allTextContents()).toEqual(['Staff attitude', 'Speed of service', 'Premises and facilities', 'Procedures and documents', 'Other']);
    await page.getByRole('button', { name: EN.send }).click();
    expect(await problem(page).textContent()).toBe(EN.chooseCategory);

    // The sentence on show changes language with the page.
    await switchTo(page, '中文', ZH.heading);
    expect(await problem(page).textContent()).toBe(ZH.chooseCategory);
    expect(await page.locator('.chip').allTextContents()).toEqual(['服务态度', '办事效率', '环境设施', '流程材料', '其他']);
    expect(await page.title()).toBe('意见建议');
    expect(await page.getByRole('link', { name: '中文', exact: true }).getAttribute('aria-current')).toBe('true');
    // The choice is in the address: a reload keeps Chinese though the browser prefers English.
    expect(new URL(page.url()).searchParams.get('lang')).toBe('zh');
    await page.reload();
    await page.getByRole('heading', { name: ZH.heading }).waitFor();
    await page.getByRole('button', { name: ZH.send }).waitFor();

    await page.getByText('流程材料').click();
    const text = 'Please publish the list of documents online.';
    await page.locator('textarea[name=text]').fill(text);
    await shot(page, 'mobile-suggestion-lang-form-zh');
    await switchTo(page, 'English', EN.heading);
    expect(await page.locator('textarea[name=text]').inputValue()).toBe(text);
    expect(await page.getByLabel('Procedures and documents').isChecked()).toBe(true);
    expect(await page.getByRole('link', { name: 'English', exact: true }).getAttribute('aria-current')).toBe('true');
    await shot(page, 'mobile-suggestion-lang-form-en');
    for (const size of LARGE) {
      await page.setViewportSize(size);
      await page.screenshot({ path: join(SHOTS, `mobile-suggestion-lang-form-en-${size.width}x${size.height}.png`) });
    }
    await page.setViewportSize(PHONE_VIEW);

    expect((await send(page, EN.send)).status()).toBe(201);
    expect(await page.getByTestId('mobile-sent').textContent()).toBe(EN.thanks);
    expect(await page.locator('form').isHidden()).toBe(true);
    await switchTo(page, '中文', ZH.heading);
    expect(await page.getByTestId('mobile-sent').textContent()).toBe(ZH.thanks);
    expect(await rowsWith(text)).toEqual([{ source: 'mobile', window_no: '12', phone_masked: null }]);
  });

  it('says the centre’s refusals of a bad phone, too much, an unreadable body, a lost connection and a lost database in the page’s words, and keeps the suggestion once it is sent again', async () => {
    const { page } = await phoneAt(link, 'en-GB');
    await page.getByRole('heading', { name: EN.heading }).waitFor();
    await page.getByLabel('Speed of service').check();
    const text = 'The queue numbers could be called louder.';
    await page.locator('textarea[name=text]').fill(text);
    await page.locator('input[name=phone]').fill('1381234');
    await page.locator('input[name=consent]').check();
    const badPhone = await send(page, EN.send);
    expect(badPhone.status()).toBe(400);
    expect(await badPhone.json()).toMatchObject({ error: { code: 'invalid-request', message: expect.stringContaining('reply phone is not an 11-digit') }, reason: 'phone-not-plausible' });
    expect(await problem(page).textContent()).toBe(EN.badPhone);
    await switchTo(page, '中文', ZH.heading);
    expect(await problem(page).textContent()).toBe(ZH.badPhone);
    await switchTo(page, 'English', EN.heading);
    await page.locator('input[name=phone]').fill('');
    // The centre logs its own English sentence, never the number.
    expect(centre.logs.join('\n')).toContain('the reply phone is not an 11-digit mobile number');
    expect(centre.logs.join('\n')).not.toContain('1381234');

    // What the page sends, changed on the way as a broken proxy or a tampered page would.
    const changeNextPost = async (change: { postData?: string; headers?: Record<string, string> }) => {
      await page.route(link, (route) => route.continue({ postData: change.postData, headers: change.headers ? { ...route.request().headers(), ...change.headers } : undefined }), { times: 1 });
    };
    const body = JSON.stringify({ key: '3f1d2c3b-4a5b-4c6d-8e7f-8091a2b3c4d5', categories: ['other'], text: 'x'.repeat(9000) });
    await changeNextPost({ postData: body });
    expect((await send(page, EN.send)).status()).toBe(413);
    expect(await problem(page).textContent()).toBe(EN.tooLarge);

    await changeNextPost({ postData: '{"key": "3f1d2c3b-' });
    expect((await send(page, EN.send)).status()).toBe(400);
    expect(await problem(page).textContent()).toBe(EN.malformed);

    // A code the page has no words for: the centre's own sentence.
    await changeNextPost({ headers: { 'content-type': 'application/xml' } });
    const unknown = await send(page, EN.send);
    expect(unknown.status()).toBe(415);
    expect(await problem(page).textContent()).toBe(String(((await unknown.json()) as { error: { message: string } }).error.message));
    expect(await problem(page).textContent()).toBe('send the body as application/json');

    // The phone loses its connection as it sends.
    await page.route(link, (route) => route.abort('internetdisconnected'), { times: 1 });
    await page.getByRole('button', { name: EN.send }).click();
    await problem(page).filter({ hasText: EN.network }).waitFor();
    await switchTo(page, '中文', ZH.heading);
    expect(await problem(page).textContent()).toBe(ZH.network);
    await switchTo(page, 'English', EN.heading);

    // The centre's database refuses every new suggestion for a while.
    await db.query('ALTER TABLE suggestions ADD CONSTRAINT refuse_for_test CHECK (false) NOT VALID');
    try {
      expect((await send(page, EN.send)).status()).toBe(500);
      expect(await problem(page).textContent()).toBe(EN.storage);
    } finally {
      await db.query('ALTER TABLE suggestions DROP CONSTRAINT refuse_for_test');
    }
    expect(await rowsWith(text)).toEqual([]);
    // What the citizen typed is still there; sent again, it is kept.
    expect(await page.locator('textarea[name=text]').inputValue()).toBe(text);
    expect((await send(page, EN.send)).status()).toBe(201);
    expect(await page.getByTestId('mobile-sent').textContent()).toBe(EN.thanks);
    expect(await rowsWith(text)).toEqual([{ source: 'mobile', window_no: '12', phone_masked: null }]);
    expect(await rowsWith('x'.repeat(9000))).toEqual([]);
  });

  it('floods one code until the centre says 429, and says the wait in the page’s language with the seconds', async () => {
    let refused: Response | null = null;
    let page: Page | null = null;
    const kept: string[] = [];
    for (let i = 0; i < 12 && !refused; i++) {
      ({ page } = await phoneAt(link, 'en-GB'));
      await page.getByLabel('Other').check();
      await page.locator('textarea[name=text]').fill(`flood ${i}`);
      const answer = await send(page, EN.send);
      if (answer.status() === 429) refused = answer;
      else {
        expect(answer.status()).toBe(201);
        await page.getByTestId('mobile-sent').waitFor();
        kept.push(`flood ${i}`);
      }
    }
    expect(refused, 'the centre never refused the flood').not.toBeNull();
    const seconds = Number(refused!.headers()['retry-after']);
    // The code's bucket is empty on a stopped clock: one more suggestion in 20 s.
    expect(seconds).toBe(20);
    expect(await refused!.json()).toMatchObject({ error: { code: 'rate-limited', message: `too many requests from this window’s code; try again in ${seconds} s` } });
    expect(await problem(page!).textContent()).toBe(EN.wait(seconds));
    expect(await page!.getByRole('button', { name: EN.send }).isEnabled()).toBe(true);
    await shot(page!, 'mobile-suggestion-lang-rate-limited-en');
    await switchTo(page!, '中文', ZH.heading);
    expect(await problem(page!).textContent()).toBe(ZH.wait(seconds));
    await shot(page!, 'mobile-suggestion-lang-rate-limited-zh');
    // Each kept once; the refused one not at all.
    for (const text of kept) expect(await rowsWith(text)).toHaveLength(1);
    expect(await rowsWith(`flood ${kept.length}`)).toEqual([]);
  });

  it('says an expired link is expired, on the open form and on the page, in both languages; a forged one is not valid', async () => {
    const { page: open } = await phoneAt(link, 'en-GB');
    await open.getByLabel('Premises and facilities').check();
    await open.locator('textarea[name=text]').fill('Too late');
    clock.advance(SUGGESTION_TOKEN_MS + 60_000);
    const late = await send(open, EN.send);
    expect(late.status()).toBe(403);
    expect(await late.json()).toMatchObject({ error: { code: 'forbidden' }, reason: 'link-expired' });
    expect(await problem(open).textContent()).toBe(EN.expired);
    await switchTo(open, '中文', ZH.heading);
    expect(await problem(open).textContent()).toBe(ZH.expired);
    expect(await rowsWith('Too late')).toEqual([]);

    const { page, response } = await phoneAt(link, 'en-GB');
    expect(response?.status()).toBe(403);
    expect(await page.getByTestId('mobile-refused').textContent()).toBe(EN.expired);
    await shot(page, 'mobile-suggestion-lang-expired-en');
    await switchTo(page, '中文', ZH.heading);
    expect(await page.getByTestId('mobile-refused').textContent()).toBe(ZH.expired);
    await shot(page, 'mobile-suggestion-lang-expired-zh');

    const forged = link.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A'));
    const other = await phoneAt(forged, 'en-GB');
    expect(other.response?.status()).toBe(403);
    expect(await other.page.getByTestId('mobile-refused').textContent()).toBe(EN.forged);
    expect(pageErrors).toEqual([]);
  });
});
