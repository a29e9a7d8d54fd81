/**
 * 名单 → 事项 → 服务信息 in chromium: the admin sets an item's promised time and materials
 * (original or copy, count, notes), fees and where to ask; a promised time out of range is
 * refused with a sentence and nothing is saved; the saved information is what the centre sends
 * to a window that pulls its config. Screenshots at both console sizes, zh and en.
 */
import { readdirSync, readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildConsole } from '../../scripts/build';
import { CONSOLE_DIST } from '../../server/src/console-files';
import { createSyncClient } from '../../src/core/sync';
import { openTerminal, type Terminal } from '../sync/support/terminal';
import { CONSOLE_VIEWPORTS, launchBrowser, openConsole, screenshot, signIn } from './support/browser';
import { ADMIN_TOKEN, startCentreProcess, type CentreProcess } from './support/centre';

const IT = { username: 'it.wu', displayName: '吴信息', password: 'it-admin-pass-34' };
const ITEM = { itemCode: '340104-GA-003', itemVersion: '2', name: '居住证办理', departmentName: '公安局' };

describe('service information at the console', () => {
  let centre: CentreProcess;
  let browser: Browser;
  let page: Page;
  const errors: string[] = [];
  const kiosks: Terminal[] = [];

  beforeAll(async () => {
    const built = (() => {
      try {
        return readdirSync(`${CONSOLE_DIST}/assets`).some((f) => f.endsWith('.js') && readFileSync(`${CONSOLE_DIST}/assets/${f}`, 'utf8').includes('service-info-form'));
      } catch {
        return false;
      }
    })();
    if (!built) await buildConsole();
    centre = await startCentreProcess();
    const token = new URL(await centre.setupLink()).hash.replace('#token=', '');
    const setup = await fetch(`${centre.url}/v1/console/setup`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ setupToken: token, ...IT }) });
    if (setup.status !== 200) throw new Error(`setup failed: ${await setup.text()}`);
    const items = await fetch(`${centre.url}/v1/admin/items`, { method: 'PUT', headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_TOKEN}` }, body: JSON.stringify([ITEM]) });
    if (items.status !== 200) throw new Error(`items failed: ${await items.text()}`);
    browser = await launchBrowser();
    const opened = await openConsole(browser, centre.url);
    opened.page.on('pageerror', (e) => errors.push(e.message));
    page = opened.page;
    await signIn(page, IT.username, IT.password);
  }, 180_000);
  afterAll(async () => {
    for (const t of kiosks) t.kiosk.close();
    await browser?.close();
    await centre?.stop();
  });

  it('sets the materials and promised time of an item, refuses a bad time with a sentence, and a window receives them', async () => {
    await page.goto(`${centre.url}/lists?tab=items`);
    const row = page.locator(`tr[data-item="${ITEM.itemCode}@${ITEM.itemVersion}"]`);
    await expect(row.locator('td').nth(5).innerText()).resolves.toBe('未填写');
    await row.getByTestId('edit-service-info').click();
    const form = page.getByTestId('service-info-form');
    await form.locator('select[name=promised-kind]').selectOption('working_days');
    await form.locator('input[name=promised-days]').fill('400');
    await form.getByTestId('add-material').click();
    await form.locator('input[name=material-name-0]').fill('居民身份证');
    await form.getByRole('button', { name: '保存服务信息' }).click();
    await expect(page.getByTestId('notice').innerText()).resolves.toContain('from 1 to 365');
    await expect(row.locator('td').nth(5).innerText()).resolves.toBe('未填写');

    await form.locator('input[name=promised-days]').fill('15');
    await form.getByTestId('add-material').click();
    await form.locator('input[name=material-name-1]').fill('房屋租赁合同');
    await form.locator('select[name=material-form-1]').selectOption('copy');
    await form.locator('input[name=material-count-1]').fill('2');
    await form.locator('input[name=material-notes-1]').fill('自有住房提供不动产权证');
    await form.locator('input[name=fees]').fill('首次申领不收费');
    await form.locator('input[name=where-to-ask]').fill('一楼综合咨询台');
    for (const viewport of CONSOLE_VIEWPORTS) {
      await page.setViewportSize(viewport);
      await screenshot(page, 'it-item-service-info-zh');
    }
    await form.getByRole('button', { name: '保存服务信息' }).click();
    await page.getByTestId('notice').filter({ hasText: '已保存' }).waitFor();
    await expect(row.locator('td').nth(5).innerText()).resolves.toBe('2 项材料 · 15 个工作日');

    // A window enrolled at this centre gets exactly that with its config.
    const code = await fetch(`${centre.url}/v1/admin/enrolment-codes`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_TOKEN}` }, body: JSON.stringify({ windowNo: '5' }) });
    const t = openTerminal({ windowNo: '5' });
    kiosks.push(t);
    const client = createSyncClient({ db: t.kiosk.db, terminalId: t.kiosk.terminal.terminalId, centreUrl: centre.url, clock: t.clock, retry: { attempts: 1 } });
    expect(await client.enrol(((await code.json()) as { code: string }).code)).toMatchObject({ ok: true });
    const pulled = await client.pullConfig();
    if (!pulled.ok || !pulled.config) throw new Error('no config');
    expect(pulled.config.items.find((i) => i.itemCode === ITEM.itemCode)?.serviceInfo).toEqual({
      materials: [
        { name: '居民身份证', form: 'original', count: 1, notes: null },
        { name: '房屋租赁合同', form: 'copy', count: 2, notes: '自有住房提供不动产权证' },
      ],
      promisedTime: { kind: 'working_days', days: 15 },
      fees: '首次申领不收费',
      whereToAsk: '一楼综合咨询台',
    });

    // In English, the editor opened again shows what was saved.
    await page.getByRole('button', { name: 'English' }).click();
    await row.getByTestId('edit-service-info').click();
    await expect(form.locator('input[name=material-name-1]').inputValue()).resolves.toBe('房屋租赁合同');
    await expect(form.locator('select[name=material-form-1]').inputValue()).resolves.toBe('copy');
    await expect(row.locator('td').nth(5).innerText()).resolves.toBe('2 materials · 15 working days');
    for (const viewport of CONSOLE_VIEWPORTS) {
      await page.setViewportSize(viewport);
      await screenshot(page, 'it-item-service-info-en');
    }
    expect(errors).toEqual([]);
  }, 120_000);
});
