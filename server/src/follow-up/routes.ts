/**
 * The follow-up routes of the console (FOLLOW_UP_ROUTES under CONSOLE_API): the ledger and
 * its CSV, the counts per department, a record's page, its actions and the phone reveal,
 * the officers to assign, the calendar and the follow-up settings. Who may do what is in
 * machine.ts; a record outside the caller's department is not found.
 */
import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { parseCalendarFile } from '../../../src/shared/console/calendar-file';
import { CONSOLE_API } from '../../../src/shared/console/contract';
import {
  CalendarImportBody,
  CalendarYearBody,
  FOLLOW_UP_ROUTES,
  FollowUpAction,
  FollowUpQuery,
  FollowUpRatingBody,
  FollowUpSettings,
  OpenFollowUpBody,
  type CalendarYear,
} from '../../../src/shared/console/follow-up-contract';
import type { AuditFacts } from '../../../src/shared/console/audit-facts';
import { writeAudit } from '../accounts/audit';
import { consoleGuard, departmentScope, personOf } from '../accounts/guard';
import type { CentreDb } from '../db/sql';
import { Refusal } from '../errors';
import { jsonBody } from '../http/body';
import { parseWith } from '../http/parse';
import type { CentreBus } from '../live/bus';
import type { ResolvedOptions } from '../options';
import type { Projector } from '../reports/project';
import { loadCalendar } from '../reports/working-days';
import { loadSettings, offsetMinutes, saveSettings } from '../settings';
import { afterCalendarChange, checkYear, readCalendarYear, writeCalendarYear } from './calendar';
import { followUpCsv } from './csv';
import { publishFollowUpChange } from './news';
import { act, departmentCounts, ledgerPage, openByHand, rateRecord, recordPage, revealPhone, todayOf, type Today } from './records';

export interface FollowUpDeps {
  db: CentreDb;
  options: ResolvedOptions;
  /** Brings the cases up to date before a record is opened by hand. */
  projector: Projector;
  bus: CentreBus;
}

const READERS = ['admin', 'supervisor', 'department', 'follow_up', 'viewer'] as const;
const ACTORS = ['admin', 'supervisor', 'department', 'follow_up'] as const;
const MANAGERS = ['admin', 'supervisor', 'department'] as const;

function idOf(request: FastifyRequest): number {
  const raw = (request.params as { id?: string }).id ?? '';
  if (!/^\d{1,15}$/.test(raw)) throw new Refusal(404, 'not-found', `there is no follow-up record ${raw.slice(0, 20)}`).because('follow_up.record_not_found', { id: raw.slice(0, 20) });
  return Number(raw);
}

/** What a year's new days change: the days added and taken away, by kind. */
function calendarChange(before: CalendarYear, holidays: readonly string[], workdays: readonly string[]): AuditFacts {
  const added = (was: readonly string[], now: readonly string[]) => now.filter((d) => !was.includes(d));
  return {
    kind: 'calendar_set',
    year: before.year,
    holidaysAdded: added(before.holidays, holidays),
    holidaysRemoved: added(holidays, before.holidays),
    workdaysAdded: added(before.workdays, workdays),
    workdaysRemoved: added(workdays, before.workdays),
    holidays: holidays.length,
    workdays: workdays.length,
  };
}

function yearOf(request: FastifyRequest): number {
  const raw = (request.params as { year?: string }).year ?? '';
  const year = /^\d{4}$/.test(raw) ? Number(raw) : NaN;
  if (!(year >= 2000 && year <= 2100)) {
    throw new Refusal(400, 'invalid-request', `${raw.slice(0, 10)} is not a year the calendar keeps (2000 to 2100)`).because('follow_up.year_out_of_range', { year: raw.slice(0, 10), from: 2000, to: 2100 });
  }
  return year;
}

export function registerFollowUpRoutes(app: FastifyInstance, deps: FollowUpDeps): void {
  const { db, options, bus } = deps;
  const at = (route: string) => `${CONSOLE_API}${route}`;
  const guard = (roles: readonly (typeof READERS)[number][]) => ({ onRequest: consoleGuard(deps, roles) });
  const today = async (): Promise<Today> => {
    const settings = await loadSettings(db);
    return todayOf(options.now(), offsetMinutes(settings.utcOffset), await loadCalendar(db, settings));
  };

  app.get(at(FOLLOW_UP_ROUTES.followUps), guard(READERS), async (request) => {
    const query = parseWith(FollowUpQuery, request.query);
    const department = departmentScope(personOf(request), query.department);
    return ledgerPage(db, query, department, await today());
  });

  app.get(at(FOLLOW_UP_ROUTES.followUpsCsv), guard(READERS), async (request, reply) => {
    const query = parseWith(FollowUpQuery.omit({ limit: true, after: true }), request.query);
    const person = personOf(request);
    const department = departmentScope(person, query.department);
    const lines = followUpCsv(db, query, department, await today());
    request.log.info({ by: person.username, department: department ?? 'all' }, 'follow-up ledger exported');
    reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="follow-ups${department ? `-${department}` : ''}.csv"`)
      .header('cache-control', 'no-store');
    return reply.send(Readable.from(lines));
  });

  app.get(at(FOLLOW_UP_ROUTES.followUpCounts), guard(READERS), async (request) => {
    const department = departmentScope(personOf(request), undefined);
    return { departments: await departmentCounts(db, department, await today()) };
  });

  app.get(at(FOLLOW_UP_ROUTES.followUpOfficers), guard(READERS), async (request) => {
    const query = parseWith(FollowUpQuery.pick({ department: true }), request.query);
    const department = departmentScope(personOf(request), query.department);
    const rows = await db.query<{ username: string; display_name: string; department_code: string }>(
      `SELECT username, display_name, department_code FROM console_users WHERE role = 'follow_up' AND NOT disabled ${department !== undefined ? 'AND department_code = $1' : ''}
       ORDER BY department_code, lower(username)`,
      department !== undefined ? [department] : [],
    );
    return { officers: rows.map((r) => ({ username: r.username, displayName: r.display_name, departmentCode: r.department_code })) };
  });

  app.post(at(FOLLOW_UP_ROUTES.followUps), guard(MANAGERS), async (request, reply) => {
    const body = parseWith(OpenFollowUpBody, jsonBody(request).value);
    const person = personOf(request);
    await deps.projector.run();
    const now = options.now();
    const id = await db.transaction((tx) => openByHand(tx, person, body, now));
    const record = await recordPage(db, person, id, await today());
    publishFollowUpChange(bus, { followUpId: id, state: record.state, departmentCode: record.departmentCode }, now);
    return reply.code(201).send(record);
  });

  app.get(at(FOLLOW_UP_ROUTES.followUp), guard(READERS), async (request) => recordPage(db, personOf(request), idOf(request), await today()));

  app.post(at(FOLLOW_UP_ROUTES.followUpAction), guard(ACTORS), async (request) => {
    const id = idOf(request);
    const person = personOf(request);
    const action = parseWith(FollowUpAction, jsonBody(request).value);
    const now = options.now();
    const done = await db.transaction((tx) => act(tx, person, id, action, now));
    publishFollowUpChange(bus, { followUpId: done.id, state: done.state, departmentCode: done.departmentCode }, now);
    return recordPage(db, person, id, await today());
  });

  // 追评: the assigned officer records the citizen's rating given on the callback; the first rating stays.
  app.post(at(FOLLOW_UP_ROUTES.followUpRating), guard(ACTORS), async (request) => {
    const id = idOf(request);
    const person = personOf(request);
    const body = parseWith(FollowUpRatingBody, jsonBody(request).value);
    const now = options.now();
    const done = await db.transaction((tx) => rateRecord(tx, person, id, body, now));
    publishFollowUpChange(bus, { followUpId: done.id, state: done.state, departmentCode: done.departmentCode }, now);
    return recordPage(db, person, id, await today());
  });

  app.post(at(FOLLOW_UP_ROUTES.followUpPhone), guard(READERS), async (request, reply) => {
    const id = idOf(request);
    const person = personOf(request);
    const phone = await db.transaction((tx) => revealPhone(tx, person, id, options.now(), request.ip));
    // Who saw which record's phone is in the reveal log; the number itself goes to the caller only.
    request.log.info({ by: person.username, followUp: id }, 'callback phone revealed');
    return reply.header('cache-control', 'no-store').send({ phone });
  });

  app.get(at(FOLLOW_UP_ROUTES.calendar), guard(READERS), async (request) => readCalendarYear(db, yearOf(request)));

  app.put(at(FOLLOW_UP_ROUTES.calendar), guard(['admin']), async (request) => {
    const year = yearOf(request);
    const body = parseWith(CalendarYearBody, jsonBody(request).value);
    checkYear(year, body.holidays, body.workdays);
    const person = personOf(request);
    const now = options.now();
    await db.transaction(async (tx) => {
      const before = await readCalendarYear(tx, year);
      const holidays = [...new Set(body.holidays)].sort();
      const workdays = [...new Set(body.workdays)].sort();
      await writeCalendarYear(tx, year, holidays, workdays, person.username, now);
      await afterCalendarChange(tx);
      await writeAudit(tx, now, {
        action: 'calendar_changed',
        actor: person.username,
        subject: String(year),
        facts: calendarChange(before, holidays, workdays),
        address: request.ip,
      });
    });
    return readCalendarYear(db, year);
  });

  app.post(at(FOLLOW_UP_ROUTES.calendarImport), guard(['admin']), async (request) => {
    const body = parseWith(CalendarImportBody, jsonBody(request).value);
    const parsed = parseCalendarFile(body.text);
    if (!parsed.ok) {
      const first = parsed.errors[0]!;
      throw new Refusal(400, 'calendar-file-invalid', `line ${first.line}: ${first.message}${parsed.errors.length > 1 ? ` (and ${parsed.errors.length - 1} more wrong lines)` : ''}; nothing was imported`, {
        lines: parsed.errors,
      }).because('follow_up.calendar_file_invalid', { line: first.line, more: parsed.errors.length - 1 });
    }
    const person = personOf(request);
    const now = options.now();
    await db.transaction(async (tx) => {
      for (const y of parsed.years) await writeCalendarYear(tx, y.year, y.holidays, y.workdays, person.username, now);
      await afterCalendarChange(tx);
      await writeAudit(tx, now, {
        action: 'calendar_changed',
        actor: person.username,
        subject: parsed.years.map((y) => y.year).join(', '),
        facts: { kind: 'calendar_import', years: parsed.years.map((y) => ({ year: y.year, holidays: y.holidays.length, workdays: y.workdays.length })) },
        address: request.ip,
      });
    });
    const years: CalendarYear[] = [];
    for (const y of parsed.years) years.push(await readCalendarYear(db, y.year));
    return { years };
  });

  app.get(at(FOLLOW_UP_ROUTES.followUpSettings), guard(READERS), async () => {
    const settings = await loadSettings(db);
    return { workingDays: settings.followUp.workingDays } satisfies FollowUpSettings;
  });

  app.put(at(FOLLOW_UP_ROUTES.followUpSettings), guard(['admin']), async (request) => {
    const body = parseWith(FollowUpSettings, jsonBody(request).value);
    const person = personOf(request);
    await db.transaction(async (tx) => {
      const settings = await loadSettings(tx);
      const before = settings.followUp.workingDays;
      await saveSettings(tx, { ...settings, followUp: { ...settings.followUp, workingDays: body.workingDays } });
      await tx.query("INSERT INTO follow_up_config_changes (at, by_user, what, detail) VALUES ($1, $2, 'settings', $3)", [
        options.now(),
        person.username,
        `working days to follow up: ${before} → ${body.workingDays}`,
      ]);
      await writeAudit(tx, options.now(), {
        action: 'settings_changed',
        actor: person.username,
        subject: 'followUp.workingDays',
        facts: { kind: 'fields', changes: [{ field: 'followUp.workingDays', before: String(before), after: String(body.workingDays) }] },
        address: request.ip,
      });
    });
    return body;
  });
}
