/**
 * npm run bench:core [-- --json] [--cases 500000] [--dir DIR]
 *
 * 1. Time to record a keypad press durably (into the press journal, after which the keypad
 *    may be acknowledged), and then to commit it as a rating with its outbox record (one
 *    SQLite commit with synchronous=FULL), beside the physical floors in the same folder,
 *    measured in the same run: a raw 64-byte write + fsync, and a raw O_DSYNC slot write.
 * 2. The staff panel's "today" query on a database of 500,000 cases.
 * 3. The core's resident memory, in a process of its own over that database.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { Kiosk } from '../src/core/kiosk';
import { defaultConfig } from '../src/core/config';
import { loadDemoSeed } from '../src/core/seed';
import { DEFAULT_MIGRATIONS_DIR } from '../src/core/store/migrations';
import { diskFloors } from './support/floors';
import { printTable, round, summarize, wantsJson } from './support/stats';

const { values } = parseArgs({
  options: {
    json: { type: 'boolean', default: false },
    cases: { type: 'string', default: '500000' },
    ratings: { type: 'string', default: '2000' },
    dir: { type: 'string' },
  },
});

const base = mkdtempSync(join(values.dir ?? tmpdir(), 'cordial-bench-'));
const ratingsWanted = Number(values.ratings);
const casesWanted = Number(values.cases);
const log = (msg: string) => {
  if (!wantsJson()) process.stderr.write(`${msg}\n`);
};

/**
 * Records `n` ratings, each right after the raw floor writes in the same folder, so the
 * floors and the core see the same disk at the same moments.
 */
async function recordRatingsBesideFloor(dir: string, n: number): Promise<{ record: number[]; commit: number[]; floor: number[]; dsync: number[] }> {
  const floors = diskFloors(dir);
  const kiosk = Kiosk.open({ dataDir: join(dir, 'kiosk'), owner: 'bench', config: { ...defaultConfig(), rating: { windowSeconds: 300, detailsSeconds: 60, thanksSeconds: 1 } } });
  loadDemoSeed(kiosk.directory);
  kiosk.execute({ type: 'signInBadge', badgeId: 'BADGE-1001' }, 'staff');
  const record: number[] = [];
  const commit: number[] = [];
  const floor: number[] = [];
  const dsync: number[] = [];
  for (let i = 0; i < n; i++) {
    kiosk.execute({ type: 'openCase', itemCode: '340104-SJ-001' }, 'staff');
    kiosk.execute({ type: 'finishCase', outcome: 'completed' }, 'staff');
    const press = { kind: 'key', key: 1 + (i % 5), keyCount: 5, deviceSerial: 'BENCH', eventId: i + 1, at: Date.now() } as const;
    floor.push(floors.fsync());
    dsync.push(floors.dsync());
    let t0 = performance.now();
    const receipt = kiosk.recordPress(press);
    record.push(performance.now() - t0);
    // What the kiosk does right after the ACK, timed here instead of left to the next turn.
    t0 = performance.now();
    kiosk.flushPresses();
    commit.push(performance.now() - t0);
    if (receipt.outcome !== 'rating') throw new Error('bench press was not counted as a rating');
    // Each press is its own serial event: let the event loop turn, as it does between frames.
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
  const stored = kiosk.db.prepare('SELECT count(*) FROM ratings').pluck().get();
  kiosk.close();
  floors.close();
  if (stored !== n) throw new Error(`expected ${n} ratings in the database, found ${String(stored)}`);
  return { record, commit, floor, dsync };
}

/** Bundles the RSS probe to plain JavaScript (as Cordial ships) and runs it with node. */
async function measureRss(dataDir: string): Promise<number> {
  const outDir = fileURLToPath(new URL('../node_modules/.cache/cordial-bench/', import.meta.url));
  const outfile = join(outDir, 'rss-child.mjs');
  await build({
    entryPoints: [fileURLToPath(new URL('./support/rss-child.ts', import.meta.url))],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    external: ['better-sqlite3'],
    logLevel: 'silent',
  });
  const out = execFileSync(process.execPath, [outfile, dataDir, DEFAULT_MIGRATIONS_DIR], { encoding: 'utf8' });
  return (JSON.parse(out) as { rss: number }).rss / 2 ** 20;
}

/** Fills a data folder with `n` cases over two years, as a busy window would have. */
function buildBigDatabase(dir: string, n: number): void {
  const kiosk = Kiosk.open({ dataDir: dir, owner: 'bench fill' });
  loadDemoSeed(kiosk.directory);
  const db = kiosk.db;
  const now = Date.now();
  const session = randomUUID();
  db.prepare("INSERT INTO staff_sessions (id, staff_no, method, signed_in_at, signed_out_at) VALUES (?, '1001', 'badge', ?, ?)").run(session, now - 1000, now - 500);
  const insert = db.prepare(`INSERT INTO cases (id, item_code, item_version, item_name, staff_no, staff_name, window_no, session_id,
      opened_at, closed_at, outcome, status, rating_level) VALUES (?, '340104-SJ-001', '2', '个体工商户设立登记', ?, '王晓梅', '1', ?, ?, ?, 'completed', ?, ?)`);
  const levels = ['very_satisfied', 'satisfied', 'basically_satisfied', 'dissatisfied', 'very_dissatisfied'];
  const span = 730 * 86_400_000;
  db.transaction(() => {
    for (let i = 0; i < n; i++) {
      const opened = now - span + Math.floor((i / n) * span);
      const rated = i % 7 !== 0;
      insert.run(randomUUID(), i % 3 === 0 ? '1002' : '1001', session, opened, opened + 300_000, rated ? 'rated' : 'unrated', rated ? levels[i % 5] : null);
    }
  })();
  kiosk.close();
}

function timeToday(dir: string, runs: number): number[] {
  const kiosk = Kiosk.open({ dataDir: dir, owner: 'bench today' });
  kiosk.today(); // warm the statement cache, as a running kiosk has
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    kiosk.today();
    samples.push(performance.now() - t0);
  }
  kiosk.close();
  return samples;
}

try {
  log(`recording ${ratingsWanted} ratings beside ${ratingsWanted} raw fsyncs and O_DSYNC writes in ${base}`);
  const samples = await recordRatingsBesideFloor(base, ratingsWanted);
  const floor = summarize(samples.floor);
  const dsync = summarize(samples.dsync);
  const record = summarize(samples.record);
  const commit = summarize(samples.commit);

  log(`building a database of ${casesWanted.toLocaleString()} cases`);
  const big = join(base, 'big');
  buildBigDatabase(big, casesWanted);
  const today = summarize(timeToday(big, 200));

  const rssMb = await measureRss(big);

  const result = {
    record_p50_ms: round(record.p50),
    record_p99_ms: round(record.p99),
    fsync_p50_ms: round(floor.p50),
    fsync_p99_ms: round(floor.p99),
    commit_p50_ms: round(commit.p50),
    commit_p99_ms: round(commit.p99),
    dsync_p99_ms: round(dsync.p99),
    today_query_ms: round(today.p50),
    rss_mb: round(rssMb, 1),
  };
  if (wantsJson()) {
    console.log(JSON.stringify(result));
  } else {
    const ratio = record.p99 / floor.p99;
    printTable('Cordial core benchmark', [
      ['record a press durably (press journal), p50', `${result.record_p50_ms} ms`, 'the keypad may be acknowledged after this'],
      ['record a press durably (press journal), p99', `${result.record_p99_ms} ms`, `target ≤ 2 × raw fsync p99 (now ${ratio.toFixed(2)} ×)`],
      ['then commit it as a rating to SQLite, p50', `${result.commit_p50_ms} ms`, 'rows + outbox record, synchronous=FULL, after the ACK'],
      ['then commit it as a rating to SQLite, p99', `${result.commit_p99_ms} ms`, `${(commit.p99 / floor.p99).toFixed(2)} × raw fsync p99`],
      ['raw 64-byte write + fsync, p50', `${result.fsync_p50_ms} ms`, 'physical floor, same folder, same run'],
      ['raw 64-byte write + fsync, p99', `${result.fsync_p99_ms} ms`, ''],
      ['raw O_DSYNC 1 KiB in-place write, p99', `${result.dsync_p99_ms} ms`, 'the journal\'s own write pattern, same folder, same run'],
      [`"today" figures at ${casesWanted.toLocaleString()} cases, p50`, `${result.today_query_ms} ms`, `target ≤ 10 ms (p99 ${round(today.p99)} ms)`],
      ['core resident memory', `${result.rss_mb} MB`, 'target ≤ 80 MB (bundled JavaScript, as shipped)'],
    ]);
  }
} finally {
  rmSync(base, { recursive: true, force: true });
}
