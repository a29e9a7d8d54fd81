/**
 * The lists the centre distributes, as an admin uploads them (PUT replaces the whole
 * list: entries left out stop being offered to the windows).
 */
import { z } from 'zod';
import { REFERRAL_KINDS } from '../../../src/shared/domain';
import { OptionalServiceInfo } from '../../../src/shared/service-info';
import type { Sql } from '../db/sql';

const text = (max: number) => z.string().trim().min(1).max(max);
const optional = (max: number) => z.string().trim().max(max).nullish().transform((v) => v ?? null);
/** A list's order: the database keeps a 32-bit integer, the console the same range as here. */
const sort = z.number().int('sort is a whole number').min(-10_000, 'sort is from -10000 to 10000').max(10_000, 'sort is from -10000 to 10000').default(0);

export const StaffList = z.array(
  z.object({
    staffNo: text(32),
    name: text(50),
    photo: z.string().startsWith('data:image/', 'photo must be a data:image/… URI').max(2_000_000).nullish().transform((v) => v ?? null),
    departmentCode: optional(64),
    departmentName: optional(100),
    badgeIds: z.array(text(64)).max(20).default([]),
  }),
).max(10_000);

export const ItemList = z.array(
  z.object({
    itemCode: text(64),
    itemVersion: text(16).default('1'),
    name: text(200),
    departmentCode: optional(64),
    departmentName: optional(100),
    /** Materials, promised time, fees, where to ask (办事公开); absent or null for none. */
    serviceInfo: OptionalServiceInfo,
  }),
).max(50_000);

export const ReasonList = z.array(
  z.object({ code: text(32), labelZh: text(100), labelEn: text(100), sort }),
).max(500);

/** Where staff may send a citizen (首问负责): a department, a window, or a body outside the centre. */
export const ReferralTargetList = z
  .array(z.object({ code: text(64), name: text(200), kind: z.enum(REFERRAL_KINDS, { error: `kind is one of ${REFERRAL_KINDS.join(', ')}` }), sort }))
  .max(2_000)
  .refine((list) => new Set(list.map((t) => t.code)).size === list.length, { error: 'each referral target code appears once in the list' });

export const WindowSettings = z.object({
  departmentCode: optional(64),
  departmentName: optional(100),
  areaCode: z.string().regex(/^\d{6,12}$/, 'area code is 6 to 12 digits').nullish().transform((v) => v ?? null),
  settings: z
    .object({
      closingTime: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'closing time is HH:MM').nullable().optional(),
      ratingWindowSeconds: z.number().int().min(5).max(300).optional(),
      detailsSeconds: z.number().int().min(10).max(600).optional(),
    })
    .default({}),
});

export async function replaceStaff(db: Sql, list: z.infer<typeof StaffList>): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.query('UPDATE staff SET active = false');
    await tx.query(
      `INSERT INTO staff (staff_no, name, photo, department_code, department_name, badge_ids, active)
       SELECT s."staffNo", s.name, s.photo, s."departmentCode", s."departmentName", s."badgeIds", true
       FROM jsonb_to_recordset($1::jsonb) AS s("staffNo" text, name text, photo text, "departmentCode" text, "departmentName" text, "badgeIds" jsonb)
       ON CONFLICT (staff_no) DO UPDATE SET name = excluded.name, photo = excluded.photo, department_code = excluded.department_code,
         department_name = excluded.department_name, badge_ids = excluded.badge_ids, active = true`,
      [JSON.stringify(list)],
    );
  });
}

export async function replaceItems(db: Sql, list: z.infer<typeof ItemList>): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.query('UPDATE service_items SET active = false');
    await tx.query(
      `INSERT INTO service_items (item_code, item_version, name, department_code, department_name, service_info, active)
       SELECT i."itemCode", i."itemVersion", i.name, i."departmentCode", i."departmentName", nullif(i."serviceInfo", 'null'::jsonb), true
       FROM jsonb_to_recordset($1::jsonb) AS i("itemCode" text, "itemVersion" text, name text, "departmentCode" text, "departmentName" text, "serviceInfo" jsonb)
       ON CONFLICT (item_code, item_version) DO UPDATE SET name = excluded.name, department_code = excluded.department_code,
         department_name = excluded.department_name, service_info = excluded.service_info, active = true`,
      [JSON.stringify(list)],
    );
  });
}

export async function replaceReasons(db: Sql, list: z.infer<typeof ReasonList>): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.query('DELETE FROM reason_codes');
    await tx.query(
      `INSERT INTO reason_codes (code, label_zh, label_en, sort)
       SELECT r.code, r."labelZh", r."labelEn", r.sort FROM jsonb_to_recordset($1::jsonb) AS r(code text, "labelZh" text, "labelEn" text, sort integer)`,
      [JSON.stringify(list)],
    );
  });
}

export async function saveWindow(db: Sql, windowNo: string, w: z.infer<typeof WindowSettings>): Promise<void> {
  await db.query(
    `INSERT INTO windows (window_no, department_code, department_name, area_code, settings) VALUES ($1, $2, $3, $4, $5::jsonb)
     ON CONFLICT (window_no) DO UPDATE SET department_code = excluded.department_code, department_name = excluded.department_name,
       area_code = excluded.area_code,
       -- The floor is set with the window's hours on the supervision page, not here: keep it.
       settings = jsonb_strip_nulls(jsonb_build_object('floor', windows.settings->'floor')) || excluded.settings`,
    [windowNo, w.departmentCode, w.departmentName, w.areaCode, JSON.stringify(w.settings)],
  );
}

export async function replaceReferralTargets(db: Sql, list: z.infer<typeof ReferralTargetList>): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.query('DELETE FROM referral_targets');
    await tx.query(
      `INSERT INTO referral_targets (code, name, kind, sort)
       SELECT t.code, t.name, t.kind, t.sort FROM jsonb_to_recordset($1::jsonb) AS t(code text, name text, kind text, sort integer)`,
      [JSON.stringify(list)],
    );
  });
}

export async function loadReferralTargets(db: Sql): Promise<{ code: string; name: string; kind: string; sort: number }[]> {
  return db.query('SELECT code, name, kind, sort FROM referral_targets ORDER BY sort, code');
}
