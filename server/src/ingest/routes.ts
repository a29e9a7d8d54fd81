/** POST /v1/batches: a terminal's gzip JSON batch of outbox records. */
import type { FastifyInstance } from 'fastify';
import type { CentreDb } from '../db/sql';
import { Refusal } from '../errors';
import type { Auth } from '../http/auth';
import { jsonBody } from '../http/body';
import type { RateLimiter } from '../http/rate-limit';
import type { ResolvedOptions } from '../options';
import { parseBatch, refuseFutureTimes } from './batch';
import { importBundle } from './bundle';
import { ingestBatch } from './store';

export function registerIngestRoutes(
  app: FastifyInstance,
  deps: { db: CentreDb; auth: Auth; limiter: RateLimiter; options: ResolvedOptions; afterIngest: () => void },
): void {
  const { db, auth, limiter, options } = deps;
  app.post('/v1/batches', { bodyLimit: options.limits.maxBodyBytes, config: { maxInflatedBytes: options.limits.maxInflatedBytes } }, async (request) => {
    const terminal = await auth.terminal(request);
    limiter.take(terminal.terminalId);
    const body = jsonBody(request);
    const batch = parseBatch(body.value, options.limits);
    if (batch.terminalId !== terminal.terminalId) {
      throw new Refusal(403, 'terminal-mismatch', `this batch is for terminal ${batch.terminalId}, but the token belongs to ${terminal.terminalId}`);
    }
    const receivedAt = options.now();
    refuseFutureTimes(batch, receivedAt, options.maxFutureMs);
    const result = await ingestBatch(db, {
      terminalId: terminal.terminalId,
      batch,
      recordsJson: body.text,
      receivedAt,
      source: 'network',
      clockSkewToleranceMs: options.clockSkewToleranceMs,
    });
    if (result.stored > 0) deps.afterIngest();
    return {
      epoch: result.epoch,
      highWater: result.highWater,
      stored: result.stored,
      duplicates: result.duplicates,
      alerts: result.alerts.map((a) => a.detail),
      clockFlagged: result.clockFlagged,
      centreTime: receivedAt,
    };
  });
}

/** POST /v1/admin/bundles: an offline bundle carried from a window, imported by an admin. */
export function registerBundleRoutes(app: FastifyInstance, deps: { db: CentreDb; auth: Auth; options: ResolvedOptions; afterIngest: () => void }): void {
  const { db, auth, options } = deps;
  app.post('/v1/admin/bundles', { bodyLimit: options.limits.maxBundleBytes, config: { maxInflatedBytes: options.limits.maxBundleBytes * 8 } }, async (request) => {
    await auth.user(request, 'admin');
    const result = await importBundle(db, jsonBody(request).value, options);
    if (result.batches.some((b) => b.stored > 0)) deps.afterIngest();
    request.log.info({ terminal: result.terminalId, batches: result.batches.length }, 'bundle imported');
    return { ...result, batches: result.batches.map((b) => ({ ...b, alerts: b.alerts.map((a) => a.detail) })) };
  });
}
