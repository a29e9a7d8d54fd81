/**
 * When the centre refuses a record as invalid, resending it only gets the same answer (and
 * a record that hangs the centre hangs it again). The window keeps it, sends everything
 * before it, says plainly that the rest waits behind it, and leaves it alone until a person
 * asks again.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { syncClientFor } from '../../src/core/sync';
import type { SyncClient } from '../../src/core/sync';
import { startFakeCentre, type FakeCentre, type Reply, type SentBatch } from './client-fake-centre';
import { localRecords } from './support/sync';
import { openTerminal, recordUntil, type Terminal } from './support/terminal';

const open: { centre?: FakeCentre; client?: SyncClient; terminal?: Terminal } = {};
afterEach(async () => {
  await open.client?.stop();
  open.terminal?.kiosk.close();
  await open.centre?.close();
  delete open.client;
  delete open.terminal;
  delete open.centre;
});

/** A window with 80 records, enrolled at a centre that refuses any batch carrying record 57 with `refusal`. */
async function windowAndCentre(refusal: Reply, options: { handClock?: boolean } = {}) {
  const centre = await startFakeCentre('centre');
  open.centre = centre;
  const t = openTerminal();
  open.terminal = t;
  recordUntil(t, 80);
  const client = syncClientFor(t.kiosk, { centreUrl: centre.url, ...(options.handClock ? { clock: t.clock } : {}), retry: { attempts: 3, baseMs: 1, capMs: 5, maxRetryAfterMs: 100 } });
  open.client = client;
  const enrolled = await client.enrol('K7QX-92MD-4TPA');
  if (!enrolled.ok) throw new Error(enrolled.error.message);
  centre.answer = (batch: SentBatch) => (batch.records.some((r) => r.seq === 57) ? refusal : null);
  return { centre, t, client };
}

const logOf = (t: Terminal) => readFileSync(join(t.dataDir, 'logs', 'cordial.log'), 'utf8');
const batchesTried = (c: FakeCentre) => c.seen.filter((s) => s.path === '/v1/batches').length;
const acked = (t: Terminal) => localRecords(t).filter((r) => r.acked_at !== null).map((r) => r.seq);

const STUCK = (reason: string) =>
  `the centre refused record 1/57 as invalid: ${reason}; the 23 later records wait behind it, as the centre takes records only in order; the window keeps every record and does not send it again by itself; call IT`;

describe('a record the centre refuses as invalid', () => {
  it.each([
    ['400 with { error, message }', { status: 400, body: { error: 'invalid-record', message: 'records[3].payload.at is not a time' } }, 'records[3].payload.at is not a time'],
    ['400 with { error: { code, message } }', { status: 400, body: { error: { code: 'invalid-batch', message: 'a case_opened record has no caseId' } } }, 'a case_opened record has no caseId'],
    ['413', { status: 413, body: { error: { code: 'batch-too-large', message: 'the payload is nested too deeply' } } }, 'the payload is nested too deeply'],
    ['422', { status: 422, body: { error: 'invalid-payload', message: 'rating level 9 does not exist' } }, 'rating level 9 does not exist'],
  ] as [string, Reply, string][])('answered %s: the records before it go, it stays, and the staff panel and the log say why', async (_, refusal, reason) => {
    const { centre, t, client } = await windowAndCentre(refusal);

    const result = await client.syncNow();

    expect(result).toMatchObject({ ok: false, error: { code: 'record_refused', message: STUCK(reason) }, sent: 56, pending: 24 });
    expect(centre.taken.flatMap((b) => b.records.map((r) => r.seq))).toEqual(Array.from({ length: 56 }, (_, i) => i + 1));
    expect(acked(t)).toEqual(Array.from({ length: 56 }, (_, i) => i + 1));
    expect(localRecords(t)).toHaveLength(80);
    expect(t.kiosk.snapshot().sync).toMatchObject({ state: 'error', pending: 24, detail: STUCK(reason) });
    expect(logOf(t)).toContain(`ERROR sync: ${STUCK(reason)}`);
    // Finding record 57 among 80 by halving takes a handful of requests, not a retry loop.
    expect(batchesTried(centre)).toBeLessThanOrEqual(16);
  });

  it('is not sent again by the nightly run, only when someone presses sync now', async () => {
    const { centre, t, client } = await windowAndCentre({ status: 400, body: { error: 'invalid-record', message: 'records[0].payload.at is not a time' } }, { handClock: true });
    expect(await client.syncNow()).toMatchObject({ ok: false, error: { code: 'record_refused' } });
    const triedBefore = batchesTried(centre);

    client.start();
    t.clock.advance(2 * 86_400_000);
    await expect.poll(() => logOf(t)).toContain('WARN sync: the nightly run did not resend what the centre refused');
    expect(batchesTried(centre)).toBe(triedBefore);
    expect(t.kiosk.snapshot().sync).toMatchObject({ state: 'error', detail: STUCK('records[0].payload.at is not a time') });

    // IT has the centre take it; staff press "sync now".
    centre.answer = () => null;
    expect(await client.syncNow()).toMatchObject({ ok: true, sent: 24, pending: 0 });
    expect(acked(t)).toHaveLength(80);
    expect(t.kiosk.snapshot().sync).toMatchObject({ state: 'idle', pending: 0 });
  });

  it('a 500 is still temporary: the window tries again and gets through', async () => {
    const { centre, client } = await windowAndCentre({ status: 500 });
    let failures = 1;
    centre.answer = () => (failures-- > 0 ? { status: 500 } : null);
    expect(await client.syncNow()).toMatchObject({ ok: true, sent: 80, pending: 0 });
  });
});

describe('a new epoch', () => {
  it('starts only when the centre answers seq-regression, and never past what the centre can store', async () => {
    const { centre, t, client } = await windowAndCentre({ status: 200 });
    centre.answer = () => ({ status: 409, body: { error: { code: 'seq-regression', message: 'seq 1 differs from what the centre holds' }, seq: 1, highWater: 0, nextEpoch: 2 ** 31 } });

    const result = await client.syncNow();

    expect(result).toMatchObject({
      ok: false,
      error: { code: 'centre_refused', message: 'the centre asks this window to start epoch 2147483648, beyond the largest it can store (2147483647); call IT to check this terminal at the centre' },
    });
    expect(localRecords(t).every((r) => r.epoch === 1 && r.kind !== 'epoch_started')).toBe(true);
    expect(t.kiosk.snapshot().sync).toMatchObject({ state: 'error', pending: 80 });
  });
});
