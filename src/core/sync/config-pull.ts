/**
 * The config the centre distributes (GET /v1/config, with ETag): staff with photos, service
 * items, reason codes, this window's settings and the rating policy. It is kept in the
 * database (table centre_config) so the window starts offline with the last one, and the
 * lists are applied to the local staff, service_items and reason_codes tables. An empty
 * list at the centre leaves the window's own list alone (a centre not yet set up must not
 * empty every window).
 */
import { z } from 'zod';
import { ReceivedServiceInfo } from '../../shared/service-info';
import type { KioskConfig } from '../config';
import { erasePhonesOf } from '../outbox/personal';
import { ReceivedAppointments } from '../store/appointments';
import { Directory, ReferralTargetEntry } from '../store/directory';
import type { Db } from '../store/database';

const nullableText = z.string().nullish().transform((v) => v ?? null);

export const CentreConfig = z.object({
  window: z.object({
    windowNo: z.string(),
    departmentCode: nullableText,
    departmentName: nullableText,
    areaCode: nullableText,
    closingTime: z.string().nullish(),
    rating: z.object({ windowSeconds: z.number().int(), detailsSeconds: z.number().int() }),
  }),
  ratingPolicy: z.object({ defaultRating: z.object({ level: z.string(), afterDays: z.number() }).nullable() }),
  staff: z.array(
    z.object({
      staffNo: z.string(),
      name: z.string(),
      photo: nullableText,
      departmentCode: nullableText,
      departmentName: nullableText,
      badgeIds: z.array(z.string()).default([]),
    }),
  ),
  items: z.array(
    z.object({
      itemCode: z.string(),
      itemVersion: z.string(),
      name: z.string(),
      departmentCode: nullableText,
      departmentName: nullableText,
      /** Materials, promised time, fees, where to ask (办事公开); absent from centres that keep none. */
      serviceInfo: ReceivedServiceInfo,
    }),
  ),
  reasons: z.array(z.object({ code: z.string(), labelZh: z.string(), labelEn: z.string(), sort: z.number().int() })),
  /** The window's closing time per date, from its hours at the centre and the centre's calendar; absent when it has none there. */
  closingTimes: z.record(z.string(), z.string().nullable()).optional(),
  /** Ratings whose callback phone a citizen asked to erase: gone from this window when the config is kept. */
  erasePhones: z.array(z.string()).default([]),
  /** Where staff may send a citizen (首问负责); read from the kept config when a case is finished. */
  referralTargets: z.array(ReferralTargetEntry).default([]),
  /** Today's appointments booked at this window (预约服务); a list this window cannot read counts as none, never stopping the rest. */
  appointments: ReceivedAppointments,
});
export type CentreConfig = z.infer<typeof CentreConfig>;

export function cachedConfig(db: Db): { etag: string; config: CentreConfig; fetchedAt: number } | null {
  const row = db.prepare('SELECT etag, body, fetched_at AS fetchedAt FROM centre_config WHERE id = 1').get() as { etag: string; body: string; fetchedAt: number } | undefined;
  if (!row) return null;
  const parsed = CentreConfig.safeParse(JSON.parse(row.body));
  return parsed.success ? { etag: row.etag, config: parsed.data, fetchedAt: row.fetchedAt } : null;
}

/** Stores the config and applies its lists, all in one transaction. */
export function applyCentreConfig(db: Db, config: CentreConfig, etag: string, body: string, at: number): void {
  const directory = new Directory(db);
  db.transaction(() => {
    if (config.staff.length > 0) {
      directory.upsertStaff(config.staff);
      db.prepare('UPDATE staff SET active = 0 WHERE staff_no NOT IN (SELECT value FROM json_each(?))').run(JSON.stringify(config.staff.map((s) => s.staffNo)));
    }
    if (config.items.length > 0) {
      directory.upsertItems(config.items);
      db.prepare("UPDATE service_items SET active = 0 WHERE item_code || '@' || item_version NOT IN (SELECT value FROM json_each(?))").run(
        JSON.stringify(config.items.map((i) => `${i.itemCode}@${i.itemVersion}`)),
      );
    }
    if (config.reasons.length > 0) {
      directory.upsertReasons(config.reasons);
      db.prepare('DELETE FROM reason_codes WHERE code NOT IN (SELECT value FROM json_each(?))').run(JSON.stringify(config.reasons.map((r) => r.code)));
    }
    erasePhonesOf(db, config.erasePhones);
    db.prepare(`INSERT INTO centre_config (id, etag, body, fetched_at) VALUES (1, ?, ?, ?)
      ON CONFLICT (id) DO UPDATE SET etag = excluded.etag, body = excluded.body, fetched_at = excluded.fetched_at`).run(etag, body, at);
  })();
}

/**
 * The kiosk settings with the centre's window settings laid over them, for the shell to
 * save (saveConfig) and apply on the next start. Keypad and local settings are untouched.
 */
export function withCentreWindowSettings(local: KioskConfig, centre: CentreConfig): KioskConfig {
  const w = centre.window;
  return {
    ...local,
    window: { ...local.window, windowNo: w.windowNo, departmentCode: w.departmentCode, departmentName: w.departmentName, areaCode: w.areaCode },
    rating: { ...local.rating, windowSeconds: w.rating.windowSeconds, detailsSeconds: w.rating.detailsSeconds },
    closingTime: w.closingTime === undefined ? local.closingTime : w.closingTime,
    // Only the centre sets these: a window without hours there goes by its one closing time.
    closingTimes: centre.closingTimes ?? {},
  };
}
