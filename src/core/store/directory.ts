/**
 * The lists a window works from: staff, service items and poor-rating reason codes.
 * Until the centre distributes them, IT loads them from JSON or CSV files.
 */
import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { z } from 'zod';
import { hashPin } from '../pin';
import { parseCsv } from './csv';
import type { Db } from './database';
import { REFERRAL_KINDS, type ReferralTarget } from '../../shared/domain';
import { ReceivedServiceInfo, type ServiceInfo } from '../../shared/service-info';

export const StaffEntry = z.object({
  staffNo: z.string().trim().min(1).max(32),
  name: z.string().trim().min(1).max(50),
  departmentCode: z.string().trim().max(64).nullish(),
  departmentName: z.string().trim().max(100).nullish(),
  /** Plain PIN in an import file; only its hash is kept. */
  pin: z.string().regex(/^\d{4,12}$/, 'PIN is 4 to 12 digits').nullish(),
  badgeIds: z.array(z.string().trim().min(1).max(64)).default([]),
  photo: z.string().startsWith('data:image/', 'photo must be a data:image/… URI').nullish(),
});
export type StaffEntry = z.input<typeof StaffEntry>;

export const ItemEntry = z.object({
  itemCode: z.string().trim().min(1).max(64),
  itemVersion: z.string().trim().min(1).max(16).default('1'),
  name: z.string().trim().min(1).max(200),
  departmentCode: z.string().trim().max(64).nullish(),
  departmentName: z.string().trim().max(100).nullish(),
  serviceInfo: ReceivedServiceInfo,
});
export type ItemEntry = z.input<typeof ItemEntry>;

export const ReasonEntry = z.object({
  code: z.string().trim().min(1).max(32),
  labelZh: z.string().trim().min(1).max(100),
  labelEn: z.string().trim().min(1).max(100),
  sort: z.coerce.number().int().default(0),
});
export type ReasonEntry = z.input<typeof ReasonEntry>;

/** A place staff may send a citizen (首问负责), as the centre distributes it with the config. */
export const ReferralTargetEntry = z.object({ code: z.string().min(1).max(64), name: z.string().min(1).max(200), kind: z.enum(REFERRAL_KINDS) });

export interface StaffRecord {
  staffNo: string;
  name: string;
  photo: string | null;
  departmentCode: string | null;
  departmentName: string | null;
  pinHash: string | null;
}

export interface ItemRecord {
  itemCode: string;
  itemVersion: string;
  name: string;
  departmentCode: string | null;
  departmentName: string | null;
}

export interface ReasonRecord {
  code: string;
  labelZh: string;
  labelEn: string;
}

const STAFF_COLUMNS = `staff_no AS staffNo, name, photo, department_code AS departmentCode,
  department_name AS departmentName, pin_hash AS pinHash`;

export class Directory {
  constructor(private readonly db: Db) {}

  staffByNo(staffNo: string): StaffRecord | undefined {
    return this.db.prepare(`SELECT ${STAFF_COLUMNS} FROM staff WHERE staff_no = ? AND active = 1`).get(staffNo) as StaffRecord | undefined;
  }

  staffByBadge(badgeId: string): StaffRecord | undefined {
    return this.db
      .prepare(`SELECT ${STAFF_COLUMNS} FROM staff JOIN staff_badges USING (staff_no) WHERE badge_id = ? AND active = 1`)
      .get(badgeId) as StaffRecord | undefined;
  }

  /**
   * What the citizen should know about the item (办事公开): the kept information of that
   * version, or null when the centre sent none (or it no longer reads as such).
   */
  serviceInfo(itemCode: string, itemVersion: string): ServiceInfo | null {
    const text = this.db.prepare('SELECT service_info FROM service_items WHERE item_code = ? AND item_version = ?').pluck().get(itemCode, itemVersion) as string | null | undefined;
    if (!text) return null;
    const parsed = ReceivedServiceInfo.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : null;
  }

  /** The item with that code: the given version, or the highest active one. */
  item(itemCode: string, itemVersion?: string): ItemRecord | undefined {
    const columns = `item_code AS itemCode, item_version AS itemVersion, name, department_code AS departmentCode, department_name AS departmentName`;
    if (itemVersion) {
      return this.db.prepare(`SELECT ${columns} FROM service_items WHERE item_code = ? AND item_version = ?`).get(itemCode, itemVersion) as ItemRecord | undefined;
    }
    return this.db
      .prepare(`SELECT ${columns} FROM service_items WHERE item_code = ? AND active = 1 ORDER BY length(item_version) DESC, item_version DESC LIMIT 1`)
      .get(itemCode) as ItemRecord | undefined;
  }

  items(): ItemRecord[] {
    return this.db
      .prepare(`SELECT item_code AS itemCode, item_version AS itemVersion, name, department_code AS departmentCode, department_name AS departmentName
        FROM service_items WHERE active = 1 ORDER BY item_code`)
      .all() as ItemRecord[];
  }

  reasons(): ReasonRecord[] {
    return this.db.prepare('SELECT code, label_zh AS labelZh, label_en AS labelEn FROM reason_codes ORDER BY sort, code').all() as ReasonRecord[];
  }

  /**
   * The referral targets of the centre's last config (table centre_config), in its order;
   * none before the window first pulls a config, or when the centre lists none.
   */
  referralTargets(): ReferralTarget[] {
    const row = this.db.prepare('SELECT body FROM centre_config WHERE id = 1').get() as { body: string } | undefined;
    if (!row) return [];
    const parsed = z.object({ referralTargets: z.array(ReferralTargetEntry).default([]) }).safeParse(JSON.parse(row.body));
    return parsed.success ? parsed.data.referralTargets : [];
  }

  counts(): { staff: number; items: number; reasons: number } {
    const count = (table: string) => this.db.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number;
    return { staff: count('staff'), items: count('service_items'), reasons: count('reason_codes') };
  }

  /** Adds or updates staff. A staff member's badges are replaced by the list given. */
  upsertStaff(entries: StaffEntry[]): number {
    const rows = entries.map((e, i) => parseEntry(StaffEntry, e, `staff entry ${i + 1}`));
    const upsert = this.db.prepare(`INSERT INTO staff (staff_no, name, photo, department_code, department_name, pin_hash)
      VALUES (@staffNo, @name, @photo, @departmentCode, @departmentName, @pinHash)
      ON CONFLICT (staff_no) DO UPDATE SET name = excluded.name, photo = coalesce(excluded.photo, staff.photo),
        department_code = excluded.department_code, department_name = excluded.department_name,
        pin_hash = coalesce(excluded.pin_hash, staff.pin_hash), active = 1`);
    const dropBadges = this.db.prepare('DELETE FROM staff_badges WHERE staff_no = ?');
    const addBadge = this.db.prepare('INSERT INTO staff_badges (badge_id, staff_no) VALUES (?, ?) ON CONFLICT (badge_id) DO UPDATE SET staff_no = excluded.staff_no');
    this.db.transaction(() => {
      for (const r of rows) {
        upsert.run({
          staffNo: r.staffNo,
          name: r.name,
          photo: r.photo ?? null,
          departmentCode: r.departmentCode ?? null,
          departmentName: r.departmentName ?? null,
          pinHash: r.pin ? hashPin(r.pin) : null,
        });
        dropBadges.run(r.staffNo);
        for (const badge of r.badgeIds) addBadge.run(badge, r.staffNo);
      }
    })();
    return rows.length;
  }

  upsertItems(entries: ItemEntry[]): number {
    const rows = entries.map((e, i) => parseEntry(ItemEntry, e, `item entry ${i + 1}`));
    // A data folder still at an earlier schema (the seed loaded before its upgrade) has no service_info column.
    const withInfo = this.db.prepare("SELECT 1 FROM pragma_table_info('service_items') WHERE name = 'service_info'").get() !== undefined;
    const upsert = withInfo
      ? this.db.prepare(`INSERT INTO service_items (item_code, item_version, name, department_code, department_name, service_info)
      VALUES (@itemCode, @itemVersion, @name, @departmentCode, @departmentName, @serviceInfo)
      ON CONFLICT (item_code, item_version) DO UPDATE SET name = excluded.name, department_code = excluded.department_code,
        department_name = excluded.department_name, service_info = excluded.service_info, active = 1`)
      : this.db.prepare(`INSERT INTO service_items (item_code, item_version, name, department_code, department_name)
      VALUES (@itemCode, @itemVersion, @name, @departmentCode, @departmentName)
      ON CONFLICT (item_code, item_version) DO UPDATE SET name = excluded.name, department_code = excluded.department_code,
        department_name = excluded.department_name, active = 1`);
    this.db.transaction(() => {
      for (const r of rows) {
        const row = { itemCode: r.itemCode, itemVersion: r.itemVersion, name: r.name, departmentCode: r.departmentCode ?? null, departmentName: r.departmentName ?? null };
        upsert.run(withInfo ? { ...row, serviceInfo: r.serviceInfo ? JSON.stringify(r.serviceInfo) : null } : row);
      }
    })();
    return rows.length;
  }

  upsertReasons(entries: ReasonEntry[]): number {
    const rows = entries.map((e, i) => parseEntry(ReasonEntry, e, `reason entry ${i + 1}`));
    const upsert = this.db.prepare(`INSERT INTO reason_codes (code, label_zh, label_en, sort) VALUES (@code, @labelZh, @labelEn, @sort)
      ON CONFLICT (code) DO UPDATE SET label_zh = excluded.label_zh, label_en = excluded.label_en, sort = excluded.sort`);
    this.db.transaction(() => {
      for (const r of rows) upsert.run(r);
    })();
    return rows.length;
  }
}

function parseEntry<T extends z.ZodType>(schema: T, entry: unknown, where: string): z.infer<T> {
  const parsed = schema.safeParse(entry);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new Error(`${where}: ${issue?.path.join('.') || 'entry'}: ${issue?.message}`);
}

export type ListKind = 'staff' | 'items' | 'reasons';

const CSV_COLUMNS: Record<ListKind, Record<string, string>> = {
  staff: { staff_no: 'staffNo', name: 'name', department_code: 'departmentCode', department_name: 'departmentName', pin: 'pin', badge_ids: 'badgeIds', photo: 'photo' },
  items: { item_code: 'itemCode', item_version: 'itemVersion', name: 'name', department_code: 'departmentCode', department_name: 'departmentName' },
  reasons: { code: 'code', label_zh: 'labelZh', label_en: 'labelEn', sort: 'sort' },
};

/** Reads a list file: a JSON array, or CSV with a header row (badge_ids separated by ';'). */
export function readListFile(kind: ListKind, file: string): unknown[] {
  const text = readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
  if (extname(file).toLowerCase() === '.json') {
    const data: unknown = JSON.parse(text);
    if (!Array.isArray(data)) throw new Error(`${file}: expected a JSON array of ${kind}`);
    return data;
  }
  const [header, ...rows] = parseCsv(text);
  if (!header) throw new Error(`${file} is empty`);
  const columns = CSV_COLUMNS[kind];
  const unknown = header.filter((h) => !(h in columns));
  if (unknown.length > 0) throw new Error(`${file}: unknown column ${unknown[0]}; expected ${Object.keys(columns).join(', ')}`);
  return rows
    .filter((r) => r.some((cell) => cell.trim() !== ''))
    .map((r) => {
      const entry: Record<string, unknown> = {};
      header.forEach((h, i) => {
        const cell = r[i] ?? '';
        const key = columns[h]!;
        if (key === 'badgeIds') entry[key] = cell.split(';').map((b) => b.trim()).filter(Boolean);
        else if (cell !== '') entry[key] = cell;
      });
      return entry;
    });
}

export function importList(directory: Directory, kind: ListKind, entries: unknown[]): number {
  if (kind === 'staff') return directory.upsertStaff(entries as StaffEntry[]);
  if (kind === 'items') return directory.upsertItems(entries as ItemEntry[]);
  return directory.upsertReasons(entries as ReasonEntry[]);
}
