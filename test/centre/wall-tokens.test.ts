/**
 * Wall tokens and the wall's read-only API, on a real PostgreSQL: an admin makes a token
 * (shown once, only its hash kept), the wall trades it for a cookie scoped to the wall's API,
 * reads the hall of every department, hears window changes and poor-rating bursts but no
 * follow-up or personal news, and loses all of it the moment the token is revoked.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { HALL_ROUTES, WALL_API, WALL_COOKIE, WALL_ROUTES, type Hall, type NewWallToken, type WallEvent, type WallToken } from '../../src/shared/console/hall-contract';
import { IT_ROUTES } from '../../src/shared/console/it-contract';
import { STATUS_PATH, type WindowStatus } from '../../src/shared/live-status';
import type { TestDatabase } from '../sync/support/backends';
import { openItDatabase, startItCentre, terminalKey, type ItCentre } from './it-helpers';

const MARKET = '340104-SJ';
const HR = '340104-RS';
// A 1×1 PNG: what the photo check accepts.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');

interface WallStream {
  next(): Promise<WallEvent>;
  /** Heartbeats heard so far. */
  beats(): number;
  /** Resolves when the centre ends the stream. */
  ended: Promise<void>;
  close(): void;
}

async function openWallStream(url: string, cookie: string): Promise<{ status: number; stream: WallStream; body: string }> {
  const controller = new AbortController();
  const response = await fetch(`${url}${WALL_API}${WALL_ROUTES.events}`, { headers: { cookie, accept: 'text/event-stream' }, signal: controller.signal });
  const received: WallEvent[] = [];
  let wake: () => void = () => undefined;
  let done = false;
  let beats = 0;
  if (response.status !== 200) return { status: response.status, body: await response.text(), stream: null as unknown as WallStream };
  const ended = (async () => {
    const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    try {
      for (;;) {
        const { value, done: finished } = await reader.read();
        if (finished) break;
        buffer += value;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const lines = buffer.slice(0, end).split('\n');
          buffer = buffer.slice(end + 2);
          const data = lines.find((l) => l.startsWith('data: '));
          // The heartbeat is an event of its own, so the page can watch for a silent link.
          if (lines.includes('event: beat')) beats += 1;
          else if (data) received.push(JSON.parse(data.slice(6)) as WallEvent);
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
    status: 200,
    body: '',
    stream: {
      async next() {
        for (;;) {
          const event = received.shift();
          if (event) return event;
          if (done) throw new Error('the wall stream ended');
          await new Promise<void>((resolve) => (wake = resolve));
        }
      },
      ended,
      beats: () => beats,
      close: () => controller.abort(),
    },
  };
}

describe('wall tokens on postgres', () => {
  let database: TestDatabase;
  let centre: ItCentre;
  const streams: WallStream[] = [];

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
    await database.db.query("INSERT INTO staff (staff_no, name, photo) VALUES ('S1001', '王芳', $1), ('S1002', '李强', NULL)", [`data:image/png;base64,${PNG.toString('base64')}`]);
  });
  afterEach(async () => {
    for (const s of streams.splice(0)) s.close();
    await centre.close();
  });

  const wall = (path: string, init: RequestInit = {}) => fetch(`${centre.url}${WALL_API}${path}`, init);
  async function newToken(name = '一楼大厅'): Promise<NewWallToken> {
    const admin = await centre.as('admin', null, `wall-admin-${Math.random().toString(36).slice(2, 8)}`);
    const made = await centre.call(admin, 'POST', HALL_ROUTES.wallTokens, { body: { name } });
    expect(made.status).toBe(200);
    return made.body as unknown as NewWallToken;
  }
  async function signInWall(token: string): Promise<string> {
    const answer = await wall(WALL_ROUTES.session, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
    expect(answer.status).toBe(204);
    const setCookie = answer.headers.get('set-cookie') ?? '';
    const value = new RegExp(`${WALL_COOKIE}=([^;]+)`).exec(setCookie)?.[1];
    expect(value).toBeTruthy();
    return `${WALL_COOKIE}=${value}`;
  }

  it('shows a new token once, keeps only its hash, and lets only an admin make, list and revoke tokens', async () => {
    const admin = await centre.as('admin');
    const supervisor = await centre.as('supervisor');
    const made = await centre.call(admin, 'POST', HALL_ROUTES.wallTokens, { body: { name: '一楼大厅' } });
    expect(made.status).toBe(200);
    const token = made.body as unknown as NewWallToken;
    expect(token.token).toMatch(/^wall_[A-Za-z0-9_-]{40,}$/);
    expect(token.address).toBe(`${centre.url}/wall#token=${token.token}`);
    expect(token).toMatchObject({ name: '一楼大厅', createdBy: 'admin-all', lastUsedAt: null, revokedAt: null });

    const stored = await database.db.query<Record<string, unknown>>('SELECT * FROM wall_tokens');
    expect(JSON.stringify(stored)).not.toContain(token.token);

    const listed = await centre.call(admin, 'GET', HALL_ROUTES.wallTokens);
    expect(listed.body.tokens).toEqual([{ id: token.id, name: '一楼大厅', createdBy: 'admin-all', createdAt: token.createdAt, lastUsedAt: null, revokedAt: null }]);
    expect(JSON.stringify(listed.body)).not.toContain(token.token);

    for (const [method, route, params] of [
      ['GET', HALL_ROUTES.wallTokens, undefined],
      ['POST', HALL_ROUTES.wallTokens, undefined],
      ['POST', HALL_ROUTES.revokeWallToken, { id: token.id }],
    ] as const) {
      const refused = await centre.call(supervisor, method, route, { params, body: method === 'POST' ? { name: '二楼' } : undefined });
      expect(refused.status).toBe(403);
      expect(refused.body).toMatchObject({ error: { code: 'forbidden', message: expect.stringContaining('may not use this part of the console') } });
    }
    const unnamed = await centre.call(admin, 'POST', HALL_ROUTES.wallTokens, { body: { name: '  ' } });
    expect(unnamed.status).toBe(400);
    expect(unnamed.body).toMatchObject({ error: { message: expect.stringContaining('name the display') } });
    expect((await centre.call(admin, 'GET', HALL_ROUTES.wallTokens)).body.tokens).toHaveLength(1);
  });

  it('trades the token for an HttpOnly, SameSite=Strict cookie scoped to the wall, which reads the whole hall and photos', async () => {
    const token = await newToken();
    const answer = await wall(WALL_ROUTES.session, { method: 'POST', headers: { authorization: `Bearer ${token.token}` } });
    expect(answer.status).toBe(204);
    const setCookie = answer.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(new RegExp(`^${WALL_COOKIE}=[A-Za-z0-9_-]{40,};`));
    expect(setCookie).toContain(`Path=${WALL_API};`);
    expect(setCookie).toContain('HttpOnly');
    expect(setCookie).toContain('SameSite=Strict');
    expect(setCookie).not.toContain(token.token);
    const cookie = setCookie.split(';')[0]!;

    // A kiosk at each department's window reports; the wall sees both departments.
    const admin = await centre.as('admin');
    for (const windowNo of ['7', '8']) {
      const code = await centre.call(admin, 'POST', IT_ROUTES.enrolmentCodes, { body: { windowNo } });
      const enrolled = await centre.v1('POST', '/v1/enrol', null, { code: code.body.code, terminalId: `T-${windowNo}`, publicKey: terminalKey() });
      const status: WindowStatus = {
        terminalId: `T-${windowNo}`,
        windowNo,
        seq: 1,
        runId: 'run-1',
        at: centre.clock.now(),
        phase: windowNo === '7' ? 'serving' : 'idle',
        pause: null,
        staff: { staffNo: windowNo === '7' ? 'S1001' : 'S1002', name: windowNo === '7' ? '王芳' : '李强', signedInAt: centre.clock.now() },
        case: windowNo === '7' ? { itemCode: 'SJ-001', itemName: '营业执照办理', openedAt: centre.clock.now() } : null,
        today: { served: 3, rated: 2, poor: 0 },
        keypad: { link: 'online', since: centre.clock.now() },
        backlog: 0,
        appVersion: '1.0.0',
      };
      expect((await centre.v1('POST', STATUS_PATH, String(enrolled.body.token), status)).status).toBe(204);
    }

    const hallAnswer = await wall(WALL_ROUTES.hall, { headers: { cookie } });
    expect(hallAnswer.status).toBe(200);
    const hall = (await hallAnswer.json()) as Hall;
    expect(hall.windows.map((w) => [w.windowNo, w.departmentName, w.status?.phase, w.hasPhoto])).toEqual([
      ['8', '人力资源和社会保障局', 'idle', false],
      ['7', '市场监督管理局', 'serving', true],
    ]);
    expect(hall.today).toEqual({ served: 6, rated: 4, poor: 0, satisfaction: 1 });

    const photo = await wall('/photos/S1001', { headers: { cookie } });
    expect(photo.status).toBe(200);
    expect(photo.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await photo.arrayBuffer())).toEqual(PNG);
    const none = await wall('/photos/S1002', { headers: { cookie } });
    expect(none.status).toBe(404);
    expect(await none.json()).toMatchObject({ error: { message: 'staff member S1002 has no photo' } });

    // The token's last use is recorded.
    const listed = await centre.call(admin, 'GET', HALL_ROUTES.wallTokens);
    expect((listed.body.tokens as WallToken[])[0]!.lastUsedAt).toBe(centre.clock.now());
  });

  it('refuses with a sentence: no token, a wrong token, no cookie, a made-up cookie', async () => {
    const none = await wall(WALL_ROUTES.session, { method: 'POST' });
    expect(none.status).toBe(401);
    expect(await none.json()).toMatchObject({ error: { code: 'wall-token-invalid', message: expect.stringContaining('#token=') } });
    const wrong = await wall(WALL_ROUTES.session, { method: 'POST', headers: { authorization: 'Bearer wall_not-a-token-the-centre-made' } });
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toMatchObject({ error: { code: 'wall-token-invalid', message: expect.stringContaining('does not know this wall token') } });
    expect(wrong.headers.get('set-cookie')).toBeNull();

    for (const cookie of [undefined, `${WALL_COOKIE}=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA`]) {
      const headers: Record<string, string> = cookie ? { cookie } : {};
      for (const path of [WALL_ROUTES.hall, WALL_ROUTES.events, '/photos/S1001']) {
        const refused = await wall(path, { headers });
        expect(refused.status).toBe(401);
        expect(await refused.json()).toMatchObject({ error: { code: 'wall-token-invalid', message: expect.stringContaining('not signed in as a wall') } });
      }
    }
    // The console's own session is not a wall's: a signed-in admin's cookie does not open the wall's API.
    const admin = await centre.as('admin');
    expect((await wall(WALL_ROUTES.hall, { headers: { cookie: admin.headers.cookie } })).status).toBe(401);
  });

  it('streams window changes and poor-rating bursts, never follow-up or personal news', async () => {
    const token = await newToken();
    const cookie = await signInWall(token.token);
    const { status, stream } = await openWallStream(centre.url, cookie);
    expect(status).toBe(200);
    streams.push(stream);
    const bus = centre.centre.bus;
    bus.publish({ type: 'poor_rating', followUpId: 1, ratingId: 'r1', level: 'very_dissatisfied', ratedAt: 1, windowNo: '7', staffName: '王芳', departmentCode: MARKET, departmentName: '市场监督管理局', itemName: '营业执照办理', reasonCodes: ['slow'] });
    bus.publish({ type: 'follow_up', followUpId: 1, state: 'contacted', departmentCode: MARKET, at: 2 });
    bus.publish({ type: 'integrity_alert', alertId: 3, terminalId: 'T-7', windowNo: '7', kind: 'gap', detectedAt: 3 });
    bus.publish({ type: 'rule_alert', alertId: 4, rule: 'overdue', departmentCode: MARKET, windowNo: '7', followUpId: 1, detail: 'follow-up 1 is overdue', raisedAt: 4 });
    bus.publish({ type: 'rule_alert', alertId: 5, rule: 'poor_burst', departmentCode: MARKET, windowNo: '7', followUpId: 1, detail: '2 poor ratings at window 7 within 30 minutes', raisedAt: 5 });
    const alert = { id: 6, rule: 'long_pause' as const, windowNo: '7', departmentCode: MARKET, detail: 'paused 31 minutes: 午休', figures: { minutes: 31 }, startedAt: 6, endedAt: null };
    bus.publish({ type: 'window_alert', alert });

    // The first event heard is the burst, stripped of its follow-up record and sentence.
    expect(await stream.next()).toEqual({ type: 'rule_alert', alertId: 5, rule: 'poor_burst', windowNo: '7', departmentCode: MARKET, raisedAt: 5 });
    expect(await stream.next()).toEqual({ type: 'window_alert', alert });
    // The stream opened with a heartbeat, so the page knows the link is alive before any news.
    expect(stream.beats()).toBe(1);
  });

  it('revoking a token ends its open stream at once and every cookie made from it, and says so', async () => {
    const token = await newToken('二楼大厅');
    const cookie = await signInWall(token.token);
    const second = await signInWall(token.token);
    const other = await newToken('三楼');
    const otherCookie = await signInWall(other.token);
    const { stream } = await openWallStream(centre.url, cookie);
    const { stream: otherStream } = await openWallStream(centre.url, otherCookie);
    streams.push(stream, otherStream);

    const admin = await centre.as('admin');
    const revoked = await centre.call(admin, 'POST', HALL_ROUTES.revokeWallToken, { params: { id: token.id } });
    expect(revoked.status).toBe(200);
    expect(revoked.body).toMatchObject({ id: token.id, revokedAt: centre.clock.now() });
    await stream.ended;

    for (const c of [cookie, second]) {
      const refused = await wall(WALL_ROUTES.hall, { headers: { cookie: c } });
      expect(refused.status).toBe(401);
      expect(await refused.json()).toMatchObject({ error: { code: 'wall-token-revoked', message: expect.stringContaining('"二楼大厅" was revoked') } });
    }
    const again = await wall(WALL_ROUTES.session, { method: 'POST', headers: { authorization: `Bearer ${token.token}` } });
    expect(again.status).toBe(401);
    expect(await again.json()).toMatchObject({ error: { code: 'wall-token-revoked', message: expect.stringContaining('ask the centre') } });

    // The other display is untouched: its stream still hears the hall.
    expect((await wall(WALL_ROUTES.hall, { headers: { cookie: otherCookie } })).status).toBe(200);
    centre.centre.bus.publish({ type: 'rule_alert', alertId: 9, rule: 'poor_burst', departmentCode: HR, windowNo: '8', followUpId: null, detail: '', raisedAt: 9 });
    expect(await otherStream.next()).toMatchObject({ type: 'rule_alert', alertId: 9 });

    const twice = await centre.call(admin, 'POST', HALL_ROUTES.revokeWallToken, { params: { id: token.id } });
    expect(twice.status).toBe(409);
    expect(twice.body).toMatchObject({ error: { message: 'the wall token "二楼大厅" is already revoked' } });
    const unknown = await centre.call(admin, 'POST', HALL_ROUTES.revokeWallToken, { params: { id: 999 } });
    expect(unknown.status).toBe(404);
    const listed = (await centre.call(admin, 'GET', HALL_ROUTES.wallTokens)).body.tokens as WallToken[];
    expect(listed.map((t) => [t.name, t.revokedAt !== null])).toEqual([['三楼', false], ['二楼大厅', true]]);
  });
});
