/** Helpers for hostile clients: records with chosen payloads, and a centre that must keep answering. */
import { expect } from 'vitest';
import { canonicalJson } from '../../../src/shared/canonical-json';
import type { BatchSource } from './batches';
import type { TestCentre } from './centre';

type Batch = ReturnType<BatchSource['batch']>;

/** Batch [from, to] with the payload of record `seq` rewritten (the hash no longer matters: the centre must refuse first). */
export function withPayload(source: BatchSource, from: number, to: number, seq: number, edit: (payload: Record<string, unknown>) => unknown): Batch {
  const batch = source.batch(from, to);
  const record = batch.records.find((r) => r.seq === seq)!;
  const edited = edit(JSON.parse(String(record.payload)) as Record<string, unknown>);
  record.payload = typeof edited === 'string' ? edited : canonicalJson(edited);
  return batch;
}

/** The seq of the first record of a kind in [1, n]. */
export function seqOf(source: BatchSource, n: number, kind: string): number {
  return Number(source.batch(1, n).records.find((r) => r.kind === kind)!.seq);
}

/**
 * Sends a hostile request and, while it is in flight, asks /v1/health: the centre must
 * answer within a second (a generous bound for a local call). Returns the hostile answer.
 */
export async function whileHealthy<T>(centre: TestCentre, hostile: () => Promise<T>): Promise<T> {
  const inFlight = hostile();
  const started = Date.now();
  const health = await Promise.race([
    centre.call('GET', '/v1/health', { token: null }).then((r) => r.status),
    new Promise<string>((resolve) => setTimeout(() => resolve('no answer within 1 s'), 1_000)),
  ]);
  expect(health, `health asked ${Date.now() - started} ms into the hostile request`).toBe(200);
  return inFlight;
}

/** Every report still answers. */
export async function reportsAnswer(centre: TestCentre): Promise<void> {
  for (const path of ['/v1/reports/satisfaction', '/v1/reports/poor-ratings', '/v1/reports/ratings.csv']) {
    const answer = await centre.call('GET', path);
    expect(answer.status, `${path}: ${answer.text.slice(0, 200)}`).toBe(200);
  }
}
