/**
 * 审计日志 answers who changed who may call the centre, in Debian's chromium against a real
 * centre process on a real PostgreSQL: a script with the admin token makes an API token and
 * allows a terminal's replacement; the admin opens 审计日志, finds both actions under
 * 令牌与终端, each entry with the token's name (never its value) and what changed, in Chinese
 * and in English. Screenshots of the filtered page in zh and en at 1280×800 and 1920×1080 go
 * to test-artifacts/screens/.
 */
import { generateKeyPairSync } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildConsole } from '../../scripts/build';
import { startPostgres, type PgCluster } from '../sync/support/postgres';
import { makeAccounts } from './support/accounts';
import { launchBrowser, openConsole, signIn } from './support/browser';
import { consoleBuildIsFresh } from './support/console-build';
import { ADMIN_TOKEN, startCentreProcess, type CentreProcess } from './support/centre';

const ADMIN = { username: 'admin.sun', displayName: '孙管理', password: 'audit-tokens-admin-1' };
const SHOTS = 'test-artifacts/screens';
const SIZES = [
  { width: 1280, height: 800 },
  { width: 1920, height: 1080 },
] as const;

let cluster: PgCluster;
let centre: CentreProcess;
let browser: Browser;
const contexts: BrowserContext[] = [];
let readerToken = '';

/** The admin's script, as `curl` would call the centre. */
async function script(path: string, body?: unknown): Promise<Record<string, unknown>> {
  const response = await fetch(`${centre.url}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  expect(response.status).toBeLessThan(300);
  return (await response.json()) as Record<string, unknown>;
}

beforeAll(async () => {
  if (!consoleBuildIsFresh()) await buildConsole();
  cluster = await startPostgres({ fast: true });
  centre = await startCentreProcess({ databaseUrl: await cluster.createDatabase('centre') });
  await makeAccounts(centre, ADMIN, []);
  browser = await launchBrowser();
  readerToken = String((await script('/v1/admin/api-tokens', { name: '质量办', roles: ['reports'] })).token);
  const { code } = await script('/v1/admin/enrolment-codes', { windowNo: '9' });
  const publicKey = generateKeyPairSync('ed25519').publicKey.export({ format: 'der', type: 'spki' }).toString('base64');
  const enrol = await fetch(`${centre.url}/v1/enrol`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code, terminalId: 'T-9', publicKey }) });
  expect(enrol.status).toBe(200);
  await script('/v1/admin/terminals/T-9/replace');
}, 180_000);

afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => undefined);
  await browser?.close();
  await centre?.stop();
  cluster?.stop();
});

const rows = (page: Page) =>
  page.getByTestId('audit').locator('tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent ?? '')));

async function shots(page: Page, language: 'zh' | 'en'): Promise<void> {
  mkdirSync(SHOTS, { recursive: true });
  for (const size of SIZES) {
    await page.setViewportSize(size);
    await page.getByTestId('audit').waitFor();
    await page.screenshot({ path: `${SHOTS}/console-audit-token-changes-${language}-${size.width}x${size.height}.png` });
    expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
  }
  await page.setViewportSize(SIZES[0]);
}

describe('审计日志 of token and terminal changes', () => {
  it("shows a script's API token and a terminal's replacement under 令牌与终端, by the token's name, in zh and en", async () => {
    const { context, page, errors } = await openConsole(browser, `${centre.url}/audit`, SIZES[0]);
    contexts.push(context);
    await signIn(page, ADMIN.username, ADMIN.password);
    await page.getByRole('heading', { name: '审计日志' }).waitFor();

    const filter = page.locator('select[name=action]');
    expect(await filter.locator('optgroup[label=令牌与终端] option').allTextContents()).toEqual(['新建或吊销接口令牌', '允许更换终端或新一轮记录']);
    await filter.selectOption({ label: '新建或吊销接口令牌' });
    await expect.poll(() => new URL(page.url()).searchParams.get('action')).toBe('api_token_changed');
    await expect.poll(() => rows(page).then((r) => r.map((cells) => cells.slice(1, 5)))).toEqual([['新建或吊销接口令牌', 'admin', '质量办', '使用中心管理令牌：新建接口令牌，权限：读报表']]);
    await filter.selectOption({ label: '允许更换终端或新一轮记录' });
    await expect.poll(() => rows(page).then((r) => r.map((cells) => cells.slice(1, 5)))).toEqual([
      ['允许更换终端或新一轮记录', 'admin', 'T-9', '使用中心管理令牌：允许更换窗口 9 的终端：旧令牌即刻失效，可凭新登记码重新登记一次'],
    ]);
    await shots(page, 'zh');

    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { name: 'Audit log' }).waitFor();
    expect(await filter.locator('optgroup[label="Tokens and terminals"] option:checked').textContent()).toBe('Terminal replacement or new epoch allowed');
    await expect.poll(() => rows(page).then((r) => r.map((cells) => cells.slice(1, 5)))).toEqual([
      [
        'Terminal replacement or new epoch allowed',
        'admin',
        'T-9',
        "with the centre's admin token: replacement allowed for the terminal of window 9: its old token stops working now, and it may enrol once again with a new code",
      ],
    ]);
    await shots(page, 'en');
    await filter.selectOption({ label: 'API token made or revoked' });
    await expect.poll(() => rows(page).then((r) => r.map((cells) => cells.slice(1, 5)))).toEqual([['API token made or revoked', 'admin', '质量办', "with the centre's admin token: API token made, roles: reports"]]);
    // The page never shows the token the script was given.
    expect(await page.locator('body').textContent()).not.toContain(readerToken);
    expect(errors).toEqual([]);
  }, 180_000);
});
