/** Config distribution: admins replace the lists; each window pulls its config with an ETag. */
import type { FastifyInstance } from 'fastify';
import type { CentreDb } from '../db/sql';
import type { Auth } from '../http/auth';
import { jsonBody } from '../http/body';
import { parseWith } from '../http/parse';
import type { RateLimiter } from '../http/rate-limit';
import { CentreSettings, loadSettings, saveSettings } from '../settings';
import { configFor } from './config';
import { ItemList, ReasonList, StaffList, WindowSettings, replaceItems, replaceReasons, replaceStaff, saveWindow } from './lists';

export function registerDistributionRoutes(app: FastifyInstance, deps: { db: CentreDb; auth: Auth; limiter: RateLimiter }): void {
  const { db, auth, limiter } = deps;
  const photoSized = { bodyLimit: 64 * 1024 * 1024, config: { maxInflatedBytes: 256 * 1024 * 1024 } };

  app.get('/v1/config', async (request, reply) => {
    const terminal = await auth.terminal(request);
    limiter.take(terminal.terminalId);
    const { body, etag } = await configFor(db, terminal.windowNo);
    reply.header('etag', etag).header('cache-control', 'no-cache');
    if (request.headers['if-none-match'] === etag) return reply.code(304).send();
    return reply.type('application/json').send(body);
  });

  app.put('/v1/admin/staff', photoSized, async (request) => {
    await auth.user(request, 'admin');
    const list = parseWith(StaffList, jsonBody(request).value);
    await replaceStaff(db, list);
    return { staff: list.length };
  });

  app.put('/v1/admin/items', photoSized, async (request) => {
    await auth.user(request, 'admin');
    const list = parseWith(ItemList, jsonBody(request).value);
    await replaceItems(db, list);
    return { items: list.length };
  });

  app.put('/v1/admin/reasons', async (request) => {
    await auth.user(request, 'admin');
    const list = parseWith(ReasonList, jsonBody(request).value);
    await replaceReasons(db, list);
    return { reasons: list.length };
  });

  app.put<{ Params: { windowNo: string } }>('/v1/admin/windows/:windowNo', async (request) => {
    await auth.user(request, 'admin');
    const window = parseWith(WindowSettings, jsonBody(request).value);
    await saveWindow(db, request.params.windowNo, window);
    return { windowNo: request.params.windowNo, ...window };
  });

  app.get('/v1/admin/settings', async (request) => {
    await auth.user(request, 'admin');
    return loadSettings(db);
  });

  app.put('/v1/admin/settings', async (request) => {
    await auth.user(request, 'admin');
    const settings = parseWith(CentreSettings, jsonBody(request).value);
    await saveSettings(db, settings);
    return settings;
  });
}
