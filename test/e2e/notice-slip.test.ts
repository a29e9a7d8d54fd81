/**
 * 一次告知 (10.2) in chromium: staff tick the missing materials from the item's list, finish
 * the case, and the notice slip prints. Printed to PDF (page.pdf) in each layout, the slip
 * holds the ticked materials (and not the others), the case number, the window, staff and
 * where to ask, on A5 or an 80 mm roll; the case records what was ticked. A print that throws
 * (the browser shell) or a missing printer (the Electron bridge, stood in for in the page)
 * gives staff a sentence while the case stays recorded. The admin page lists the printers the
 * bridge names and keeps a chosen one that is gone, marked. Screenshots of the tick list, the
 * slip and the printer sentence go to test-artifacts/screens/ at both sizes, zh and en.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { DATABASE_FILE } from '../../src/core/paths';
import { hashPin } from '../../src/core/pin';
import { Directory } from '../../src/core/store/directory';
import type { ServiceInfo } from '../../src/shared/service-info';
import { pdfTextRuns } from '../console/it-pdf-text';
import { launchBrowser, openScreens, VIEWPORTS, type Screens } from './support/browser';
import { layoutProblems } from './support/layout';
import { ROOT } from './support/renderer';
import { startWindow, type WindowRig } from './support/window';

const SHOTS = join(ROOT, 'test-artifacts', 'screens');
const ADMIN_PIN = '13572468';
const CENTRE = '合肥市蜀山区政务服务中心';
const ITEM = { itemCode: '340104-GA-003', itemVersion: '2', name: '居住证办理', departmentCode: '340104-GA', departmentName: '公安局' };
const INFO: ServiceInfo = {
  materials: [
    { name: '居民身份证', form: 'original', count: 1, notes: null },
    { name: '居住证申领登记表', form: 'original', count: 1, notes: '现场填写' },
    { name: '近期一寸免冠照片', form: 'original', count: 2, notes: '白底' },
    { name: '房屋租赁合同', form: 'copy', count: 1, notes: '自有住房提供不动产权证' },
    { name: '劳动合同或营业执照', form: 'copy', count: 1, notes: '就业人员提供' },
  ],
  promisedTime: { kind: 'working_days', days: 15 },
  fees: null,
  whereToAsk: '一楼综合咨询台，电话 0551-12345',
};
/** An item the centre gave no list for: staff type the missing materials. */
const BARE_ITEM = { itemCode: '340104-MZ-009', itemVersion: '1', name: '临时救助申请', departmentCode: '340104-MZ', departmentName: '民政局' };

let rig: WindowRig;
let browser: Browser;

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  rig = await startWindow({
    keypad: false,
    config: {
      rating: { windowSeconds: 120, detailsSeconds: 300, thanksSeconds: 1 },
      window: { windowNo: '7', departmentName: '综合受理' },
      slip: { print: true, layout: 'a5', centreName: CENTRE },
      adminPinHash: hashPin(ADMIN_PIN),
    },
  });
  browser = await launchBrowser();
  // The centre's item list, as the window keeps it after a config pull.
  const db = new Database(join(rig.dataDir, DATABASE_FILE));
  try {
    db.pragma('busy_timeout = 5000');
    new Directory(db).upsertItems([
      { ...ITEM, serviceInfo: INFO },
      { ...BARE_ITEM, serviceInfo: null },
    ]);
  } finally {
    db.close();
  }
});

afterAll(async () => {
  await browser?.close();
  await rig?.close();
});

/** window.print in the staff panel records each call (or throws, for a printer that fails) instead of opening a dialog. */
async function standInPrint(page: Page, fails: boolean): Promise<void> {
  await page.evaluate((throws) => {
    const w = window as unknown as { prints: number; print: () => void };
    w.prints = 0;
    w.print = () => {
      w.prints += 1;
      if (throws) throw new Error('the printer is not responding');
    };
  }, fails);
}

/** The slip went to the browser's print: said to screen readers, no banner (the last slip's word may still stand: count the calls too). */
const printedSlip = (page: Page) => page.locator('[data-testid="slip-done"][data-status="dialogOpened"]').waitFor({ state: 'attached' });

const printCalls = (page: Page) => page.evaluate(() => (window as unknown as { prints: number }).prints);

async function signIn(s: Screens): Promise<void> {
  await s.citizen.getByTestId('closed').waitFor();
  await s.staff.getByTestId('staff-no-input').fill('1001');
  await s.staff.getByTestId('pin-input').fill('246810');
  await s.staff.getByRole('button', { name: '工号签到' }).click();
  await s.citizen.getByTestId('idle').waitFor();
}

async function openCase(s: Screens, item: string, caseNo: string | null): Promise<void> {
  await s.staff.getByTestId('item-search').fill(item);
  await s.staff.getByRole('radio', { name: new RegExp(item) }).check();
  if (caseNo) await s.staff.getByTestId('case-no').fill(caseNo);
  await s.staff.getByTestId('open-case').click();
  await s.citizen.getByTestId('serving').filter({ hasText: item }).waitFor();
}

async function staffLang(page: Page, lang: 'zh' | 'en'): Promise<void> {
  const current = (await page.evaluate(() => document.documentElement.lang)).startsWith('zh') ? 'zh' : 'en';
  if (current !== lang) await page.getByTestId('staff-lang').click();
  await page.waitForFunction((want) => document.documentElement.lang.startsWith(want), lang);
}

/** The citizen rates, so the window is ready for the next case. */
async function rateAndWait(s: Screens): Promise<void> {
  await s.citizen.getByTestId('rate-very_satisfied').click();
  await s.citizen.getByTestId('idle').waitFor();
}

/** The print view (the slip alone) at both sizes, in both languages: the slip follows the panel's language. */
async function slipShots(page: Page, layout: string): Promise<void> {
  for (const viewport of VIEWPORTS) {
    await page.setViewportSize(viewport);
    for (const lang of ['zh', 'en'] as const) {
      await staffLang(page, lang);
      await page.getByTestId('notice-slip').getByText(lang === 'zh' ? '一次性告知单' : 'Notice of Missing Materials').waitFor({ state: 'attached' });
      await page.emulateMedia({ media: 'print' });
      await page.screenshot({ path: join(SHOTS, `staff-notice-slip-${layout}-${lang}-${viewport.width}x${viewport.height}.png`) });
      await page.emulateMedia({ media: null });
    }
  }
  await page.setViewportSize(VIEWPORTS[0]);
}

const pageSizePt = (pdf: Buffer) => {
  const box = /\/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]/.exec(pdf.toString('latin1'))!;
  return { width: Number(box[1]), height: Number(box[2]) };
};

type CaseRow = { id: string; caseNo: string | null; outcome: string; missing: string };
const notifiedCases = () =>
  rig.query<CaseRow>("SELECT id, case_no AS caseNo, outcome, missing_materials AS missing FROM cases WHERE outcome = 'notified_missing' ORDER BY opened_at");

describe('一次告知: the tick list and the notice slip', () => {
  it('prints the ticked materials and the case number on A5 and on an 80 mm receipt, and records what was ticked', async () => {
    const s = await openScreens(browser, rig.shell, VIEWPORTS[0]);
    try {
      await signIn(s);
      await standInPrint(s.staff, false);

      // A5 (the setting at start), in Chinese.
      await openCase(s, ITEM.name, 'BJ-2026-0042');
      await s.staff.getByTestId('outcome-notified_missing').check();
      const ticks = s.staff.getByTestId('missing-tick');
      await expect(ticks.count()).resolves.toBe(INFO.materials.length);
      // Large targets: a finger, not only a mouse.
      for (const box of await Promise.all((await ticks.all()).map((t) => t.boundingBox()))) expect(box!.height).toBeGreaterThanOrEqual(44);
      await ticks.filter({ hasText: '居民身份证' }).click();
      await ticks.filter({ hasText: '近期一寸免冠照片' }).click();
      await s.staff.getByTestId('missing-ticks').getByText('已勾选 2 项').waitFor();
      for (const viewport of VIEWPORTS) {
        await s.staff.setViewportSize(viewport);
        for (const lang of ['zh', 'en'] as const) {
          await staffLang(s.staff, lang);
          await s.staff.getByTestId('missing-ticks').getByText(lang === 'zh' ? '一次告知：勾选缺少的材料' : 'Missing materials: tick each one').waitFor();
          const name = `staff-notice-ticks-${lang}-${viewport.width}x${viewport.height}`;
          await s.staff.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
          expect(await layoutProblems(s.staff, { inside: ['missing-ticks'], scroll: 'vertical' }), name).toEqual([]);
        }
      }
      await staffLang(s.staff, 'zh');
      await s.staff.setViewportSize(VIEWPORTS[0]);
      await s.staff.getByTestId('finish-case').click();
      await printedSlip(s.staff);
      await expect.poll(() => printCalls(s.staff), { timeout: 10_000 }).toBe(1);
      // A print that went needs no banner: the dialog (or the paper) shows it.
      await expect(s.staff.getByTestId('slip-status').count()).resolves.toBe(0);

      // What was ticked is what the case records.
      const first = notifiedCases();
      expect(first.map((c) => [c.caseNo, JSON.parse(c.missing)])).toEqual([['BJ-2026-0042', ['居民身份证（原件1份）', '近期一寸免冠照片（原件2份）']]]);

      const a5 = await s.staff.pdf({ preferCSSPageSize: true });
      const a5Text = pdfTextRuns(a5).join('');
      for (const expected of [CENTRE, '一次性告知单', 'BJ-2026-0042', '居住证办理', '居民身份证', '近期一寸免冠照片', '原件', '2 份', '王晓梅', '1001', '7 号窗口', '一楼综合咨询台', '0551-12345']) {
        expect(a5Text, expected).toContain(expected);
      }
      for (const unticked of ['居住证申领登记表', '房屋租赁合同', '劳动合同或营业执照']) expect(a5Text).not.toContain(unticked);
      // Only the slip is printed, not the panel around it.
      expect(a5Text).not.toContain('签退');
      // A5: 148 × 210 mm is about 420 × 595 points.
      const a5Size = pageSizePt(a5);
      expect(Math.abs(a5Size.width - 420)).toBeLessThan(3);
      expect(Math.abs(a5Size.height - 595)).toBeLessThan(3);
      await slipShots(s.staff, 'a5');
      await staffLang(s.staff, 'zh');
      await rateAndWait(s);

      // IT switches to the 80 mm receipt in the admin page; the browser shell says it uses the browser's dialog.
      await s.staff.getByTestId('toggle-admin').click();
      await s.staff.getByTestId('admin-pin').fill(ADMIN_PIN);
      await s.staff.getByTestId('admin-login').click();
      await s.staff.getByTestId('tab-general').click();
      const form = s.staff.getByTestId('slip-print-form');
      await form.getByTestId('slip-browser-printing').waitFor();
      await expect.poll(() => form.getByTestId('slip-centre-name').inputValue()).toBe(CENTRE);
      await form.getByTestId('slip-centre-name').fill('x'.repeat(61));
      await form.getByTestId('slip-save').click();
      await form.getByTestId('slip-settings-error').getByText('告知单抬头最多 60 个字。').waitFor();
      await form.getByTestId('slip-centre-name').fill(CENTRE);
      await form.getByTestId('slip-layout-receipt_80mm').check();
      await form.getByTestId('slip-save').click();
      await form.getByTestId('slip-saved').waitFor();
      expect(JSON.parse(rig.readConfig()).slip).toEqual({ print: true, printer: null, layout: 'receipt_80mm', centreName: CENTRE });
      for (const viewport of VIEWPORTS) {
        await s.staff.setViewportSize(viewport);
        for (const lang of ['zh', 'en'] as const) {
          await staffLang(s.staff, lang);
          await form.scrollIntoViewIfNeeded();
          await s.staff.screenshot({ path: join(SHOTS, `staff-admin-slip-${lang}-${viewport.width}x${viewport.height}.png`), fullPage: true });
        }
      }
      await s.staff.setViewportSize(VIEWPORTS[0]);
      await s.staff.getByTestId('toggle-admin').click();

      // The receipt, in English (the panel is in English), for a case without a case number: the case id stands in.
      await openCase(s, ITEM.name, null);
      await s.staff.getByTestId('outcome-notified_missing').check();
      await s.staff.getByTestId('missing-tick').filter({ hasText: '居住证申领登记表' }).click();
      await s.staff.getByTestId('missing-tick').filter({ hasText: '房屋租赁合同' }).click();
      await s.staff.getByTestId('missing-own-line').fill('社区出具的居住证明');
      await s.staff.getByTestId('finish-case').click();
      await printedSlip(s.staff);
      await expect.poll(() => printCalls(s.staff), { timeout: 10_000 }).toBe(2);
      const second = notifiedCases()[1]!;
      expect(second.caseNo).toBeNull();
      expect(JSON.parse(second.missing)).toEqual(['居住证申领登记表（原件1份）', '房屋租赁合同（复印件1份）', '社区出具的居住证明']);

      const receipt = await s.staff.pdf({ preferCSSPageSize: true });
      const receiptText = pdfTextRuns(receipt).join('');
      for (const expected of ['Notice of Missing Materials', second.id, '居住证申领登记表', '房屋租赁合同', '社区出具的居住证明', 'Copy', 'Original', 'Served by', '王晓梅', 'No. 7']) {
        expect(receiptText, expected).toContain(expected);
      }
      for (const unticked of ['居民身份证', '近期一寸免冠照片']) expect(receiptText).not.toContain(unticked);
      // 80 mm is about 227 points wide; the roll is as long as the slip, on one page.
      const receiptSize = pageSizePt(receipt);
      expect(Math.abs(receiptSize.width - 226.8)).toBeLessThan(3);
      expect(receipt.toString('latin1').match(/\/Type\s*\/Page\b/g)).toHaveLength(1);
      await slipShots(s.staff, 'receipt');
      await staffLang(s.staff, 'zh');
      await rateAndWait(s);
      expect(s.errors).toEqual([]);
    } finally {
      await s.close();
    }
  });

  it('gives staff a sentence when the printer fails or is missing, and the case is still recorded', async () => {
    const s = await openScreens(browser, rig.shell, VIEWPORTS[1]);
    try {
      await s.staff.getByTestId('staff-phase').waitFor();
      if ((await s.staff.getByTestId('signed-in-as').count()) === 0) await signIn(s);
      const before = notifiedCases().length;

      // The browser's print throws.
      await standInPrint(s.staff, true);
      await openCase(s, BARE_ITEM.name, 'BJ-2026-0099');
      await s.staff.getByTestId('outcome-notified_missing').check();
      // No list for this item: the typed lines, one material each.
      await s.staff.getByTestId('missing-materials').fill('户口簿复印件\n收入证明');
      await s.staff.getByTestId('finish-case').click();
      const problem = s.staff.getByTestId('slip-problem');
      await problem.getByText('打印机没能打印一次性告知单；本次办件已记录。', { exact: false }).waitFor();
      await s.citizen.getByTestId('rate-very_satisfied').waitFor();
      const recorded = notifiedCases();
      expect(recorded).toHaveLength(before + 1);
      expect(recorded.at(-1)).toMatchObject({ caseNo: 'BJ-2026-0099', missing: JSON.stringify(['户口簿复印件', '收入证明']) });
      for (const viewport of VIEWPORTS) {
        await s.staff.setViewportSize(viewport);
        for (const lang of ['zh', 'en'] as const) {
          await staffLang(s.staff, lang);
          if (lang === 'en') await problem.getByText('The printer could not print the notice slip; the case is recorded.', { exact: false }).waitFor();
          const name = `staff-notice-print-failed-${lang}-${viewport.width}x${viewport.height}`;
          await s.staff.screenshot({ path: join(SHOTS, `${name}.png`) });
          expect(await layoutProblems(s.staff, { inside: ['slip-status', 'slip-reprint'], scroll: 'vertical' }), name).toEqual([]);
        }
      }
      // Printing again once the printer is back.
      await standInPrint(s.staff, false);
      await s.staff.getByTestId('slip-reprint').click();
      await printedSlip(s.staff);
      await s.staff.getByTestId('slip-status').waitFor({ state: 'detached' });
      await expect.poll(() => printCalls(s.staff), { timeout: 10_000 }).toBe(1);
      await staffLang(s.staff, 'zh');
      await rateAndWait(s);

      // The Electron bridge, stood in for: its printer is missing.
      await s.staff.evaluate(() => {
        (window as unknown as { cordialPrinting: unknown }).cordialPrinting = {
          printers: () => Promise.resolve({ ok: true, result: [] }),
          printSlip: () => Promise.resolve({ ok: false, error: { code: 'printer_missing', message: 'no printer is set up on this PC' } }),
        };
      });
      await openCase(s, ITEM.name, 'BJ-2026-0100');
      await s.staff.getByTestId('outcome-notified_missing').check();
      await s.staff.getByTestId('missing-tick').first().click();
      await s.staff.getByTestId('finish-case').click();
      await problem.getByText('找不到打印机，一次性告知单没有打印；本次办件已记录。', { exact: false }).waitFor();
      expect(notifiedCases().at(-1)).toMatchObject({ caseNo: 'BJ-2026-0100', missing: JSON.stringify(['居民身份证（原件1份）']) });
      await rateAndWait(s);
      expect(s.errors).toEqual([]);
    } finally {
      await s.close();
    }
  });

  it('lets IT choose one of this PC’s printers when the Electron bridge lists them, and names a chosen one that is gone', async () => {
    const s = await openScreens(browser, rig.shell, VIEWPORTS[1]);
    try {
      await s.staff.getByTestId('staff-phase').waitFor();
      const bridge = (names: string[]) =>
        s.staff.evaluate((list) => {
          (window as unknown as { cordialPrinting: unknown }).cordialPrinting = {
            printers: () => Promise.resolve({ ok: true, result: list.map((name) => ({ name, displayName: name.replace(/_/g, ' '), description: '' })) }),
            printSlip: () => Promise.resolve({ ok: true, result: { printer: null } }),
          };
        }, names);
      await bridge(['EPSON_TM_T82', 'HP_LaserJet']);
      await s.staff.getByTestId('toggle-admin').click();
      await s.staff.getByTestId('admin-pin').fill(ADMIN_PIN);
      await s.staff.getByTestId('admin-login').click();
      await s.staff.getByTestId('tab-general').click();
      const form = s.staff.getByTestId('slip-print-form');
      const printer = form.getByTestId('slip-printer');
      await printer.locator('option', { hasText: 'EPSON TM T82' }).waitFor({ state: 'attached' });
      await expect.poll(() => printer.locator('option').allInnerTexts()).toEqual(['系统默认打印机', 'EPSON TM T82', 'HP LaserJet']);
      await expect(form.getByTestId('slip-browser-printing').count()).resolves.toBe(0);
      await printer.selectOption('EPSON_TM_T82');
      await form.getByTestId('slip-save').click();
      await form.getByTestId('slip-saved').waitFor();
      expect(JSON.parse(rig.readConfig()).slip).toMatchObject({ print: true, printer: 'EPSON_TM_T82' });

      // The thermal printer is unplugged: the page still names the saved choice, as not connected.
      await s.staff.getByTestId('toggle-admin').click();
      await bridge(['HP_LaserJet']);
      await s.staff.getByTestId('toggle-admin').click();
      await s.staff.getByTestId('admin-pin').or(s.staff.getByTestId('tab-general')).waitFor();
      if (await s.staff.getByTestId('admin-pin').isVisible()) {
        await s.staff.getByTestId('admin-pin').fill(ADMIN_PIN);
        await s.staff.getByTestId('admin-login').click();
      }
      await s.staff.getByTestId('tab-general').click();
      await printer.locator('option', { hasText: '（未连接）' }).waitFor({ state: 'attached' });
      await expect.poll(() => printer.inputValue()).toBe('EPSON_TM_T82');
      await expect.poll(() => printer.locator('option').allInnerTexts()).toEqual(['系统默认打印机', 'HP LaserJet', 'EPSON_TM_T82 （未连接）']);
      expect(s.errors).toEqual([]);
    } finally {
      await s.close();
    }
  });

  it('refuses to finish 一次告知 with nothing ticked or typed, and records nothing', async () => {
    const s = await openScreens(browser, rig.shell, VIEWPORTS[1]);
    try {
      await s.staff.getByTestId('staff-phase').waitFor();
      if ((await s.staff.getByTestId('signed-in-as').count()) === 0) await signIn(s);
      await standInPrint(s.staff, false);
      const before = notifiedCases().length;
      await openCase(s, ITEM.name, 'BJ-2026-0101');
      await s.staff.getByTestId('outcome-notified_missing').check();
      await s.staff.getByTestId('missing-own-line').fill('   ');
      await s.staff.getByTestId('finish-case').click();
      await s.staff.getByTestId('finish-case-error').getByText('一次告知须至少勾选或填写一项缺少的材料').waitFor();
      expect(notifiedCases()).toHaveLength(before);
      await expect(printCalls(s.staff)).resolves.toBe(0);
      await expect(s.staff.getByTestId('current-case').innerText()).resolves.toContain('BJ-2026-0101');
      expect(s.errors).toEqual([]);
    } finally {
      await s.close();
    }
  });
});
