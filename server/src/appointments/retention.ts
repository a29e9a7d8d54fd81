/**
 * The appointment register keeps a contact phone only as long as the follow-up records keep
 * theirs: the retention days after the agreed day, the phone goes (masked, sealed and keyed
 * hash alike); the rest of the row stays for the register and its figures.
 */
import type { Sql } from '../db/sql';
import { offsetMinutes } from '../settings';
import { centreToday } from './routes';

/** Erases the phones of appointments whose agreed day is more than `days` days before today; returns how many. */
export async function sweepAppointmentPhones(db: Sql, now: number, days: number, utcOffset: string): Promise<number> {
  const lastKept = centreToday(now - days * 86_400_000, offsetMinutes(utcOffset));
  const swept = await db.query<{ id: number }>(
    'UPDATE appointments SET phone_masked = NULL, phone_sealed = NULL, phone_key = NULL WHERE agreed_date < $1::date AND phone_sealed IS NOT NULL RETURNING id',
    [lastKept],
  );
  return swept.length;
}
