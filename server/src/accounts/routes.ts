/** The console's people: sign-in, sessions, the first admin, accounts and the audit log. */
import type { FastifyInstance } from 'fastify';
import type { Sql } from '../db/sql';
import type { ResolvedOptions } from '../options';
import { registerSessionRoutes } from './session-routes';
import { issueSetupToken } from './setup';
import { registerUserRoutes } from './user-routes';

export function registerAccountRoutes(app: FastifyInstance, deps: { db: Sql; options: ResolvedOptions }): void {
  registerSessionRoutes(app, deps);
  registerUserRoutes(app, deps);
}

/** At start-up: the one-time link that creates the first admin, while there is none. */
export function firstStartSetup(db: Sql, options: ResolvedOptions): Promise<{ token: string; expiresAt: number } | null> {
  return issueSetupToken(db, options.now(), options.accounts);
}
