/**
 * The centre: a Fastify app over the centre database. Stateless apart from the per-node
 * rate limiter, so more API nodes can run against one PostgreSQL; their live news and hall
 * statuses travel between them through the live relay (live/relay.ts).
 */
import Fastify, { type FastifyInstance } from 'fastify';
import { registerAccountRoutes } from './accounts/routes';
import { registerAppointmentRoutes } from './appointments/routes';
import { registerMobileSuggestionRoutes } from './suggestions/mobile';
import { registerSuggestionRoutes } from './suggestions/routes';
import { createAlerts, type AlertService } from './alerts';
import { registerConsoleFiles } from './console-files';
import { registerConsoleItRoutes } from './console-it';
import type { CentreDb } from './db/sql';
import { registerDistributionRoutes } from './distribution/routes';
import { registerEnrolmentRoutes } from './enrolment/routes';
import { registerFigureRoutes } from './figures/routes';
import { publishIngestNews } from './follow-up/news';
import { registerFollowUpRoutes } from './follow-up/routes';
import { createHall, type HallService } from './hall';
import { createWindowRules } from './hall/rules-routes';
import type { WindowRuleService } from './hall/rules-service';
import { registerWall } from './hall/wall-routes';
import { Auth } from './http/auth';
import { registerJsonBody } from './http/body';
import { RateLimiter } from './http/rate-limit';
import { refuseFrameworkError, registerRefusals } from './http/refusals';
import { registerTokenRotation } from './http/token-rotation';
import { createPrivacy, type PrivacyService } from './privacy';
import { registerPunctualityRoutes } from './punctuality/routes';
import { registerBackupRoute } from './cli/route';
import { registerBundleRoutes, registerIngestRoutes, type AfterIngest } from './ingest/routes';
import { CentreBus } from './live/bus';
import { CentreNews, registerLive } from './live';
import { LiveRelay } from './live/relay';
import { resolveOptions, type CentreOptions, type ResolvedOptions } from './options';
import { Projector } from './reports/project';
import { registerReportRoutes } from './reports/routes';

export interface Centre {
  app: FastifyInstance;
  db: CentreDb;
  projector: Projector;
  /** News for open consoles, published after each commit (live/bus.ts). */
  bus: CentreBus;
  /** Alert rules, their sweeps and the webhook deliveries (alerts/). */
  alerts: AlertService;
  /** Live hall supervision: the window statuses and the hall answer (hall/). */
  hall: HallService;
  /** Callback phones at rest: legacy ones sealed, closed records' phones erased after the retention days (privacy/). */
  privacy: PrivacyService;
  /** The window rules of hall supervision: their checks, sweep and alerts (hall/rules*). */
  windowRules: WindowRuleService;
  /** On PostgreSQL with `relayUrl`: the live news and window statuses to and from the other API nodes (live/relay.ts). */
  relay: LiveRelay | null;
  options: ResolvedOptions;
  /** Stops the HTTP server and the projector; the database stays open (its owner closes it). */
  close(): Promise<void>;
}

export interface CentreWiring {
  /** The PostgreSQL the centre runs on, for the live relay's LISTEN connection (PGlite needs none). */
  relayUrl?: string;
}

export function buildCentre(db: CentreDb, centreOptions: CentreOptions, wiring: CentreWiring = {}): Centre {
  const options = resolveOptions(centreOptions);
  const app = Fastify({
    logger: options.logger,
    bodyLimit: 1024 * 1024,
    // An address the router cannot take gets the refusal shape too (http/refusals.ts).
    frameworkErrors: refuseFrameworkError,
    // Kiosks behind a slow link get time to finish a large batch; a stuck one is cut off.
    requestTimeout: 120_000,
    // Only the listed reverse proxies may say who the client is (X-Forwarded-For) and that it came over HTTPS.
    trustProxy: options.trustProxy,
    // With a certificate the centre serves HTTPS itself; server.setSecureContext reloads it (http/tls.ts).
    ...(options.tls ? { https: options.tls } : {}),
  }) as unknown as FastifyInstance;
  const auth = new Auth(db, options.adminToken, options);
  const limiter = new RateLimiter(options.rateLimit.perSecond, options.rateLimit.burst, options.now);
  const bus = new CentreBus();
  const news = new CentreNews(db, bus, app.log);
  const projector = new Projector(db, options.projectAfterMs, (terminalId, stored) => news.integrityAlerts(terminalId, stored));
  const afterIngest: AfterIngest = (terminalId, results) => {
    if (results.some((r) => r.stored > 0)) projector.soon();
    publishIngestNews(bus, results, options.now());
    news.integrityAlerts(terminalId, results.flatMap((r) => r.alerts));
    alerts.afterIngest(results.flatMap((r) => r.opened));
  };

  registerJsonBody(app, options.limits.maxInflatedBytes);
  registerRefusals(app);
  app.get('/v1/health', async () => ({ ok: true, database: db.kind, centreTime: options.now() }));
  registerEnrolmentRoutes(app, { db, auth, options });
  registerTokenRotation(app, { db, auth, options });
  registerIngestRoutes(app, { db, auth, limiter, options, afterIngest });
  registerBundleRoutes(app, { db, auth, options, afterIngest });
  registerDistributionRoutes(app, { db, auth, limiter, now: options.now });
  registerMobileSuggestionRoutes(app, { db, auth, limiter, options });
  registerReportRoutes(app, { db, auth, projector, options });
  registerConsoleItRoutes(app, { db, options, projector });
  registerFigureRoutes(app, { db, options, projector });
  registerPunctualityRoutes(app, { db, options, projector });
  registerFollowUpRoutes(app, { db, options, projector, bus });
  registerAppointmentRoutes(app, { db, options, projector });
  registerSuggestionRoutes(app, { db, options, projector });
  // The console answers only the GET addresses no API route claims, wherever it is registered.
  registerConsoleFiles(app);
  registerAccountRoutes(app, { db, options });
  registerLive(app, { db, options, bus, news, heartbeatMs: options.liveHeartbeatMs });
  const alerts = createAlerts(app, { db, bus, options });
  alerts.start();
  const hall = createHall(app, { db, auth, limiter, bus, options });
  const relay = wiring.relayUrl && db.kind === 'postgres' ? new LiveRelay({ db, connectionString: wiring.relayUrl, bus, hall: hall.state, log: app.log, now: options.now }) : null;
  // After the hall has read its table (its onReady hook comes first).
  if (relay) app.addHook('onReady', () => relay.start());
  const privacy = createPrivacy(app, { db, options });
  privacy.start();
  registerBackupRoute(app, { db, auth });
  const windowRules = createWindowRules(app, { db, bus, hall, alerts, options });
  registerWall(app, { db, options, bus, hall, limiter, heartbeatMs: options.liveHeartbeatMs });

  return {
    app,
    db,
    projector,
    bus,
    alerts,
    hall,
    privacy,
    windowRules,
    relay,
    options,
    async close() {
      // Open live streams end in app.close (preClose), so it does not wait on consoles.
      await app.close();
      await projector.stop();
      await news.settle();
      await windowRules.stop();
      await alerts.stop();
      await relay?.stop();
      await hall.stop();
      await privacy.stop();
    },
  };
}
