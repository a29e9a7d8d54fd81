/**
 * Live hall supervision at the centre, on a real PostgreSQL: windows post their status with
 * their terminal's token; the centre refuses what is not theirs with a sentence, keeps the
 * latest per window (a late, older status does not overwrite it), marks a silent window
 * stale after 45 s on its own clock and says so on the consoles' live stream, shows the
 * same hall after a restart and on a second API node, and shows each department only its
 * own windows.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CONSOLE_API } from '../../src/shared/console/contract';
import { HALL_ROUTES, type Hall, type LiveWindow } from '../../src/shared/console/hall-contract';
import { IT_ROUTES } from '../../src/shared/console/it-contract';
import { LIVE_ROUTES, type LiveEvent } from '../../src/shared/console/live-contract';
import { STATUS_PATH, STATUS_STALE_MS, type WindowStatus } from '../../src/shared/live-status';
import type { TestDatabase } from '../sync/support/backends';
import { openItDatabase, startItCentre, terminalKey, type ItCentre } from './it-helpers';
import type { ConsoleSession } from './support/console-session';

const MARKET = '340104-SJ'; // 市场监督管理局
const HR = '340104-RS'; // 人力资源和社会保障局

interface Stream {
  /** The next 'window' event for this window, in arrival order. */
  next(windowNo: string): Promise<LiveWindow>;
  close(): void;
}

/** The console's EventSource: the session cookie, frames read as they come. */
async function openStream(url: string, session: ConsoleSession): Promise<Stream> {
  const controller = new AbortController();
  const response = await fetch(`${url}${CONSOLE_API}${LIVE_ROUTES.events}`, { headers: { cookie: session.headers.cookie, accept: 'text/event-stream' }, signal: controller.signal });
  expect(response.status).toBe(200);
  const received: LiveEvent[] = [];
  let wake: () => void = () => undefined;
  let done = false;
  void (async () => {
    const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    try {
      for (;;) {
        const { value, done: finished } = await reader.read();
        if (finished) break;
        buffer += value;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const data = buffer
            .slice(0, end)
            .split('\n')
            .find((l) => l.startsWith('data: '));
          buffer = buffer.slice(end + 2);
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
    async next(windowNo) {
      for (;;) {
        const at = received.findIndex((e) => e.type === 'window' && e.window.windowNo === windowNo);
        if (at >= 0) {
          const event = received.splice(0, at + 1).pop()!;
          if (event.type === 'window') return event.window;
        }
        if (done) throw new Error(`the stream ended before window ${windowNo} was heard`);
        await new Promise<void>((resolve) => (wake = resolve));
      }
    },
    close: () => controller.abort(),
  };
}

describe('the hall on postgres', () => {
  let database: TestDatabase;
  let centre: ItCentre;
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
    await database.db.query(
      `INSERT INTO windows (window_no, department_code, department_name, settings) VALUES
       ('7', $1, '市场监督管理局', '{"floor":"1F"}'), ('8', $2, '人力资源和社会保障局', '{"floor":"2F"}')`,
      [MARKET, HR],
    );
  });
  afterEach(async () => {
    for (const s of streams.splice(0)) s.close();
    await centre.close();
  });

  const stream = async (session: ConsoleSession, url = centre.url) => {
    const s = await openStream(url, session);
    streams.push(s);
    return s;
  };

  /** A terminal enrolled at the window through a code an admin made in the console: its id and token. */
  async function enrolled(windowNo: string, terminalId = `T-${windowNo}`): Promise<{ terminalId: string; token: string; windowNo: string }> {
    const admin = await centre.as('admin', null, `it-admin-${terminalId}`.toLowerCase());
    const code = await centre.call(admin, 'POST', IT_ROUTES.enrolmentCodes, { body: { windowNo } });
    const answer = await centre.v1('POST', '/v1/enrol', null, { code: code.body.code, terminalId, publicKey: terminalKey() });
    expect(answer.status).toBe(200);
    return { terminalId, token: String(answer.body.token), windowNo };
  }

  let seq = 0;
  function statusOf(t: { terminalId: string; windowNo: string }, over: Partial<WindowStatus> = {}): WindowStatus {
    return {
      terminalId: t.terminalId,
      windowNo: t.windowNo,
      seq: ++seq,
      runId: 'run-1',
      at: centre.clock.now(),
      phase: 'idle',
      pause: null,
      staff: { staffNo: 'S1001', name: '王芳', signedInAt: centre.clock.now() - 3_600_000 },
      case: null,
      today: { served: 4, rated: 3, poor: 1 },
      keypad: { link: 'online', since: centre.clock.now() - 3_600_000 },
      backlog: 0,
      appVersion: '1.0.0',
      ...over,
    };
  }
  const post = (token: string | null, body: unknown) => centre.v1('POST', STATUS_PATH, token, body);
  const hallAs = async (session: ConsoleSession, query?: Record<string, string>) => {
    const answer = await centre.call(session, 'GET', HALL_ROUTES.hall, { query });
    return { status: answer.status, hall: answer.body as unknown as Hall, body: answer.body };
  };
  const tile = (hall: Hall, windowNo: string) => hall.windows.find((w) => w.windowNo === windowNo);

  it('refuses a status without a token, for another window, or malformed, with a sentence, and shows none of them', async () => {
    const w7 = await enrolled('7');
    const w8 = await enrolled('8');

    const anonymous = await post(null, statusOf(w7));
    expect(anonymous.status).toBe(401);
    expect(anonymous.body).toMatchObject({ error: { code: 'unauthorized', message: expect.stringContaining('Bearer') } });

    const wrongWindow = await post(w8.token, statusOf({ terminalId: w8.terminalId, windowNo: '7' }));
    expect(wrongWindow.status).toBe(403);
    expect(wrongWindow.body).toMatchObject({ error: { message: expect.stringMatching(/enrolled at window 8 .* may not report window 7/) } });

    const otherTerminal = await post(w8.token, statusOf({ terminalId: w7.terminalId, windowNo: '8' }));
    expect(otherTerminal.status).toBe(403);
    expect(otherTerminal.body).toMatchObject({ error: { code: 'terminal-mismatch', message: expect.stringContaining(w8.terminalId) } });

    const badPhase = await post(w7.token, { ...statusOf(w7), phase: 'lunch' });
    expect(badPhase.status).toBe(400);
    expect(badPhase.body).toMatchObject({ error: { code: 'invalid-request', message: expect.stringMatching(/^phase: /) } });
    const extraField = await post(w7.token, { ...statusOf(w7), phone: '13800000000' });
    expect(extraField.status).toBe(400);
    const notJson = await post(w7.token, '{"phase":');
    expect(notJson.status).toBe(400);

    const supervisor = await centre.as('supervisor');
    const { hall } = await hallAs(supervisor);
    expect(tile(hall, '7')).toMatchObject({ status: null, stale: false, receivedAt: null });
    expect(tile(hall, '8')).toMatchObject({ status: null });
  });

  it('keeps the latest status per window and drops one that arrives after a newer one', async () => {
    const w7 = await enrolled('7');
    const w8 = await enrolled('8');
    const supervisor = await centre.as('supervisor');
    const serving = statusOf(w7, { phase: 'serving', case: { itemCode: '340104-SJ-001', itemName: '营业执照办理', openedAt: centre.clock.now() } });
    const thanks = statusOf(w7, { phase: 'thanks', today: { served: 5, rated: 4, poor: 1 } });
    expect((await post(w7.token, serving)).status).toBe(204);
    expect((await post(w7.token, thanks)).status).toBe(204);
    // The serving status again, delayed on the network: older (lower seq in the same run), so dropped.
    expect((await post(w7.token, { ...serving })).status).toBe(204);
    const other = { staffNo: 'S1002', name: '李强', signedInAt: null };
    expect((await post(w8.token, statusOf(w8, { phase: 'paused', staff: other, pause: { reason: '午休', since: centre.clock.now() }, today: { served: 2, rated: 2, poor: 0 } }))).status).toBe(204);
    // Only 王芳 has a photo in the staff list.
    await database.db.query("INSERT INTO staff (staff_no, name, photo) VALUES ('S1001', '王芳', 'data:image/png;base64,iVBORw0KGgo='), ('S1002', '李强', NULL)");

    const { hall } = await hallAs(supervisor);
    expect(tile(hall, '7')).toMatchObject({
      windowNo: '7',
      departmentCode: MARKET,
      departmentName: '市场监督管理局',
      floor: '1F',
      hasPhoto: true,
      terminalId: w7.terminalId,
      receivedAt: centre.clock.now(),
      stale: false,
      status: { phase: 'thanks', case: null, today: { served: 5, rated: 4, poor: 1 }, staff: { name: '王芳' } },
    });
    expect(tile(hall, '8')).toMatchObject({ floor: '2F', hasPhoto: false, status: { phase: 'paused', pause: { reason: '午休' }, staff: other } });
    // The centre's figures today are the windows' own counts: 7 served, 6 rated, 1 poor.
    expect(hall.today).toEqual({ served: 7, rated: 6, poor: 1, satisfaction: 5 / 6 });
    expect(hall.alerts).toEqual([]);

    // A new run of the kiosk (restarted) starts its seq again, and is not taken for an old status.
    expect((await post(w7.token, statusOf(w7, { runId: 'run-2', seq: 1, phase: 'idle' }))).status).toBe(204);
    expect(tile((await hallAs(supervisor)).hall, '7')?.status?.phase).toBe('idle');

    // A run whose statuses say an earlier time: right after a newer one, a straggler, dropped…
    const hourBehind = centre.clock.now() - 3_600_000;
    expect((await post(w7.token, statusOf(w7, { runId: 'run-3', seq: 1, at: hourBehind, phase: 'closed' }))).status).toBe(204);
    expect(tile((await hallAs(supervisor)).hall, '7')?.status?.phase).toBe('idle');
    // …but once no straggler can still be on its way, a kiosk whose clock was put back is believed.
    centre.clock.advance(11_000);
    expect((await post(w7.token, statusOf(w7, { runId: 'run-3', seq: 2, at: hourBehind + 11_000, phase: 'closed', staff: null }))).status).toBe(204);
    expect(tile((await hallAs(supervisor)).hall, '7')?.status).toMatchObject({ phase: 'closed', staff: null });
  });

  it("tells open consoles of a change, not of a heartbeat, and of a window that falls silent for 45 s on the centre's clock", async () => {
    const w7 = await enrolled('7');
    const supervisor = await stream(await centre.as('supervisor'));

    expect((await post(w7.token, statusOf(w7, { phase: 'idle' }))).status).toBe(204);
    expect(await supervisor.next('7')).toMatchObject({ windowNo: '7', departmentCode: MARKET, stale: false, status: { phase: 'idle' } });

    // The same state again (a heartbeat), then a case opens: the next event is the case.
    centre.clock.advance(15_000);
    expect((await post(w7.token, statusOf(w7, { phase: 'idle' }))).status).toBe(204);
    expect((await post(w7.token, statusOf(w7, { phase: 'serving', case: { itemCode: '340104-SJ-001', itemName: '营业执照办理', openedAt: centre.clock.now() } }))).status).toBe(204);
    expect(await supervisor.next('7')).toMatchObject({ stale: false, status: { phase: 'serving', case: { itemName: '营业执照办理' } } });

    // Nothing for 45 s and a moment: stale, on the stream, and in the hall.
    centre.clock.advance(STATUS_STALE_MS + 1_000);
    expect(await supervisor.next('7')).toMatchObject({ windowNo: '7', stale: true, status: { phase: 'serving' } });
    const { hall } = await hallAs(await centre.as('viewer'));
    expect(tile(hall, '7')?.stale).toBe(true);

    // News again: fresh, though nothing else changed.
    expect((await post(w7.token, statusOf(w7, { phase: 'serving', case: { itemCode: '340104-SJ-001', itemName: '营业执照办理', openedAt: centre.clock.now() - 60_000 } }))).status).toBe(204);
    expect(await supervisor.next('7')).toMatchObject({ windowNo: '7', stale: false });
  });

  it('shows the same hall after the centre restarts', async () => {
    const w7 = await enrolled('7');
    const supervisor = await centre.as('supervisor');
    expect((await post(w7.token, statusOf(w7, { phase: 'awaiting_rating' }))).status).toBe(204);
    const before = (await hallAs(supervisor)).hall;
    await centre.close();

    centre = await startItCentre(database.db, centre.clock);
    const after = (await hallAs(await centre.as('supervisor', null, 'supervisor-again'))).hall;
    expect(tile(after, '7')).toEqual(tile(before, '7'));
    expect(tile(after, '7')?.status?.phase).toBe('awaiting_rating');
    // The restarted centre still orders statuses: an older one from the same run is dropped.
    expect((await post(w7.token, statusOf(w7, { seq: 0, phase: 'closed' }))).status).toBe(204);
    expect(tile((await hallAs(await centre.as('viewer'))).hall, '7')?.status?.phase).toBe('awaiting_rating');
  });

  it('a second API node on the same database shows the statuses the first one took, and tells its own consoles', async () => {
    const w7 = await enrolled('7');
    const second = await startItCentre(database.db, centre.clock);
    try {
      const listening = await stream(await second.as('supervisor', null, 'supervisor-second'), second.url);
      expect((await post(w7.token, statusOf(w7, { phase: 'serving', case: { itemCode: '340104-SJ-001', itemName: '营业执照办理', openedAt: centre.clock.now() } }))).status).toBe(204);
      // Written behind within a second, read by the other node within a few more.
      expect(await listening.next('7')).toMatchObject({ windowNo: '7', stale: false, status: { phase: 'serving' } });
      const answer = await second.call(await second.as('viewer', null, 'viewer-second'), 'GET', HALL_ROUTES.hall);
      expect(tile(answer.body as unknown as Hall, '7')).toMatchObject({ terminalId: w7.terminalId, receivedAt: centre.clock.now(), status: { phase: 'serving' } });
    } finally {
      for (const s of streams.splice(0)) s.close();
      await second.close();
    }
  });

  it("shows a department its own windows only, refuses another's and refuses evaluators", async () => {
    const w7 = await enrolled('7');
    const w8 = await enrolled('8');
    expect((await post(w7.token, statusOf(w7, { today: { served: 3, rated: 2, poor: 1 } }))).status).toBe(204);
    expect((await post(w8.token, statusOf(w8, { today: { served: 6, rated: 5, poor: 0 } }))).status).toBe(204);

    const market = await centre.as('department', MARKET);
    const own = await hallAs(market);
    expect(own.status).toBe(200);
    expect(own.hall.windows.map((w) => w.windowNo)).toEqual(['7']);
    expect(own.hall.today).toEqual({ served: 3, rated: 2, poor: 1, satisfaction: 0.5 });
    const other = await hallAs(market, { department: HR });
    expect(other.status).toBe(403);
    expect(other.body).toMatchObject({ error: { code: 'forbidden' } });

    const supervisor = await hallAs(await centre.as('supervisor'));
    // Grouped by department (340104-RS before 340104-SJ), then floor and window.
    expect(supervisor.hall.windows.map((w) => w.windowNo)).toEqual(['8', '7']);
    expect(supervisor.hall.today.served).toBe(9);
    const onlyHr = await hallAs(await centre.as('viewer'), { department: HR });
    expect(onlyHr.hall.windows.map((w) => w.windowNo)).toEqual(['8']);

    const evaluator = await hallAs(await centre.as('evaluator'));
    expect(evaluator.status).toBe(403);
    expect(evaluator.body).toMatchObject({ error: { code: 'forbidden', message: expect.any(String) } });
  });
});
