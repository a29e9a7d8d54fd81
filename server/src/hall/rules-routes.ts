/**
 * The window rules in the console: the alerts (open ones, or the most recent; department
 * users their own), the rule settings and each window's hours (admins change them; a value
 * out of range is refused with a sentence and nothing is stored). A change is checked
 * against the windows at once, so an alert of a rule switched off ends without waiting for
 * the sweep. Each change is in the audit log, written in the change's transaction.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { CONSOLE_API } from '../../../src/shared/console/contract';
import { HALL_ROUTES, WindowRules, WindowSchedule } from '../../../src/shared/console/hall-contract';
import { changedRules, fieldChanges, writeAudit } from '../accounts/audit';
import { consoleGuard, departmentScope, personOf, type ConsoleGuardDeps } from '../accounts/guard';
import type { AlertService } from '../alerts';
import type { Sql } from '../db/sql';
import { Refusal } from '../errors';
import { jsonBody } from '../http/body';
import { parseWith } from '../http/parse';
import type { CentreBus } from '../live/bus';
import { LIVE_ROLES } from '../live/scope';
import type { ResolvedOptions } from '../options';
import type { HallService } from './index';
import { hoursFault, hoursProblem } from './rules';
import { WindowRuleService } from './rules-service';
import { listWindowAlerts, loadWindowRules, openWindowAlerts, readWindowSchedule, saveWindowRules, windowKnown, writeWindowSchedule } from './rules-store';

const AlertQuery = z
  .object({
    open: z.enum(['true', 'false'], { error: 'open is true or false' }).optional(),
    department: z.string().trim().min(1).max(64).optional(),
    limit: z.coerce.number({ error: 'limit is a whole number' }).int('limit is a whole number').min(1, 'limit is from 1 to 500').max(500, 'limit is from 1 to 500').default(100),
  })
  .strict();

const WindowParams = z.object({
  windowNo: z.string().trim().min(1, 'name the window').max(16, 'a window number has at most 16 characters'),
});

export interface WindowRuleRouteDeps extends ConsoleGuardDeps {
  windowRules: WindowRuleService;
}

export function registerWindowRuleRoutes(app: FastifyInstance, deps: WindowRuleRouteDeps): void {
  const { db, options, windowRules } = deps;
  const at = (route: string) => `${CONSOLE_API}${route}`;
  const admin = { onRequest: consoleGuard(deps, ['admin']) };

  app.get(at(HALL_ROUTES.windowAlerts), { onRequest: consoleGuard(deps, LIVE_ROLES) }, async (request) => {
    const query = parseWith(AlertQuery, request.query);
    const departmentCode = departmentScope(personOf(request), query.department);
    return { alerts: await listWindowAlerts(db, { open: query.open === 'true', departmentCode, limit: query.limit }) };
  });

  app.get(at(HALL_ROUTES.windowRules), { onRequest: consoleGuard(deps, ['admin', 'supervisor']) }, async () => loadWindowRules(db));

  app.put(at(HALL_ROUTES.windowRules), admin, async (request) => {
    const rules = parseWith(WindowRules, jsonBody(request).value);
    const person = personOf(request);
    const now = options.now();
    await db.transaction(async (tx) => {
      const before = await loadWindowRules(tx);
      await saveWindowRules(tx, rules, person.username, now);
      const changes = fieldChanges(before, rules);
      await writeAudit(tx, now, { action: 'window_rules_changed', actor: person.username, subject: changedRules(changes), facts: { kind: 'fields', changes }, address: request.ip });
    });
    request.log.info({ by: person.username, rules }, 'window rules changed');
    windowRules.soon();
    return loadWindowRules(db);
  });

  app.get(at(HALL_ROUTES.windowSchedule), admin, async (request) => {
    const { windowNo } = parseWith(WindowParams, request.params);
    if (!(await windowKnown(db, windowNo))) throw new Refusal(404, 'not-found', `there is no window ${windowNo}; add it to the window list first`).because('hall.window_unknown', { windowNo });
    return readWindowSchedule(db, windowNo);
  });

  app.put(at(HALL_ROUTES.windowSchedule), admin, async (request) => {
    const { windowNo } = parseWith(WindowParams, request.params);
    const schedule = parseWith(WindowSchedule, jsonBody(request).value);
    const fault = hoursFault(schedule);
    if (fault) {
      const refusal = new Refusal(400, 'invalid-request', hoursProblem(schedule)!);
      throw fault.kind === 'half' ? refusal.because('hall.hours_half', { day: fault.day }) : refusal.because('hall.hours_backwards', { day: fault.day, opens: fault.opens, closes: fault.closes });
    }
    if (!(await windowKnown(db, windowNo))) throw new Refusal(404, 'not-found', `there is no window ${windowNo}; add it to the window list first`).because('hall.window_unknown', { windowNo });
    const person = personOf(request);
    const now = options.now();
    await db.transaction(async (tx) => {
      const before = await readWindowSchedule(tx, windowNo);
      await writeWindowSchedule(tx, windowNo, schedule, person.username, now);
      await writeAudit(tx, now, {
        action: 'window_rules_changed',
        actor: person.username,
        subject: windowNo,
        facts: { kind: 'window_hours', windowNo, changes: fieldChanges(before, { ...schedule, floor: schedule.floor || null }) },
        address: request.ip,
      });
    });
    request.log.info({ by: person.username, windowNo, schedule }, 'window hours changed');
    windowRules.soon();
    return readWindowSchedule(db, windowNo);
  });
}

/**
 * The window rules beside the hall: routes now, the checks once the hall has read its
 * statuses (a sweep before that would find every window silent), and the hall's ticker fed
 * from the open alerts.
 */
export function createWindowRules(
  app: FastifyInstance,
  deps: { db: Sql; bus: CentreBus; hall: HallService; alerts: AlertService; options: ResolvedOptions },
): WindowRuleService {
  const { db, hall, options } = deps;
  const windowRules = new WindowRuleService({
    db,
    bus: deps.bus,
    state: hall.state,
    now: options.now,
    deliverer: deps.alerts.deliverer,
    log: app.log.child({ part: 'window-rules' }),
    sweepMs: options.windowRulesSweepMs,
  });
  registerWindowRuleRoutes(app, { db, options, windowRules });
  hall.setAlerts((scope) => openWindowAlerts(db, scope));
  app.addHook('onReady', async () => {
    await hall.start();
    windowRules.start();
  });
  return windowRules;
}
