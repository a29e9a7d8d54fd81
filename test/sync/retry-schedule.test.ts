/** When the sync client tries again, and when it runs by itself. */
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { backoffMs, retryAfterMs } from '../../src/core/sync/retry';
import { nextNightlyRun } from '../../src/core/sync/schedule';
import { createSyncClient } from '../../src/core/sync';
import { saveCredentials } from '../../src/core/sync/credentials';
import type { Clock } from '../../src/core/time';
import { ManualClock } from '../support/clock';
import { openTerminal, recordUntil, type Terminal } from './support/terminal';

/** The scripted centre answers over plain HTTP at a made-up name; these tests are about timing, not transport. */
const PLAINTEXT_IN_TEST = { allowPlaintext: true };

const policy = { attempts: 5, baseMs: 1_000, capMs: 60_000, maxRetryAfterMs: 600_000 };

describe('back-off and Retry-After', () => {
  it('draws each wait uniformly below an exponentially growing, capped ceiling', () => {
    expect([0, 1, 2, 3].map((n) => backoffMs(n, policy, () => 0.999))).toEqual([999, 1998, 3996, 7992]);
    expect(backoffMs(10, policy, () => 0.5)).toBe(30_000);
    expect(backoffMs(3, policy, () => 0)).toBe(0);
  });

  it('reads Retry-After in seconds or as a date', () => {
    const now = Date.UTC(2026, 2, 2, 1, 0, 0);
    expect(retryAfterMs('120', now)).toBe(120_000);
    expect(retryAfterMs(new Date(now + 30_000).toUTCString(), now)).toBe(30_000);
    expect(retryAfterMs('soon', now)).toBeNull();
    expect(retryAfterMs(null, now)).toBeNull();
  });
});

describe('the nightly run', () => {
  const beijing = { at: '02:00', jitterMs: 30 * 60_000, utcOffsetMinutes: 480 };
  it('runs at 02:00 local time plus up to the jitter, on the next night', () => {
    const evening = Date.UTC(2026, 2, 2, 12, 0, 0); // 20:00 in Beijing
    expect(new Date(nextNightlyRun(evening, beijing, () => 0)).toISOString()).toBe('2026-03-02T18:00:00.000Z');
    expect(new Date(nextNightlyRun(evening, beijing, () => 0.5)).toISOString()).toBe('2026-03-02T18:15:00.000Z');
    const justAfter = Date.UTC(2026, 2, 2, 18, 0, 1);
    expect(new Date(nextNightlyRun(justAfter, beijing, () => 0)).toISOString()).toBe('2026-03-03T18:00:00.000Z');
    expect(() => nextNightlyRun(evening, { ...beijing, at: '2am' }, () => 0)).toThrow(/HH:MM/);
  });
});

/** A centre in a function: answers batches with their last seq, after the scripted refusals. */
function scriptedCentre(script: { status: number; retryAfter?: string }[]) {
  const seen: string[] = [];
  const fetchImpl = (async (url: string, init: { method: string; body?: Blob }) => {
    seen.push(`${init.method} ${new URL(url).pathname}`);
    if (init.method === 'GET') return new Response(null, { status: 304 });
    const step = script.shift();
    if (step) return new Response('', { status: step.status, headers: step.retryAfter ? { 'retry-after': step.retryAfter } : {} });
    const batch = JSON.parse(gunzipSync(Buffer.from(await init.body!.arrayBuffer())).toString()) as { epoch: number; records: { seq: number }[] };
    return Response.json({ epoch: batch.epoch, highWater: batch.records.at(-1)!.seq });
  }) as unknown as typeof fetch;
  return { fetchImpl, seen };
}

/** A clock whose timers fire at once, noting how long they were asked to wait. */
function impatientClock(waits: number[]): Clock {
  return {
    now: () => Date.UTC(2026, 2, 2, 1, 0, 0),
    setTimer(at, fn) {
      waits.push(at - this.now());
      queueMicrotask(fn);
      return () => undefined;
    },
  };
}

function enrolled(t: Terminal): void {
  saveCredentials(t.kiosk.db, { centreUrl: 'http://centre.invalid', terminalId: t.kiosk.terminal.terminalId, windowNo: '1', token: 't', signingKey: 'k', enrolledAt: 0 });
}

describe('the sync client when the centre is busy', () => {
  it('waits as long as Retry-After says, else backs off with jitter, then finishes', async () => {
    const t = openTerminal();
    recordUntil(t, 10);
    enrolled(t);
    const waits: number[] = [];
    const { fetchImpl } = scriptedCentre([{ status: 503, retryAfter: '7' }, { status: 500 }, { status: 429, retryAfter: '2' }]);
    const client = createSyncClient({ db: t.kiosk.db, terminalId: t.kiosk.terminal.terminalId, centreUrl: 'http://centre.invalid', trust: PLAINTEXT_IN_TEST, clock: impatientClock(waits), fetch: fetchImpl, random: () => 0.5, retry: policy });
    expect(await client.syncNow()).toMatchObject({ ok: true, sent: 10, pending: 0 });
    expect(waits).toEqual([7_000, 1_000, 2_000]);
    t.kiosk.close();
  });

  it('gives up after the configured failures in a row, keeps every record, and resumes next time', async () => {
    const t = openTerminal();
    recordUntil(t, 10);
    enrolled(t);
    const { fetchImpl } = scriptedCentre(Array.from({ length: 5 }, () => ({ status: 502 })));
    const client = createSyncClient({ db: t.kiosk.db, terminalId: t.kiosk.terminal.terminalId, centreUrl: 'http://centre.invalid', trust: PLAINTEXT_IN_TEST, clock: impatientClock([]), fetch: fetchImpl, retry: policy, batchSize: 4 });
    const failed = await client.syncNow();
    expect(failed).toMatchObject({ ok: false, error: { code: 'centre_unreachable' }, pending: 10 });
    expect(client.status()).toMatchObject({ state: 'error', pending: 10 });
    expect(await client.syncNow()).toMatchObject({ ok: true, sent: 10, pending: 0 });
    t.kiosk.close();
  });

  it('runs by itself at night, and stop() ends the schedule', async () => {
    const clock = new ManualClock(Date.UTC(2026, 2, 2, 12, 0, 0));
    const t = openTerminal({ clock });
    recordUntil(t, 6);
    enrolled(t);
    const { fetchImpl, seen } = scriptedCentre([]);
    const client = createSyncClient({ db: t.kiosk.db, terminalId: t.kiosk.terminal.terminalId, centreUrl: 'http://centre.invalid', trust: PLAINTEXT_IN_TEST, clock, fetch: fetchImpl, random: () => 0 });
    client.start();
    clock.advance(5 * 3_600_000); // 01:00 in Beijing: not yet
    expect(seen).toEqual([]);
    clock.advance(3_600_000); // 02:00
    await expect.poll(() => client.status().state).toBe('idle');
    await expect.poll(() => seen).toEqual(['POST /v1/batches', 'GET /v1/config']);
    await client.stop();
    clock.advance(2 * 86_400_000);
    expect(seen).toHaveLength(2);
    t.kiosk.close();
  });
});
