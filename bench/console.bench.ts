/**
 * npm run bench:console [-- --json] [--ratings 10000000] [--repeat 40] [--skip-ingest]
 *
 * On a private PostgreSQL server (loopback), in one run:
 * 1. COPY of N ratings over 2,000 windows and two years, indexes built after, roll-ups built
 *    in bulk as the migration backfills them, then spot-checked against the raw cases.
 * 2. p95 over repeated requests to the console's own routes (signed-in supervisor, varied
 *    quarters and departments): overview, ranking, drill-down (a first page and the next).
 *    Targets: overview and ranking ≤ 300 ms, drill-down ≤ 100 ms.
 * 3. The same quarter's overview computed from the raw cases table: speedup ≥ 20×.
 * 4. The built console's gzip size (≤ 450 KB), and bench:sync's ingest / COPY with every
 *    record projected into cases and roll-ups (≥ 0.5).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { buildCentre } from '../server/src/app';
import { migrateCentre } from '../server/src/db/migrate';
import { openPostgres } from '../server/src/db/postgres';
import { CONSOLE_API, CONSOLE_ROUTES, type Drilldown, type Overview, type Ranking } from '../src/shared/console/contract';
import { periodContaining } from '../src/shared/console/periods';
import { consoleSessionAs } from '../test/centre/support/console-session';
import { startPostgres } from '../test/sync/support/postgres';
import { DAYS, DEPARTMENTS, FIRST_DAY, departmentOf, loadCentre, staffOf, WINDOWS } from './support/console-load';
import { percentile, printTable, round, wantsJson } from './support/stats';

const { values } = parseArgs({
  options: {
    json: { type: 'boolean', default: false },
    ratings: { type: 'string', default: '10000000' },
    repeat: { type: 'string', default: '40' },
    'skip-ingest': { type: 'boolean', default: false },
  },
});
const log = (line: string) => {
  if (!wantsJson()) process.stderr.write(`${line}\n`);
};
const p95 = (xs: number[]) => percentile([...xs].sort((a, b) => a - b), 95);
const median = (xs: number[]) => percentile([...xs].sort((a, b) => a - b), 50);
const CONSOLE_DIST = join(import.meta.dirname, '..', 'server', 'console', 'dist');

function quarters(): { from: string; to: string }[] {
  const out: { from: string; to: string }[] = [];
  for (let d = 0; d < DAYS; d += 91) {
    const q = periodContaining('quarter', new Date(FIRST_DAY + 8 * 3_600_000 + d * 86_400_000).toISOString().slice(0, 10));
    if (!out.some((x) => x.from === q.from)) out.push(q);
  }
  return out;
}

function bundleGzipKb(): number | null {
  if (!existsSync(CONSOLE_DIST)) return null;
  let bytes = 0;
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (/\.(js|css|html)$/.test(name)) bytes += gzipSync(readFileSync(path), { level: 9 }).length;
    }
  };
  walk(CONSOLE_DIST);
  return bytes > 0 ? round(bytes / 1024, 1) : null;
}

function ingestOverCopy(): number | null {
  const out = execFileSync(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'sync.bench.ts'), '--json', '--backlog', '2000'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  const line = out.trim().split('\n').at(-1) ?? '{}';
  return (JSON.parse(line) as { ingest_over_copy?: number }).ingest_over_copy ?? null;
}

const NAIVE_OVERVIEW = `SELECT figure_day(counted_at, 480)::text AS day, count(*) AS cases, count(*) FILTER (WHERE status = 'rated') AS rated,
    count(*) FILTER (WHERE status = 'unrated') AS unrated, count(*) FILTER (WHERE level IN ('very_satisfied', 'satisfied', 'basically_satisfied') AND status = 'rated') AS good,
    count(*) FILTER (WHERE level IN ('dissatisfied', 'very_dissatisfied') AND status = 'rated') AS poor,
    count(*) FILTER (WHERE status = 'rated' AND channel = 'keypad') AS keypad
  FROM cases WHERE status <> 'open' AND counted_at >= $1 AND counted_at < $2 GROUP BY 1 ORDER BY 1`;

async function main(): Promise<void> {
  const ratings = Number(values.ratings);
  const repeat = Number(values.repeat);
  const cluster = await startPostgres({ fast: true });
  try {
    const url = await cluster.createDatabase('console');
    const db = openPostgres(url, { max: 8 });
    await migrateCentre(db);
    const load = await loadCentre(url, ratings, log);
    log(`loaded in ${load.copyS.toFixed(1)} s, indexes ${load.indexS.toFixed(1)} s, roll-ups ${load.rollupS.toFixed(1)} s`);

    // Spot check: a few staff-months and the grand total, roll-ups against raw cases.
    const checks = [
      ['SELECT sum(cases)::bigint AS n FROM figures WHERE dimension = $1 AND grain = $2', ['department', 'month'], 'SELECT count(*)::bigint AS n FROM cases', []],
      ...[7, 600, 1999].map((w) => [
        `SELECT coalesce(sum(rated), 0)::bigint AS n FROM figures WHERE dimension = 'staff' AND grain = 'month' AND bucket = '2025-03-01' AND key = $1`, [staffOf(w, 1)],
        `SELECT count(*)::bigint AS n FROM cases WHERE status = 'rated' AND staff_no = $1 AND figure_day(counted_at, 480) BETWEEN '2025-03-01' AND '2025-03-31'`, [staffOf(w, 1)],
      ]),
    ] as [string, unknown[], string, unknown[]][];
    for (const [rollup, p1, raw, p2] of checks) {
      const [a, b] = [Number((await db.query<{ n: number }>(rollup, p1))[0]!.n), Number((await db.query<{ n: number }>(raw, p2))[0]!.n)];
      if (a !== b) throw new Error(`the roll-ups disagree with the raw cases: ${a} ≠ ${b} (${raw})`);
    }
    log('roll-ups agree with the raw cases');

    const centre = buildCentre(db, { adminToken: 'bench-admin-token-0123456789abcdef', logger: false });
    await centre.app.ready();
    const session = await consoleSessionAs({ app: centre.app, db }, 'supervisor');
    const call = async <T>(route: string, query: Record<string, string | number>) => {
      const started = performance.now();
      const response = await centre.app.inject({ method: 'GET', url: `${CONSOLE_API}${route}?${new URLSearchParams(Object.entries(query).map(([k, v]) => [k, String(v)]))}`, headers: session.headers });
      const ms = performance.now() - started;
      if (response.statusCode !== 200) throw new Error(`${route} answered ${response.statusCode}: ${response.body}`);
      return { ms, body: response.json<T>() };
    };
    const qs = quarters();
    const department = (i: number): Record<string, string> => (i % 3 === 0 ? {} : { department: departmentOf(i * 7) });
    const overviewMs: number[] = [];
    const rankingMs: number[] = [];
    const drillMs: number[] = [];
    for (let i = 0; i < repeat; i++) {
      const q = qs[i % qs.length]!;
      overviewMs.push((await call<Overview>(CONSOLE_ROUTES.overview, { period: 'quarter', ...q, ...department(i) })).ms);
      const dimension = (['staff', 'window', 'department', 'item'] as const)[i % 4]!;
      rankingMs.push((await call<Ranking>(CONSOLE_ROUTES.ranking, { period: 'quarter', ...q, ...department(i + 1), dimension, sort: (['satisfaction', 'volume', 'poor'] as const)[i % 3]! })).ms);
      const key = i % 2 === 0 ? { dimension: 'staff', key: staffOf((i * 37) % WINDOWS, 1) } : { dimension: 'department', key: departmentOf(i % DEPARTMENTS) };
      const first = await call<Drilldown>(CONSOLE_ROUTES.drilldown, { ...q, ...key, limit: 50, ...(i % 4 === 1 ? { level: 'very_dissatisfied' } : {}) });
      drillMs.push(first.ms);
      if (first.body.next) drillMs.push((await call<Drilldown>(CONSOLE_ROUTES.drilldown, { ...q, ...key, limit: 50, after: first.body.next })).ms);
    }

    // The same overview from raw rows: the whole-centre quarter, median of a few runs.
    const naiveMs: number[] = [];
    const q = qs[Math.min(2, qs.length - 1)]!;
    const start = Date.parse(`${q.from}T00:00:00Z`) - 480 * 60_000;
    const end = Date.parse(`${q.to}T00:00:00Z`) - 480 * 60_000 + 86_400_000;
    const fromRollups = (await call<Overview>(CONSOLE_ROUTES.overview, { period: 'quarter', ...q })).body;
    for (let i = 0; i < 3; i++) {
      const started = performance.now();
      const rows = await db.query<{ cases: number; rated: number }>(NAIVE_OVERVIEW, [start, end]);
      naiveMs.push(performance.now() - started);
      const cases = rows.reduce((n, r) => n + Number(r.cases), 0);
      if (cases !== fromRollups.totals.cases) throw new Error(`raw and roll-up overviews disagree: ${cases} ≠ ${fromRollups.totals.cases}`);
    }
    await centre.close();
    await db.close();

    const bundle = bundleGzipKb();
    if (bundle === null) log('the console is not built (server/console/dist is empty): run npm run build for its size');
    const ingest = values['skip-ingest'] ? null : (log('bench:sync with the roll-ups maintained…'), ingestOverCopy());
    const out = {
      ratings,
      overview_quarter_p95_ms: round(p95(overviewMs), 1),
      ranking_quarter_p95_ms: round(p95(rankingMs), 1),
      drilldown_p95_ms: round(p95(drillMs), 1),
      naive_overview_ms: round(median(naiveMs), 1),
      speedup_over_naive: round(median(naiveMs) / p95(overviewMs), 1),
      console_bundle_gzip_kb: bundle,
      ingest_over_copy: ingest,
    };
    if (wantsJson()) {
      console.log(JSON.stringify(out));
    } else {
      printTable('Cordial console benchmark (PostgreSQL, loopback)', [
        ['ratings loaded (COPY)', ratings.toLocaleString('en'), `${WINDOWS} windows, ${DEPARTMENTS} departments, ${DAYS} days; COPY ${load.copyS.toFixed(0)} s, indexes ${load.indexS.toFixed(0)} s, roll-ups ${load.rollupS.toFixed(0)} s`],
        ['overview, a quarter, p95', `${out.overview_quarter_p95_ms} ms`, `target ≤ 300 ms (${overviewMs.length} requests)`],
        ['ranking, a quarter, p95', `${out.ranking_quarter_p95_ms} ms`, `target ≤ 300 ms (${rankingMs.length} requests)`],
        ['drill-down page, p95', `${out.drilldown_p95_ms} ms`, `target ≤ 100 ms (${drillMs.length} requests)`],
        ['same overview from raw cases', `${out.naive_overview_ms} ms`, 'median of 3'],
        ['speedup over raw', `${out.speedup_over_naive}×`, 'target ≥ 20×'],
        ['console bundle, gzip', bundle === null ? 'null' : `${bundle} KB`, bundle === null ? 'not built: npm run build' : 'target ≤ 450 KB'],
        ['ingest / COPY, roll-ups maintained', ingest === null ? 'skipped' : String(ingest), 'bench:sync, projector alongside; target ≥ 0.5'],
      ]);
    }
  } finally {
    cluster.stop();
  }
}

main().catch((err: unknown) => {
  console.error(`bench:console failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
