/**
 * Exports from the console: the national-field CSV (the configured code direction unless
 * the caller picks one) and the department bulletin. Evaluators may export (standard
 * 11.3.3) but never see personal data: free text in their CSV has phone and ID numbers masked.
 */
import { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { CONSOLE_API } from '../../../src/shared/console/contract';
import { BulletinQuery, CsvExportQuery, IT_ROUTES } from '../../../src/shared/console/it-contract';
import { redact } from '../../../src/shared/privacy';
import { consoleGuard, departmentScope, mayRevealPersonalData, personOf } from '../accounts/guard';
import { parseWith } from '../http/parse';
import { ratingsCsv } from '../reports/csv';
import { loadSettings } from '../settings';
import { bulletin } from './bulletin';
import type { ConsoleItDeps } from './deps';

async function* masked(lines: AsyncGenerator<string>): AsyncGenerator<string> {
  for await (const line of lines) yield redact(line);
}

export function registerExportRoutes(app: FastifyInstance, deps: ConsoleItDeps): void {
  const { db, options, projector } = deps;
  const at = (route: string) => `${CONSOLE_API}${route}`;

  app.get(at(IT_ROUTES.ratingsCsv), { onRequest: consoleGuard(deps, ['admin', 'supervisor', 'evaluator']) }, async (request, reply) => {
    const query = parseWith(CsvExportQuery, request.query);
    const person = personOf(request);
    await projector.run();
    const settings = await loadSettings(db);
    const direction = query.codes ?? settings.export.satisfactionDirection;
    const lines = ratingsCsv(db, settings, { from: query.from, to: query.to, codes: direction });
    request.log.info({ by: person.username, from: query.from, to: query.to, direction }, 'ratings exported from the console');
    reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="ratings-${query.from}-${query.to}-${direction}.csv"`)
      .header('cache-control', 'no-store')
      .header('x-satisfaction-direction', direction);
    return reply.send(Readable.from(mayRevealPersonalData(person) ? lines : masked(lines)));
  });

  app.get(at(IT_ROUTES.bulletin), { onRequest: consoleGuard(deps, ['admin', 'supervisor', 'viewer', 'evaluator', 'department']) }, async (request) => {
    const query = parseWith(BulletinQuery, request.query);
    const department = departmentScope(personOf(request), query.department) ?? query.department;
    await projector.run();
    return bulletin(db, await loadSettings(db), { ...query, department }, options.now());
  });
}
