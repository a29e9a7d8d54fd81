/**
 * 追评 on the record page in Debian's chromium against a real centre on a real PostgreSQL
 * server: a window's poor rating is assigned by a supervisor; the follow-up officer is not
 * offered the follow-up rating until the call is recorded, then records the citizen's new
 * level, how it was given and a note. The page lists it beside the first rating, which stays
 * 非常不满意, and the trail says it, in Chinese and in English. Screenshots at 1366×768 and
 * 1920×1080 in both languages.
 */
import { readdirSync, readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildConsole } from '../../scripts/build';
import { CONSOLE_DIST } from '../../server/src/console-files';
import { createSyncClient } from '../../src/core/sync';
import { ManualClock } from '../support/clock';
import { startPostgres, type PgCluster } from '../sync/support/postgres';
import { openTerminal, serveCase, type Terminal } from '../sync/support/terminal';
import { makeAccounts } from './support/accounts';
import { launchBrowser, openConsole, screenshotBoth, signIn } from './support/browser';
import { ADMIN_TOKEN, startCentreProcess, type CentreProcess } from './support/centre';

const ADMIN = { username: 'admin.chen', displayName: '陈管理', password: 'first-admin-pass-1' };
const SUPERVISOR = { username: 'li.sup', displayName: '李督查', role: 'supervisor', departmentCode: null, password: 'li.sup-pass-1' };
const OFFICER = { username: 'sj.hui', displayName: '孙回访', role: 'follow_up', departmentCode: '340104-SJ', password: 'sj.hui-pass-1' };

describe('follow-up rating on the record page', () => {
  let cluster: PgCluster;
  let centre: CentreProcess;
  let browser: Browser;
  const errors: string[] = [];
  const kiosks: Terminal[] = [];

  beforeAll(async () => {
    // The console must include the follow-up rating form: build it when the build on disk predates it.
    const built = (() => {
      try {
        return readdirSync(`${CONSOLE_DIST}/assets`).some((f) => f.endsWith('.js') && readFileSync(`${CONSOLE_DIST}/assets/${f}`, 'utf8').includes('follow-up-rating'));
      } catch {
        return false;
      }
    })();
    if (!built) await buildConsole();
    cluster = await startPostgres({ fast: true });
    centre = await startCentreProcess({ databaseUrl: await cluster.createDatabase('centre') });
    await makeAccounts(centre, ADMIN, [SUPERVISOR, OFFICER]);
    browser = await launchBrowser();
  }, 180_000);
  afterAll(async () => {
    for (const t of kiosks) t.kiosk.close();
    await browser?.close();
    await centre?.stop();
    cluster?.stop();
  });

  const signedIn = async (user: { username: string; password: string }, path: string) => {
    const opened = await openConsole(browser, `${centre.url}${path}`);
    opened.page.on('pageerror', (e) => errors.push(e.message));
    await signIn(opened.page, user.username, user.password);
    return opened;
  };
  const trailActions = (page: Page) => page.getByTestId('trail').locator('tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-action')));

  it('lets the assigned officer record the citizen’s follow-up rating once called back, beside the first rating and in the trail', async () => {
    // A window rates 非常不满意 with a callback number; the supervisor assigns it.
    const t = openTerminal({ windowNo: '8', clock: new ManualClock(Date.now() - 30_000) });
    kiosks.push(t);
    const code = (await (await fetch(`${centre.url}/v1/admin/enrolment-codes`, { method: 'POST', headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify({ windowNo: '8' }) })).json()) as { code: string };
    const client = createSyncClient({ db: t.kiosk.db, terminalId: t.kiosk.terminal.terminalId, centreUrl: centre.url, clock: t.clock, retry: { attempts: 3 } });
    expect(await client.enrol(code.code)).toMatchObject({ ok: true });
    serveCase(t, 5, { reasons: ['R01'], phone: '13812345678' });
    expect(await client.syncNow()).toMatchObject({ ok: true });

    const sup = await signedIn(SUPERVISOR, '/follow-ups');
    const row = sup.page.getByTestId('ledger').locator('tbody tr').first();
    await row.waitFor();
    await row.getByRole('link').first().click();
    await sup.page.getByTestId('record-state').waitFor();
    const recordPath = new URL(sup.page.url()).pathname + new URL(sup.page.url()).search;
    const assign = sup.page.locator('form[data-action=assign]');
    await assign.locator('select[name=assignee]').selectOption(OFFICER.username);
    await assign.locator('button[type=submit]').click();
    await expect.poll(() => sup.page.getByTestId('record-state').textContent()).toBe('待回访');
    // A supervisor is never offered the follow-up rating: the assigned officer records it.
    expect(await sup.page.locator('form[data-action=rate]').count()).toBe(0);
    await sup.context.close();

    const { page, context } = await signedIn(OFFICER, recordPath);
    await page.getByTestId('record-state').waitFor();
    expect(await page.getByTestId('record-state').textContent()).toBe('待回访');
    // Before the call: no follow-up rating yet, and none offered.
    expect(await page.locator('form[data-action=rate]').count()).toBe(0);
    expect(await page.locator('.facts').textContent()).toContain('暂无追评。');

    const call = page.locator('form[data-action=call]');
    await call.locator('select[name=result]').selectOption('reached');
    await call.locator('textarea[name=note]').fill('群众表示已重新办理，愿意再次评价。');
    await call.locator('button[type=submit]').click();
    await expect.poll(() => page.getByTestId('record-state').textContent()).toBe('已回访');

    const form = page.locator('form[data-action=rate]');
    await form.waitFor();
    expect(await form.locator('h3').textContent()).toBe('群众追评');
    // The five levels, none chosen: the button waits for one.
    expect(await form.locator('input[name=level]').count()).toBe(5);
    expect(await form.locator('button[type=submit]').isDisabled()).toBe(true);
    await form.getByLabel('满意', { exact: true }).check();
    await form.locator('select[name=how]').selectOption('phone');
    await form.locator('textarea[name=note]').fill('整改后满意');
    await screenshotBoth(page, 'follow-up-rating-form');
    await form.locator('button[type=submit]').click();

    await expect.poll(() => page.getByTestId('record-notice').textContent()).toBe('追评已记录。');
    await expect.poll(() => trailActions(page)).toEqual(['open', 'assign', 'call', 'rate']);
    const entry = (await page.getByTestId('trail').locator('tr[data-action=rate]').textContent())!;
    for (const said of [OFFICER.username, '追评', '追评：满意（电话）', '备注：整改后满意']) expect(entry).toContain(said);
    // The record did not move, the first rating stands, and the follow-up rating is listed beside it.
    expect(await page.getByTestId('record-state').textContent()).toBe('已回访');
    const facts = (await page.locator('.facts').textContent())!;
    expect(facts).toContain('首次评价非常不满意');
    expect(await page.getByTestId('follow-up-rating').allTextContents()).toEqual([expect.stringMatching(/^满意 · 电话 · sj\.hui · /)]);
    // One per opening: the form is gone once it is recorded.
    expect(await page.locator('form[data-action=rate]').count()).toBe(0);
    await screenshotBoth(page, 'follow-up-rating-zh');

    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { name: 'Follow-up #', exact: false }).waitFor();
    expect(await page.getByTestId('trail').locator('tr[data-action=rate]').textContent()).toContain('Follow-up rating: Satisfied (Phone)');
    expect(await page.getByTestId('record-notice').textContent()).toBe('The follow-up rating is recorded.');
    expect(await page.getByTestId('follow-up-rating').textContent()).toMatch(/^Satisfied · Phone · sj\.hui · /);
    expect(await page.locator('.facts').textContent()).toContain('First ratingVery dissatisfied');
    await screenshotBoth(page, 'follow-up-rating-en');
    await context.close();
    expect(errors).toEqual([]);
  }, 180_000);
});
