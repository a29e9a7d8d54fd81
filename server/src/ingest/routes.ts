/** POST /v1/batches: a terminal's gzip JSON batch of outbox records. */
import type { FastifyInstance } from 'fastify';
import type { CentreDb } from '../db/sql';
import { Refusal } from '../errors';
import { terminalOf, type Auth } from '../http/auth';
import { jsonBody } from '../http/body';
import type { RateLimiter } from '../http/rate-limit';
import type { ResolvedOptions } from '../options';
import { parseBatch, refuseImpossibleTimes } from './batch';
import { importBundle } from './bundle';
import { ingestBatch, type IngestResult } from './store';

/** Told after each stored batch commits: the projector and the live news start from here. */
export type AfterIngest = (terminalId: string, results: Omit<IngestResult, 'clockFlagged'>[]) => void;

export function registerIngestRoutes(
  app: FastifyInstance,
  deps: { db: CentreDb; auth: Auth; limiter: RateLimiter; options: ResolvedOptions; afterIngest: AfterIngest },
): void {
  const { db, auth, limiter, options } = deps;
  const route = {
    bodyLimit: options.limits.maxBodyBytes,
    config: { maxInflatedBytes: options.limits.maxInflatedBytes },
    onRequest: auth.terminalHook((t) => limiter.take(t.terminalId)),
  };
  app.post('/v1/batches', route, async (request) => {
    const terminal = terminalOf(request);
    const batch = parseBatch(jsonBody(request).value, options.limits);
    if (batch.terminalId !== terminal.terminalId) {
      throw new Refusal(403, 'terminal-mismatch', `this batch is for terminal ${batch.terminalId}, but the token belongs to ${terminal.terminalId}`);
    }
    const receivedAt = options.now();
    refuseImpossibleTimes(batch, receivedAt, options);
    const result = await ingestBatch(db, {
      terminalId: terminal.terminalId,
      batch,
      recordsJson: JSON.stringify(batch.records),
      receivedAt,
      source: 'network',
      clockSkewToleranceMs: options.clockSkewToleranceMs,
    });
    deps.afterIngest(terminal.terminalId, [result]);
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
export function registerBundleRoutes(app: FastifyInstance, deps: { db: CentreDb; auth: Auth; options: ResolvedOptions; afterIngest: AfterIngest }): void {
  const { db, auth, options } = deps;
  const route = { bodyLimit: options.limits.maxBundleBytes, config: { maxInflatedBytes: options.limits.maxBundleInflatedBytes }, onRequest: auth.userHook('admin') };
  app.post('/v1/admin/bundles', route, async (request) => {
    const result = await importBundle(db, jsonBody(request).value, options);
    deps.afterIngest(result.terminalId, result.batches);
    request.log.info({ terminal: result.terminalId, batches: result.batches.length }, 'bundle imported');
    return { ...result, batches: result.batches.map((b) => ({ ...b, alerts: b.alerts.map((a) => a.detail) })) };
  });
}
