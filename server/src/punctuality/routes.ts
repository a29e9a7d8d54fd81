/**
 * 考勤 in the console: the punctuality and extended-service report over a period, for the
 * roles that read figures about people at work (evaluators see figures, not attendance).
 * Department users get their own department's windows, whatever they ask for, as on the
 * figures pages; asking for another department is refused.
 */
import type { FastifyInstance } from 'fastify';
import { CONSOLE_API, PUNCTUALITY_ROUTES, PunctualityQuery, type ConsoleRole } from '../../../src/shared/console/contract';
import { consoleGuard, departmentScope, personOf } from '../accounts/guard';
import type { CentreDb } from '../db/sql';
import { parseWith } from '../http/parse';
import type { ResolvedOptions } from '../options';
import type { Projector } from '../reports/project';
import { isWorkingDay, loadCalendar } from '../reports/working-days';
import { loadSettings, offsetMinutes } from '../settings';
import { midnightOf, punctualityReport } from './report';
import { loadAfterHours, loadAttendance, loadStaffNames, loadWindows } from './store';

export const PUNCTUALITY_READERS: readonly ConsoleRole[] = ['admin', 'supervisor', 'department', 'viewer'];

export function registerPunctualityRoutes(app: FastifyInstance, deps: { db: CentreDb; options: ResolvedOptions; projector: Projector }): void {
  const { db, options, projector } = deps;
  app.get(`${CONSOLE_API}${PUNCTUALITY_ROUTES.punctuality}`, { onRequest: consoleGuard(deps, PUNCTUALITY_READERS) }, async (request) => {
    const query = parseWith(PunctualityQuery, request.query);
    const department = departmentScope(personOf(request), query.department) ?? null;
    // The after-hours cases are read from the projected cases: bring them up to the records held.
    await projector.run();
    const settings = await loadSettings(db);
    const offset = offsetMinutes(settings.utcOffset);
    const from = midnightOf(query.from, offset);
    const until = midnightOf(query.to, offset) + 86_400_000;
    const [calendar, windows, staffNames] = await Promise.all([loadCalendar(db, settings), loadWindows(db, department), loadStaffNames(db)]);
    // The whole centre reads every window's records; a department, its own windows'.
    const windowNos = department === null ? null : windows.map((w) => w.windowNo);
    const [attendance, afterHours] = await Promise.all([loadAttendance(db, from, until, windowNos), loadAfterHours(db, from, until, windowNos)]);
    return punctualityReport({
      query: { ...query, ...(department === null ? {} : { department }) },
      offsetMinutes: offset,
      isWorkingDay: (date) => isWorkingDay(date, calendar),
      windows,
      ...attendance,
      afterHours,
      staffNames,
      now: options.now(),
    });
  });
}
