/**
 * Transport security from the screens, in a real browser, against a real centre serving
 * HTTPS on PostgreSQL with certificates openssl makes for the test: IT's CA is read and
 * shown before it is saved (a pasted private key or an expired certificate never is), a wrong CA refuses enrolment
 * with its sentence and the centre stores nothing, the right CA and a pin recorded at
 * enrolment let the window enrol and sync, a wrong pin shows its refusal where staff see
 * the sync status, and the plaintext switch puts a warning on the staff panel.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { tempDir } from '../support/tmp';
import { openTestDatabase, type TestDatabase } from '../sync/support/backends';
import { makeTestCertificates, OPENSSL_MISSING, type TestCertificates } from '../sync/support/certs';
import { ADMIN_TOKEN, startCentre, type TestCentre } from '../sync/support/centre';
import { launchBrowser, openPage, VIEWPORTS } from './support/browser';
import { ROOT } from './support/renderer';
import { startWindow, type WindowRig } from './support/window';

if (OPENSSL_MISSING) throw new Error(OPENSSL_MISSING);

const ADMIN_PIN = '31415926';
const SHOTS = join(ROOT, 'test-artifacts', 'e2e');
const VIEWPORT = VIEWPORTS[1];

let certs: TestCertificates;
let database: TestDatabase;
let centre: TestCentre;
let browser: Browser;
const errors: string[] = [];
const closers: (() => Promise<void>)[] = [];

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  certs = makeTestCertificates(tempDir('cordial-e2e-certs-'));
  database = await openTestDatabase('postgres');
  centre = await startCentre(database.db, { tls: { cert: certs.good.cert, key: certs.good.key } });
  browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
  for (const close of closers.reverse()) await close();
  await browser?.close();
  await centre?.close();
  await database?.close();
});

/** The centre's admin API, in process: the test's own fetch does not trust the private CA, and need not. */
async function enrolmentCode(windowNo: string): Promise<string> {
  const made = await centre.centre.app.inject({ method: 'POST', url: '/v1/admin/enrolment-codes', headers: { authorization: `Bearer ${ADMIN_TOKEN}` }, payload: { windowNo } });
  return (made.json() as { code: string }).code;
}
const count = async (table: 'terminals' | 'records') => Number((await database.db.query<{ n: number }>(`SELECT count(*)::integer AS n FROM ${table}`))[0]!.n);

async function openWindow(config: Record<string, unknown>): Promise<{ rig: WindowRig; staff: Page }> {
  const rig = await startWindow({ keypad: false, config });
  let context: BrowserContext | null = null;
  closers.push(async () => {
    await context?.close();
    await rig.close();
  });
  const opened = await openPage(browser, rig.shell.staffUrl, VIEWPORT, errors);
  context = opened.context;
  return { rig, staff: opened.page };
}

/** First run: the setup code shown on this PC and a new admin PIN, then the tab with the centre settings. */
async function openCentreSettings(rig: WindowRig, staff: Page): Promise<void> {
  await staff.getByTestId('toggle-admin').click();
  await staff.getByTestId('setup-code').fill(rig.shell.runtime.adminSetupCode!);
  await staff.getByTestId('new-pin').fill(ADMIN_PIN);
  await staff.getByTestId('confirm-pin').fill(ADMIN_PIN);
  await staff.getByTestId('set-pin').click();
  await staff.getByTestId('tab-general').click();
}

const storedCentre = (rig: WindowRig) => (JSON.parse(rig.readConfig()) as { centre: { caCertificate: string | null; pin: string | null; allowPlaintext: boolean } }).centre;
const pemBody = (pem: string) => pem.replace(/-----[A-Z ]+-----/g, '').replace(/\s+/g, '');

async function shot(page: Page, name: string, lang: 'zh' | 'en', focus?: string): Promise<void> {
  if (focus) await page.getByTestId(focus).scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(SHOTS, `transport-${name}-${lang}-${VIEWPORT.width}x${VIEWPORT.height}.png`) });
}

async function switchLang(page: Page, to: 'zh' | 'en'): Promise<void> {
  await page.getByTestId('staff-lang').click();
  await page.locator(`html[lang="${to === 'zh' ? 'zh-CN' : 'en'}"]`).waitFor();
}

describe('the centre CA and key pin on the admin page', () => {
  let rig: WindowRig;
  let staff: Page;
  let codeForLater = '';

  beforeAll(async () => {
    ({ rig, staff } = await openWindow({ centre: { url: centre.url }, window: { windowNo: '9' } }));
    expect(centre.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
  });

  it('refuses a pasted private key on the page, and keeps it out of the settings', async () => {
    await openCentreSettings(rig, staff);
    const before = rig.readConfig();
    await staff.getByTestId('ca-pem').fill(certs.ca.key);
    await staff.getByTestId('ca-error').filter({ hasText: '这是私钥，不是证书' }).waitFor();
    await staff.getByTestId('trust-save').click();
    await staff.getByTestId('ca-error').waitFor();
    expect(rig.readConfig()).toBe(before);
    expect(rig.readConfig()).not.toContain('PRIVATE KEY');
    await staff.getByTestId('ca-clear').click();
    await staff.getByTestId('ca-error').waitFor({ state: 'detached' });
  });

  it('marks an expired certificate that is no CA before saving, and the save refuses it with a sentence', async () => {
    const before = rig.readConfig();
    await staff.getByTestId('ca-pem').fill(certs.expired.cert);
    await staff.getByTestId('ca-dates').filter({ hasText: '（已过期）' }).waitFor();
    await staff.getByTestId('ca-info').filter({ hasText: '不是 CA 证书' }).waitFor();
    await staff.getByTestId('trust-save').click();
    await staff.getByTestId('trust-error').filter({ hasText: '中心 CA 栏中没有当前有效的证书（CN=expired centre: 2020-01-01T00:00:00.000Z to 2020-02-01T00:00:00.000Z）' }).waitFor();
    expect(rig.readConfig()).toBe(before);
    await staff.getByTestId('ca-clear').click();
  });

  it('with the wrong CA, refuses to enrol with a sentence naming both authorities, and the centre stores nothing', async () => {
    await staff.getByTestId('ca-pem').fill(certs.otherCa.cert);
    await staff.getByTestId('ca-subject').filter({ hasText: 'CN=Somebody Else CA' }).waitFor();
    await staff.getByTestId('pin-enrolment').check();
    await staff.getByTestId('trust-save').click();
    await staff.getByTestId('trust-saved').waitFor();
    expect(pemBody(storedCentre(rig).caCertificate ?? '')).toBe(pemBody(certs.otherCa.cert));
    expect(storedCentre(rig).pin).toBe('enrolment');

    const code = await enrolmentCode('9');
    await staff.getByTestId('enrol-code').fill(code);
    await staff.getByTestId('enrol').click();
    const refusal = staff.getByTestId('enrol-error');
    await refusal.filter({ hasText: 'nothing was sent' }).waitFor();
    const sentence = (await refusal.textContent()) ?? '';
    expect(sentence).toContain('issued by O=Cordial test centre, CN=Cordial Test Government CA');
    expect(sentence).toContain('the CA set on the admin page (CN=Somebody Else CA)');
    await staff.getByTestId('recorded-pin-none').waitFor();
    await shot(staff, 'wrong-ca', 'zh', 'enrol-error');
    expect(await count('terminals')).toBe(0);
    expect(await count('records')).toBe(0);
    // The code was never presented to the centre, so it still enrols this window below.
    codeForLater = code;
  });

  it('shows the right CA, chosen from its file, with subject and dates before saving, enrols over HTTPS and shows the key it recorded', async () => {
    await staff.getByTestId('ca-file').setInputFiles({ name: 'zwfw-ca.pem', mimeType: 'application/x-pem-file', buffer: Buffer.from(certs.ca.cert) });
    // The page reads the file asynchronously: wait for the field to show it.
    await staff.getByTestId('ca-subject').filter({ hasText: 'CN=Cordial Test Government CA' }).waitFor();
    await expect.poll(() => staff.getByTestId('ca-pem').inputValue()).toBe(certs.ca.cert);
    await staff.getByTestId('ca-dates').filter({ hasText: '（有效）' }).waitFor();
    // Shown, and not yet stored: the old CA is still the one in force.
    expect(pemBody(storedCentre(rig).caCertificate ?? '')).toBe(pemBody(certs.otherCa.cert));
    await shot(staff, 'ca-before-save', 'zh', 'ca-info');
    await staff.getByTestId('trust-save').click();
    await staff.getByTestId('trust-saved').waitFor();
    expect(pemBody(storedCentre(rig).caCertificate ?? '')).toBe(pemBody(certs.ca.cert));

    await staff.getByTestId('enrol-code').fill(codeForLater);
    await staff.getByTestId('enrol').click();
    await staff.getByTestId('enrolled').filter({ hasText: '9' }).waitFor();
    await staff.locator(`[data-testid="recorded-pin"][data-pin="${certs.good.pin}"]`).waitFor();
    expect(((await staff.getByTestId('recorded-pin').textContent()) ?? '').replace(/ /g, '')).toBe(certs.good.pin);
    expect(await count('terminals')).toBe(1);
    await shot(staff, 'enrolled-pin', 'zh', 'recorded-pin');
    await switchLang(staff, 'en');
    await staff.getByTestId('ca-dates').filter({ hasText: '(valid)' }).waitFor();
    await shot(staff, 'enrolled-pin', 'en', 'recorded-pin');
    await shot(staff, 'ca-before-save', 'en', 'ca-info');
    await switchLang(staff, 'zh');
  });

  it('syncs the day’s records over the pinned HTTPS connection', async () => {
    await staff.getByTestId('admin-lock').click();
    await staff.getByTestId('toggle-admin').click();
    await staff.getByTestId('badge-input').fill('BADGE-1001');
    await staff.getByTestId('badge-input').press('Enter');
    await staff.locator('[data-testid="sync-pending"]').filter({ hasText: /^[1-9]/ }).waitFor();
    await staff.getByTestId('sync-now').click();
    await staff.locator('[data-testid="sync-pending"]').filter({ hasText: /^0$/ }).waitFor();
    expect(await count('records')).toBeGreaterThan(0);
  });

  it('with a typed pin the centre’s key does not match, staff see the refusal where the sync status is, and nothing more reaches the centre', async () => {
    const held = await count('records');
    await staff.getByTestId('toggle-admin').click();
    await staff.getByTestId('admin-pin').fill(ADMIN_PIN);
    await staff.getByTestId('admin-login').click();
    await staff.getByTestId('tab-general').click();
    await staff.getByTestId('pin-typed').check();
    await staff.getByTestId('pin-typed-value').fill('not a pin');
    await staff.getByTestId('trust-save').click();
    await staff.getByTestId('pin-error').filter({ hasText: '公钥指纹须为 44 个字符的 Base64' }).waitFor();
    expect(storedCentre(rig).pin).toBe('enrolment');
    await staff.getByTestId('pin-typed-value').fill(certs.renewed.pin);
    await staff.getByTestId('trust-save').click();
    await staff.getByTestId('trust-saved').waitFor();
    expect(storedCentre(rig).pin).toBe(certs.renewed.pin);

    await staff.getByTestId('toggle-admin').click();
    await staff.getByTestId('sign-out').click();
    await staff.locator('[data-testid="sync-pending"]').filter({ hasText: /^[1-9]/ }).waitFor();
    await staff.getByTestId('sync-now').click();
    await staff.locator('[data-testid="sync-state"][data-state="error"]').waitFor();
    const detail = staff.getByTestId('sync-detail');
    await detail.filter({ hasText: `not the pinned key ${certs.renewed.pin}` }).waitFor();
    await expect(detail.textContent()).resolves.toContain(`has the public key ${certs.good.pin}`);
    await expect(detail.getAttribute('role')).resolves.toBe('alert');
    // In Chinese on the Chinese panel, with the centre's English specifics beneath for IT.
    await detail.filter({ hasText: /^中心证书未通过检查，未发送任何数据/ }).waitFor();
    await staff.getByTestId('sync-detail-technical').filter({ hasText: `not the pinned key ${certs.renewed.pin}` }).waitFor();
    // Said once, where the sync status is: not again under the button.
    await expect(staff.getByTestId('sync-error').count()).resolves.toBe(0);
    expect(await count('records')).toBe(held);
    await shot(staff, 'pin-refused', 'zh', 'sync-detail');
    await switchLang(staff, 'en');
    await detail.filter({ hasText: `not the pinned key ${certs.renewed.pin}` }).waitFor();
    await expect(detail.textContent()).resolves.not.toMatch(/[\u4e00-\u9fff]/);
    await shot(staff, 'pin-refused', 'en', 'sync-detail');
    await switchLang(staff, 'zh');
  });
});

describe('the plaintext switch', () => {
  it('warns on the staff panel, in words, while records would cross the network unencrypted', async () => {
    // Not reachable and need not be: the warning is about the settings, not the link.
    const { rig, staff } = await openWindow({ centre: { url: 'http://centre.invalid:8080' }, window: { windowNo: '12' } });
    await staff.getByTestId('staff-phase').waitFor();
    await expect(staff.getByTestId('unencrypted-warning').count()).resolves.toBe(0);

    await openCentreSettings(rig, staff);
    await staff.getByTestId('allow-plaintext').check();
    await staff.getByTestId('plaintext-meaning').filter({ hasText: '不加密地在网络上传输' }).waitFor();
    await shot(staff, 'plaintext-switch', 'zh', 'plaintext-meaning');
    await staff.getByTestId('trust-save').click();
    await staff.getByTestId('trust-saved').waitFor();
    expect(storedCentre(rig).allowPlaintext).toBe(true);

    await staff.getByTestId('admin-lock').click();
    await staff.getByTestId('toggle-admin').click();
    const warning = staff.getByTestId('unencrypted-warning');
    await warning.filter({ hasText: '警告：数据未加密传输' }).waitFor();
    await expect(warning.getAttribute('role')).resolves.toBe('alert');
    await shot(staff, 'staff-warning', 'zh');
    await switchLang(staff, 'en');
    await warning.filter({ hasText: 'Warning: data sent unencrypted' }).waitFor();
    await shot(staff, 'staff-warning', 'en');
    await switchLang(staff, 'zh');

    // Switched off again, the warning goes.
    await staff.getByTestId('toggle-admin').click();
    await staff.getByTestId('admin-pin').fill(ADMIN_PIN);
    await staff.getByTestId('admin-login').click();
    await staff.getByTestId('tab-general').click();
    await staff.getByTestId('allow-plaintext').uncheck();
    await staff.getByTestId('trust-save').click();
    await staff.getByTestId('trust-saved').waitFor();
    await staff.getByTestId('toggle-admin').click();
    await warning.waitFor({ state: 'detached' });
    expect(errors).toEqual([]);
  });
});
