/**
 * Follow-up deadlines in working days: Monday to Friday, less public holidays, plus the
 * weekend days declared working days (调休). A poor rating given on day D is due by the end
 * of the Nth working day after D.
 */
export interface Calendar {
  holidays: readonly string[];
  workdays: readonly string[];
}

function isoOf(utcMidnight: number): string {
  return new Date(utcMidnight).toISOString().slice(0, 10);
}

export function isWorkingDay(date: string, calendar: Calendar): boolean {
  if (calendar.workdays.includes(date)) return true;
  if (calendar.holidays.includes(date)) return false;
  const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
  return weekday !== 0 && weekday !== 6;
}

/** The local date (YYYY-MM-DD) by which a rating given at `at` must be followed up. */
export function followUpDeadline(at: number, workingDays: number, calendar: Calendar, offsetMinutes: number): string {
  const local = at + offsetMinutes * 60_000;
  let day = local - (((local % 86_400_000) + 86_400_000) % 86_400_000);
  let counted = 0;
  while (counted < workingDays) {
    day += 86_400_000;
    if (isWorkingDay(isoOf(day), calendar)) counted += 1;
  }
  return isoOf(day);
}

/** Today's local date, to tell which deadlines have passed. */
export function localDate(at: number, offsetMinutes: number): string {
  return isoOf(at + offsetMinutes * 60_000);
}
