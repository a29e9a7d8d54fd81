/**
 * The alert pages in Debian's chromium against a real centre on a real PostgreSQL server:
 * the admin sets the rules and adds a webhook (both survive a reload); two poor ratings at
 * one window within the burst span raise an alert that an open supervisor's console shows
 * at once, as a notice and in its list; the webhook receives it, signed, and the delivery
 * shows as delivered; a department head of another department hears nothing of it. A
 * window with a slow clock reaches the admin as an integrity notice. The notice chimes
 * through Web Audio once sound is switched on with a click.
 */
import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readdirSync, readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildConsole } from '../../scripts/build';
import { CONSOLE_DIST } from '../../server/src/console-files';
import { createSyncClient } from '../../src/core/sync';
import { ManualClock } from '../support/clock';
import { startPostgres, type PgCluster } from '../sync/support/postgres';
import { openTerminal, serveCase, type Terminal } from '../sync/support/terminal';
import { CONSOLE_VIEWPORTS, launchBrowser, openConsole, screenshot, signIn } from './support/browser';
import { makeAccounts } from './support/accounts';
import { ADMIN_TOKEN, startCentreProcess, type CentreProcess } from './support/centre';

const ADMIN = { username: 'admin.chen', displayName: '陈管理', password: 'first-admin-pass-1' };
const SUPERVISOR = { username: 'li.sup', displayName: '李督查', role: 'supervisor', departmentCode: null, password: 'li.sup-pass-1' };
const RS_HEAD = { username: 'rs.head', displayName: '周主任', role: 'department', departmentCode: '340104-RS', password: 'rs.head-pass-1' };
const SECRET = 'a-signing-secret-of-32-characters';

interface Received {
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

describe('alert pages', () => {
  let cluster: PgCluster;
  let centre: CentreProcess;
  let browser: Browser;
  let receiver: Server;
  let receiverUrl = '';
  const received: Received[] = [];
  const errors: string[] = [];
  const kiosks: Terminal[] = [];

  beforeAll(async () => {
    const built = (() => {
      try {
        return readdirSync(`${CONSOLE_DIST}/assets`).some((f) => f.endsWith('.js') && readFileSync(`${CONSOLE_DIST}/assets/${f}`, 'utf8').includes('raised-empty'));
      } catch {
        return false;
      }
    })();
    if (!built) await buildConsole();
    receiver = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      request.on('end', () => {
        received.push({ headers: request.headers, body });
        response.writeHead(200).end('ok');
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/robot`;
    cluster = await startPostgres({ fast: true });
    centre = await startCentreProcess({ databaseUrl: await cluster.createDatabase('centre') });
    await makeAccounts(centre, ADMIN, [SUPERVISOR, RS_HEAD]);
    browser = await launchBrowser();
  }, 180_000);
  afterAll(async () => {
    for (const t of kiosks) t.kiosk.close();
    await browser?.close();
    await centre?.stop();
    cluster?.stop();
    await new Promise((resolve) => receiver?.close(resolve));
  });

  const signedIn = async (user: { username: string; password: string }, path: string) => {
    const opened = await openConsole(browser, `${centre.url}${path}`);
    opened.page.on('pageerror', (e) => errors.push(e.message));
    await signIn(opened.page, user.username, user.password);
    return opened;
  };
  const shots = async (page: Page, name: string, ready: (p: Page) => Promise<void>) => {
    const path = new URL(page.url()).pathname + new URL(page.url()).search;
    for (const viewport of CONSOLE_VIEWPORTS) {
      const look = await openConsole(browser, `${centre.url}/`, viewport);
      await look.context.addCookies(await page.context().cookies());
      await look.page.goto(`${centre.url}${path}`);
      await ready(look.page);
      await screenshot(look.page, name);
      const overflow = await look.page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow, `${name} fits a ${viewport.width}px screen`).toBeLessThanOrEqual(0);
      await look.context.close();
    }
  };

  let adminPage: Page;

  it('saves the rules and a webhook, and both survive a reload; the secret is never shown', async () => {
    const { page } = await signedIn(ADMIN, '/alerts');
    adminPage = page;
    const rules = page.locator('form[aria-label=提醒规则]');
    await rules.waitFor();
    // The defaults: 2 poor ratings within 30 minutes, every rule on.
    expect(await rules.locator('input[name=burstCount]').inputValue()).toBe('2');
    expect(await rules.locator('input[name=burstMinutes]').inputValue()).toBe('30');
    await rules.locator('input[name=burstMinutes]').fill('45');
    await rules.locator('input[name=overdue]').uncheck();
    await rules.locator('button[type=submit]').click();
    await expect.poll(() => page.getByTestId('rules-notice').textContent()).toBe('提醒规则已保存。');

    // A count below two is refused in the browser, before anything is sent.
    await rules.locator('input[name=burstCount]').fill('1');
    expect(await rules.locator('input[name=burstCount]').evaluate((input: HTMLInputElement) => input.validity.valid)).toBe(false);

    const hook = page.locator('form.webhook-form');
    // An address the contract refuses is said in a sentence, and no webhook is made.
    await hook.locator('input[name=url]').fill('ftp://robot.example.cn/hook');
    await hook.locator('input[name=secret]').fill(SECRET);
    await hook.locator('button[type=submit]').click();
    await expect.poll(() => page.getByTestId('webhook-notice').textContent()).toContain('http:// or https://');
    expect(await page.getByTestId('webhook-notice').getAttribute('role')).toBe('alert');
    expect(await page.getByTestId('webhooks').count()).toBe(0);
    await hook.locator('input[name=url]').fill(receiverUrl);
    await hook.locator('input[name=secret]').fill(SECRET);
    await hook.locator('input[name=description]').fill('值班短信网关');
    await hook.locator('input[name=rule-poor_burst]').check();
    // The hall's window rules can go to the same gateway.
    await hook.locator('input[name=rule-long_pause]').check();
    await hook.locator('button[type=submit]').click();
    await expect.poll(() => page.getByTestId('webhook-notice').textContent()).toContain(receiverUrl);

    await page.reload();
    await rules.waitFor();
    expect(await rules.locator('input[name=burstCount]').inputValue()).toBe('2');
    expect(await rules.locator('input[name=burstMinutes]').inputValue()).toBe('45');
    expect(await rules.locator('input[name=overdue]').isChecked()).toBe(false);
    expect(await rules.locator('input[name=dueTomorrow]').isChecked()).toBe(true);
    const row = page.getByTestId('webhooks').locator('tbody tr').first();
    await row.waitFor();
    const text = (await row.textContent())!;
    expect(text).toContain(receiverUrl);
    expect(text).toContain('差评集中、暂停超时');
    expect(text).toContain('值班短信网关');
    expect(await page.locator('body').textContent()).not.toContain(SECRET);
  }, 120_000);

  it('shows a burst of poor ratings at once to a supervisor, delivers it to the webhook, and keeps it from another department', async () => {
    const { page } = await signedIn(SUPERVISOR, '/alerts');
    await page.getByRole('heading', { name: '已触发的提醒' }).waitFor();
    expect(await page.getByTestId('raised-empty').textContent()).toBe('还没有触发过提醒。');
    await expect.poll(() => page.getByTestId('live-status').getAttribute('data-status')).toBe('connected');
    const other = await signedIn(RS_HEAD, '/alerts');
    await expect.poll(() => other.page.getByTestId('live-status').getAttribute('data-status')).toBe('connected');

    // Every tone the page starts is noted, by its pitch.
    await page.context().addInitScript(() => {
      const start = OscillatorNode.prototype.start;
      OscillatorNode.prototype.start = function (this: OscillatorNode, ...args: Parameters<OscillatorNode['start']>) {
        const w = window as unknown as { tones?: number[] };
        (w.tones ??= []).push(this.frequency.value);
        return start.apply(this, args);
      };
    });
    await page.reload();
    await expect.poll(() => page.getByTestId('live-status').getAttribute('data-status')).toBe('connected');
    // Sound is switched on with a click (browsers play nothing before one), which plays a tone to show it works.
    await page.getByTestId('sound-toggle').click();
    expect(await page.evaluate(() => window.localStorage.getItem('cordial.console.sound'))).toBe('on');
    await expect.poll(() => page.evaluate(() => (window as unknown as { tones?: number[] }).tones ?? [])).toEqual([740, 740]);

    const t = openTerminal({ windowNo: '9', clock: new ManualClock(Date.now() - 11 * 60_000) });
    kiosks.push(t);
    const code = (await (await fetch(`${centre.url}/v1/admin/enrolment-codes`, { method: 'POST', headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify({ windowNo: '9' }) })).json()) as { code: string };
    const client = createSyncClient({ db: t.kiosk.db, terminalId: t.kiosk.terminal.terminalId, centreUrl: centre.url, clock: t.clock, retry: { attempts: 3 } });
    expect(await client.enrol(code.code)).toMatchObject({ ok: true });
    serveCase(t, 4, { reasons: ['R02'] });
    t.clock.advance(10 * 60_000);
    serveCase(t, 5, { reasons: ['R01'] });
    expect(await client.syncNow()).toMatchObject({ ok: true });

    const alertNotice = page.locator('[data-testid=live-notice][data-type=rule_alert]');
    await alertNotice.waitFor();
    expect(await alertNotice.textContent()).toContain('提醒：差评集中');
    expect(await alertNotice.textContent()).toContain('窗口 9');
    expect(await page.locator('[data-testid=live-notice][data-type=poor_rating]').count()).toBe(2);
    // The poor ratings were heard: the falling two-tone chime played.
    expect(await page.evaluate(() => (window as unknown as { tones?: number[] }).tones)).toEqual(expect.arrayContaining([880, 660]));
    const raised = page.getByTestId('raised-alerts').locator('tbody tr');
    await raised.first().waitFor();
    expect(await raised.count()).toBe(1);
    expect(await raised.first().textContent()).toContain('差评集中');
    expect(await raised.first().textContent()).toContain('市场监督管理局');
    await screenshot(page, 'alerts-live-notice');

    // The webhook receives it once, signed with the secret over the exact body.
    await expect.poll(() => received.length, { timeout: 30_000 }).toBeGreaterThanOrEqual(1);
    const first = received[0]!;
    expect(first.headers['x-cordial-signature']).toBe(`sha256=${createHmac('sha256', SECRET).update(first.body).digest('hex')}`);
    expect(JSON.parse(first.body)).toMatchObject({ event: 'poor_burst', alert: { rule: 'poor_burst', windowNo: '9' } });

    // The admin's page lists the delivery as delivered.
    await expect
      .poll(async () => {
        await adminPage.reload();
        await adminPage.getByTestId('webhooks').waitFor();
        return adminPage.locator('[data-testid=deliveries] tbody tr').first().getAttribute('data-state').catch(() => null);
      }, { timeout: 30_000 })
      .toBe('delivered');
    const delivery = (await adminPage.locator('[data-testid=deliveries] tbody tr').first().textContent())!;
    expect(delivery).toContain('已送达');
    expect(delivery).toContain(receiverUrl);
    await shots(adminPage, 'alerts-settings', (p) => p.getByTestId('deliveries').waitFor());

    // Disabling the webhook is asked first, then shown.
    adminPage.once('dialog', (dialog) => void dialog.accept());
    await adminPage.getByTestId('webhooks').locator('tbody tr').first().getByRole('button', { name: '停用' }).click();
    await expect.poll(() => adminPage.getByTestId('webhooks').locator('tbody tr').first().textContent()).toContain('已停用');

    // A department head of 人力资源和社会保障局 hears nothing of a 市场监督管理局 window.
    expect(await other.page.getByTestId('live-notice').count()).toBe(0);
    await other.page.reload();
    await other.page.getByRole('heading', { name: '已触发的提醒' }).waitFor();
    expect(await other.page.getByTestId('raised-empty').textContent()).toBe('还没有触发过提醒。');

    // A window whose clock is two hours slow raises an integrity alert: the admin hears of it at once.
    await adminPage.reload();
    await expect.poll(() => adminPage.getByTestId('live-status').getAttribute('data-status')).toBe('connected');
    const slow = openTerminal({ windowNo: '6', clock: new ManualClock(Date.now() - 2 * 3_600_000) });
    kiosks.push(slow);
    const slowCode = (await (await fetch(`${centre.url}/v1/admin/enrolment-codes`, { method: 'POST', headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify({ windowNo: '6' }) })).json()) as { code: string };
    const slowClient = createSyncClient({ db: slow.kiosk.db, terminalId: slow.kiosk.terminal.terminalId, centreUrl: centre.url, clock: slow.clock, retry: { attempts: 3 } });
    expect(await slowClient.enrol(slowCode.code)).toMatchObject({ ok: true });
    serveCase(slow, 1);
    expect(await slowClient.syncNow()).toMatchObject({ ok: true });
    const integrity = adminPage.locator('[data-testid=live-notice][data-type=integrity_alert]');
    await integrity.waitFor();
    expect(await integrity.textContent()).toContain('完整性告警');
    expect(await integrity.textContent()).toContain('窗口 6 · 时钟偏差');
    await integrity.getByRole('link', { name: '查看窗口' }).click();
    await adminPage.waitForURL((u) => u.pathname === '/windows');

    await page.reload();
    await page.getByTestId('sound-toggle').waitFor();
    expect(await page.getByTestId('sound-toggle').textContent()).toBe('提示音：开');
    expect(errors).toEqual([]);
  }, 120_000);
});
