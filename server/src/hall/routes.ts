/**
 * POST /v1/status: a window's live status, with the terminal's token (refused without one,
 * and for another window than the terminal's own). GET /v1/console/hall: the hall, each
 * department user their own windows; evaluators are refused (live work is not theirs).
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { CONSOLE_API } from '../../../src/shared/console/contract';
import { HALL_ROUTES } from '../../../src/shared/console/hall-contract';
import { STATUS_PATH, WindowStatus } from '../../../src/shared/live-status';
import { consoleGuard, departmentScope, personOf, type ConsoleGuardDeps } from '../accounts/guard';
import { Refusal } from '../errors';
import { terminalOf, type Auth } from '../http/auth';
import { jsonBody } from '../http/body';
import { parseWith } from '../http/parse';
import type { RateLimiter } from '../http/rate-limit';
import { LIVE_ROLES } from '../live/scope';
import { buildHall, type WindowAlertSource } from './hall';
import type { HallState } from './state';

export interface HallRouteDeps extends ConsoleGuardDeps {
  auth: Auth;
  limiter: RateLimiter;
  state: HallState;
  /** Read at each request, so the window rules can plug theirs in after start. */
  alerts: () => WindowAlertSource;
}

const HallQuery = z.object({ department: z.string().trim().min(1).max(32).optional() }).strict();

export function registerHallRoutes(app: FastifyInstance, deps: HallRouteDeps): void {
  const { auth, limiter, state } = deps;
  // A status is a few hundred bytes; a large body is not a status.
  const intake = { bodyLimit: 16 * 1024, config: { maxInflatedBytes: 64 * 1024 }, onRequest: auth.terminalHook((t) => limiter.take(`status:${t.terminalId}`)) };

  app.post(STATUS_PATH, intake, async (request, reply) => {
    const terminal = terminalOf(request);
    const status = parseWith(WindowStatus, jsonBody(request).value);
    if (status.terminalId !== terminal.terminalId) {
      throw new Refusal(403, 'terminal-mismatch', `this status is for terminal ${status.terminalId}, but the token belongs to ${terminal.terminalId}`);
    }
    if (status.windowNo !== terminal.windowNo) {
      throw new Refusal(403, 'forbidden', `this terminal is enrolled at window ${terminal.windowNo} and may not report window ${status.windowNo}; enrol it again at its new window`);
    }
    // An older status (it arrived after a newer one) is dropped quietly: the kiosk has nothing to do about it.
    await state.accept(status);
    return reply.code(204).send();
  });

  app.get(`${CONSOLE_API}${HALL_ROUTES.hall}`, { onRequest: consoleGuard(deps, LIVE_ROLES) }, async (request) => {
    const query = parseWith(HallQuery, request.query);
    const departmentCode = departmentScope(personOf(request), query.department);
    return buildHall(deps.db, state, deps.options.now(), { departmentCode }, deps.alerts());
  });
}
