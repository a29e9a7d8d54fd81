/**
 * Migration 0009 gives the window's service items a place for their service information
 * (办事公开). A data folder an earlier Cordial left — its items, and the centre config it kept,
 * which knew nothing of it — opens with every item as it was and no information; the kept
 * config still reads; the next config with information is kept and shows with the open case.
 */
import { copyFileSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DATABASE_FILE } from '../../src/core/paths';
import { DEMO_SEED_FILE } from '../../src/core/seed';
import { openDatabase } from '../../src/core/store/database';
import { Directory, type StaffEntry } from '../../src/core/store/directory';
import { DEFAULT_MIGRATIONS_DIR } from '../../src/core/store/migrations';
import { applyCentreConfig, cachedConfig, CentreConfig } from '../../src/core/sync/config-pull';
import { openTestKiosk } from '../support/kiosk';
import { tempDir } from '../support/tmp';

const closers: (() => void)[] = [];
afterEach(() => closers.splice(0).forEach((close) => close()));

function migrationsBefore0009(): string {
  const dir = join(tempDir(), 'migrations');
  mkdirSync(dir);
  for (const f of readdirSync(DEFAULT_MIGRATIONS_DIR)) if (Number(f.slice(0, 4)) <= 8) copyFileSync(join(DEFAULT_MIGRATIONS_DIR, f), join(dir, f));
  return dir;
}

const ITEM = { itemCode: '340104-SJ-001', itemVersion: '2', name: '个体工商户设立登记', departmentCode: '340104-SJ', departmentName: '市场监督管理局' };
const oldConfig = {
  window: { windowNo: '1', departmentCode: null, departmentName: null, areaCode: null, closingTime: null, rating: { windowSeconds: 15, detailsSeconds: 60 } },
  ratingPolicy: { defaultRating: null },
  staff: [],
  items: [ITEM],
  reasons: [],
};

describe('migration 0009: service information of the items', () => {
  it('keeps the items and the kept config, and takes the information the next config brings', () => {
    const dataDir = tempDir();
    const old = openDatabase(join(dataDir, DATABASE_FILE), { migrationsDir: migrationsBefore0009() }).db;
    // The seed as an earlier Cordial loaded it: items without the new column.
    const seed = JSON.parse(readFileSync(DEMO_SEED_FILE, 'utf8')) as { staff: StaffEntry[]; items: { itemCode: string; itemVersion?: string; name: string }[] };
    new Directory(old).upsertStaff(seed.staff);
    const addItem = old.prepare('INSERT INTO service_items (item_code, item_version, name) VALUES (?, ?, ?)');
    for (const i of seed.items) addItem.run(i.itemCode, i.itemVersion ?? '1', i.name);
    old.prepare('INSERT INTO centre_config (id, etag, body, fetched_at) VALUES (1, ?, ?, ?)').run('"old"', JSON.stringify(oldConfig), 1);
    const itemsBefore = old.prepare('SELECT item_code, item_version, name, active FROM service_items ORDER BY item_code').all();
    expect(itemsBefore.length).toBeGreaterThan(0);
    old.close();

    const { kiosk } = openTestKiosk({ dataDir });
    closers.push(() => kiosk.close());
    expect(kiosk.db.prepare('SELECT item_code, item_version, name, active FROM service_items ORDER BY item_code').all()).toEqual(itemsBefore);
    expect(kiosk.db.prepare('SELECT count(*) FROM service_items WHERE service_info IS NOT NULL').pluck().get()).toBe(0);
    expect(cachedConfig(kiosk.db)?.config.items).toEqual([{ ...ITEM, serviceInfo: null }]);

    expect(kiosk.execute({ type: 'signInBadge', badgeId: 'BADGE-1001' }, 'staff')).toMatchObject({ ok: true });
    expect(kiosk.execute({ type: 'openCase', itemCode: ITEM.itemCode }, 'staff')).toMatchObject({ ok: true });
    expect(kiosk.snapshot().case).toMatchObject({ itemCode: ITEM.itemCode, serviceInfo: null });

    const info = { materials: [{ name: '身份证', form: 'original', count: 1, notes: null }], promisedTime: { kind: 'on_the_spot' }, fees: null, whereToAsk: '一楼咨询台' };
    const body = JSON.stringify({ ...oldConfig, items: [{ ...ITEM, serviceInfo: info }] });
    applyCentreConfig(kiosk.db, CentreConfig.parse(JSON.parse(body)), '"new"', body, 2);
    expect(kiosk.snapshot().case).toMatchObject({ itemCode: ITEM.itemCode, serviceInfo: info });
  });
});
