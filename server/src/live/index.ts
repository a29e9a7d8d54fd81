/** The live side of the centre: the SSE route, and news of integrity alerts from every path that stores them. */
import type { FastifyInstance } from 'fastify';
import type { ConsoleGuardDeps } from '../accounts/guard';
import { RefusalWithAlert } from '../ingest/store';
import type { CentreBus } from './bus';
import { registerLiveEvents, type LiveStreams } from './events-route';
import type { CentreNews } from './news';

export { CentreNews } from './news';

export interface LiveDeps extends ConsoleGuardDeps {
  bus: CentreBus;
  news: CentreNews;
  heartbeatMs?: number;
  maxBufferedBytes?: number;
}

export function registerLive(app: FastifyInstance, deps: LiveDeps): LiveStreams {
  // A batch refused for a restored database still leaves its alert behind (ingest/store.ts).
  app.addHook('onError', async (request, _reply, err) => {
    if (err instanceof RefusalWithAlert && request.terminalId) deps.news.integrityAlerts(request.terminalId, [err.alert]);
  });
  return registerLiveEvents(app, deps);
}
