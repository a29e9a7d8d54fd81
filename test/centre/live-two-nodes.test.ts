/**
 * Two API nodes behind one load balancer, on one real PostgreSQL, each with its own pool,
 * bus, hall and LISTEN connection: a window's status posted to node A is in node B's hall
 * and on a console stream opened on B at once (B's own refresh of the table stopped, so
 * only the relay can have told it); a poor rating uploaded to A by a real kiosk reaches a
 * supervisor's stream on B and not another department's; news larger than one NOTIFY
 * arrives whole; and when B's LISTEN connection is cut, what A took meanwhile is in B's
 * hall once B listens again, with one line in B's log for the outage. Two real `npm run
 * centre` processes on one DATABASE_URL each listen on the channel and stop cleanly.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { hashPassword } from '../../server/src/accounts/passwords';
import { buildCentre, type Centre } from '../../server/src/app';
import { migrateCentre } from '../../server/src/db/migrate';
import { openPglite } from '../../server/src/db/pglite';
import { openPostgres } from '../../server/src/db/postgres';
import type { CentreDb } from '../../server/src/db/sql';
import { createSyncClient } from '../../src/core/sync';
import { CONSOLE_API, CONSOLE_ROUTES, SESSION_COOKIE } from '../../src/shared/console/contract';
import { HALL_ROUTES, type Hall, type LiveWindow } from '../../src/shared/console/hall-contract';
import { LIVE_ROUTES, type LiveEvent } from '../../src/shared/console/live-contract';
import { STATUS_PATH, type WindowStatus } from '../../src/shared/live-status';
import { ManualClock } from '../support/clock';
import { key, MORNING } from '../support/kiosk';
import { startPostgres, type PgCluster } from '../sync/support/postgres';
import { openTerminal, type Terminal } from '../sync/support/terminal';
import { tempDir } from '../support/tmp';
import { terminalKey } from './it-helpers';
import { consoleSessionAs, type ConsoleSession } from './support/console-session';

const ADMIN = 'two-nodes-admin-token-0123456789abcdef';
const MARKET = '340104-SJ'; // 市场监督管理局
const HR = '340104-RS'; // 人力资源和社会保障局
const MARKET_ITEM = '340104-SJ-001';
const HR_ITEM = '340104-RS-001';

interface Node {
  name: string;
  url: string;
  centre: Centre;
  db: CentreDb;
  logs: string[];
  as(role: 'supervisor' | 'department' | 'follow_up' | 'viewer', departmentCode?: string | null): Promise<ConsoleSession>;
  close(): Promise<void>;
}

interface Stream {
  /** The next event that matches, in arrival order; the ones before it are taken from the buffer. */
  next(match?: (e: LiveEvent) => boolean): Promise<LiveEvent>;
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
    async next(match = () => true) {
      for (;;) {
        const at = received.findIndex(match);
        if (at >= 0) return received.splice(0, at + 1).pop()!;
        if (done) throw new Error('the stream ended before the event arrived');
        await new Promise<void>((resolve) => (wake = resolve));
      }
    },
    close: () => controller.abort(),
  };
}

const windowOf = (windowNo: string) => (e: LiveEvent) => e.type === 'window' && e.window.windowNo === windowNo;
const tileOf = (e: LiveEvent): LiveWindow => {
  if (e.type !== 'window') throw new Error(`expected a window event, heard ${e.type}`);
  return e.window;
};

let eventId = 1;
/** One finished case at the window, rated by a keypad press (key 4 不满意, key 5 非常不满意). */
function serve(t: Terminal, itemCode: string, level: 4 | 5): void {
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

describe('the live side across two API nodes on postgres', () => {
  let cluster: PgCluster;
  let databaseUrl: string;
  let admin: CentreDb;
  let a: Node;
  let b: Node;
  let clock: ManualClock;
  const streams: Stream[] = [];
  const kiosks: Terminal[] = [];

  beforeAll(async () => {
    cluster = await startPostgres({ fast: true });
    databaseUrl = await cluster.createDatabase('centre');
    admin = openPostgres(databaseUrl, { max: 2 });
    await migrateCentre(admin);
  });
  afterAll(async () => {
    await admin?.close();
    cluster?.stop();
  });

  /** One API node as main.ts starts it on PostgreSQL: its own pool, and the relay on. */
  async function startNode(name: string): Promise<Node> {
    const db = openPostgres(databaseUrl);
    const logs: string[] = [];
    const centre = buildCentre(
      db,
      {
        adminToken: ADMIN,
        now: () => clock.now(),
        projectAfterMs: 20,
        enrolRateLimit: { perSecond: 100, burst: 100 },
        logger: { level: 'info', stream: { write: (line: string) => void logs.push(line) } },
      },
      { relayUrl: databaseUrl },
    );
    const url = await centre.app.listen({ host: '127.0.0.1', port: 0 });
    const sessions = new Map<string, Promise<ConsoleSession>>();
    return {
      name,
      url,
      centre,
      db,
      logs,
      as(role, departmentCode = null) {
        const username = `${role}-${departmentCode ?? 'all'}-${name}`.toLowerCase();
        if (!sessions.has(username)) sessions.set(username, consoleSessionAs({ app: centre.app, db }, role, departmentCode, username));
        return sessions.get(username)!;
      },
      async close() {
        await centre.close();
        await db.close();
      },
    };
  }

  beforeEach(async () => {
    const tables = await admin.query<{ name: string }>("SELECT quote_ident(tablename) AS name FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'centre_migrations'");
    await admin.exec(`TRUNCATE ${tables.map((t) => t.name).join(', ')} RESTART IDENTITY CASCADE`);
    await admin.query(
      `INSERT INTO windows (window_no, department_code, department_name, settings) VALUES
       ('7', $1, '市场监督管理局', '{"floor":"1F"}'), ('8', $2, '人力资源和社会保障局', '{"floor":"2F"}')`,
      [MARKET, HR],
    );
    clock = new ManualClock(MORNING);
    a = await startNode('a');
    b = await startNode('b');
    // B reads nothing of the hall from the table on its own from here on: whatever it learns, the relay told it.
    await b.centre.hall.state.stop();
  });
  afterEach(async () => {
    for (const s of streams.splice(0)) s.close();
    for (const t of kiosks.splice(0)) t.kiosk.close();
    await a?.close();
    await b?.close();
  });

  const stream = async (node: Node, session: ConsoleSession) => {
    const s = await openStream(node.url, session);
    streams.push(s);
    return s;
  };

  async function v1(node: Node, method: string, path: string, token: string | null, body?: unknown) {
    const headers: Record<string, string> = {};
    if (token) headers.authorization = `Bearer ${token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(`${node.url}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : {}) as Record<string, unknown> };
  }

  /** A terminal enrolled at the window (through node A): its id and token. */
  async function enrolled(windowNo: string): Promise<{ terminalId: string; windowNo: string; token: string }> {
    const code = await v1(a, 'POST', '/v1/admin/enrolment-codes', ADMIN, { windowNo });
    const terminalId = `T-${windowNo}`;
    const answer = await v1(a, 'POST', '/v1/enrol', null, { code: code.body.code, terminalId, publicKey: terminalKey() });
    expect(answer.status).toBe(200);
    return { terminalId, windowNo, token: String(answer.body.token) };
  }

  let seq = 0;
  function statusOf(t: { terminalId: string; windowNo: string }, over: Partial<WindowStatus> = {}): WindowStatus {
    return {
      terminalId: t.terminalId,
      windowNo: t.windowNo,
      seq: ++seq,
      runId: 'run-1',
      at: clock.now(),
      phase: 'idle',
      pause: null,
      staff: { staffNo: 'S1001', name: '王芳', signedInAt: clock.now() - 3_600_000 },
      case: null,
      today: { served: 4, rated: 3, poor: 1 },
      keypad: { link: 'online', since: clock.now() - 3_600_000 },
      backlog: 0,
      appVersion: '1.0.0',
      ...over,
    };
  }
  const postStatus = async (node: Node, t: { token: string }, status: WindowStatus) => expect((await v1(node, 'POST', STATUS_PATH, t.token, status)).status).toBe(204);

  async function hallOn(node: Node): Promise<Hall> {
    const session = await node.as('viewer');
    const response = await fetch(`${node.url}${CONSOLE_API}${HALL_ROUTES.hall}`, { headers: { cookie: session.headers.cookie } });
    expect(response.status).toBe(200);
    return (await response.json()) as Hall;
  }
  const tile = (hall: Hall, windowNo: string) => hall.windows.find((w) => w.windowNo === windowNo);

  it("a window's status posted to A is in B's hall and on B's streams, each tile change once, each department its own", async () => {
    const onB = await stream(b, await b.as('supervisor'));
    const marketOnB = await stream(b, await b.as('department', MARKET));
    const hrOnB = await stream(b, await b.as('department', HR));
    const onA = await stream(a, await a.as('supervisor'));
    const w7 = await enrolled('7');
    const w8 = await enrolled('8');

    const serving = statusOf(w7, { phase: 'serving', case: { itemCode: MARKET_ITEM, itemName: '营业执照办理', openedAt: clock.now() } });
    await postStatus(a, w7, serving);
    const heard = tileOf(await onB.next(windowOf('7')));
    expect(heard).toMatchObject({ windowNo: '7', departmentCode: MARKET, departmentName: '市场监督管理局', floor: '1F', terminalId: w7.terminalId, stale: false, status: { phase: 'serving', case: { itemName: '营业执照办理' } } });
    expect(tileOf(await marketOnB.next(windowOf('7')))).toEqual(heard);
    expect(tileOf(await onA.next(windowOf('7')))).toEqual(heard);
    expect(tile(await hallOn(b), '7')).toMatchObject({ terminalId: w7.terminalId, receivedAt: clock.now(), status: { phase: 'serving' } });

    // A heartbeat that changes nothing says nothing on either node; the next change is heard once on each.
    await postStatus(a, w7, statusOf(w7, { phase: 'serving', case: serving.case }));
    await postStatus(a, w7, statusOf(w7, { phase: 'thanks', today: { served: 5, rated: 4, poor: 1 } }));
    expect(tileOf(await onB.next(windowOf('7')))).toMatchObject({ status: { phase: 'thanks', today: { served: 5 } } });
    expect(tileOf(await onA.next(windowOf('7')))).toMatchObject({ status: { phase: 'thanks' } });

    // A status posted to B travels the other way; the HR department on B hears its own window and never window 7.
    await postStatus(b, w8, statusOf(w8, { phase: 'paused', pause: { reason: '午休', since: clock.now() } }));
    expect(tileOf(await hrOnB.next((e) => e.type === 'window'))).toMatchObject({ windowNo: '8', departmentCode: HR, status: { phase: 'paused' } });
    expect(tileOf(await onA.next(windowOf('8')))).toMatchObject({ status: { phase: 'paused' } });
    expect(tile(await hallOn(a), '8')).toMatchObject({ status: { phase: 'paused', pause: { reason: '午休' } } });
  });

  it('a poor rating uploaded to A reaches a supervisor on B, and not another department on B', async () => {
    const supervisorOnB = await stream(b, await b.as('supervisor'));
    const hrOnB = await stream(b, await b.as('follow_up', HR));
    const marketOnB = await stream(b, await b.as('department', MARKET));
    const supervisorOnA = await stream(a, await a.as('supervisor'));

    const kioskAt = async (windowNo: string) => {
      const t = openTerminal({ clock, windowNo });
      kiosks.push(t);
      const code = await v1(a, 'POST', '/v1/admin/enrolment-codes', ADMIN, { windowNo });
      const client = () => createSyncClient({ db: t.kiosk.db, terminalId: t.kiosk.terminal.terminalId, centreUrl: a.url, clock: t.clock, retry: { attempts: 1 } });
      expect((await client().enrol(String(code.body.code))).ok).toBe(true);
      return { t, sync: () => client().syncNow() };
    };
    const poorRating = (e: LiveEvent) => e.type === 'poor_rating';

    const window7 = await kioskAt('7');
    serve(window7.t, MARKET_ITEM, 5);
    expect(await window7.sync()).toMatchObject({ ok: true });
    const opened = (await admin.query<{ id: number; rating_id: string }>('SELECT id, rating_id FROM follow_ups'))[0]!;
    const heard = await supervisorOnB.next(poorRating);
    expect(heard).toMatchObject({ type: 'poor_rating', followUpId: Number(opened.id), ratingId: opened.rating_id, windowNo: '7', departmentCode: MARKET, level: 'very_dissatisfied' });
    expect(await marketOnB.next(poorRating)).toEqual(heard);
    expect(await supervisorOnA.next(poorRating)).toEqual(heard);

    const window8 = await kioskAt('8');
    serve(window8.t, HR_ITEM, 4);
    expect(await window8.sync()).toMatchObject({ ok: true });
    // The HR officer on B hears its own department's first: window 7's never reached them.
    expect(await hrOnB.next(poorRating)).toMatchObject({ windowNo: '8', departmentCode: HR, level: 'dissatisfied' });
    const second = await supervisorOnB.next(poorRating);
    expect(second).toMatchObject({ windowNo: '8' });
    // A heard each once: its own notices come back on the channel and are skipped.
    expect(await supervisorOnA.next(poorRating)).toEqual(second);
  });

  it('news larger than one NOTIFY reaches the other node whole', async () => {
    const onB = await stream(b, await b.as('supervisor'));
    const detail = '同一窗口半小时内收到多条差评，请尽快处理。'.repeat(400);
    expect(Buffer.byteLength(detail)).toBeGreaterThan(8000);
    const event: LiveEvent = { type: 'rule_alert', alertId: 41, rule: 'poor_burst', departmentCode: MARKET, windowNo: '7', followUpId: null, detail, raisedAt: clock.now() };
    a.centre.bus.publish(event);
    a.centre.bus.publish({ type: 'follow_up', followUpId: 9, state: 'assigned', departmentCode: MARKET, at: clock.now() });
    // In the order A published them, though the first had to be read from the table.
    expect(await onB.next((e) => e.type === 'rule_alert' || e.type === 'follow_up')).toEqual(event);
    expect(await onB.next((e) => e.type === 'rule_alert' || e.type === 'follow_up')).toMatchObject({ type: 'follow_up', followUpId: 9 });
  });

  it("after B's LISTEN connection is cut, what A took meanwhile is in B's hall once B listens again", async () => {
    const onB = await stream(b, await b.as('supervisor'));
    const w7 = await enrolled('7');
    await postStatus(a, w7, statusOf(w7, { phase: 'serving', case: { itemCode: MARKET_ITEM, itemName: '营业执照办理', openedAt: clock.now() } }));
    expect(tileOf(await onB.next(windowOf('7')))).toMatchObject({ status: { phase: 'serving' } });

    // B tries to listen again only when the test lets it.
    const relay = b.centre.relay!;
    let letGo: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (letGo = resolve));
    relay.wait = () => held;
    const cut = await admin.query<{ ok: boolean }>('SELECT pg_terminate_backend(pid) AS ok FROM pg_stat_activity WHERE application_name = $1', [`cordial-live-${relay.nodeId}`]);
    expect(cut).toEqual([{ ok: true }]);
    while (relay.listening) await new Promise((r) => setTimeout(r, 20));

    await postStatus(a, w7, statusOf(w7, { phase: 'paused', pause: { reason: '午休', since: clock.now() }, today: { served: 6, rated: 5, poor: 1 } }));
    await a.centre.hall.state.flush();
    // B missed it: its hall still shows what it last heard.
    expect(tile(await hallOn(b), '7')?.status?.phase).toBe('serving');

    letGo();
    await relay.whenListening();
    expect(tileOf(await onB.next(windowOf('7')))).toMatchObject({ stale: false, status: { phase: 'paused', pause: { reason: '午休' }, today: { served: 6 } } });
    expect(tile(await hallOn(b), '7')).toMatchObject({ status: { phase: 'paused' }, terminalId: w7.terminalId });
    expect(relay.reconnected).toBe(1);
    // One line for the outage, one for its end; none for each try between.
    expect(b.logs.filter((l) => l.includes('lost the connection that listens to the other API nodes'))).toHaveLength(1);
    expect(b.logs.filter((l) => l.includes('listening to the other API nodes again'))).toHaveLength(1);

    // And it hears A live again.
    await postStatus(a, w7, statusOf(w7, { phase: 'idle', today: { served: 7, rated: 6, poor: 1 } }));
    expect(tileOf(await onB.next(windowOf('7')))).toMatchObject({ status: { phase: 'idle', today: { served: 7 } } });
  });
});

describe('two centre processes on one DATABASE_URL', () => {
  const children: ChildProcess[] = [];
  let cluster: PgCluster | null = null;
  afterAll(async () => {
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
    cluster?.stop();
  });

  /** `npm run centre` as a service starts it: its console address once it listens. */
  async function startProcess(databaseUrl: string): Promise<{ child: ChildProcess; url: string; output: () => string }> {
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/src/main.ts', '--data-dir', join(tempDir(), 'centre'), '--host', '127.0.0.1', '--port', '0'], {
      env: { ...process.env, DATABASE_URL: databaseUrl, CORDIAL_ADMIN_TOKEN: ADMIN },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    let output = '';
    const url = await new Promise<string | null>((resolve) => {
      const look = (d: Buffer) => {
        output += d.toString();
        const match = /Centre console: (\S+)\//.exec(output);
        if (match) resolve(match[1]!);
      };
      child.stdout!.on('data', look);
      child.stderr!.on('data', look);
      child.on('exit', () => resolve(null));
    });
    expect(url, output).not.toBeNull();
    return { child, url: url!, output: () => output };
  }

  it('each listens to the other, a status posted to one is heard on the other, and both stop cleanly', async () => {
    cluster = await startPostgres({ fast: true });
    const databaseUrl = await cluster.createDatabase('centre');
    const a = await startProcess(databaseUrl);
    const b = await startProcess(databaseUrl);
    const db = openPostgres(databaseUrl, { max: 2 });
    try {
      // One LISTEN connection per process, each under its own node id.
      const listening = await db.query<{ name: string }>("SELECT application_name AS name FROM pg_stat_activity WHERE application_name LIKE 'cordial-live-%' AND query ILIKE 'LISTEN%'");
      expect(listening).toHaveLength(2);
      expect(new Set(listening.map((l) => l.name)).size).toBe(2);

      await db.query('INSERT INTO windows (window_no, department_code, department_name) VALUES ($1, $2, $3)', ['7', MARKET, '市场监督管理局']);
      await db.query("INSERT INTO console_users (username, display_name, role, department_code, password_hash, created_at) VALUES ('hall-supervisor', '值班长', 'supervisor', NULL, $1, $2)", [
        await hashPassword('hall-supervisor-password'),
        Date.now(),
      ]);
      const signedIn = await fetch(`${b.url}${CONSOLE_API}${CONSOLE_ROUTES.session}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'hall-supervisor', password: 'hall-supervisor-password' }),
      });
      expect(signedIn.status).toBe(200);
      const cookie = new RegExp(`${SESSION_COOKIE}=[^;]+`).exec(signedIn.headers.get('set-cookie') ?? '')![0];
      const onB = await openStream(b.url, { headers: { cookie } } as ConsoleSession);

      const post = (path: string, token: string | null, body: unknown) =>
        fetch(`${a.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: JSON.stringify(body) });
      const code = (await (await post('/v1/admin/enrolment-codes', ADMIN, { windowNo: '7' })).json()) as { code: string };
      const enrol = (await (await post('/v1/enrol', null, { code: code.code, terminalId: 'T-7', publicKey: terminalKey() })).json()) as { token: string };
      const now = Date.now();
      const status: WindowStatus = {
        terminalId: 'T-7',
        windowNo: '7',
        seq: 1,
        runId: 'run-1',
        at: now,
        phase: 'serving',
        pause: null,
        staff: { staffNo: 'S1001', name: '王芳', signedInAt: now - 3_600_000 },
        case: { itemCode: MARKET_ITEM, itemName: '营业执照办理', openedAt: now },
        today: { served: 1, rated: 1, poor: 0 },
        keypad: { link: 'online', since: now - 3_600_000 },
        backlog: 0,
        appVersion: '1.0.0',
      };
      expect((await post(STATUS_PATH, enrol.token, status)).status).toBe(204);
      expect(tileOf(await onB.next(windowOf('7')))).toMatchObject({ departmentCode: MARKET, terminalId: 'T-7', status: { phase: 'serving' } });
      onB.close();
    } finally {
      await db.close();
    }

    for (const node of [a, b]) {
      const exited = new Promise<number | null>((resolve) => node.child.once('exit', resolve));
      node.child.kill('SIGTERM');
      expect(await exited, node.output()).toBe(0);
    }
  }, 120_000);
});

describe('the live relay on embedded PGlite', () => {
  it('is not started: PGlite is one process', async () => {
    const db = await openPglite(undefined);
    await migrateCentre(db);
    const centre = buildCentre(db, { adminToken: ADMIN, logger: false }, { relayUrl: 'postgres://unused.invalid/centre' });
    try {
      expect(centre.relay).toBeNull();
    } finally {
      await centre.close();
      await db.close();
    }
  });
});
