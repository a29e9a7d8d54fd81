/**
 * The IT pages in Debian's chromium against a real centre process: an IT user makes an
 * enrolment code on the Windows page and a real kiosk enrols with it, then takes a new
 * token the page asked for; the Lists page
 * shrinks a large photo before upload and refuses, with a sentence, a file too big or not
 * a picture, and says the centre's refusal of a badge another person holds in Chinese and,
 * after the switch, in English; the department bulletin printed to PDF carries the figures this test counts
 * itself from the kiosk's own records. Screenshots at 1366×768 and 1920×1080.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { deflateSync, crc32 } from 'node:zlib';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildConsole } from '../../scripts/build';
import { CONSOLE_DIST } from '../../server/src/console-files';
import { createSyncClient } from '../../src/core/sync';
import { readCredentials } from '../../src/core/sync/credentials';
import { PHOTO_MAX_BYTES, type StaffRow } from '../../src/shared/console/contract';
import { isPoor, type RatingLevel } from '../../src/shared/levels';
import { leaveUnrated, openTerminal, serveCase, type Terminal } from '../sync/support/terminal';
import { CONSOLE_VIEWPORTS, launchBrowser, openConsole, screenshot, signIn } from './support/browser';
import { startCentreProcess, type CentreProcess } from './support/centre';
import { pdfTextRuns } from './it-pdf-text';

const IT = { username: 'it.zhou', displayName: '周信息', password: 'it-admin-pass-12' };

/** A real PNG of the given size, a colour gradient (so it does not compress to nothing). */
function png(width: number, height: number): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const out = Buffer.alloc(12 + data.length);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc32(body), 8 + data.length);
    return out;
  };
  const rows = Buffer.alloc((width * 3 + 1) * height);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) rows.set([(x * 255) / width, (y * 255) / height, (x ^ y) & 255], y * (width * 3 + 1) + 1 + x * 3);
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', header), chunk('IDAT', deflateSync(rows)), chunk('IEND', Buffer.alloc(0))]);
}

/** The bulletin's figures counted from the kiosk's own outbox: every finished case of the department. */
function countedOnTheKiosk(t: Terminal, department: string) {
  const records = t.kiosk.db.prepare("SELECT kind, payload FROM outbox WHERE kind IN ('case_opened', 'case_closed', 'rating', 'case_unrated')").all() as { kind: string; payload: string }[];
  const opened = new Map<string, { departmentCode: string }>();
  const closed = new Set<string>();
  const level = new Map<string, RatingLevel>();
  const unrated = new Set<string>();
  for (const r of records) {
    const p = JSON.parse(r.payload) as { caseId: string; departmentCode: string; level: RatingLevel; ratingType: string };
    if (r.kind === 'case_opened') opened.set(p.caseId, p);
    if (r.kind === 'case_closed') closed.add(p.caseId);
    if (r.kind === 'rating' && p.ratingType === 'first') level.set(p.caseId, p.level);
    if (r.kind === 'case_unrated') unrated.add(p.caseId);
  }
  const mine = [...closed].filter((id) => opened.get(id)?.departmentCode === department);
  const rated = mine.filter((id) => level.has(id));
  const poor = rated.filter((id) => isPoor(level.get(id)!)).length;
  const satisfaction = `${(((rated.length - poor) / rated.length) * 100).toFixed(1)}%`;
  return { cases: mine.length, rated: rated.length, unrated: mine.filter((id) => unrated.has(id)).length, satisfaction, poor };
}

describe('IT pages', () => {
  let centre: CentreProcess;
  let browser: Browser;
  let page: Page;
  const errors: string[] = [];
  const kiosks: Terminal[] = [];

  beforeAll(async () => {
    // The console must include these pages: build it when the build on disk predates them.
    const built = (() => {
      try {
        return readdirSync(`${CONSOLE_DIST}/assets`).some((f) => f.endsWith('.js') && readFileSync(`${CONSOLE_DIST}/assets/${f}`, 'utf8').includes('it-terminals'));
      } catch {
        return false;
      }
    })();
    if (!built) await buildConsole();
    centre = await startCentreProcess();
    const token = new URL(await centre.setupLink()).hash.replace('#token=', '');
    const setup = await fetch(`${centre.url}/v1/console/setup`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ setupToken: token, ...IT }) });
    if (setup.status !== 200) throw new Error(`setup failed: ${await setup.text()}`);
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

  const shots = async (path: string, name: string, ready: (p: Page) => Promise<void>) => {
    for (const viewport of CONSOLE_VIEWPORTS) {
      const look = await openConsole(browser, `${centre.url}${path}`, viewport);
      await look.context.addCookies(await page.context().cookies());
      await look.page.goto(`${centre.url}${path}`);
      await ready(look.page);
      await screenshot(look.page, name);
      await look.context.close();
    }
  };

  it('makes an enrolment code that a real kiosk enrols with, and shows the terminal', async () => {
    await page.locator('nav.side a', { hasText: /^窗口$/ }).click();
    await page.getByRole('heading', { name: '窗口与终端' }).waitFor();
    await page.locator('input[name=code-window]').fill('8');
    await page.locator('form[aria-label=生成注册码] button[type=submit]').click();
    const code = (await page.getByTestId('new-code').textContent())!;
    expect(code).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}$/);
    expect(await page.getByTestId('codes').locator('tbody tr').first().textContent()).toContain('可用');

    const t = openTerminal({ windowNo: '8' });
    kiosks.push(t);
    const client = createSyncClient({ db: t.kiosk.db, terminalId: t.kiosk.terminal.terminalId, centreUrl: centre.url, clock: t.clock, retry: { attempts: 1 } });
    expect(await client.enrol(code)).toMatchObject({ ok: true, windowNo: '8' });
    for (const level of [1, 1, 2, 4] as const) serveCase(t, level);
    leaveUnrated(t);
    for (const level of [1, 5] as const) serveCase(t, level);
    expect(await client.syncNow()).toMatchObject({ ok: true });

    await page.reload();
    const row = page.locator(`tr[data-terminal="${t.kiosk.terminal.terminalId}"]`);
    await row.waitFor();
    expect(await row.locator('td').first().textContent()).toBe('8');
    expect(await page.getByTestId('codes').locator('tbody tr').first().textContent()).toContain('已使用');
    // The code is shown once: the list never repeats it.
    expect(await page.getByTestId('codes').textContent()).not.toContain(code);
    await shots('/windows', 'it-windows', (p) => p.getByTestId('terminals').waitFor());
  }, 120_000);

  it('refuses a photo too big or not a picture with a sentence, and shrinks a large picture before upload', async () => {
    await page.locator('nav.side a', { hasText: '名单' }).click();
    await page.locator('form[aria-label=人员] input[name=staffNo]').fill('8001');
    await page.locator('form[aria-label=人员] input[name=name]').fill('吴芳');
    await page.locator('form[aria-label=人员] button[type=submit]').click();
    await page.locator('tr[data-staff="8001"]').waitFor();
    const input = page.locator('input[name=photo-8001]');
    const notice = page.getByTestId('notice');
    const hasPhoto = async () => (await page.evaluate(async () => (await (await fetch('/v1/console/lists/staff')).json()) as { staff: StaffRow[] })).staff.find((s) => s.staffNo === '8001')!.hasPhoto;

    await input.setInputFiles({ name: 'huge.jpg', mimeType: 'image/jpeg', buffer: Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(12 * 1024 * 1024, 1)]) });
    await expect.poll(() => notice.textContent()).toMatch(/这个文件有 12 MB，太大了/);
    await input.setInputFiles({ name: 'notes.png', mimeType: 'image/png', buffer: Buffer.from('这不是图片') });
    await expect.poll(() => notice.textContent()).toMatch(/这个文件不是可以打开的图片/);
    expect(await notice.getAttribute('role')).toBe('alert');
    expect(await hasPhoto()).toBe(false);

    const large = png(1600, 1200);
    await input.setInputFiles({ name: 'portrait.png', mimeType: 'image/png', buffer: large });
    await expect.poll(() => notice.textContent()).toMatch(/吴芳 的照片已上传/);
    expect(await hasPhoto()).toBe(true);
    const stored = await page.evaluate(async () => {
      const response = await fetch('/v1/console/lists/staff/8001/photo');
      return { type: response.headers.get('content-type'), bytes: (await response.arrayBuffer()).byteLength };
    });
    expect(stored.type).toBe('image/jpeg');
    expect(stored.bytes).toBeLessThanOrEqual(PHOTO_MAX_BYTES);
    expect(stored.bytes).toBeLessThan(large.length);
    await shots('/lists', 'it-lists', (p) => p.getByTestId('staff').waitFor());

    // The centre's refusal of a badge another person holds reads whole in the page's language.
    const staffForm = page.locator('form', { has: page.locator('input[name=staffNo]') });
    const saveStaff = async (staffNo: string, name: string, badges: string) => {
      await staffForm.locator('input[name=staffNo]').fill(staffNo);
      await staffForm.locator('input[name=name]').fill(name);
      await staffForm.locator('input[name=badges]').fill(badges);
      await staffForm.locator('button[type=submit]').click();
    };
    await saveStaff('8001', '吴芳', 'B-8001');
    await expect.poll(() => page.locator('tr[data-staff="8001"]').textContent()).toContain('B-8001');
    await saveStaff('8002', '郑强', 'B-8001');
    await expect.poll(() => notice.textContent()).toBe('工牌 B-8001 已登记在 吴芳（工号 8001）名下，未做任何更改。请先从其人员记录中去掉这张工牌，再保存。');
    await page.getByRole('button', { name: 'English' }).click();
    await staffForm.locator('button[type=submit]').click();
    await expect.poll(() => notice.textContent()).toBe('Badge B-8001 belongs to 吴芳 (8001); nothing was changed. Take it off their record first, then save again.');
    expect(await page.locator('tr[data-staff="8002"]').count()).toBe(0);
    await page.getByRole('button', { name: '中文' }).click();
    await page.locator('nav.side a', { hasText: '名单' }).waitFor();
  }, 120_000);

  it('asks a terminal for a new token; the kiosk takes it on its next contact and the page says when', async () => {
    const t = kiosks[0]!;
    const terminalId = t.kiosk.terminal.terminalId;
    const before = readCredentials(t.kiosk.db)!.token;
    await page.locator('nav.side a', { hasText: /^窗口$/ }).click();
    const row = page.locator(`tr[data-terminal="${terminalId}"]`);
    await row.waitFor();
    expect(await row.getByTestId('token-state').textContent()).toBe('—');
    page.once('dialog', (dialog) => void dialog.accept());
    await row.getByRole('button', { name: '轮换令牌' }).click();
    await expect.poll(() => page.getByRole('status').first().textContent()).toContain(`已请求为终端 ${terminalId} 轮换令牌`);
    await expect.poll(() => row.getByTestId('token-state').textContent()).toMatch(/已请求轮换，待终端取用$/);

    // Nothing new to send: the config pull alone is the next contact.
    const client = createSyncClient({ db: t.kiosk.db, terminalId, centreUrl: centre.url, clock: t.clock, retry: { attempts: 1 } });
    expect(await client.syncNow()).toMatchObject({ ok: true });
    expect(readCredentials(t.kiosk.db)!.token).not.toBe(before);

    await page.reload();
    await row.waitFor();
    expect(await row.getByTestId('token-state').textContent()).toMatch(/已轮换；旧令牌有效至 /);
  }, 120_000);

  it("prints the department bulletin with the figures counted from the kiosk's records", async () => {
    await page.locator('nav.side a', { hasText: '导出' }).click();
    await page.locator('input[name=bulletin-month]').fill('2026-03');
    await page.locator('select[name=bulletin-department]').selectOption('340104-SJ');
    await page.getByTestId('open-bulletin').click();
    await page.getByTestId('bulletin').waitFor();
    const expected = countedOnTheKiosk(kiosks[0]!, '340104-SJ');
    expect(expected).toEqual({ cases: 6, rated: 6, unrated: 0, satisfaction: '66.7%', poor: 2 });

    const pdf = await page.pdf({ format: 'A4', preferCSSPageSize: true, printBackground: true });
    const runs = pdfTextRuns(pdf);
    const after = (label: string, n: number) => runs.slice(runs.indexOf(label) + 1, runs.indexOf(label) + 1 + n);
    const figures = [expected.cases, expected.rated, expected.unrated, expected.satisfaction, expected.poor].map(String);
    expect(after('340104-SJ', 5)).toEqual(figures);
    expect(after('8', 5)).toEqual(figures);
    // The console around the page is not printed.
    expect(runs.join('')).not.toContain('退出');
    // A4 portrait: 210 × 297 mm is about 595 × 842 points.
    const box = /\/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]/.exec(pdf.toString('latin1'))!;
    expect(Math.abs(Number(box[1]) - 595)).toBeLessThan(3);
    expect(Math.abs(Number(box[2]) - 842)).toBeLessThan(3);
    await shots(new URL(page.url()).pathname + new URL(page.url()).search, 'it-bulletin', (p) => p.getByTestId('bulletin').waitFor());
    await shots('/exports', 'it-exports', (p) => p.locator('input[name=bulletin-month]').waitFor());
    expect(errors).toEqual([]);
  }, 120_000);
});
