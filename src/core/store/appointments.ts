/**
 * 预约服务 at the window: the appointments the centre booked at it for the day, read from the
 * last config kept (table centre_config), so the staff panel lists them offline too. Which
 * ones already have a case here is read from this window's own case_opened records.
 */
import { z } from 'zod';
import { APPLICANT_KINDS, APPOINTMENT_CHANNELS } from '../../shared/console/appointments-contract';
import type { Db } from './database';

const nullableText = z.string().nullish().transform((v) => v ?? null);

/** One appointment as the window keeps it; unknown fields from a newer centre are dropped. */
export const KioskAppointment = z.object({
  id: z.string().min(1).max(128),
  date: z.string(),
  applicantKind: z.enum(APPLICANT_KINDS),
  applicantName: z.string(),
  phone: nullableText,
  itemCode: z.string(),
  itemName: z.string(),
  agreedTime: z.string(),
  channel: z.enum(APPOINTMENT_CHANNELS),
  departmentOpinion: nullableText,
  outcome: nullableText,
  /** Marked as not come at the console; a centre before the marks sends none. */
  noShow: z.boolean().catch(false).default(false),
});
export type KioskAppointment = z.infer<typeof KioskAppointment>;

/** The config's list as a window reads it: an entry it cannot read is left out, never the whole config. */
export const ReceivedAppointments = z
  .array(z.unknown())
  .catch([])
  .default([])
  .transform((list) =>
    list.flatMap((entry) => {
      const parsed = KioskAppointment.safeParse(entry);
      return parsed.success ? [parsed.data] : [];
    }),
  );

export interface AppointmentAtWindow extends KioskAppointment {
  /** A case was opened here from it (the centre's outcome may not be back yet). */
  caseOpened: boolean;
}

/** The kept config's appointments for `date` (the window's local date), in the order they come. */
export function appointmentsOn(db: Db, date: string, since: number): AppointmentAtWindow[] {
  const row = db.prepare('SELECT body FROM centre_config WHERE id = 1').get() as { body: string } | undefined;
  if (!row) return [];
  const parsed = z.object({ appointments: ReceivedAppointments }).safeParse(JSON.parse(row.body));
  if (!parsed.success) return [];
  const mine = parsed.data.appointments.filter((a) => a.date === date);
  if (mine.length === 0) return [];
  const opened = new Set(
    (
      db
        .prepare("SELECT json_extract(payload, '$.appointmentId') AS id FROM outbox WHERE kind = 'case_opened' AND recorded_at >= ? AND json_extract(payload, '$.appointmentId') IS NOT NULL")
        .all(since) as { id: string }[]
    ).map((r) => r.id),
  );
  return mine.sort((a, b) => a.agreedTime.localeCompare(b.agreedTime)).map((a) => ({ ...a, caseOpened: opened.has(a.id) || a.outcome !== null }));
}
