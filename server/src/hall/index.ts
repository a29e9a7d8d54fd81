/**
 * Live hall supervision at the centre: the status intake, the hall state (memory and table
 * window_status) and the hall answer. The wall serves buildHall under its own token; the
 * window rules read HallState and plug their live alerts in with setAlerts.
 */
import type { FastifyInstance } from 'fastify';
import type { Sql } from '../db/sql';
import type { Auth } from '../http/auth';
import type { RateLimiter } from '../http/rate-limit';
import type { CentreBus } from '../live/bus';
import type { ResolvedOptions } from '../options';
import { buildHall, NO_WINDOW_ALERTS, type HallScope, type WindowAlertSource } from './hall';
import { registerHallRoutes } from './routes';
import { HallState, type HallStateOptions } from './state';

export { buildHall, NO_WINDOW_ALERTS, type HallScope, type WindowAlertSource } from './hall';
export { HallState, type WindowEntry, type WindowMeta } from './state';

export interface HallService {
  state: HallState;
  /** The hall as the console shows it, for this scope (the wall calls it too). */
  hall(scope?: HallScope): ReturnType<typeof buildHall>;
  /** The window rules' live alerts, shown in the hall from now on. */
  setAlerts(source: WindowAlertSource): void;
  /** Reads the table and starts the timers; the routes wait for it. */
  start(): Promise<void>;
  /** Stops the timers and writes what is pending. */
  stop(): Promise<void>;
}

export interface HallDeps {
  db: Sql;
  auth: Auth;
  limiter: RateLimiter;
  bus: CentreBus;
  options: ResolvedOptions;
  /** Timings of the state (tests and the bench). */
  timing?: Pick<HallStateOptions, 'flushMs' | 'sweepMs' | 'refreshMs' | 'metaMs' | 'staleMs'>;
}

export function createHall(app: FastifyInstance, deps: HallDeps): HallService {
  const state = new HallState({ db: deps.db, bus: deps.bus, now: deps.options.now, log: app.log, ...deps.timing });
  let alerts: WindowAlertSource = NO_WINDOW_ALERTS;
  let started: Promise<void> | null = null;
  const service: HallService = {
    state,
    hall: (scope = {}) => buildHall(deps.db, state, deps.options.now(), scope, alerts),
    setAlerts(source) {
      alerts = source;
    },
    start() {
      started ??= state.start();
      return started;
    },
    async stop() {
      await started?.catch(() => undefined);
      await state.stop();
    },
  };
  registerHallRoutes(app, { db: deps.db, options: deps.options, auth: deps.auth, limiter: deps.limiter, state, alerts: () => alerts });
  // The hall loaded from the table before the first request is answered: a restart shows the same.
  app.addHook('onReady', () => service.start());
  return service;
}
