/**
 * The centre's working-day calendar, a year at a time: read, set by an admin, or imported
 * from a calendar file. Setting a year replaces its days whole, records who did it, and
 * counts the open records' deadlines again, all in one transaction.
 */
import { calendarDayProblem } from '../../../src/shared/console/calendar-file';
import type { CalendarDayKind, CalendarYear } from '../../../src/shared/console/follow-up-contract';
import type { Sql } from '../db/sql';
import { Refusal } from '../errors';
import { refreshFollowUpDeadlines } from '../settings';

export async function readCalendarYear(db: Sql, year: number): Promise<CalendarYear> {
  const days = await db.query<{ day: string; kind: CalendarDayKind }>('SELECT day, kind FROM calendar_days WHERE day LIKE $1 ORDER BY day', [`${year}-%`]);
  const meta = (await db.query<{ source: 'default' | 'admin'; updated_by: string | null; updated_at: number | null }>('SELECT source, updated_by, updated_at FROM calendar_years WHERE year = $1', [year]))[0];
  return {
    year,
    holidays: days.filter((d) => d.kind === 'holiday').map((d) => d.day),
    workdays: days.filter((d) => d.kind === 'workday').map((d) => d.day),
    // A year nobody set counts weekends only; it is the admin's to fill in.
    source: meta?.source ?? 'admin',
    updatedBy: meta?.updated_by ?? null,
    updatedAt: meta?.updated_at === null || meta?.updated_at === undefined ? null : Number(meta.updated_at),
  };
}

/** Checks a year's days (each in the year, each on the right kind of day), naming the first wrong one. */
export function checkYear(year: number, holidays: readonly string[], workdays: readonly string[]): void {
  for (const [kind, days] of [['holiday', holidays], ['workday', workdays]] as const) {
    for (const day of days) {
      if (!day.startsWith(`${year}-`)) throw new Refusal(400, 'invalid-request', `${day} is not in ${year}: set each year's days on its own page`).because('follow_up.day_other_year', { day, year });
      const problem = calendarDayProblem(day, kind);
      if (problem) throw new Refusal(400, 'invalid-request', problem).because(kind === 'holiday' ? 'follow_up.holiday_on_weekend' : 'follow_up.workday_on_weekday', { day });
    }
  }
  const both = holidays.find((d) => workdays.includes(d));
  if (both) throw new Refusal(400, 'invalid-request', `${both} is listed both as a holiday and as a working day`).because('follow_up.day_twice', { day: both });
}

/** Replaces one year's days. Runs inside the caller's transaction. */
export async function writeCalendarYear(tx: Sql, year: number, holidays: readonly string[], workdays: readonly string[], by: string, at: number): Promise<void> {
  await tx.query('DELETE FROM calendar_days WHERE day LIKE $1', [`${year}-%`]);
  const rows = [...new Set(holidays)].map((day) => ({ day, kind: 'holiday' })).concat([...new Set(workdays)].map((day) => ({ day, kind: 'workday' })));
  if (rows.length > 0) {
    await tx.query('INSERT INTO calendar_days (day, kind) SELECT day, kind FROM json_to_recordset($1::json) AS r(day text, kind text)', [JSON.stringify(rows)]);
  }
  await tx.query(
    `INSERT INTO calendar_years (year, source, updated_by, updated_at) VALUES ($1, 'admin', $2, $3)
     ON CONFLICT (year) DO UPDATE SET source = 'admin', updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
    [year, by, at],
  );
  await tx.query("INSERT INTO follow_up_config_changes (at, by_user, what, detail) VALUES ($1, $2, 'calendar', $3)", [
    at,
    by,
    `${year}: ${holidays.length} holidays (${holidays.join(' ') || 'none'}), ${workdays.length} working weekend days (${workdays.join(' ') || 'none'})`,
  ]);
}

/** After the calendar changes: open records count on the new days. */
export async function afterCalendarChange(tx: Sql): Promise<void> {
  await refreshFollowUpDeadlines(tx);
}
