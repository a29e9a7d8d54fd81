/**
 * A poor rating goes to the centre as soon as it is recorded, with a real kiosk and a real
 * centre (PostgreSQL and PGlite): nobody presses "sync now", a good rating sends nothing, an
 * unreachable centre is not hammered and loses nothing, and every record arrives once.
 * The client runs on the kiosk's manual clock, so the short pause before sending is moved
 * by hand and "nothing was sent" is a fact, not a wait.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { SyncStatus } from '../../src/shared/contract';
import { syncClientFor, type SyncClient } from '../../src/core/sync';
import { BACKENDS, openTestDatabase, type TestDatabase } from './support/backends';
import { startCentre, type TestCentre } from './support/centre';
import { startFaultProxy, type Fault, type FaultProxy } from './support/fault-proxy';
import { centreRecords, enrolledClient, localRecords } from './support/sync';
import { openTerminal, serveCase, type Terminal } from './support/terminal';

const PHONE = '13812345678';
/** Long enough for a slow shared machine; the tests wait for an outcome, never for a time. */
const ARRIVAL = { timeout: 30_000, interval: 50 };

describe.each(BACKENDS)('poor ratings sent at once, centre on %s', (backend) => {
  let database: TestDatabase;
  let centre: TestCentre;
  let proxy: FaultProxy | null = null;
  const open: Terminal[] = [];
  const clients: SyncClient[] = [];

  beforeAll(async () => {
    database = await openTestDatabase(backend);
  });
  afterAll(async () => {
    await database?.close();
  });
  beforeEach(async () => {
    await database.reset();
    centre = await startCentre(database.db);
  });
  afterEach(async () => {
    for (const c of clients.splice(0)) await c.stop();
    for (const t of open.splice(0)) t.kiosk.close();
    await proxy?.close();
    proxy = null;
    await centre.close();
  });

  /** A window enrolled at the centre, its sync client started as the running kiosk starts it. */
  async function window(options: { centreUrl?: string } = {}): Promise<{ t: Terminal; client: SyncClient; statuses: SyncStatus[] }> {
    const t = openTerminal();
    open.push(t);
    const { client, statuses } = await enrolledClient(t, centre, {
      ...options,
      clock: t.clock,
      random: () => 0.5,
      watch: (changed) => t.kiosk.subscribe(() => changed()),
    });
    clients.push(client);
    client.start();
    return { t, client, statuses };
  }

  const held = async (t: Terminal) => centreRecords(centre, t.kiosk.terminal.terminalId);
  const heldKinds = async (t: Terminal) => (await held(t)).map((r) => r.kind);
  const runsStarted = (statuses: SyncStatus[]) => statuses.filter((s, i) => s.state === 'syncing' && statuses[i - 1]?.state !== 'syncing').length;
  const settled = (t: Terminal) => vi.waitFor(() => expect(['idle', 'error']).toContain(t.kiosk.snapshot().sync.state), ARRIVAL);

  /** Every local record is at the centre exactly once, with the same hash, and acknowledged here. */
  async function everyRecordOnce(t: Terminal): Promise<void> {
    const local = localRecords(t);
    const remote = await held(t);
    expect(remote.map((r) => `${r.epoch}/${r.seq}/${r.hash}`)).toEqual(local.map((r) => `${r.epoch}/${r.seq}/${r.hash}`));
    expect(local.every((r) => r.acked_at !== null)).toBe(true);
  }

  it('sends a poor rating and the reasons given with it in one run, without anyone syncing', async () => {
    const { t, client, statuses } = await window();
    serveCase(t, 5, { reasons: ['R01'], phone: PHONE }, false);
    // The short pause lets the details join the rating: nothing has gone yet.
    expect(runsStarted(statuses)).toBe(0);
    t.clock.advance(300);
    expect(runsStarted(statuses)).toBe(1);
    expect(t.kiosk.snapshot().sync.state).toBe('syncing');

    await vi.waitFor(async () => expect(await heldKinds(t)).toEqual(['session_started', 'case_opened', 'case_closed', 'rating', 'rating_details']), ARRIVAL);
    await settled(t);
    expect(runsStarted(statuses)).toBe(1);
    expect(t.kiosk.snapshot().sync).toMatchObject({ state: 'idle', pending: 0, progress: null });
    expect(t.kiosk.snapshot().sync.lastSuccessAt).not.toBeNull();
    const details = (await held(t)).find((r) => r.kind === 'rating_details');
    // The phone travels beside the chained payload, which holds only a commitment to it (docs/data-protection.md).
    expect(JSON.parse(details?.payload ?? '{}')).toMatchObject({ reasonCodes: ['R01'], callbackPhone: null, callbackPhoneCommitment: expect.stringMatching(/^[0-9a-f]{64}$/) });
    await everyRecordOnce(t);

    // The next run has nothing left to send: exactly once.
    expect(await client.syncNow()).toMatchObject({ ok: true, sent: 0, pending: 0 });
    await everyRecordOnce(t);
  });

  it('does not hold a poor rating back for reasons the citizen has not given yet', async () => {
    const { t, statuses } = await window();
    serveCase(t, 4, undefined, false);
    t.clock.advance(300);
    await vi.waitFor(async () => expect(await heldKinds(t)).toContain('rating'), ARRIVAL);
    await settled(t);
    expect(await heldKinds(t)).not.toContain('rating_details');

    // The citizen picks reasons within the minute allowed: they follow on their own.
    const ratingId = t.kiosk.snapshot().lastRating?.id;
    const added = t.kiosk.execute({ type: 'addRatingDetails', ratingId, reasonCodes: ['R02'], callbackPhone: PHONE, callbackConsent: true }, 'citizen');
    expect(added.ok).toBe(true);
    t.clock.advance(300);
    await vi.waitFor(async () => expect(await heldKinds(t)).toContain('rating_details'), ARRIVAL);
    await settled(t);
    expect(runsStarted(statuses)).toBe(2);
    await everyRecordOnce(t);
  });

  it('sends nothing for a good rating, and at once for the poor one after it', async () => {
    const { t, statuses } = await window();
    serveCase(t, 1, undefined, false);
    t.clock.advance(60_000);
    serveCase(t, 2, undefined, false);
    t.clock.advance(60_000);
    expect(runsStarted(statuses)).toBe(0);
    expect(await held(t)).toEqual([]);
    expect(t.kiosk.snapshot().sync).toMatchObject({ state: 'idle', lastSuccessAt: null });
    expect(t.kiosk.snapshot().sync.pending).toBeGreaterThan(0);

    serveCase(t, 4, undefined, false);
    t.clock.advance(300);
    expect(runsStarted(statuses)).toBe(1);
    // Everything before the poor rating goes with it, in order.
    await vi.waitFor(async () => expect((await heldKinds(t)).filter((k) => k === 'rating')).toHaveLength(3), ARRIVAL);
    await settled(t);
    await everyRecordOnce(t);
  });

  it('keeps a poor rating when the centre cannot be reached, tries again only after a pause, and the next run sends everything once', async () => {
    let fault: Fault = 'drop';
    const target = new URL(centre.url);
    proxy = await startFaultProxy({ host: target.hostname, port: Number(target.port) }, () => fault);
    const { t, client, statuses } = await window({ centreUrl: proxy.url });

    serveCase(t, 5, { reasons: ['R01'], phone: PHONE }, false);
    t.clock.advance(300);
    await vi.waitFor(() => expect(t.kiosk.snapshot().sync.state).toBe('error'), ARRIVAL);
    const failed = t.kiosk.snapshot().sync;
    expect(failed.detail).toMatch(/could not reach the centre to send a poor rating at once .*kept on this window and goes with the next sync/);
    expect(failed.detail).not.toContain(PHONE);
    expect(failed.pending).toBe(localRecords(t).length);
    const tries = proxy.counts.drop;
    expect(tries).toBe(1);

    // Another poor rating a moment later: the window waits out its pause instead of trying again.
    t.clock.advance(5_000);
    serveCase(t, 4, undefined, false);
    t.clock.advance(1_000);
    expect(runsStarted(statuses)).toBe(1);
    expect(proxy.counts.drop).toBe(tries);
    expect(await held(t)).toEqual([]);
    expect(localRecords(t).every((r) => r.acked_at === null)).toBe(true);

    // The network is back; the next run (here a person's) carries everything, once.
    fault = 'none';
    expect(await client.syncNow()).toMatchObject({ ok: true, pending: 0 });
    await everyRecordOnce(t);
    expect((await heldKinds(t)).filter((k) => k === 'rating')).toHaveLength(2);
    expect(t.kiosk.snapshot().sync).toMatchObject({ state: 'idle', pending: 0 });

    // The retry that was waiting finds nothing left to do, and the next poor rating goes at once again.
    const runs = runsStarted(statuses);
    t.clock.advance(30 * 60_000);
    expect(runsStarted(statuses)).toBe(runs);
    serveCase(t, 5, undefined, false);
    t.clock.advance(300);
    expect(runsStarted(statuses)).toBe(runs + 1);
    await vi.waitFor(async () => expect((await heldKinds(t)).filter((k) => k === 'rating')).toHaveLength(3), ARRIVAL);
    await settled(t);
    await everyRecordOnce(t);
  });

  it('tries again by itself after the pause once the centre is back, and sends each record once', async () => {
    let fault: Fault = 'status-503';
    const target = new URL(centre.url);
    proxy = await startFaultProxy({ host: target.hostname, port: Number(target.port) }, () => fault);
    const { t, statuses } = await window({ centreUrl: proxy.url });

    serveCase(t, 5, { reasons: ['R03'] }, false);
    t.clock.advance(300);
    await vi.waitFor(() => expect(t.kiosk.snapshot().sync.state).toBe('error'), ARRIVAL);
    expect(proxy.counts['status-503']).toBe(1);

    // Half-jitter on a 30 s base with random 0.5: the retry is due 22.5 s after the failure.
    fault = 'none';
    t.clock.advance(20_000);
    expect(runsStarted(statuses)).toBe(1);
    t.clock.advance(5_000);
    expect(runsStarted(statuses)).toBe(2);
    await vi.waitFor(async () => expect(await heldKinds(t)).toContain('rating_details'), ARRIVAL);
    await settled(t);
    expect(t.kiosk.snapshot().sync).toMatchObject({ state: 'idle', pending: 0 });
    await everyRecordOnce(t);
  });

  it('never runs beside a person\'s sync: one request in flight at a time, and the poor rating still arrives once', async () => {
    let inFlight = 0;
    let most = 0;
    const t = openTerminal();
    open.push(t);
    const { client, statuses } = await enrolledClient(t, centre, {
      clock: t.clock,
      random: () => 0.5,
      batchSize: 2,
      watch: (changed) => t.kiosk.subscribe(() => changed()),
      fetch: async (input, init) => {
        inFlight += 1;
        most = Math.max(most, inFlight);
        try {
          // A slow network, so the runs would overlap if they could.
          await new Promise((resolve) => setTimeout(resolve, 100));
          return await fetch(input, init);
        } finally {
          inFlight -= 1;
        }
      },
    });
    clients.push(client);
    client.start();
    for (let i = 0; i < 4; i++) serveCase(t, 2, undefined, true);

    const byPerson = client.syncNow();
    serveCase(t, 5, { reasons: ['R01'], phone: PHONE }, false);
    t.clock.advance(300);
    expect(await byPerson).toMatchObject({ ok: true });
    await vi.waitFor(async () => expect(await heldKinds(t)).toContain('rating_details'), ARRIVAL);
    await settled(t);
    expect(most).toBe(1);
    expect(t.kiosk.snapshot().sync).toMatchObject({ state: 'idle', pending: 0 });
    expect(runsStarted(statuses)).toBeGreaterThanOrEqual(1);
    await everyRecordOnce(t);
  });

  it('is wired into the sync client the running kiosk builds', async () => {
    const t = openTerminal();
    open.push(t);
    const code = await centre.call('POST', '/v1/admin/enrolment-codes', { body: { windowNo: t.kiosk.terminal.windowNo } });
    const client = syncClientFor(t.kiosk, { clock: t.clock, random: () => 0.5 }, { ...t.kiosk.config.centre, url: centre.url });
    clients.push(client);
    expect(await client.enrol(String(code.body.code))).toMatchObject({ ok: true });
    client.start();

    serveCase(t, 5, { reasons: ['R01'], phone: PHONE }, false);
    t.clock.advance(300);
    await vi.waitFor(async () => expect(await heldKinds(t)).toContain('rating_details'), ARRIVAL);
    await settled(t);
    expect(t.kiosk.snapshot().sync).toMatchObject({ state: 'idle', pending: 0 });
    await everyRecordOnce(t);
  });
});
