/** The console's IT and export side: terminals, enrolment codes, lists, CSV and bulletin. */
import type { FastifyInstance } from 'fastify';
import type { ConsoleItDeps } from './deps';
import { registerExportRoutes } from './exports';
import { registerListRoutes } from './lists';
import { registerTerminalRoutes } from './terminals';

export type { ConsoleItDeps } from './deps';

export function registerConsoleItRoutes(app: FastifyInstance, deps: ConsoleItDeps): void {
  registerTerminalRoutes(app, deps);
  registerListRoutes(app, deps);
  registerExportRoutes(app, deps);
}
