/**
 * The centre: a Fastify app over the centre database. Stateless apart from the per-node
 * rate limiter, so more API nodes can run against one PostgreSQL.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import { registerAccountRoutes } from './accounts/routes';
import { registerConsoleFiles } from './console-files';
import { registerConsoleItRoutes } from './console-it';
import type { CentreDb } from './db/sql';
import { registerDistributionRoutes } from './distribution/routes';
import { registerEnrolmentRoutes } from './enrolment/routes';
import { registerFigureRoutes } from './figures/routes';
import { publishIngestNews } from './follow-up/news';
import { Auth } from './http/auth';
import { registerJsonBody } from './http/body';
import { RateLimiter } from './http/rate-limit';
import { registerRefusals } from './http/refusals';
import { registerBundleRoutes, registerIngestRoutes, type AfterIngest } from './ingest/routes';
import { CentreBus } from './live/bus';
import { resolveOptions, type CentreOptions, type ResolvedOptions } from './options';
import { Projector } from './reports/project';
import { registerReportRoutes } from './reports/routes';

export interface Centre {
  app: FastifyInstance;
  db: CentreDb;
  projector: Projector;
  /** News for open consoles, published after each commit (live/bus.ts). */
  bus: CentreBus;
  options: ResolvedOptions;
  /** Stops the HTTP server and the projector; the database stays open (its owner closes it). */
  close(): Promise<void>;
}

export function buildCentre(db: CentreDb, centreOptions: CentreOptions): Centre {
  const options = resolveOptions(centreOptions);
  const app = Fastify({
    logger: options.logger,
    bodyLimit: 1024 * 1024,
    // Kiosks behind a slow link get time to finish a large batch; a stuck one is cut off.
    requestTimeout: 120_000,
  });
  const auth = new Auth(db, options.adminToken);
  const limiter = new RateLimiter(options.rateLimit.perSecond, options.rateLimit.burst, options.now);
  const projector = new Projector(db, options.projectAfterMs);
  const bus = new CentreBus();
  const afterIngest: AfterIngest = (_terminalId, results) => {
    if (results.some((r) => r.stored > 0)) projector.soon();
    publishIngestNews(bus, results, options.now());
  };

  registerJsonBody(app, options.limits.maxInflatedBytes);
  registerRefusals(app);
  app.get('/v1/health', async () => ({ ok: true, database: db.kind, centreTime: options.now() }));
  registerEnrolmentRoutes(app, { db, auth, options });
  registerIngestRoutes(app, { db, auth, limiter, options, afterIngest });
  registerBundleRoutes(app, { db, auth, options, afterIngest });
  registerDistributionRoutes(app, { db, auth, limiter });
  registerReportRoutes(app, { db, auth, projector, options });
  registerConsoleItRoutes(app, { db, options, projector });
  registerFigureRoutes(app, { db, options, projector });
  // The console answers only the GET addresses no API route claims, wherever it is registered.
  registerConsoleFiles(app);
  registerAccountRoutes(app, { db, options });

  return {
    app,
    db,
    projector,
    bus,
    options,
    async close() {
      await app.close();
      await projector.stop();
    },
  };
}
