/**
 * What one window pulls: its settings, the rating policy, and the staff (with photos),
 * service items and reason codes. The ETag is a hash of exactly the bytes sent, so an
 * unchanged config costs the kiosk one 304.
 */
import { createHash } from 'node:crypto';
import { canonicalJson } from '../../../src/shared/canonical-json';
import type { Sql } from '../db/sql';
import { pendingNotices } from '../privacy/erase';
import { loadSettings } from '../settings';
import { centreDayOf, hoursOn } from '../hall/rules';
import { appointmentsForWindow } from '../appointments/for-window';

export interface WindowConfig {
  window: {
    windowNo: string;
    departmentCode: string | null;
    departmentName: string | null;
    areaCode: string | null;
    closingTime: string | null | undefined;
    rating: { windowSeconds: number; detailsSeconds: number };
  };
  ratingPolicy: { defaultRating: { level: string; afterDays: number } | null };
  staff: unknown[];
  items: unknown[];
  reasons: unknown[];
  /** Where staff may send a citizen (首问负责), in the order the admin set. */
  referralTargets: unknown[];
  /**
   * The window's closing time on each of the next CLOSING_DAYS days, from its hours and the
   * centre's calendar ('HH:MM', or null on a day it does not open); only for a window with hours.
   */
  closingTimes?: Record<string, string | null>;
  /** Ratings whose callback phone this window must erase (a citizen asked; privacy/erase.ts); only when there are some. */
  erasePhones?: string[];
  /** Today's appointments booked at this window (预约服务, appointments/); only when there are some. */
  appointments?: unknown[];
}

/** Days of closing times a window gets: enough to go on through a long holiday offline. */
export const CLOSING_DAYS = 14;

/** The window's closing time per date from today, by its hours and the centre's working days; null without hours. */
async function closingTimesOf(db: Sql, windowNo: string, now: number): Promise<Record<string, string | null> | null> {
  const [row] = await db.query<{ opens_at: (string | null)[]; closes_at: (string | null)[] }>('SELECT opens_at, closes_at FROM window_schedules WHERE window_no = $1', [windowNo]);
  if (!row) return null;
  const hours = { opensAt: row.opens_at, closesAt: row.closes_at, pauseLimitMinutes: null };
  const [{ offset } = { offset: 480 }] = await db.query<{ offset: number }>('SELECT centre_offset_minutes() AS offset');
  const today = centreDayOf(now, Number(offset), () => false);
  const days = await db.query<{ date: string; working: boolean }>(
    `SELECT d::date::text AS date, is_working_day(d::date) AS working FROM generate_series($1::date, $1::date + $2::integer, interval '1 day') AS d`,
    [today.date, CLOSING_DAYS - 1],
  );
  return Object.fromEntries(days.map(({ date, working }) => [date, hoursOn(hours, { date, working, midnight: 0 })?.closes ?? null]));
}

export async function configFor(db: Sql, windowNo: string, terminalId?: string, now = Date.now()): Promise<{ body: string; etag: string; erasePhones: string[] }> {
  const settings = await loadSettings(db);
  const [win] = await db.query<{ department_code: string | null; department_name: string | null; area_code: string | null; settings: Record<string, unknown> }>(
    'SELECT department_code, department_name, area_code, settings FROM windows WHERE window_no = $1',
    [windowNo],
  );
  const ws = (win?.settings ?? {}) as { closingTime?: string | null; ratingWindowSeconds?: number; detailsSeconds?: number };
  const staff = await db.query(
    `SELECT staff_no AS "staffNo", name, photo, department_code AS "departmentCode", department_name AS "departmentName", badge_ids AS "badgeIds"
     FROM staff WHERE active ORDER BY staff_no`,
  );
  // An item without service information is sent as before, so an old centre's ETag does not change.
  const items = await db.query(
    `SELECT jsonb_build_object('itemCode', item_code, 'itemVersion', item_version, 'name', name, 'departmentCode', department_code,
       'departmentName', department_name) || CASE WHEN service_info IS NULL THEN '{}'::jsonb ELSE jsonb_build_object('serviceInfo', service_info) END AS item
     FROM service_items WHERE active ORDER BY item_code, item_version`,
  );
  const reasons = await db.query('SELECT code, label_zh AS "labelZh", label_en AS "labelEn", sort FROM reason_codes ORDER BY sort, code');
  const referralTargets = await db.query('SELECT code, name, kind FROM referral_targets ORDER BY sort, code');
  const config: WindowConfig = {
    window: {
      windowNo,
      departmentCode: win?.department_code ?? null,
      departmentName: win?.department_name ?? null,
      areaCode: win?.area_code ?? null,
      closingTime: ws.closingTime,
      rating: {
        windowSeconds: ws.ratingWindowSeconds ?? settings.ratingPolicy.windowSeconds,
        detailsSeconds: ws.detailsSeconds ?? settings.ratingPolicy.detailsSeconds,
      },
    },
    ratingPolicy: { defaultRating: settings.ratingPolicy.defaultRating },
    staff,
    items: items.map((r) => (r as { item: unknown }).item),
    reasons,
    referralTargets,
  };
  const closingTimes = await closingTimesOf(db, windowNo, now);
  if (closingTimes) config.closingTimes = closingTimes;
  const [{ offset } = { offset: 480 }] = await db.query<{ offset: number }>('SELECT centre_offset_minutes() AS offset');
  const appointments = await appointmentsForWindow(db, windowNo, centreDayOf(now, Number(offset), () => false).date);
  if (appointments.length > 0) config.appointments = appointments;
  const erasePhones = terminalId === undefined ? [] : await pendingNotices(db, terminalId);
  if (erasePhones.length > 0) config.erasePhones = erasePhones;
  const body = canonicalJson(config);
  return { body, etag: `"${createHash('sha256').update(body).digest('hex').slice(0, 40)}"`, erasePhones };
}
