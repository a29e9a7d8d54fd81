/**
 * Live news at the console, on a real PostgreSQL: real kiosks upload poor ratings and the
 * open consoles hear them over Server-Sent Events, each department only its own; integrity
 * alerts reach admins and supervisors, not viewers; evaluators are refused; a console that
 * stops reading is dropped; closing the centre ends the streams instead of waiting on them.
 */
import { connect } from 'node:net';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createSyncClient } from '../../src/core/sync';
import { CONSOLE_API, CONSOLE_ROUTES, IT_ROUTES } from '../../src/shared/console/contract';
import { LIVE_ROUTES, type LiveEvent } from '../../src/shared/console/live-contract';
import { ManualClock } from '../support/clock';
import type { TestDatabase } from '../sync/support/backends';
import { key } from '../support/kiosk';
import { openTerminal, type Terminal } from '../sync/support/terminal';
import { openItDatabase, startItCentre, type ItCentre } from './it-helpers';
import { consoleSessionAs, startConsoleCentre, type ConsoleSession } from './support/console-session';

interface Stream {
  status: number;
  /** The next event of this type (or any), in arrival order; earlier ones are taken from the buffer. */
  next(type?: LiveEvent['type']): Promise<LiveEvent>;
  /** Resolves when the centre ends the stream. */
  ended: Promise<void>;
  close(): void;
}

/** An EventSource as the console opens it: the session cookie, reading frames as they come. */
async function openStream(url: string, session: ConsoleSession): Promise<Stream> {
  const controller = new AbortController();
  const response = await fetch(`${url}${CONSOLE_API}${LIVE_ROUTES.events}`, { headers: { cookie: session.headers.cookie, accept: 'text/event-stream' }, signal: controller.signal });
  const received: LiveEvent[] = [];
  let wake: () => void = () => undefined;
  let done = false;
  const ended = (async () => {
    if (!response.body) return;
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    try {
      for (;;) {
        const { value, done: finished } = await reader.read();
        if (finished) break;
        buffer += value;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const frame = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const data = frame.split('\n').find((l) => l.startsWith('data: '));
          if (data) received.push(JSON.parse(data.slice(6)) as LiveEvent);
          wake();
        }
      }
    } catch {
      // aborted by the test
    } finally {
      done = true;
      wake();
    }
  })();
  return {
    status: response.status,
    async next(type) {
      for (;;) {
        const at = received.findIndex((e) => type === undefined || e.type === type);
        if (at >= 0) return received.splice(0, at + 1).pop()!;
        if (done) throw new Error(`the stream ended before a ${type ?? 'live'} event arrived`);
        await new Promise<void>((resolve) => (wake = resolve));
      }
    },
    ended,
    close: () => controller.abort(),
  };
}

let eventId = 1;

/** One finished case at the window for an item of the department, rated by a keypad press (key 1 非常满意 … key 5 非常不满意). */
function serve(t: Terminal, itemCode: string, level: 1 | 2 | 3 | 4 | 5): void {
  const { kiosk, clock } = t;
  const must = (r: { ok: boolean; error?: { message: string } }) => {
    if (!r.ok) throw new Error(r.error?.message ?? 'refused');
  };
  if (kiosk.snapshot().phase === 'closed') must(kiosk.execute({ type: 'signInBadge', badgeId: 'BADGE-1001' }, 'staff'));
  must(kiosk.execute({ type: 'openCase', itemCode }, 'staff'));
  must(kiosk.execute({ type: 'finishCase', outcome: 'completed' }, 'staff'));
  expect(kiosk.recordPress(key(level, eventId++, clock.now())).outcome).toBe('rating');
  kiosk.flushPresses();
  clock.advance(30_000);
}
const MARKET_ITEM = '340104-SJ-001'; // 市场监督管理局, department 340104-SJ
const HR_ITEM = '340104-RS-001'; // 人力资源和社会保障局, department 340104-RS

describe('live events on postgres', () => {
  let database: TestDatabase;
  let centre: ItCentre;
  const kiosks: Terminal[] = [];
  const streams: Stream[] = [];

  beforeAll(async () => {
    database = await openItDatabase('postgres');
  });
  afterAll(async () => {
    await database?.close();
  });
  beforeEach(async () => {
    await database.reset();
    centre = await startItCentre(database.db);
  });
  afterEach(async () => {
    for (const s of streams.splice(0)) s.close();
    for (const t of kiosks.splice(0)) t.kiosk.close();
    await centre.close();
  });

  const stream = async (session: ConsoleSession) => {
    const s = await openStream(centre.url, session);
    streams.push(s);
    return s;
  };

  /** A real kiosk at the window, enrolled through a code an admin made in the console. */
  async function windowKiosk(admin: ConsoleSession, windowNo: string, clock: ManualClock = centre.clock) {
    const t = openTerminal({ clock, windowNo });
    kiosks.push(t);
    const code = await centre.call(admin, 'POST', IT_ROUTES.enrolmentCodes, { body: { windowNo } });
    const client = () => createSyncClient({ db: t.kiosk.db, terminalId: t.kiosk.terminal.terminalId, centreUrl: centre.url, clock: t.clock, retry: { attempts: 1 } });
    expect((await client().enrol(String(code.body.code))).ok).toBe(true);
    return { t, sync: () => client().syncNow() };
  }

  it("a poor rating uploaded by a real kiosk reaches the supervisor's and its own department's consoles, not another department's", async () => {
    const admin = await centre.as('admin', null, 'it-admin');
    const supervisor = await stream(await centre.as('supervisor'));
    const market = await stream(await centre.as('department', '340104-SJ'));
    const hrOfficer = await stream(await centre.as('follow_up', '340104-RS'));
    const viewer = await stream(await centre.as('viewer'));
    expect([supervisor.status, market.status, hrOfficer.status, viewer.status]).toEqual([200, 200, 200, 200]);

    const window7 = await windowKiosk(admin, '7');
    serve(window7.t, MARKET_ITEM, 5);
    expect(await window7.sync()).toMatchObject({ ok: true });
    const opened = (await database.db.query<{ id: number; rating_id: string }>('SELECT id, rating_id FROM follow_ups'))[0]!;

    const heard = await supervisor.next('poor_rating');
    expect(heard).toMatchObject({ type: 'poor_rating', followUpId: Number(opened.id), ratingId: opened.rating_id, windowNo: '7', departmentCode: '340104-SJ', level: 'very_dissatisfied' });
    expect(await market.next('poor_rating')).toEqual(heard);
    expect(await viewer.next('poor_rating')).toEqual(heard);

    const window8 = await windowKiosk(admin, '8');
    serve(window8.t, HR_ITEM, 4);
    expect(await window8.sync()).toMatchObject({ ok: true });
    const hr = await hrOfficer.next('poor_rating');
    // The HR officer's first poor rating is their own department's: window 7's never reached them.
    expect(hr).toMatchObject({ windowNo: '8', departmentCode: '340104-RS', level: 'dissatisfied' });
    expect(await supervisor.next('poor_rating')).toEqual(hr);

    // Nor does window 8's reach the market department: the next thing it hears is its own.
    centre.centre.bus.publish({ type: 'follow_up', followUpId: Number(opened.id), state: 'assigned', departmentCode: '340104-SJ', at: centre.clock.now() });
    expect(await market.next()).toMatchObject({ type: 'follow_up', followUpId: Number(opened.id), departmentCode: '340104-SJ' });
  });

  it('an integrity alert from a real upload reaches admins and supervisors, not viewers or departments', async () => {
    const admin = await centre.as('admin', null, 'it-admin');
    const itStream = await stream(admin);
    const supervisor = await stream(await centre.as('supervisor'));
    const viewer = await stream(await centre.as('viewer'));
    const market = await stream(await centre.as('department', '340104-SJ'));

    // The window's clock runs ten minutes ahead of the centre's: the centre raises an alert.
    const fast = await windowKiosk(admin, '7', new ManualClock(centre.clock.now() + 10 * 60_000));
    serve(fast.t, MARKET_ITEM, 1);
    expect(await fast.sync()).toMatchObject({ ok: true });
    const stored = (await database.db.query<{ id: number; kind: string }>('SELECT id, kind FROM integrity_alerts'))[0]!;
    expect(stored.kind).toBe('clock_skew');

    const heard = await itStream.next('integrity_alert');
    expect(heard).toEqual({ type: 'integrity_alert', alertId: Number(stored.id), terminalId: fast.t.kiosk.terminal.terminalId, windowNo: '7', kind: 'clock_skew', detectedAt: centre.clock.now() });
    expect(await supervisor.next('integrity_alert')).toEqual(heard);

    // What the viewer and the department hear next is a poor rating: the alert passed them by.
    serve(fast.t, MARKET_ITEM, 5);
    expect(await fast.sync()).toMatchObject({ ok: true });
    expect(await viewer.next()).toMatchObject({ type: 'poor_rating', windowNo: '7' });
    expect(await market.next()).toMatchObject({ type: 'poor_rating', windowNo: '7' });
  });

  it('refuses evaluators and the signed-out, and opens no stream for them', async () => {
    const listening = centre.centre.bus.size;
    const evaluator = await centre.as('evaluator');
    const refused = await centre.call(evaluator, 'GET', LIVE_ROUTES.events);
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ error: { code: 'forbidden' } });
    const anonymous = await centre.call(null, 'GET', LIVE_ROUTES.events);
    expect(anonymous.status).toBe(401);
    expect(centre.centre.bus.size).toBe(listening);
  });

  it('ends an open stream at the next heartbeat once its session is signed out', async () => {
    const quick = await startConsoleCentre({ liveHeartbeatMs: 50, now: () => centre.clock.now() }, database.db);
    try {
      const quickUrl = await quick.app.listen({ host: '127.0.0.1', port: 0 });
      const session = await consoleSessionAs(quick, 'supervisor');
      const open = await openStream(quickUrl, session);
      quick.centre.bus.publish({ type: 'follow_up', followUpId: 1, state: 'new', departmentCode: null, at: 0 });
      expect(await open.next()).toMatchObject({ type: 'follow_up' });
      const signedOut = await quick.app.inject({ method: 'DELETE', url: `${CONSOLE_API}${CONSOLE_ROUTES.session}`, headers: session.headers });
      expect(signedOut.statusCode).toBeLessThan(300);
      await open.ended;
      await expect(open.next()).rejects.toThrow('the stream ended');
    } finally {
      await quick.centre.close();
    }
  });

  it('closing the centre ends open streams at once instead of waiting for the consoles', async () => {
    const supervisor = await stream(await centre.as('supervisor'));
    centre.centre.bus.publish({ type: 'follow_up', followUpId: 1, state: 'new', departmentCode: null, at: centre.clock.now() });
    expect(await supervisor.next()).toMatchObject({ type: 'follow_up' });
    await centre.close();
    await supervisor.ended;
    expect(centre.centre.bus.size).toBe(0);
    // afterEach closes again: a second close is harmless.
    centre = await startItCentre(database.db);
  });

  it('drops a console that stops reading, and keeps serving the others', async () => {
    const supervisorSession = await centre.as('supervisor');
    const reading = await stream(await centre.as('viewer'));
    const before = centre.centre.bus.size;
    // A console that sends its request and then never reads a byte.
    const { hostname: host, port } = new URL(centre.url);
    const stuck = connect({ host, port: Number(port) });
    await new Promise<void>((resolve) => stuck.once('connect', resolve));
    stuck.write(`GET ${CONSOLE_API}${LIVE_ROUTES.events} HTTP/1.1\r\nHost: ${host}\r\nCookie: ${supervisorSession.headers.cookie}\r\n\r\n`);
    stuck.once('data', () => stuck.pause());
    while (centre.centre.bus.size < before + 1) await new Promise((resolve) => setTimeout(resolve, 20));
    const closed = new Promise<void>((resolve) => stuck.once('close', () => resolve()));

    const detail = 'x'.repeat(4000);
    let sent = 0;
    while (centre.centre.bus.size > before) {
      // Forty events (160 KB) at a time: within what a console that reads may fall behind by.
      for (let i = 0; i < 40; i++, sent++) {
        centre.centre.bus.publish({ type: 'rule_alert', alertId: sent, rule: 'poor_burst', departmentCode: null, windowNo: '1', followUpId: null, detail, raisedAt: 0 });
      }
      await new Promise((resolve) => setImmediate(resolve));
      // The reading console keeps up: take what it has been sent so far.
      for (let i = 0; i < 40; i++) await reading.next();
    }
    expect(centre.centre.bus.size).toBe(before);
    expect(sent).toBeGreaterThan(0);
    stuck.destroy();
    await closed;
    // The console that reads still hears the news.
    centre.centre.bus.publish({ type: 'follow_up', followUpId: 9, state: 'new', departmentCode: null, at: 0 });
    expect(await reading.next('follow_up')).toMatchObject({ followUpId: 9 });
  });
});
