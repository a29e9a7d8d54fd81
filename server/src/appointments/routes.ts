/**
 * 预约登记 in the console: the day's register by department and window, a new appointment,
 * the department's opinion, a cancellation or no-show marked by hand, and the CSV. Department users work their own department's
 * appointments only; viewers read the register without phones; evaluators and follow-up
 * officers have no part in it.
 */
import type { FastifyInstance } from 'fastify';
import {
  APPOINTMENT_ROUTES,
  AppointmentMarkBody,
  AppointmentOpinionBody,
  AppointmentQuery,
  NewAppointmentBody,
  type AppointmentList,
} from '../../../src/shared/console/appointments-contract';
import { CONSOLE_API, type ConsoleRole } from '../../../src/shared/console/contract';
import { consoleGuard, departmentScope, mayRevealPersonalData, personOf, type Person } from '../accounts/guard';
import type { CentreDb } from '../db/sql';
import { Refusal } from '../errors';
import { jsonBody } from '../http/body';
import { parseWith } from '../http/parse';
import type { ResolvedOptions } from '../options';
import type { Projector } from '../reports/project';
import { parsingPhone } from '../privacy/vault';
import { loadSettings, offsetMinutes } from '../settings';
import { appointmentsCsv } from './csv';
import { choicesFor, createAppointment, listAppointments, loadAppointment, markAppointment, rowOf, setOpinion } from './store';

export const APPOINTMENT_READERS: readonly ConsoleRole[] = ['admin', 'supervisor', 'department', 'viewer'];
export const APPOINTMENT_WRITERS: readonly ConsoleRole[] = ['admin', 'supervisor', 'department'];

/** The centre's date at `now`, by its UTC offset. */
export function centreToday(now: number, offset: number): string {
  return new Date(now + offset * 60_000).toISOString().slice(0, 10);
}

/** A department user may book and answer for their own department only. */
function mayWorkFor(person: Person, departmentCode: string | null): void {
  const own = departmentScope(person, undefined);
  if (own !== undefined && own !== departmentCode) {
    throw new Refusal(403, 'forbidden', `you may register appointments only for your own department (${own}); this one belongs to ${departmentCode ?? 'no department'}`).because(
      'appointments.other_department',
      { own, department: departmentCode ?? '' },
    );
  }
}

export function registerAppointmentRoutes(app: FastifyInstance, deps: { db: CentreDb; options: ResolvedOptions; projector: Projector }): void {
  const { db, options, projector } = deps;
  const at = (path: string) => `${CONSOLE_API}${path}`;
  const offset = async () => offsetMinutes((await loadSettings(db)).utcOffset);

  app.get(at(APPOINTMENT_ROUTES.appointments), { onRequest: consoleGuard(deps, APPOINTMENT_READERS) }, async (request): Promise<AppointmentList> => {
    const query = parseWith(AppointmentQuery, request.query);
    const person = personOf(request);
    const department = departmentScope(person, query.department);
    // Outcomes come from the projected cases: bring them up to the records held.
    await projector.run();
    const rows = await listAppointments(db, { day: query.day, department, window: query.window });
    return { query: { ...query, ...(department === undefined ? {} : { department }) }, rows: rows.map((r) => rowOf(r, mayRevealPersonalData(person))) };
  });

  app.get(at(APPOINTMENT_ROUTES.appointmentsCsv), { onRequest: consoleGuard(deps, APPOINTMENT_READERS) }, async (request, reply) => {
    const query = parseWith(AppointmentQuery, request.query);
    const person = personOf(request);
    const department = departmentScope(person, query.department);
    await projector.run();
    const csv = await appointmentsCsv(db, { day: query.day, department, window: query.window }, mayRevealPersonalData(person), await offset());
    request.log.info({ by: person.username, day: query.day, department: department ?? 'all' }, 'appointment register exported');
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="appointments-${query.day}${department ? `-${department}` : ''}.csv"`)
      .header('cache-control', 'no-store')
      .send(csv);
  });

  app.get(at(APPOINTMENT_ROUTES.appointmentChoices), { onRequest: consoleGuard(deps, APPOINTMENT_WRITERS) }, async (request) => {
    const department = departmentScope(personOf(request), undefined);
    return choicesFor(db, department, centreToday(options.now(), await offset()));
  });

  app.post(at(APPOINTMENT_ROUTES.appointments), { onRequest: consoleGuard(deps, APPOINTMENT_WRITERS) }, async (request, reply) => {
    const body = parsingPhone('appointments.phone_invalid', () => parseWith(NewAppointmentBody, jsonBody(request).value));
    const person = personOf(request);
    const now = options.now();
    const row = await createAppointment(db, body, person, now, centreToday(now, await offset()), (department) => mayWorkFor(person, department));
    request.log.info({ by: person.username, id: Number(row.id), window: row.window_no }, 'appointment registered');
    return reply.code(201).send(rowOf(row, true));
  });

  app.put<{ Params: { id: string } }>(at(APPOINTMENT_ROUTES.appointmentOpinion), { onRequest: consoleGuard(deps, APPOINTMENT_WRITERS) }, async (request) => {
    const id = /^\d{1,15}$/.test(request.params.id) ? Number(request.params.id) : NaN;
    const body = parseWith(AppointmentOpinionBody, jsonBody(request).value);
    const person = personOf(request);
    const found = Number.isFinite(id) ? await loadAppointment(db, id) : undefined;
    if (!found) throw new Refusal(404, 'not-found', `there is no appointment ${request.params.id}; reload the register`).because('appointments.not_found', { id: request.params.id });
    mayWorkFor(person, found.department_code);
    await setOpinion(db, id, body.opinion, person.username, options.now());
    return rowOf((await loadAppointment(db, id))!, true);
  });

  app.post<{ Params: { id: string } }>(at(APPOINTMENT_ROUTES.appointmentMark), { onRequest: consoleGuard(deps, APPOINTMENT_WRITERS) }, async (request) => {
    const id = /^\d{1,15}$/.test(request.params.id) ? Number(request.params.id) : NaN;
    const body = parseWith(AppointmentMarkBody, jsonBody(request).value);
    const person = personOf(request);
    // A case the window opened from it may be in the records held but not yet projected: it counts as served.
    await projector.run();
    const found = Number.isFinite(id) ? await loadAppointment(db, id) : undefined;
    if (!found) throw new Refusal(404, 'not-found', `there is no appointment ${request.params.id}; reload the register`).because('appointments.not_found', { id: request.params.id });
    mayWorkFor(person, found.department_code);
    const row = await markAppointment(db, found, body, person, options.now(), await offset());
    request.log.info({ by: person.username, id, mark: body.mark, reason: body.reason ?? null }, 'appointment marked');
    return rowOf(row, mayRevealPersonalData(person));
  });
}
