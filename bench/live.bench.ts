/**
 * npm run bench:live [-- --json] [--windows 5000] [--seconds 75] [--warmup 15] [--change-share 0.1] [--no-window-rules] [--one-node] [--profile DIR]
 *
 * Live hall supervision at scale, on a private PostgreSQL server (durable settings, loopback):
 * one centre process (spawned, so its CPU and memory are read from /proc/<pid>) takes the
 * live status of N windows, each posting every 15 s (spread evenly over the 15 s, gzip JSON
 * with its terminal's token, as the kiosk sends it); a share of the statuses changes the
 * window's phase. One console, signed in as a supervisor, listens on the live stream.
 *
 * Reported, over the run after the warm-up:
 * - status p99: one POST /v1/status, sent to answered. Target ≤ 20 ms at 5,000 windows.
 * - change to wall p99: a status that changes a tile, sent to its 'window' event heard by the
 *   console. Target ≤ 2,000 ms.
 * - the centre's CPU (share of one core) and its resident memory. Targets ≤ 25 %, ≤ 400 MB.
 * - the floor: a bare HTTP round trip (Node's http server answering 204) on this machine,
 *   measured before the load, so the status figure can be read against it.
 * - change on A to event on B p99: a second API node on the same database (both run the
 *   live relay, as every node on PostgreSQL does) with a console of its own; a status that
 *   changes a tile, sent to node A, to its 'window' event heard on node B. `--one-node`
 *   leaves the second node out.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Agent, createServer, request, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { hashPassword } from '../server/src/accounts/passwords';
import { buildCentre } from '../server/src/app';
import { migrateCentre } from '../server/src/db/migrate';
import { openPostgres } from '../server/src/db/postgres';
import { tokenHash } from '../server/src/http/tokens';
import { CONSOLE_API, CONSOLE_ROUTES, SESSION_COOKIE } from '../src/shared/console/contract';
import { LIVE_ROUTES, type LiveEvent } from '../src/shared/console/live-contract';
import { WINDOW_PHASES } from '../src/shared/domain';
import { STATUS_EVERY_MS, STATUS_PATH, type WindowStatus } from '../src/shared/live-status';
import { startPostgres } from '../test/sync/support/postgres';
import { printTable, round, summarize, wantsJson } from './support/stats';

const { values } = parseArgs({
  options: {
    json: { type: 'boolean', default: false },
    windows: { type: 'string', default: '5000' },
    seconds: { type: 'string', default: '75' },
    warmup: { type: 'string', default: '15' },
    'change-share': { type: 'string', default: '0.1' },
    serve: { type: 'string' },
    bare: { type: 'boolean', default: false },
    /** The centre without its window rules' checks: the live path's own cost. */
    'no-window-rules': { type: 'boolean', default: false },
    /** Without the second API node (and its row). */
    'one-node': { type: 'boolean', default: false },
    /** Writes the centre process's CPU profile (.cpuprofile) into this folder. */
    profile: { type: 'string' },
  },
});
const ADMIN = 'bench-admin-token-0123456789abcdef';
const PASSWORD = 'bench-supervisor-password';
const DEPARTMENTS = 40;
const log = (msg: string) => {
  if (!wantsJson()) process.stderr.write(`${msg}\n`);
};

// ------------------------------------------------------------------ the centre process

/** `--serve <database url>`: the centre as it runs in service, on a port the parent reads from stdout. */
async function serve(databaseUrl: string): Promise<void> {
  const db = openPostgres(databaseUrl, { max: 10 });
  // As main.ts starts it on PostgreSQL: with the live relay to the other API nodes.
  const centre = buildCentre(db, { adminToken: ADMIN, logger: false }, { relayUrl: databaseUrl });
  const url = await centre.app.listen({ host: '127.0.0.1', port: 0 });
  if (values['no-window-rules']) await centre.windowRules.stop();
  // How long the centre's event loop was held up: its own share of a slow answer.
  const loop = monitorEventLoopDelay({ resolution: 5 });
  process.stdout.write(`${JSON.stringify({ url })}\n`);
  process.on('SIGUSR2', () => loop.reset());
  process.on('SIGUSR2', () => loop.enable());
  const stop = async () => {
    loop.disable();
    process.stdout.write(`${JSON.stringify({ loopP99Ms: loop.percentile(99) / 1e6, loopMaxMs: loop.max / 1e6 })}\n`);
    await centre.close();
    await db.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop());
}

/** `--bare`: a Node http server that answers 204 and nothing else, the floor under the same load. */
async function bare(): Promise<void> {
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.statusCode = 204;
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` })}\n`);
  process.on('SIGTERM', () => process.exit(0));
}

// ------------------------------------------------------------------ the parent

interface Win {
  windowNo: string;
  terminalId: string;
  token: string;
  runId: string;
  seq: number;
  phase: number;
  lastAt: number;
  served: number;
}

async function prepare(databaseUrl: string, n: number): Promise<Win[]> {
  const db = openPostgres(databaseUrl, { max: 4 });
  await migrateCentre(db);
  const wins: Win[] = [];
  for (let i = 1; i <= n; i++) {
    wins.push({ windowNo: String(i), terminalId: `LIVE-${i}`, token: `term_${randomUUID()}`, runId: randomUUID(), seq: 0, phase: 1, lastAt: 0, served: 0 });
  }
  const dept = (i: number) => `D${String(i % DEPARTMENTS).padStart(2, '0')}`;
  await db.query(
    `INSERT INTO windows (window_no, department_code, department_name, settings)
     SELECT w, d, '部门' || d, jsonb_build_object('floor', f) FROM unnest($1::text[], $2::text[], $3::text[]) AS u(w, d, f)`,
    [wins.map((w) => w.windowNo), wins.map((_, i) => dept(i)), wins.map((_, i) => `${1 + (i % 4)}F`)],
  );
  await db.query(
    `INSERT INTO terminals (terminal_id, window_no, token_hash, public_key, enrolled_at)
     SELECT t, w, h, 'bench', $4 FROM unnest($1::text[], $2::text[], $3::text[]) AS u(t, w, h)`,
    [wins.map((w) => w.terminalId), wins.map((w) => w.windowNo), wins.map((w) => tokenHash(w.token)), Date.now()],
  );
  await db.query('INSERT INTO console_users (username, display_name, role, department_code, password_hash, created_at) VALUES ($1, $1, $2, NULL, $3, $4)', [
    'bench-supervisor',
    'supervisor',
    await hashPassword(PASSWORD),
    Date.now(),
  ]);
  await db.close();
  return wins;
}

function startCentreProcess(databaseUrl: string | null): Promise<{ child: ChildProcess; url: string; lines: string[] }> {
  const self = fileURLToPath(import.meta.url);
  const profile = values.profile && databaseUrl ? ['--cpu-prof', '--cpu-prof-dir', values.profile] : [];
  const rules = values['no-window-rules'] ? ['--no-window-rules'] : [];
  const mode = databaseUrl ? ['--serve', databaseUrl, ...rules] : ['--bare'];
  const child = spawn(process.execPath, [...profile, '--import', 'tsx', self, ...mode], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    const lines: string[] = [];
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
      let end: number;
      while ((end = out.indexOf('\n')) >= 0) {
        const line = out.slice(0, end);
        out = out.slice(end + 1);
        if (line.startsWith('{')) lines.push(line);
        if (lines.length === 1 && line.startsWith('{')) resolve({ child, url: (JSON.parse(line) as { url: string }).url, lines });
      }
    });
    child.on('exit', (code) => reject(new Error(`the centre process ended (${code}) before it listened`)));
  });
}

/** utime + stime of a process, in seconds. */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  // Fields after the name: state is [0]; utime and stime are the 14th and 15th of the line.
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

function rssMb(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmRSS:'));
  return Number(/(\d+)/.exec(line ?? '')?.[1] ?? 0) / 1024;
}

const connections = new Agent({ keepAlive: true, maxSockets: 64 });

function post(url: URL, path: string, headers: Record<string, string>, body: Buffer): Promise<number> {
  return new Promise((resolve) => {
    const req = request({ host: url.hostname, port: url.port, path, method: 'POST', agent: connections, headers: { ...headers, 'content-length': String(body.length) } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', () => resolve(0));
    req.end(body);
  });
}

async function floorOf(samples: number): Promise<{ p50: number; p99: number }> {
  const server = createServer((_req, res) => {
    res.statusCode = 204;
    res.end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  const times: number[] = [];
  for (let i = 0; i < samples; i++) {
    const t0 = performance.now();
    await post(url, '/', { 'content-type': 'application/json' }, Buffer.from('{}'));
    times.push(performance.now() - t0);
  }
  server.close();
  const s = summarize(times);
  return { p50: s.p50, p99: s.p99 };
}

async function signIn(base: string): Promise<string> {
  const response = await fetch(`${base}${CONSOLE_API}${CONSOLE_ROUTES.session}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'bench-supervisor', password: PASSWORD }),
  });
  const cookie = new RegExp(`${SESSION_COOKIE}=([^;]+)`).exec(response.headers.get('set-cookie') ?? '');
  if (response.status !== 200 || !cookie) throw new Error(`the supervisor could not sign in: ${response.status}`);
  return `${SESSION_COOKIE}=${cookie[1]}`;
}

/** The console's live stream: calls `heard` with each window event and the time it arrived. */
function listen(base: string, cookie: string, heard: (event: LiveEvent, at: number) => void): Promise<() => void> {
  const url = new URL(`${base}${CONSOLE_API}${LIVE_ROUTES.events}`);
  return new Promise((resolve, reject) => {
    const req = request({ host: url.hostname, port: url.port, path: url.pathname, headers: { cookie, accept: 'text/event-stream' } }, (res: IncomingMessage) => {
      if (res.statusCode !== 200) return reject(new Error(`the live stream answered ${res.statusCode}`));
      res.setEncoding('utf8');
      let buffer = '';
      res.on('data', (chunk: string) => {
        const at = performance.now();
        buffer += chunk;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const data = buffer
            .slice(0, end)
            .split('\n')
            .find((l) => l.startsWith('data: '));
          buffer = buffer.slice(end + 2);
          if (data) heard(JSON.parse(data.slice(6)) as LiveEvent, at);
        }
      });
      resolve(() => req.destroy());
    });
    req.on('error', () => undefined);
    req.end();
  });
}

async function main(): Promise<void> {
  const n = Number(values.windows);
  const seconds = Number(values.seconds);
  const warmup = Number(values.warmup);
  const changeShare = Number(values['change-share']);

  log('measuring the floor (a bare HTTP round trip)…');
  const floor = await floorOf(2_000);
  log(`starting PostgreSQL and preparing ${n} windows…`);
  const cluster = await startPostgres();
  const databaseUrl = await cluster.createDatabase('live');
  const wins = await prepare(databaseUrl, n);
  const { child, url, lines } = await startCentreProcess(databaseUrl);
  const second = values['one-node'] ? null : await startCentreProcess(databaseUrl);
  const bareProcess = await startCentreProcess(null);
  const bareUrl = new URL(bareProcess.url);
  const floorUnderLoad: number[] = [];
  const base = new URL(url);
  const pid = child.pid!;

  const sentChanges = new Map<string, number>();
  const wall: number[] = [];
  let measuring = false;
  const cookie = await signIn(url);
  const hearing = (sent: Map<string, number>, times: number[]) => (event: LiveEvent, at: number) => {
    if (event.type !== 'window' || !event.window.status) return;
    const key = `${event.window.windowNo}:${event.window.status.at}`;
    const t0 = sent.get(key);
    if (t0 === undefined) return;
    sent.delete(key);
    if (measuring) times.push(at - t0);
  };
  const stopListening = await listen(url, cookie, hearing(sentChanges, wall));
  // The same supervisor's session, on the second node: sessions live in the database.
  const sentToB = new Map<string, number>();
  const onB: number[] = [];
  const stopListeningOnB = second ? await listen(second.url, cookie, hearing(sentToB, onB)) : () => undefined;

  const statusTimes: number[] = [];
  let refused = 0;
  const phases = WINDOW_PHASES.filter((p) => p !== 'closed');
  const sendOne = async (w: Win) => {
    const change = w.seq === 0 || Math.random() < changeShare;
    if (change) {
      w.phase = (w.phase + 1) % phases.length;
      if (phases[w.phase] === 'thanks') w.served += 1;
    }
    const at = Math.max(Date.now(), w.lastAt + 1);
    w.lastAt = at;
    const phase = phases[w.phase]!;
    const status: WindowStatus = {
      terminalId: w.terminalId,
      windowNo: w.windowNo,
      seq: ++w.seq,
      runId: w.runId,
      at,
      phase,
      pause: phase === 'paused' ? { reason: '午休', since: at } : null,
      staff: { staffNo: `S${w.windowNo}`, name: '王芳', signedInAt: null },
      case: phase === 'serving' ? { itemCode: '340104-SJ-001', itemName: '营业执照办理', openedAt: at } : null,
      today: { served: w.served, rated: w.served, poor: 0 },
      keypad: { link: 'online', since: null },
      backlog: 0,
      appVersion: '1.0.0',
    };
    const body = gzipSync(JSON.stringify(status), { level: 1 });
    const t0 = performance.now();
    if (change) sentChanges.set(`${w.windowNo}:${at}`, t0);
    if (change && second) sentToB.set(`${w.windowNo}:${at}`, t0);
    const code = await post(base, STATUS_PATH, { authorization: `Bearer ${w.token}`, 'content-type': 'application/json', 'content-encoding': 'gzip' }, body);
    if (measuring) statusTimes.push(performance.now() - t0);
    if (code !== 204) refused += 1;
  };

  log(`${n} windows posting every ${STATUS_EVERY_MS / 1000} s for ${seconds} s (the first ${warmup} s warm-up)…`);
  const start = performance.now();
  const period = STATUS_EVERY_MS;
  // Window i sends at i/n of each period: the load is even, as a hall's clocks are not aligned.
  let next = 0;
  let cpu0 = 0;
  let measuredFrom = 0;
  let rssPeak = 0;
  const inFlight = new Set<Promise<void>>();
  await new Promise<void>((resolve) => {
    const tick = setInterval(() => {
      const elapsed = performance.now() - start;
      if (!measuring && elapsed >= warmup * 1000) {
        measuring = true;
        child.kill('SIGUSR2');
        cpu0 = cpuSeconds(pid);
        measuredFrom = performance.now();
      }
      if (measuring) {
        rssPeak = Math.max(rssPeak, rssMb(pid));
        // A bare round trip every 50 ms beside the load: what this machine gives right now.
        if (Math.floor(elapsed / 50) !== Math.floor((elapsed - 5) / 50)) {
          const t0 = performance.now();
          void post(bareUrl, '/', { 'content-type': 'application/json' }, Buffer.from('{}')).then(() => floorUnderLoad.push(performance.now() - t0));
        }
      }
      if (elapsed >= seconds * 1000) {
        clearInterval(tick);
        resolve();
        return;
      }
      while (next * (period / n) <= elapsed) {
        const p = sendOne(wins[next % n]!).finally(() => inFlight.delete(p));
        inFlight.add(p);
        next += 1;
      }
    }, 5);
  });
  const cpu = ((cpuSeconds(pid) - cpu0) / ((performance.now() - measuredFrom) / 1000)) * 100;
  rssPeak = Math.max(rssPeak, rssMb(pid));
  await Promise.all(inFlight);
  // Changes still on their way to the console are waited for, up to the target and a margin.
  await new Promise((resolve) => setTimeout(resolve, 3_000));
  const lost = [...sentChanges.values()].filter((t) => t >= measuredFrom).length;
  const lostOnB = [...sentToB.values()].filter((t) => t >= measuredFrom).length;
  stopListening();
  stopListeningOnB();
  child.kill('SIGTERM');
  second?.child.kill('SIGTERM');
  bareProcess.child.kill('SIGTERM');
  await new Promise((resolve) => child.once('exit', resolve));
  const loop = JSON.parse(lines.find((l) => l.includes('loopP99Ms')) ?? '{"loopP99Ms":null,"loopMaxMs":null}') as { loopP99Ms: number | null; loopMaxMs: number | null };
  connections.destroy();
  cluster.stop();

  const status = summarize(statusTimes);
  const loaded = summarize(floorUnderLoad);
  const change = summarize(wall);
  const acrossNodes = summarize(onB);
  const result = {
    windows: n,
    status_p99_ms: round(status.p99, 2),
    change_to_wall_p99_ms: round(change.p99, 1),
    centre_cpu_pct: round(cpu, 1),
    centre_rss_mb: round(rssPeak, 0),
    status_p50_ms: round(status.p50, 2),
    change_to_wall_p50_ms: round(change.p50, 1),
    statuses: status.n,
    changes_heard: change.n,
    changes_not_heard: lost,
    refused,
    centre_loop_delay_p99_ms: loop.loopP99Ms === null ? null : round(loop.loopP99Ms, 1),
    centre_loop_delay_max_ms: loop.loopMaxMs === null ? null : round(loop.loopMaxMs, 1),
    floor_under_load_p50_ms: round(loaded.p50, 3),
    floor_under_load_p99_ms: round(loaded.p99, 2),
    floor_p50_ms: round(floor.p50, 3),
    floor_p99_ms: round(floor.p99, 3),
    measured_s: round(seconds - warmup, 0),
    window_rules: !values['no-window-rules'],
    change_a_to_b_p99_ms: second ? round(acrossNodes.p99, 1) : null,
    change_a_to_b_p50_ms: second ? round(acrossNodes.p50, 1) : null,
    changes_heard_on_b: second ? acrossNodes.n : null,
    changes_not_heard_on_b: second ? lostOnB : null,
  };
  if (wantsJson()) {
    console.log(JSON.stringify(result));
    return;
  }
  printTable(`bench:live — ${n} windows, one status each per ${period / 1000} s (${round(n / (period / 1000), 0)}/s), ${result.measured_s} s measured${result.window_rules ? '' : ', window rules off'}`, [
    ['status p50 / p99', `${result.status_p50_ms} / ${result.status_p99_ms} ms`, 'target p99 ≤ 20 ms'],
    ['floor: bare HTTP p50 / p99', `${result.floor_p50_ms} / ${result.floor_p99_ms} ms`, 'Node http server answering 204, same machine, before the load'],
    ['floor under the load p50 / p99', `${result.floor_under_load_p50_ms} / ${result.floor_under_load_p99_ms} ms`, 'the same, in its own process, every 50 ms during the run'],
    ['change to wall p50 / p99', `${result.change_to_wall_p50_ms} / ${result.change_to_wall_p99_ms} ms`, 'target p99 ≤ 2,000 ms'],
    ['centre CPU', `${result.centre_cpu_pct} %`, 'of one core; target ≤ 25 %'],
    ['centre event-loop delay p99 / max', `${result.centre_loop_delay_p99_ms} / ${result.centre_loop_delay_max_ms} ms`, "the centre's own share of a slow answer"],
    ['centre RSS (peak)', `${result.centre_rss_mb} MB`, 'target ≤ 400 MB'],
    ['statuses measured', String(result.statuses), `${refused} refused (should be 0)`],
    ['changes heard / not heard', `${result.changes_heard} / ${lost}`, 'by one supervisor console on the live stream'],
    ...(second
      ? ([
          ['change on A to event on B p50 / p99', `${result.change_a_to_b_p50_ms} / ${result.change_a_to_b_p99_ms} ms`, 'a console on a second API node, told by the live relay (LISTEN/NOTIFY)'],
          ['changes heard on B / not heard', `${result.changes_heard_on_b} / ${lostOnB}`, 'the same changes, on the second node'],
        ] satisfies [string, string, string][])
      : []),
  ]);
  console.log('');
}

if (values.serve) {
  void serve(values.serve);
} else if (values.bare) {
  void bare();
} else {
  main().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
