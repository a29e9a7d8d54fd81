/**
 * The reports API, for report readers (role `reports`; the admin token has it too). Every
 * report first brings the cases up to the records held, so it reflects every upload that
 * was acknowledged.
 */
import { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { CentreDb } from '../db/sql';
import { callerOf, type Auth } from '../http/auth';
import { parseWith } from '../http/parse';
import type { ResolvedOptions } from '../options';
import { loadSettings } from '../settings';
import { ratingsCsv } from './csv';
import { DateRange, PERIODS } from './periods';
import { poorRatings } from './poor-ratings';
import type { Projector } from './project';
import { GROUPINGS, satisfactionReport, type Grouping } from './satisfaction';

const SatisfactionQuery = DateRange.extend({
  by: z.enum(Object.keys(GROUPINGS) as [Grouping, ...Grouping[]]).default('staff'),
  period: z.enum(PERIODS).default('month'),
});
const CsvQuery = DateRange.extend({ codes: z.enum(['national', 'provincial']).optional() });
const AlertQuery = z.object({ terminalId: z.string().max(64).optional() });

export function registerReportRoutes(app: FastifyInstance, deps: { db: CentreDb; auth: Auth; projector: Projector; options: ResolvedOptions }): void {
  const { db, auth, projector, options } = deps;
  const readers = { onRequest: auth.userHook('reports') };

  app.get('/v1/reports/satisfaction', readers, async (request) => {
    const query = parseWith(SatisfactionQuery, request.query);
    await projector.run();
    const settings = await loadSettings(db);
    return { by: query.by, period: query.period, defaultRating: settings.ratingPolicy.defaultRating, rows: await satisfactionReport(db, settings, query, options.now()) };
  });

  app.get('/v1/reports/poor-ratings', readers, async (request) => {
    const caller = callerOf(request);
    const query = parseWith(DateRange, request.query);
    await projector.run();
    const settings = await loadSettings(db);
    const ratings = await poorRatings(db, settings, query, { showPhones: caller.roles.has('follow_up'), now: options.now() });
    return { workingDays: settings.followUp.workingDays, ratings };
  });

  app.get('/v1/reports/integrity-alerts', readers, async (request) => {
    const query = parseWith(AlertQuery, request.query);
    const alerts = await db.query(
      `SELECT terminal_id AS "terminalId", epoch, seq_from AS "seqFrom", seq_to AS "seqTo", kind, detail, detected_at AS "detectedAt"
       FROM integrity_alerts WHERE ($1::text IS NULL OR terminal_id = $1) ORDER BY detected_at, id`,
      [query.terminalId ?? null],
    );
    return { alerts };
  });

  app.get('/v1/reports/ratings.csv', readers, async (request, reply) => {
    const query = parseWith(CsvQuery, request.query);
    await projector.run();
    const settings = await loadSettings(db);
    const direction = query.codes ?? settings.export.satisfactionDirection;
    reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="ratings-${query.from ?? 'all'}-${query.to ?? 'all'}-${direction}.csv"`)
      .header('x-satisfaction-direction', direction);
    return reply.send(Readable.from(ratingsCsv(db, settings, { ...query, codes: direction })));
  });
}
