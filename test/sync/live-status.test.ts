/**
 * The live status from a real kiosk to a real centre on PostgreSQL: what staff do at the
 * window reaches the centre's hall without anyone pressing anything; a window where nothing
 * happens still reports every 15 s (on the kiosk's clock, moved by hand), so the centre
 * never takes it for silent; a centre that cannot be reached costs the window nothing, is
 * logged once a minute, and once back gets the window as it is now, not a queue of the past.
 */
import { createServer, type AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { startStatusSender, type StatusSender } from '../../src/core/live/status-sender';
import { readCredentials, saveCredentials } from '../../src/core/sync/credentials';
import { STATUS_EVERY_MS, STATUS_STALE_MS } from '../../src/shared/live-status';
import { recordingLog } from '../support/log';
import { openTestDatabase, type TestDatabase } from './support/backends';
import { startCentre, type TestCentre } from './support/centre';
import { enrolledClient } from './support/sync';
import { openTerminal, serveCase, type Terminal } from './support/terminal';

/** A port nothing listens on: taken from the system, then let go. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Long enough for a slow shared machine; the tests wait for an outcome, never for a time. */
const ARRIVAL = { timeout: 30_000, interval: 20 };

describe('live status from a real kiosk, centre on postgres', () => {
  let database: TestDatabase;
  let centre: TestCentre;
  let t: Terminal;
  const senders: StatusSender[] = [];

  beforeAll(async () => {
    database = await openTestDatabase('postgres');
  });
  afterAll(async () => {
    await database?.close();
  });
  beforeEach(async () => {
    await database.reset();
    t = openTerminal({ windowNo: '7' });
    // The centre keeps the kiosk's time, so "stale" and "every 15 s" are read on one clock.
    centre = await startCentre(database.db, { now: () => t.clock.now() });
    await enrolledClient(t, centre, { windowNo: '7' });
  });
  afterEach(async () => {
    for (const s of senders.splice(0)) await s.stop();
    t.kiosk.close();
    await centre.close();
  });

  function sender(log = recordingLog()) {
    const s = startStatusSender({ kiosk: t.kiosk, clock: t.clock, log, centreUrl: centre.url, appVersion: '2.3.0' });
    senders.push(s);
    return { s, log };
  }
  const shown = () => centre.centre.hall.state.get('7');
  const must = (r: { ok: boolean; error?: { message: string } }) => {
    if (!r.ok) throw new Error(r.error?.message ?? 'refused');
  };

  it("what staff do at the window reaches the centre's hall by itself", async () => {
    sender();
    await vi.waitFor(() => expect(shown()?.status).toMatchObject({ phase: 'closed', staff: null, appVersion: '2.3.0', today: { served: 0, rated: 0, poor: 0 } }), ARRIVAL);
    expect(shown()?.terminalId).toBe(t.kiosk.terminal.terminalId);

    must(t.kiosk.execute({ type: 'signInBadge', badgeId: 'BADGE-1001' }, 'staff'));
    const staff = t.kiosk.snapshot().staff!;
    // Signed in while this run watched: since now, on the kiosk's clock.
    await vi.waitFor(() => expect(shown()?.status).toMatchObject({ phase: 'idle', staff: { staffNo: staff.staffNo, name: staff.name, signedInAt: t.clock.now() } }), ARRIVAL);

    must(t.kiosk.execute({ type: 'openCase', itemCode: '340104-SJ-001' }, 'staff'));
    const opened = t.kiosk.snapshot().case!;
    await vi.waitFor(() => expect(shown()?.status).toMatchObject({ phase: 'serving', case: { itemCode: '340104-SJ-001', itemName: opened.itemName, openedAt: opened.openedAt } }), ARRIVAL);
    must(t.kiosk.execute({ type: 'finishCase', outcome: 'completed' }, 'staff'));
    await vi.waitFor(() => expect(shown()?.status.phase).toBe('awaiting_rating'), ARRIVAL);

    // A poor rating, then a good one: today's figures at the centre follow.
    t.clock.advance(60_000);
    serveCase(t, 5);
    serveCase(t, 1);
    await vi.waitFor(() => expect(shown()?.status.today).toEqual({ served: 3, rated: 2, poor: 1 }), ARRIVAL);

    must(t.kiosk.execute({ type: 'pause', reason: '午休' }, 'staff'));
    await vi.waitFor(() => expect(shown()?.status).toMatchObject({ phase: 'paused', pause: { reason: '午休', since: t.clock.now() } }), ARRIVAL);
    // The backlog the centre sees is the outbox the window still holds (nothing synced here).
    expect(shown()?.status.backlog).toBe(t.kiosk.pendingOutbox());
    expect(shown()?.status.backlog).toBeGreaterThan(0);
  });

  it('reports every 15 s while nothing happens, so the centre never takes a quiet window for a silent one', async () => {
    const { s } = sender();
    await vi.waitFor(() => expect(s.counts.sent).toBe(1), ARRIVAL);
    for (let beat = 1; beat <= 4; beat++) {
      t.clock.advance(STATUS_EVERY_MS);
      await vi.waitFor(() => expect(s.counts.sent).toBe(1 + beat), ARRIVAL);
      expect(shown()?.receivedAt).toBe(t.clock.now());
    }
    // A minute has passed, longer than the centre waits before it calls a window stale.
    centre.centre.hall.state.sweep();
    expect(shown()?.stale).toBe(false);
    // And a window that stops reporting is stale on the same clock.
    await s.stop();
    t.clock.advance(STATUS_STALE_MS + 1);
    centre.centre.hall.state.sweep();
    expect(shown()?.stale).toBe(true);
  });

  it('an unreachable centre costs the window nothing and one log line a minute; back again, it gets the window as it is now', async () => {
    const credentials = readCredentials(t.kiosk.db)!;
    saveCredentials(t.kiosk.db, { ...credentials, centreUrl: `http://127.0.0.1:${await closedPort()}` });
    const { s, log } = sender();
    await vi.waitFor(() => expect(s.counts.failed).toBe(1), ARRIVAL);

    // The window works on: sign in, a case, a pause, while every status fails.
    must(t.kiosk.execute({ type: 'signInBadge', badgeId: 'BADGE-1001' }, 'staff'));
    await vi.waitFor(() => expect(s.counts.failed).toBe(2), ARRIVAL);
    must(t.kiosk.execute({ type: 'openCase', itemCode: '340104-SJ-001' }, 'staff'));
    await vi.waitFor(() => expect(s.counts.failed).toBe(3), ARRIVAL);
    t.clock.advance(STATUS_EVERY_MS);
    await vi.waitFor(() => expect(s.counts.failed).toBe(4), ARRIVAL);
    const warnings = log.lines.filter((l) => l.level === 'warn');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.message).toMatch(/live status not sent to the centre: .*refused the connection.*outbox/);
    expect(shown()).toBeUndefined();

    // The centre is reachable again: the next status is the window now (serving), sent once.
    saveCredentials(t.kiosk.db, credentials);
    t.clock.advance(STATUS_EVERY_MS);
    await vi.waitFor(() => expect(s.counts.sent).toBe(1), ARRIVAL);
    expect(shown()?.status).toMatchObject({ phase: 'serving', case: { itemCode: '340104-SJ-001' } });
    expect(log.lines.some((l) => l.level === 'info' && l.message.includes('reaches the centre again'))).toBe(true);
  });

  it('sends its token over plain http:// only on the loopback, as the sync client does', async () => {
    const credentials = readCredentials(t.kiosk.db)!;
    saveCredentials(t.kiosk.db, { ...credentials, centreUrl: 'http://centre.example:8470' });
    const { s, log } = sender();
    await vi.waitFor(() => expect(s.counts.failed).toBe(1), ARRIVAL);
    expect(s.counts.sent).toBe(0);
    expect(log.lines.filter((l) => l.level === 'warn').map((l) => l.message)).toEqual([expect.stringContaining('plain http://')]);
  });

  it('a window not enrolled yet sends nothing and logs nothing', async () => {
    t.kiosk.db.prepare('DELETE FROM sync_credentials').run();
    const { s, log } = sender();
    must(t.kiosk.execute({ type: 'signInBadge', badgeId: 'BADGE-1001' }, 'staff'));
    t.clock.advance(STATUS_EVERY_MS);
    await s.stop();
    expect(s.counts).toEqual({ sent: 0, failed: 0 });
    expect(log.lines).toEqual([]);
    expect(shown()).toBeUndefined();
  });
});
