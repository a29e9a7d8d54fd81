/**
 * The window rules at the centre, on a real PostgreSQL with a clock the test moves: windows
 * post their live status with their terminal's token, an admin sets the hours and the
 * rules in the console, and each rule's alert starts once, ends once when its condition
 * ends, and may start again later. Punctuality follows the centre's calendar (a holiday, a
 * 调休 Saturday on Monday's hours); a long pause reaches a local webhook receiver signed;
 * each department sees only its own windows' alerts; a wrong setting is refused with a
 * sentence and changes nothing.
 */
import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_WINDOW_RULES, HALL_ROUTES, type Hall, type WindowAlert, type WindowRules, type WindowSchedule } from '../../src/shared/console/hall-contract';
import { IT_ROUTES } from '../../src/shared/console/it-contract';
import { LIVE_ROUTES, WEBHOOK_DELIVERY_HEADER, WEBHOOK_EVENT_HEADER, WEBHOOK_SIGNATURE_HEADER, type WebhookDelivery, type WebhookPayload } from '../../src/shared/console/live-contract';
import { STATUS_PATH, type WindowStatus } from '../../src/shared/live-status';
import { saveWindow } from '../../server/src/distribution/lists';
import type { TestDatabase } from '../sync/support/backends';
import { openItDatabase, startItCentre, terminalKey, type ItCentre } from './it-helpers';
import type { ConsoleSession } from './support/console-session';

const MARKET = '340104-SJ'; // 市场监督管理局
const HR = '340104-RS'; // 人力资源和社会保障局
const MIN = 60_000;
const DAY = 86_400_000;
/** Monday 2026-03-02, 00:00 in the centre's time zone (UTC+8). */
const MONDAY = Date.UTC(2026, 2, 1, 16, 0);
const at = (day: number, hh: number, mm = 0) => day + hh * 3_600_000 + mm * MIN;
const SECRET = 'a-long-signing-secret-for-window-rules';

const WEEKDAYS_9_TO_5: WindowSchedule = {
  opensAt: ['09:00', '09:00', '09:00', '09:00', '09:00', null, null],
  closesAt: ['17:00', '17:00', '17:00', '17:00', '17:00', null, null],
  pauseLimitMinutes: null,
  floor: '1F',
};

describe('the window rules on postgres', () => {
  let database: TestDatabase;
  let centre: ItCentre;
  let admin: ConsoleSession;
  let heard: WindowAlert[];
  const closers: (() => Promise<void>)[] = [];

  beforeAll(async () => {
    database = await openItDatabase('postgres');
  });
  afterAll(async () => {
    await database?.close();
  });
  beforeEach(async () => {
    await database.reset();
    // The test sweeps when it says; the 30 s timer of the centre never fires during a test.
    // The admin stays signed in while the test moves the clock across days.
    centre = await startItCentre(database.db, undefined, { windowRulesSweepMs: 3_600_000, accounts: { sessionIdleMs: 30 * DAY, sessionAbsoluteMs: 30 * DAY } });
    await database.db.query(
      `INSERT INTO windows (window_no, department_code, department_name, settings) VALUES
       ('7', $1, '市场监督管理局', '{}'), ('8', $2, '人力资源和社会保障局', '{}')`,
      [MARKET, HR],
    );
    admin = await centre.as('admin', null, 'hall-admin');
    heard = [];
    const unsubscribe = centre.centre.bus.subscribe((event) => {
      if (event.type === 'window_alert') heard.push(event.alert);
    });
    closers.push(async () => unsubscribe());
  });
  afterEach(async () => {
    await centre.close();
    for (const close of closers.splice(0)) await close();
  });

  const setRules = async (change: (r: WindowRules) => void) => {
    const r = structuredClone(DEFAULT_WINDOW_RULES);
    change(r);
    const answer = await centre.call(admin, 'PUT', HALL_ROUTES.windowRules, { body: r });
    expect(answer.status).toBe(200);
    await centre.centre.windowRules.idle();
  };

  const setHours = async (windowNo: string, schedule: WindowSchedule) => {
    const answer = await centre.call(admin, 'PUT', HALL_ROUTES.windowSchedule, { params: { windowNo }, body: schedule });
    expect(answer.status).toBe(200);
    await centre.centre.windowRules.idle();
    return answer.body;
  };

  /** Moves the centre's clock to a moment and sweeps, as the 30 s timer would. */
  const sweepAt = async (moment: number) => {
    centre.clock.advance(moment - centre.clock.now());
    await centre.centre.windowRules.sweep();
  };

  /** Moves the clock without a sweep (the kiosk then reports, and the test sweeps). */
  const moveTo = (moment: number) => centre.clock.advance(moment - centre.clock.now());

  async function enrolled(windowNo: string) {
    const code = await centre.call(admin, 'POST', IT_ROUTES.enrolmentCodes, { body: { windowNo } });
    const terminalId = `T-${windowNo}`;
    const answer = await centre.v1('POST', '/v1/enrol', null, { code: code.body.code, terminalId, publicKey: terminalKey() });
    expect(answer.status).toBe(200);
    let seq = 0;
    const token = String(answer.body.token);
    /** Posts the window's status now; the checks it sets off have finished when this resolves. */
    return async (over: Partial<WindowStatus> = {}) => {
      const now = centre.clock.now();
      const status: WindowStatus = {
        terminalId,
        windowNo,
        seq: ++seq,
        runId: 'run-1',
        at: now,
        phase: 'idle',
        pause: null,
        staff: { staffNo: 'S1001', name: '王芳', signedInAt: now },
        case: null,
        today: { served: 0, rated: 0, poor: 0 },
        keypad: { link: 'online', since: now - 3_600_000 },
        backlog: 0,
        appVersion: '1.0.0',
        ...over,
      };
      const posted = await centre.v1('POST', STATUS_PATH, token, status);
      expect(posted.status).toBe(204);
      await centre.centre.windowRules.idle();
    };
  }

  const alertsOf = async (rule: string) =>
    (await database.db.query<{ id: number; window_no: string; started_at: number; ended_at: number | null; detail: string }>(
      'SELECT id, window_no, started_at, ended_at, detail FROM window_alerts WHERE rule = $1 ORDER BY id',
      [rule],
    )).map((r) => ({ ...r, id: Number(r.id), started_at: Number(r.started_at), ended_at: r.ended_at === null ? null : Number(r.ended_at) }));

  const events = (rule: string) => heard.filter((a) => a.rule === rule).map((a) => ({ id: a.id, ended: a.endedAt !== null }));

  it('starts each rule’s alert once, ends it once when its condition ends, and starts a new one later', async () => {
    await setHours('7', { ...WEEKDAYS_9_TO_5, pauseLimitMinutes: 20 });
    await setRules((r) => (r.longCase.byItem = { 'SC-01': 15 }));
    const post = await enrolled('7');
    const sweep = () => centre.centre.windowRules.sweep();
    expect(centre.clock.now()).toBe(at(MONDAY, 9, 0));
    await post();

    // A pause past the window's own limit of 20 minutes; the kiosk keeps reporting it.
    const training = { phase: 'paused' as const, pause: { reason: '窗口培训', since: at(MONDAY, 9, 0) } };
    await post(training);
    moveTo(at(MONDAY, 9, 20));
    await post(training);
    await sweep();
    expect(await alertsOf('long_pause')).toEqual([]);
    moveTo(at(MONDAY, 9, 21));
    await post(training);
    await sweep();
    await sweep();
    const [pause] = await alertsOf('long_pause');
    expect(pause).toMatchObject({ window_no: '7', started_at: at(MONDAY, 9, 21), ended_at: null, detail: 'window 7 has been paused for 21 minutes (limit 20): 窗口培训' });
    expect(await alertsOf('long_pause')).toHaveLength(1);
    moveTo(at(MONDAY, 9, 22));
    await post({ phase: 'idle' });
    expect(await alertsOf('long_pause')).toEqual([{ ...pause, ended_at: at(MONDAY, 9, 22) }]);
    expect(events('long_pause')).toEqual([
      { id: pause!.id, ended: false },
      { id: pause!.id, ended: true },
    ]);

    // A case of an item whose threshold is 15 minutes.
    const serving = { phase: 'serving' as const, case: { itemCode: 'SC-01', itemName: '营业执照变更', openedAt: at(MONDAY, 9, 22) } };
    await post(serving);
    moveTo(at(MONDAY, 9, 37));
    await post(serving);
    await sweep();
    expect(await alertsOf('long_case')).toEqual([]);
    moveTo(at(MONDAY, 9, 38));
    await post(serving);
    await sweep();
    await sweep();
    expect(await alertsOf('long_case')).toMatchObject([{ started_at: at(MONDAY, 9, 38), ended_at: null, detail: 'a case of 营业执照变更 at window 7 has run 16 minutes (limit 15)' }]);
    moveTo(at(MONDAY, 9, 39));
    await post({ phase: 'awaiting_rating', case: null });
    expect(await alertsOf('long_case')).toMatchObject([{ ended_at: at(MONDAY, 9, 39) }]);

    // The keypad drops while staff are signed in.
    const offline = { keypad: { link: 'offline' as const, since: at(MONDAY, 9, 39) } };
    await post(offline);
    moveTo(at(MONDAY, 9, 45));
    await post(offline);
    await sweep();
    await sweep();
    expect(await alertsOf('keypad_offline')).toMatchObject([{ started_at: at(MONDAY, 9, 45), ended_at: null }]);
    moveTo(at(MONDAY, 9, 46));
    await post({ keypad: { link: 'online', since: at(MONDAY, 9, 46) } });
    expect(await alertsOf('keypad_offline')).toMatchObject([{ ended_at: at(MONDAY, 9, 46) }]);

    // The terminal falls silent during opening hours, then speaks again.
    await sweepAt(at(MONDAY, 9, 56));
    expect(await alertsOf('terminal_silent')).toEqual([]);
    await sweepAt(at(MONDAY, 9, 57));
    await sweepAt(at(MONDAY, 9, 58));
    expect(await alertsOf('terminal_silent')).toMatchObject([{ started_at: at(MONDAY, 9, 57), ended_at: null }]);
    await post();
    await sweep();
    expect(await alertsOf('terminal_silent')).toMatchObject([{ ended_at: at(MONDAY, 9, 58) }]);
    expect(heard.filter((a) => a.endedAt === null).map((a) => a.rule)).toEqual(['long_pause', 'long_case', 'keypad_offline', 'terminal_silent']);
    expect(heard.filter((a) => a.endedAt !== null).map((a) => a.rule)).toEqual(['long_pause', 'long_case', 'keypad_offline', 'terminal_silent']);

    // A second long pause later the same day is a new alert.
    const lunch = { phase: 'paused' as const, pause: { reason: '午休', since: at(MONDAY, 9, 58) } };
    await post(lunch);
    moveTo(at(MONDAY, 10, 19));
    await post(lunch);
    await sweep();
    const pauses = await alertsOf('long_pause');
    expect(pauses.map((p) => p.ended_at === null)).toEqual([false, true]);
    expect(pauses[1]!.detail).toBe('window 7 has been paused for 21 minutes (limit 20): 午休');

    // The hall's ticker shows what is open.
    const hall = (await centre.call(admin, 'GET', HALL_ROUTES.hall)).body as unknown as Hall;
    expect(hall.alerts.map((a) => [a.rule, a.windowNo, a.startedAt])).toEqual([['long_pause', '7', at(MONDAY, 10, 19)]]);
    expect(hall.windows.find((w) => w.windowNo === '7')?.floor).toBe('1F');
  });

  it('raises not open on a working day, not on a holiday, and on a 调休 Saturday by Monday’s hours', async () => {
    await database.db.query("INSERT INTO calendar_days (day, kind) VALUES ('2026-03-03', 'holiday'), ('2026-03-07', 'workday')");
    await setRules((r) => (r.terminalSilent.enabled = false));
    await setHours('8', WEEKDAYS_9_TO_5);
    await setHours('7', WEEKDAYS_9_TO_5);
    const post7 = await enrolled('7');
    await post7();

    // Monday: window 7 has staff in, window 8 nobody.
    await sweepAt(at(MONDAY, 9, 9));
    expect(await alertsOf('not_open')).toEqual([]);
    await sweepAt(at(MONDAY, 9, 10));
    await sweepAt(at(MONDAY, 9, 40));
    expect(await alertsOf('not_open')).toMatchObject([{ window_no: '8', started_at: at(MONDAY, 9, 10), ended_at: null }]);
    expect((await alertsOf('not_open'))[0]!.detail).toBe('window 8 is not open: nobody signed in by 09:10 (it opens at 09:00)');
    // It ends when the window closes.
    await sweepAt(at(MONDAY, 17, 0));
    expect(await alertsOf('not_open')).toMatchObject([{ window_no: '8', ended_at: at(MONDAY, 17, 0) }]);

    // Tuesday is a holiday: nobody is expected.
    await sweepAt(at(MONDAY + DAY, 9, 30));
    expect(await alertsOf('not_open')).toHaveLength(1);

    // Saturday 2026-03-07 is a working day (调休): Monday's hours, both windows empty.
    const saturday = MONDAY + 5 * DAY;
    await sweepAt(at(saturday, 9, 9));
    expect(await alertsOf('not_open')).toHaveLength(1);
    await sweepAt(at(saturday, 9, 10));
    expect((await alertsOf('not_open')).slice(1)).toMatchObject([
      { window_no: '7', started_at: at(saturday, 9, 10), ended_at: null },
      { window_no: '8', started_at: at(saturday, 9, 10), ended_at: null },
    ]);
    // Staff sign in at window 7: its alert ends.
    await post7();
    await centre.centre.windowRules.sweep();
    expect((await alertsOf('not_open')).slice(1).map((a) => [a.window_no, a.ended_at])).toEqual([
      ['7', at(saturday, 9, 10)],
      ['8', null],
    ]);
    await sweepAt(at(saturday, 17, 0));

    // The next Saturday is an ordinary weekend day.
    await sweepAt(at(saturday + 7 * DAY, 9, 30));
    expect(await alertsOf('not_open')).toHaveLength(3);
    expect(events('not_open').filter((e) => !e.ended)).toHaveLength(3);
  });

  it('sends a pause past its limit to a local webhook receiver, signed, with the reason', async () => {
    const received: { body: string; signature: string; event: string; delivery: string }[] = [];
    const server: Server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (c: Buffer) => chunks.push(c));
      request.on('end', () => {
        received.push({
          body: Buffer.concat(chunks).toString('utf8'),
          signature: String(request.headers[WEBHOOK_SIGNATURE_HEADER]),
          event: String(request.headers[WEBHOOK_EVENT_HEADER]),
          delivery: String(request.headers[WEBHOOK_DELIVERY_HEADER]),
        });
        response.writeHead(200).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    closers.push(async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    });
    const hookUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
    const made = await centre.call(admin, 'POST', LIVE_ROUTES.webhooks, { body: { url: hookUrl, secret: SECRET, rules: ['long_pause'] } });
    expect(made.status).toBe(201);

    const post = await enrolled('7');
    moveTo(at(MONDAY, 10, 0));
    await post({ phase: 'paused', pause: { reason: '系统故障', since: centre.clock.now() } });
    // A long case too, which this webhook does not take.
    moveTo(at(MONDAY, 10, 31));
    await post({ phase: 'paused', pause: { reason: '系统故障', since: at(MONDAY, 10, 0) }, case: { itemCode: 'X', itemName: '其他', openedAt: at(MONDAY, 8, 0) } });
    await centre.centre.windowRules.sweep();
    expect((await alertsOf('long_pause')).length).toBe(1);
    expect((await alertsOf('long_case')).length).toBe(1);

    while (received.length === 0) await new Promise((resolve) => setTimeout(resolve, 50));
    const [got] = received;
    expect(got!.signature).toBe(`sha256=${createHmac('sha256', SECRET).update(got!.body).digest('hex')}`);
    expect(got!.event).toBe('long_pause');
    const payload = JSON.parse(got!.body) as WebhookPayload;
    expect(payload).toMatchObject({
      event: 'long_pause',
      deliveryId: Number(got!.delivery),
      alert: { rule: 'long_pause', windowNo: '7', departmentCode: MARKET, endedAt: null, figures: { reason: '系统故障', limitMinutes: 30 }, detail: expect.stringContaining('系统故障') },
    });
    const deliveries = async () => (await centre.call(admin, 'GET', LIVE_ROUTES.deliveries)).body.deliveries as WebhookDelivery[];
    while ((await deliveries())[0]?.state !== 'delivered') await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await deliveries()).toMatchObject([{ event: 'long_pause', alertId: (await alertsOf('long_pause'))[0]!.id, state: 'delivered' }]);
  });

  it('shows each department only its own windows’ alerts, open ones or the recent ones', async () => {
    await setHours('7', WEEKDAYS_9_TO_5);
    await setHours('8', WEEKDAYS_9_TO_5);
    await sweepAt(at(MONDAY, 9, 30));
    const post8 = await enrolled('8');
    await post8();
    const list = async (session: ConsoleSession, query?: Record<string, string>) => centre.call(session, 'GET', HALL_ROUTES.windowAlerts, { query });
    const shown = (answer: { body: Record<string, unknown> }) => (answer.body.alerts as WindowAlert[]).map((a) => `${a.rule}@${a.windowNo}${a.endedAt === null ? '' : ' ended'}`).sort();

    expect(shown(await list(admin))).toEqual(['not_open@7', 'not_open@8 ended', 'terminal_silent@7', 'terminal_silent@8 ended']);
    expect(shown(await list(admin, { open: 'true' }))).toEqual(['not_open@7', 'terminal_silent@7']);
    expect(shown(await list(admin, { limit: '1' }))).toHaveLength(1);
    const market = await centre.as('department', MARKET, 'market-head');
    const hr = await centre.as('department', HR, 'hr-head');
    expect(shown(await list(market))).toEqual(['not_open@7', 'terminal_silent@7']);
    expect(shown(await list(hr))).toEqual(['not_open@8 ended', 'terminal_silent@8 ended']);
    expect(shown(await list(hr, { open: 'true' }))).toEqual([]);
    const other = await list(hr, { department: MARKET });
    expect(other.status).toBe(403);
    expect(other.body).toMatchObject({ error: { code: 'forbidden', message: expect.stringContaining(HR) } });
    const hrHall = (await centre.call(hr, 'GET', HALL_ROUTES.hall)).body as unknown as Hall;
    expect(hrHall.alerts).toEqual([]);
    const evaluator = await centre.as('evaluator', null, 'evaluator-1');
    expect((await list(evaluator)).status).toBe(403);
    expect((await list(admin, { limit: '0' })).body).toMatchObject({ error: { code: 'invalid-request', message: 'limit: limit is from 1 to 500' } });
  });

  it('refuses wrong rule settings and hours with a sentence, changes nothing, and lets only an admin change them', async () => {
    const before = (await centre.call(admin, 'GET', HALL_ROUTES.windowRules)).body;
    expect(before).toEqual(DEFAULT_WINDOW_RULES);
    const refusals: [unknown, string][] = [
      [{ ...DEFAULT_WINDOW_RULES, notOpen: { enabled: true, graceMinutes: 0 } }, 'notOpen.graceMinutes: give a whole number of minutes from 1 to 240'],
      [{ ...DEFAULT_WINDOW_RULES, longPause: { enabled: true, defaultLimitMinutes: 12.5 } }, 'longPause.defaultLimitMinutes: give a whole number of minutes from 1 to 480'],
      [{ ...DEFAULT_WINDOW_RULES, longCase: { enabled: true, defaultMinutes: 60, byItem: { 'SC-01': 5000 } } }, 'longCase.byItem.SC-01: give a whole number of minutes from 1 to 1440'],
      [{ ...DEFAULT_WINDOW_RULES, keypadOffline: { enabled: 'yes', minutes: 5 } }, 'keypadOffline.enabled: enabled is true or false'],
    ];
    for (const [body, message] of refusals) {
      const answer = await centre.call(admin, 'PUT', HALL_ROUTES.windowRules, { body });
      expect(answer.status).toBe(400);
      // The sentence, and the field and its detail the console words in the reader's language.
      const [field, detail] = [message.slice(0, message.indexOf(': ')), message.slice(message.indexOf(': ') + 2)];
      expect(answer.body).toEqual({ error: { code: 'invalid-request', message, reason: 'general.input_invalid', fields: { field, detail } } });
    }
    expect((await centre.call(admin, 'GET', HALL_ROUTES.windowRules)).body).toEqual(before);

    const supervisor = await centre.as('supervisor', null, 'supervisor-1');
    expect((await centre.call(supervisor, 'GET', HALL_ROUTES.windowRules)).status).toBe(200);
    expect((await centre.call(supervisor, 'PUT', HALL_ROUTES.windowRules, { body: DEFAULT_WINDOW_RULES })).status).toBe(403);
    expect((await centre.call(supervisor, 'PUT', HALL_ROUTES.windowSchedule, { params: { windowNo: '7' }, body: WEEKDAYS_9_TO_5 })).status).toBe(403);

    // Hours: a half-given day, a day that closes before it opens, a bad time, an unknown window.
    const hoursRefusals: [string, unknown, number, string][] = [
      ['7', { ...WEEKDAYS_9_TO_5, closesAt: [null, '17:00', '17:00', '17:00', '17:00', null, null] }, 400, 'Monday: give both the opening and the closing time, or neither for a closed day'],
      ['7', { ...WEEKDAYS_9_TO_5, opensAt: ['09:00', '09:00', '18:00', '09:00', '09:00', null, null] }, 400, 'Wednesday: the window closes at 17:00, which is not after it opens at 18:00'],
      ['7', { ...WEEKDAYS_9_TO_5, opensAt: ['9am', '09:00', '09:00', '09:00', '09:00', null, null] }, 400, 'opensAt.0: a time looks like 08:30'],
      ['99', WEEKDAYS_9_TO_5, 404, 'there is no window 99; add it to the window list first'],
    ];
    for (const [windowNo, body, status, message] of hoursRefusals) {
      const answer = await centre.call(admin, 'PUT', HALL_ROUTES.windowSchedule, { params: { windowNo }, body });
      expect(answer.status).toBe(status);
      expect((answer.body.error as { message: string }).message).toBe(message);
    }
    const empty = await centre.call(admin, 'GET', HALL_ROUTES.windowSchedule, { params: { windowNo: '7' } });
    expect(empty.body).toEqual({ opensAt: Array(7).fill(null), closesAt: Array(7).fill(null), pauseLimitMinutes: null, floor: null });

    // A good change is kept; the floor is where the hall reads it; switching a rule off ends its open alert.
    expect(await setHours('7', { ...WEEKDAYS_9_TO_5, pauseLimitMinutes: 45, floor: '2F' })).toEqual({ ...WEEKDAYS_9_TO_5, pauseLimitMinutes: 45, floor: '2F' });
    await sweepAt(at(MONDAY, 9, 30));
    expect((await alertsOf('not_open')).map((a) => a.ended_at)).toEqual([null]);
    await setRules((r) => (r.notOpen.enabled = false));
    expect((await alertsOf('not_open')).map((a) => a.ended_at)).toEqual([at(MONDAY, 9, 30)]);
    expect((await centre.call(admin, 'GET', HALL_ROUTES.windowRules)).body).toMatchObject({ notOpen: { enabled: false, graceMinutes: 10 } });
    const hall = (await centre.call(admin, 'GET', HALL_ROUTES.hall)).body as unknown as Hall;
    expect(hall.windows.find((w) => w.windowNo === '7')?.floor).toBe('2F');

    // IT saving the window's own settings later keeps the floor the hall shows.
    await saveWindow(database.db, '7', { departmentCode: MARKET, departmentName: '市场监督管理局', areaCode: null, settings: { closingTime: '17:30' } });
    const after = (await centre.call(admin, 'GET', HALL_ROUTES.hall)).body as unknown as Hall;
    expect(after.windows.find((w) => w.windowNo === '7')?.floor).toBe('2F');
  });
});
