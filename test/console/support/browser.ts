/** Debian's chromium for the console tests, and screenshots written where a person can look at them. */
import { mkdirSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchBrowser } from '../../e2e/support/browser';

export { launchBrowser };

export const CONSOLE_VIEWPORTS = [
  { width: 1366, height: 768 },
  { width: 1920, height: 1080 },
] as const;

export const ARTIFACTS = 'test-artifacts/console';

export async function openConsole(browser: Browser, url: string, viewport: { width: number; height: number } = CONSOLE_VIEWPORTS[0]): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
  const context = await browser.newContext({ viewport, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  context.setDefaultTimeout(15_000);
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(url);
  return { context, page, errors };
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const { width, height } = page.viewportSize()!;
  await page.screenshot({ path: `${ARTIFACTS}/${name}-${width}x${height}.png`, fullPage: false });
}

/** The page at both console sizes, then back to the size it had; a page wider than the screen fails. */
export async function screenshotBoth(page: Page, name: string): Promise<void> {
  const before = page.viewportSize()!;
  for (const viewport of CONSOLE_VIEWPORTS) {
    await page.setViewportSize(viewport);
    await screenshot(page, name);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    if (overflow > 0) throw new Error(`${name} is ${overflow}px wider than a ${viewport.width}×${viewport.height} screen`);
  }
  await page.setViewportSize(before);
}

/** Signs in on the sign-in page and waits for the console's nav. */
export async function signIn(page: Page, username: string, password: string): Promise<void> {
  await page.locator('input[name=username]').fill(username);
  await page.locator('input[name=password]').fill(password);
  await page.locator('button[type=submit]').click();
  await page.locator('nav.side').waitFor();
}

/** Calls the console API from inside the page, with its session cookie and CSRF token, as the console would. */
export async function apiStatus(page: Page, path: string): Promise<number> {
  return page.evaluate(async (p) => (await fetch(p, { credentials: 'same-origin' })).status, path);
}
