/**
 * 办事公开 (10.7) on the citizen screen: while a case is open, the citizen sees the item's
 * materials (original or copy, how many, notes) and its promised time in large type, then the
 * fees and where to ask, wholly on screen at 1920x1080 and 1280x800, in Chinese and in English.
 * The information reaches the window's item list as a centre config does (Directory.upsertItems
 * from a second connection to the window's database); an item without any shows the plain
 * serving screen. Screenshots go to test-artifacts/screens/.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { DATABASE_FILE } from '../../src/core/paths';
import { Directory } from '../../src/core/store/directory';
import type { ServiceInfo } from '../../src/shared/service-info';
import { launchBrowser, openScreens, VIEWPORTS } from './support/browser';
import { layoutProblems } from './support/layout';
import { ROOT } from './support/renderer';
import { startWindow, type WindowRig } from './support/window';

const SHOTS = join(ROOT, 'test-artifacts', 'screens');
const ITEM = { itemCode: '340104-GA-003', itemVersion: '2', name: '居住证办理', departmentCode: '340104-GA', departmentName: '公安局' };
const INFO: ServiceInfo = {
  materials: [
    { name: '居民身份证', form: 'original', count: 1, notes: null },
    { name: '居住证申领登记表', form: 'original', count: 1, notes: '现场填写' },
    { name: '近期一寸免冠照片', form: 'original', count: 2, notes: '白底' },
    { name: '房屋租赁合同', form: 'copy', count: 1, notes: '自有住房提供不动产权证' },
    { name: '劳动合同或营业执照', form: 'copy', count: 1, notes: '就业人员提供' },
    { name: '学籍证明', form: 'copy', count: 1, notes: '就读人员提供' },
  ],
  promisedTime: { kind: 'working_days', days: 15 },
  fees: '首次申领不收费',
  whereToAsk: '一楼综合咨询台，电话 0551-12345',
};

/** An item with a long list: two columns, still wholly on screen. */
const LONG_ITEM = { itemCode: '340104-SJ-001', itemVersion: '2', name: '个体工商户设立登记', departmentCode: '340104-SJ', departmentName: '市场监督管理局' };
const LONG_INFO: ServiceInfo = {
  materials: Array.from({ length: 12 }, (_, i) => ({ name: `申请材料第${i + 1}项（经营者签字）`, form: i % 2 === 0 ? 'original' : 'copy', count: 1 + (i % 3), notes: i % 4 === 0 ? '加盖公章' : null })),
  promisedTime: { kind: 'on_the_spot' },
  fees: null,
  whereToAsk: null,
};

let rig: WindowRig;
let browser: Browser;

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  rig = await startWindow({ keypad: false, config: { rating: { windowSeconds: 120, detailsSeconds: 300, thanksSeconds: 2 }, window: { windowNo: '7', departmentName: '综合受理' } } });
  browser = await launchBrowser();
  // The centre's item list, as the window keeps it after a config pull.
  const db = new Database(join(rig.dataDir, DATABASE_FILE));
  try {
    db.pragma('busy_timeout = 5000');
    new Directory(db).upsertItems([{ ...ITEM, serviceInfo: INFO }, { ...LONG_ITEM, serviceInfo: LONG_INFO }]);
  } finally {
    db.close();
  }
});

afterAll(async () => {
  await browser?.close();
  await rig?.close();
});

async function openCase(staff: Page, citizen: Page, item: string) {
  await staff.getByTestId('item-search').fill(item);
  await staff.getByRole('radio', { name: new RegExp(item) }).check();
  await staff.getByTestId('open-case').click();
  await citizen.getByTestId('serving').filter({ hasText: item }).waitFor();
}

/** Every material row wholly on screen, and its name in type a person reads from a step away. */
async function materialsOnScreen(page: Page): Promise<{ visible: number; smallestPx: number }> {
  return page.evaluate(() => {
    const rows = [...document.querySelectorAll<HTMLElement>('.service-material')];
    const list = document.querySelector<HTMLElement>('[data-testid="service-materials"]');
    const box = list?.getBoundingClientRect();
    const visible = rows.filter((r) => {
      const b = r.getBoundingClientRect();
      return box && b.top >= box.top - 0.5 && b.bottom <= box.bottom + 0.5 && b.bottom <= window.innerHeight + 0.5 && b.right <= window.innerWidth + 0.5;
    }).length;
    const sizes = [...document.querySelectorAll<HTMLElement>('.service-material-name')].map((n) => parseFloat(getComputedStyle(n).fontSize));
    return { visible, smallestPx: Math.min(...sizes) };
  });
}

describe('the item’s service information on the citizen screen', () => {
  it('shows the materials and promised time while the case is open, zh and en, at both sizes', async () => {
    const s = await openScreens(browser, rig.shell, VIEWPORTS[0]);
    try {
      await s.citizen.getByTestId('closed').waitFor();
      await s.staff.getByTestId('staff-no-input').fill('1001');
      await s.staff.getByTestId('pin-input').fill('246810');
      await s.staff.getByRole('button', { name: '工号签到' }).click();
      await s.citizen.getByTestId('idle').waitFor();
      await expect(s.citizen.getByTestId('service-info').count()).resolves.toBe(0);

      await openCase(s.staff, s.citizen, ITEM.name);
      const panel = s.citizen.getByTestId('service-info');
      for (const viewport of VIEWPORTS) {
        await s.citizen.setViewportSize(viewport);
        for (const lang of ['zh', 'en'] as const) {
          const current = (await s.citizen.evaluate(() => document.documentElement.lang)).startsWith('zh') ? 'zh' : 'en';
          if (current !== lang) await s.citizen.getByTestId('lang-toggle').click();
          if (lang === 'zh') {
            await panel.getByText('所需材料').waitFor();
            await expect(s.citizen.getByTestId('service-time').innerText()).resolves.toMatch(/承诺时限\s*15 个工作日/);
            await expect(panel.getByText('复印件').count()).resolves.toBe(3);
            await expect(panel.getByText('2 份').count()).resolves.toBe(1);
            await expect(panel.innerText()).resolves.toContain('首次申领不收费');
          } else {
            await panel.getByText('Materials to bring').waitFor();
            await expect(s.citizen.getByTestId('service-time').innerText()).resolves.toMatch(/Promised time\s*15 working days/);
            await expect(panel.getByText('Copy', { exact: true }).count()).resolves.toBe(3);
            await expect(panel.getByText('× 2').count()).resolves.toBe(1);
          }
          // The materials are named as the centre wrote them, in either language.
          for (const m of INFO.materials) await expect(panel.getByText(m.name, { exact: true }).count()).resolves.toBe(1);
          await expect(panel.innerText()).resolves.toContain('0551-12345');
          const name = `citizen-service-info-${lang}-${viewport.width}x${viewport.height}`;
          await s.citizen.screenshot({ path: join(SHOTS, `${name}.png`) });
          expect(await layoutProblems(s.citizen, { inside: ['badge', 'window-status', 'lang-toggle', 'serving', 'service-info', 'service-time', 'service-materials'], scroll: 'none' }), name).toEqual([]);
          const shown = await materialsOnScreen(s.citizen);
          expect(shown.visible, `${name}: materials wholly on screen`).toBe(INFO.materials.length);
          expect(shown.smallestPx, `${name}: material names in large type`).toBeGreaterThanOrEqual(24);
        }
      }

      // The case ends: the information goes with it.
      await s.staff.getByTestId('outcome-completed').check();
      await s.staff.getByTestId('finish-case').click();
      await s.citizen.getByTestId('service-info').waitFor({ state: 'detached' });

      // The next citizen's item has twelve materials: all of them still fit, in two columns.
      await s.citizen.getByTestId('rate-very_satisfied').click();
      await s.citizen.getByTestId('idle').waitFor();
      await openCase(s.staff, s.citizen, LONG_ITEM.name);
      await expect(s.citizen.getByTestId('service-time').innerText()).resolves.toMatch(/即办/);
      for (const viewport of VIEWPORTS) {
        await s.citizen.setViewportSize(viewport);
        const name = `citizen-service-info-long-${viewport.width}x${viewport.height}`;
        await s.citizen.screenshot({ path: join(SHOTS, `${name}.png`) });
        expect(await layoutProblems(s.citizen, { inside: ['serving', 'service-info', 'service-materials'], scroll: 'none' }), name).toEqual([]);
        const shown = await materialsOnScreen(s.citizen);
        expect(shown.visible, `${name}: materials wholly on screen`).toBe(12);
        expect(shown.smallestPx, `${name}: material names in large type`).toBeGreaterThanOrEqual(20);
      }
      expect(s.errors).toEqual([]);
    } finally {
      await s.close();
    }
  });
});
