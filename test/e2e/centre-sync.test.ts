/**
 * The window and the centre in a real browser: IT enrols the window from the admin page,
 * a case is recorded, staff press 立即同步, and the centre holds every record.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { openTestDatabase, type TestDatabase } from '../sync/support/backends';
import { startCentre, type TestCentre } from '../sync/support/centre';
import { launchBrowser, openPage, VIEWPORTS } from './support/browser';
import { startWindow, type WindowRig } from './support/window';

const ADMIN_PIN = '55667788';
let database: TestDatabase;
let centre: TestCentre;
let rig: WindowRig;
let browser: Browser;
let context: BrowserContext;
let staff: Page;
const errors: string[] = [];

beforeAll(async () => {
  database = await openTestDatabase('pglite');
  centre = await startCentre(database.db);
  rig = await startWindow({ keypad: false, config: { centre: { url: centre.url }, window: { windowNo: '8' } } });
  browser = await launchBrowser();
  ({ context, page: staff } = await openPage(browser, rig.shell.staffUrl, VIEWPORTS[1], errors));
});

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await rig?.close();
  await centre?.close();
  await database?.close();
});

describe('sync with the centre from the screens', () => {
  it('enrols from the admin page with the centre’s one-time code, refusing a wrong one', async () => {
    const code = String((await centre.call('POST', '/v1/admin/enrolment-codes', { body: { windowNo: '8' } })).body.code);
    await staff.getByTestId('toggle-admin').click();
    await staff.getByTestId('setup-code').fill(rig.shell.runtime.adminSetupCode!);
    await staff.getByTestId('new-pin').fill(ADMIN_PIN);
    await staff.getByTestId('confirm-pin').fill(ADMIN_PIN);
    await staff.getByTestId('set-pin').click();
    await staff.getByTestId('tab-general').click();
    await staff.getByTestId('enrol-code').fill('WRONG-CODE-1');
    await staff.getByTestId('enrol').click();
    await staff.getByTestId('enrol-error').waitFor();
    await staff.getByTestId('enrol-code').fill(code);
    await staff.getByTestId('enrol').click();
    await staff.getByTestId('enrolled').filter({ hasText: '8' }).waitFor();
    await staff.getByTestId('admin-lock').click();
  });

  it('sends the day’s records when staff press 立即同步, and the panel shows nothing pending', async () => {
    await staff.getByTestId('toggle-admin').click();
    await staff.getByTestId('badge-input').fill('BADGE-1001');
    await staff.getByTestId('badge-input').press('Enter');
    await staff.locator('[data-testid="sync-pending"]').filter({ hasText: /^[1-9]/ }).waitFor();
    await staff.getByTestId('sync-now').click();
    await staff.locator('[data-testid="sync-pending"]').filter({ hasText: /^0$/ }).waitFor();
    const terminals = (await centre.call('GET', '/v1/admin/terminals')).body.terminals as { windowNo: string; epochs: { highWater: number }[] }[];
    expect(terminals).toEqual([expect.objectContaining({ windowNo: '8', epochs: [{ epoch: 1, highWater: 1 }] })]);
    expect(errors).toEqual([]);
  });
});
