/** Alert rules, their alerts and the outgoing webhooks, started and stopped with the centre. */
import type { FastifyInstance } from 'fastify';
import type { CentreDb } from '../db/sql';
import type { CentreBus } from '../live/bus';
import type { ResolvedOptions } from '../options';
import { WebhookDeliverer } from './deliver';
import { registerAlertRoutes } from './routes';
import { AlertService } from './service';

export { AlertService } from './service';

export function createAlerts(app: FastifyInstance, deps: { db: CentreDb; bus: CentreBus; options: ResolvedOptions }): AlertService {
  const { db, bus, options } = deps;
  const deliverer = new WebhookDeliverer(db, options.now, options.webhooks, app.log.child({ part: 'webhooks' }));
  registerAlertRoutes(app, { db, options });
  return new AlertService(db, bus, options.now, deliverer, app.log.child({ part: 'alert-rules' }), options.alertSweepMs);
}
