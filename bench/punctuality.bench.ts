/**
 * npm run bench:punctuality [-- --json] [--windows 300] [--days 92] [--repeat 10]
 *
 * On a private PostgreSQL server (loopback): N windows with hours and departments, a quarter
 * of days, and per window and day a sign-in, a pause, its end, a sign-out and eight case and
 * rating records beside them (a few hundred thousand records by default), plus a closed case
 * a day, every fifth after hours. Then:
 * 1. EXPLAIN of the report's own record read (ATTENDANCE_SQL) for one department's windows:
 *    it must use the partial index records_attendance (migration 0016), not walk the whole
 *    records table.
 * 2. p95 of the console's 考勤 route as a signed-in supervisor: a week and a month for the
 *    whole centre, and a month for one department. Targets: week ≤ 500 ms, month ≤ 1,500 ms.
 */
import { parseArgs } from 'node:util';
import { buildCentre } from '../server/src/app';
import { migrateCentre } from '../server/src/db/migrate';
import { openPostgres } from '../server/src/db/postgres';
import { ATTENDANCE_SQL } from '../server/src/punctuality/store';
import { CONSOLE_API, PUNCTUALITY_ROUTES, type PunctualityReport } from '../src/shared/console/contract';
import { consoleSessionAs } from '../test/centre/support/console-session';
import { startPostgres } from '../test/sync/support/postgres';
import { percentile, printTable, round, wantsJson } from './support/stats';

const { values } = parseArgs({
  options: {
    json: { type: 'boolean', default: false },
    windows: { type: 'string', default: '300' },
    days: { type: 'string', default: '92' },
    repeat: { type: 'string', default: '10' },
  },
});
const log = (line: string) => {
  if (!wantsJson()) process.stderr.write(`${line}\n`);
};
const p95 = (xs: number[]) => percentile([...xs].sort((a, b) => a - b), 95);
/** 2026-01-01 00:00 in the centre's time zone (UTC+8). */
const FIRST = Date.UTC(2025, 11, 31, 16, 0);
const DEPARTMENTS = 10;

async function main(): Promise<void> {
  const windows = Number(values.windows);
  const days = Number(values.days);
  const repeat = Number(values.repeat);
  const cluster = await startPostgres({ fast: true });
  try {
    const db = openPostgres(await cluster.createDatabase('centre'));
    await migrateCentre(db);
    const loadStarted = performance.now();
    await db.query(
      `INSERT INTO windows (window_no, department_code, department_name)
       SELECT w::text, 'D' || (w % $2), '部门' || (w % $2) FROM generate_series(1, $1) w`,
      [windows, DEPARTMENTS],
    );
    await db.query(
      `INSERT INTO window_schedules (window_no, opens_at, closes_at, updated_by, updated_at)
       SELECT w::text, '["09:00","09:00","09:00","09:00","09:00",null,null]', '["17:00","17:00","17:00","17:00","17:00",null,null]', 'bench', 0
       FROM generate_series(1, $1) w`,
      [windows],
    );
    // Per window and day, twelve records: four of attendance, eight of cases and ratings.
    await db.query(
      `INSERT INTO records (terminal_id, epoch, seq, kind, recorded_at, payload, prev_hash, hash, received_at, batch_id)
       SELECT 'T' || w, 1, d * 12 + k + 1, x.kind, x.at,
              jsonb_build_object('kind', x.kind, 'at', x.at, 'windowNo', w::text, 'staffNo', 'S' || w, 'staffName', '员工' || w,
                                 'sessionId', 's-' || w || '-' || d, 'pauseId', 'p-' || w || '-' || d, 'reason', CASE WHEN w % 3 = 0 THEN '会议' ELSE '如厕' END),
              '', '', x.at, 1
         FROM generate_series(1, $1) w, generate_series(0, $2 - 1) d, generate_series(0, 11) k,
         LATERAL (SELECT $3::bigint + d * 86400000::bigint AS midnight) m,
         LATERAL (SELECT
           CASE k WHEN 0 THEN 'session_started' WHEN 1 THEN 'pause_started' WHEN 2 THEN 'pause_ended' WHEN 3 THEN 'session_ended'
                  ELSE (ARRAY['case_opened', 'case_closed', 'rating', 'rating_details'])[1 + k % 4] END AS kind,
           m.midnight + CASE k WHEN 0 THEN 9 * 3600000 + (w % 15) * 60000 WHEN 1 THEN 11 * 3600000 WHEN 2 THEN 11 * 3600000 + 600000
                               WHEN 3 THEN 17 * 3600000 - (w % 20) * 60000 ELSE 10 * 3600000 + k * 60000 END AS at) x`,
      [windows, days, FIRST],
    );
    await db.query(
      `INSERT INTO cases (terminal_id, case_id, window_no, staff_no, staff_name, closed_at, after_hours, status)
       SELECT 'T' || w, 'c-' || w || '-' || d, w::text, 'S' || w, '员工' || w, $3::bigint + d * 86400000::bigint + 17 * 3600000 + 600000, d % 5 = 0, 'unrated'
         FROM generate_series(1, $1) w, generate_series(0, $2 - 1) d`,
      [windows, days, FIRST],
    );
    await db.query('ANALYZE');
    const records = Number((await db.query<{ n: string }>('SELECT count(*) AS n FROM records'))[0]!.n);
    const loadS = (performance.now() - loadStarted) / 1000;
    log(`loaded ${records.toLocaleString('en')} records in ${loadS.toFixed(1)} s`);

    const plan = (
      await db.query<{ 'QUERY PLAN': string }>(
        `EXPLAIN ${ATTENDANCE_SQL}`,
        [FIRST + 28 * 86_400_000, FIRST + 35 * 86_400_000, FIRST + 36 * 86_400_000, Array.from({ length: Math.ceil(windows / DEPARTMENTS) }, (_, i) => String(i * DEPARTMENTS + 1))],
      )
    ).map((r) => r['QUERY PLAN']);
    const usesIndex = plan.some((line) => line.includes('records_attendance'));
    log(plan.join('\n'));

    const centre = buildCentre(db, { adminToken: 'bench-admin-token-0123456789abcdef', logger: false });
    await centre.app.ready();
    const session = await consoleSessionAs({ app: centre.app, db }, 'supervisor');
    const call = async (query: Record<string, string>) => {
      const started = performance.now();
      const response = await centre.app.inject({ method: 'GET', url: `${CONSOLE_API}${PUNCTUALITY_ROUTES.punctuality}?${new URLSearchParams(query)}`, headers: session.headers });
      const ms = performance.now() - started;
      if (response.statusCode !== 200) throw new Error(`the report answered ${response.statusCode}: ${response.body}`);
      return { ms, body: response.json<PunctualityReport>() };
    };
    const week = { from: '2026-02-02', to: '2026-02-08' };
    const month = { from: '2026-02-01', to: '2026-02-28' };
    const first = await call(month);
    // Every window has a late sign-in on each working day unless w % 15 = 0: a sanity check that the report read the rows.
    if (first.body.windows.length !== windows) throw new Error(`the report lists ${first.body.windows.length} windows, not ${windows}`);
    const weekMs: number[] = [];
    const monthMs: number[] = [];
    const deptMs: number[] = [];
    for (let i = 0; i < repeat; i++) {
      weekMs.push((await call(week)).ms);
      monthMs.push((await call(month)).ms);
      deptMs.push((await call({ ...month, department: `D${i % DEPARTMENTS}` })).ms);
    }
    await centre.close();

    const out = {
      records,
      windows,
      days,
      uses_attendance_index: usesIndex,
      week_p95_ms: round(p95(weekMs), 1),
      month_p95_ms: round(p95(monthMs), 1),
      department_month_p95_ms: round(p95(deptMs), 1),
    };
    if (wantsJson()) {
      console.log(JSON.stringify(out));
    } else {
      printTable('Cordial punctuality report benchmark (PostgreSQL, loopback)', [
        ['records loaded', records.toLocaleString('en'), `${windows} windows, ${days} days; ${loadS.toFixed(1)} s`],
        ['record read uses records_attendance', String(usesIndex), 'target true (EXPLAIN)'],
        ['a week, whole centre, p95', `${out.week_p95_ms} ms`, `target ≤ 500 ms (${repeat} requests)`],
        ['a month, whole centre, p95', `${out.month_p95_ms} ms`, `target ≤ 1,500 ms (${repeat} requests)`],
        ['a month, one department, p95', `${out.department_month_p95_ms} ms`, `${repeat} requests`],
      ]);
    }
    if (!usesIndex) process.exitCode = 1;
  } finally {
    cluster.stop();
  }
}

main().catch((err: unknown) => {
  console.error(`bench:punctuality failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
