/** Debian's chromium driven by playwright-core: Playwright cannot download its own browsers here. */
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM = process.env.CORDIAL_CHROMIUM ?? '/usr/bin/chromium';

export function launchBrowser(): Promise<Browser> {
  // launch() gives every run a fresh, throw-away profile.
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      // Both screens are on show at once, as on the counter: neither may be throttled as a background tab.
      '--disable-renderer-backgrounding',
      '--disable-background-timer-throttling',
      '--disable-backgrounding-occluded-windows',
    ],
  });
}

export const VIEWPORTS = [
  { width: 1920, height: 1080 },
  { width: 1280, height: 800 },
] as const;
export type Viewport = (typeof VIEWPORTS)[number];

export interface Screens {
  citizen: Page;
  staff: Page;
  /** Uncaught errors in either page: a test ends by expecting none. */
  errors: string[];
  close(): Promise<void>;
}

/** A page in a window of its own: two tabs of one window would leave one hidden, and hidden pages are throttled. */
export async function openPage(browser: Browser, url: string, viewport: Viewport, errors: string[]): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport, acceptDownloads: true, locale: 'zh-CN' });
  // Well inside the test's own timeout, so a missing element is reported by name.
  context.setDefaultTimeout(10_000);
  const page = await context.newPage();
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(url);
  return { context, page };
}

/** The citizen screen and the staff panel of one window, side by side, as on the counter. */
export async function openScreens(browser: Browser, urls: { citizenUrl: string; staffUrl: string }, viewport: Viewport = VIEWPORTS[0]): Promise<Screens> {
  const errors: string[] = [];
  const citizen = await openPage(browser, urls.citizenUrl, viewport, errors);
  const staff = await openPage(browser, urls.staffUrl, viewport, errors);
  return {
    citizen: citizen.page,
    staff: staff.page,
    errors,
    async close() {
      await citizen.context.close();
      await staff.context.close();
    },
  };
}
