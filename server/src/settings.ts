/**
 * The centre's policies, kept in the database (one row) and changed by an admin through
 * PUT /v1/admin/settings. Every field has a default, so a new centre works at once.
 */
import { z } from 'zod';
import { RATING_LEVELS } from '../../src/shared/levels';
import { DEFAULT_CHANNEL_CODES } from '../../src/shared/channels';
import type { Sql } from './db/sql';
import { isoDate } from './reports/periods';

const channelCode = z.number().int().min(0).max(99);

export const CentreSettings = z.object({
  /** Local time of the service centre, for periods and deadlines. */
  utcOffset: z.string().regex(/^[+-]\d{2}:[0-5]\d$/, 'UTC offset looks like +08:00').default('+08:00'),
  ratingPolicy: z
    .object({
      windowSeconds: z.number().int().min(5).max(300).default(15),
      detailsSeconds: z.number().int().min(10).max(600).default(60),
      /** The region's default for an unrated case: none, or a level once N days have passed. */
      defaultRating: z
        .object({ level: z.enum(RATING_LEVELS), afterDays: z.number().int().min(0).max(365) })
        .nullable()
        .default(null),
    })
    .prefault({}),
  followUp: z
    .object({
      /** Working days to follow up a poor rating: commonly 15, some cities 5. */
      workingDays: z.number().int().min(1).max(60).default(15),
      /**
       * Public holidays that fall on weekdays, and weekend days worked (调休), on top of the
       * calendar (the calendar_days table, set through the console's calendar routes): kept
       * so centres that listed their days here before the calendar still count on them.
       */
      holidays: z.array(isoDate).default([]),
      workdays: z.array(isoDate).default([]),
    })
    .prefault({}),
  privacy: z
    .object({
      /** Days a callback phone is kept after its follow-up record closes (docs/data-protection.md). */
      phoneRetentionDays: z.number().int().min(1).max(3650).default(90),
    })
    .prefault({}),
  export: z
    .object({
      satisfactionDirection: z.enum(['national', 'provincial']).default('national'),
      channelCodes: z.object({ keypad: channelCode, legacy_keypad: channelCode, touch: channelCode }).default({ ...DEFAULT_CHANNEL_CODES }),
      /** Column names by field; missing ones keep the national names (see reports/csv.ts). */
      fieldNames: z.record(z.string(), z.string().min(1).max(64)).default({}),
    })
    .prefault({}),
});
export type CentreSettings = z.infer<typeof CentreSettings>;

export async function loadSettings(db: Sql): Promise<CentreSettings> {
  const rows = await db.query<{ body: unknown }>('SELECT body FROM settings WHERE id = 1');
  return CentreSettings.parse(rows[0]?.body ?? {});
}

export async function saveSettings(db: Sql, settings: CentreSettings): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.query('INSERT INTO settings (id, body) VALUES (1, $1::jsonb) ON CONFLICT (id) DO UPDATE SET body = excluded.body', [JSON.stringify(settings)]);
    await refreshFollowUpDeadlines(tx);
  });
}

/**
 * Open follow-up records count on today's rules: after the working days, the local time or
 * the calendar change, their deadlines are counted again (closed ones keep theirs, by which
 * they were judged on time or late).
 */
export async function refreshFollowUpDeadlines(db: Sql): Promise<void> {
  await db.query(
    `UPDATE follow_ups SET deadline = d.deadline, rated_day = d.rated_day
     FROM (SELECT id, follow_up_deadline(rated_at) AS deadline, to_char(figure_day(rated_at, centre_offset_minutes()), 'YYYY-MM-DD') AS rated_day
           FROM follow_ups WHERE state <> 'closed') d
     WHERE follow_ups.id = d.id AND (follow_ups.deadline, follow_ups.rated_day) IS DISTINCT FROM (d.deadline, d.rated_day)`,
  );
}

/** '+08:00' → 480. */
export function offsetMinutes(utcOffset: string): number {
  const sign = utcOffset.startsWith('-') ? -1 : 1;
  const [h, m] = utcOffset.slice(1).split(':').map(Number) as [number, number];
  return sign * (h * 60 + m);
}
