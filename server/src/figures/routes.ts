/**
 * The figures API of the console: overview, ranking and drill-down, one query object each
 * (src/shared/console/contract.ts), for every console role. Each first brings the cases and
 * roll-ups up to the records held; when nothing is new that is one small query.
 */
import type { FastifyInstance } from 'fastify';
import { CONSOLE_API, CONSOLE_ROLES, CONSOLE_ROUTES, DrilldownQuery, FigureQuery, RankingQuery } from '../../../src/shared/console/contract';
import { consoleGuard, departmentScope, mayRevealPersonalData, personOf } from '../accounts/guard';
import type { CentreDb } from '../db/sql';
import { Refusal } from '../errors';
import { parseWith } from '../http/parse';
import type { ResolvedOptions } from '../options';
import type { Projector } from '../reports/project';
import { loadSettings, offsetMinutes } from '../settings';
import { knownDepartments } from './departments';
import { drilldownOf } from './drilldown';
import { overviewOf } from './overview';
import { rankingOf } from './ranking';

export function registerFigureRoutes(app: FastifyInstance, deps: { db: CentreDb; options: ResolvedOptions; projector: Projector }): void {
  const { db, options, projector } = deps;
  const readers = { onRequest: consoleGuard(deps, CONSOLE_ROLES) };
  const fresh = async () => {
    await projector.run();
    return loadSettings(db);
  };

  app.get(`${CONSOLE_API}${CONSOLE_ROUTES.departments}`, readers, async (request) => {
    const mine = departmentScope(personOf(request), undefined);
    const all = await knownDepartments(db);
    return mine === undefined ? all : all.filter((d) => d.code === mine).concat(all.some((d) => d.code === mine) ? [] : [{ code: mine, name: mine }]);
  });

  app.get(`${CONSOLE_API}${CONSOLE_ROUTES.overview}`, readers, async (request) => {
    const query = parseWith(FigureQuery, request.query);
    const department = departmentScope(personOf(request), query.department) ?? null;
    const settings = await fresh();
    return overviewOf(db, settings, query, department, options.now());
  });

  app.get(`${CONSOLE_API}${CONSOLE_ROUTES.ranking}`, readers, async (request) => {
    const query = parseWith(RankingQuery, request.query);
    const department = departmentScope(personOf(request), query.department) ?? null;
    const settings = await fresh();
    const names = new Map((await knownDepartments(db)).map((d) => [d.code, d.name]));
    return rankingOf(db, settings, query, department, names, options.now());
  });

  app.get(`${CONSOLE_API}${CONSOLE_ROUTES.drilldown}`, readers, async (request) => {
    const query = parseWith(DrilldownQuery, request.query);
    const person = personOf(request);
    const department = departmentScope(person, query.department) ?? null;
    if (query.dimension === 'department' && department !== null && query.key !== department) {
      throw new Refusal(403, 'forbidden', `you may see only your own department (${department}), not ${query.key}`).because('figures.other_department', { department, key: query.key });
    }
    const settings = await fresh();
    return drilldownOf(db, query, { department, offsetMinutes: offsetMinutes(settings.utcOffset), revealPhones: mayRevealPersonalData(person) });
  });
}
