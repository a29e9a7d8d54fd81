/**
 * A provincial centre's cases for the console benchmark, streamed into PostgreSQL with COPY:
 * N finished cases over two years and 2,000 windows in 40 departments, nine in ten rated.
 * The secondary indexes are dropped for the load and built afterwards, as one loads a table
 * of this size; the roll-ups are then built in bulk the way the migration backfills them.
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { RATING_LEVELS } from '../../src/shared/levels';

export const WINDOWS = 2_000;
export const DEPARTMENTS = 40;
export const ITEMS_PER_DEPARTMENT = 12;
export const FIRST_DAY = Date.UTC(2024, 6, 1) - 8 * 3_600_000; // 1 July 2024, 00:00 in Beijing
export const DAYS = 730;
const OFFSET = 480;

export const departmentOf = (window: number) => `D${String(window % DEPARTMENTS).padStart(2, '0')}`;
export const staffOf = (window: number, day: number) => `S${String((window + (day % 3 === 0 ? 1 : 0)) % (WINDOWS + 400)).padStart(5, '0')}`;

function random(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1_664_525) + 1_013_904_223) >>> 0;
    return s / 4_294_967_296;
  };
}

const COLUMNS = 'terminal_id, case_id, case_no, item_code, item_version, item_name, department_code, department_name, staff_no, staff_name, window_no, opened_at, closed_at, outcome, status, rating_id, level, channel, rated_at, reason_codes, callback_phone, unrated_at';

/** Tab-separated COPY lines, generated as they are read. */
function* lines(count: number): Generator<string> {
  const next = random(20_240_701);
  const LEVEL_WEIGHTS = [0.55, 0.3, 0.09, 0.04, 0.02];
  let chunk: string[] = [];
  for (let i = 0; i < count; i++) {
    const window = Math.floor(next() * WINDOWS);
    const day = Math.floor((i / count) * DAYS);
    const closedAt = FIRST_DAY + day * 86_400_000 + Math.floor((8.5 + next() * 9) * 3_600_000);
    const department = departmentOf(window);
    const item = `${department}-${String(Math.floor(next() * ITEMS_PER_DEPARTMENT)).padStart(2, '0')}`;
    const staff = staffOf(window, day);
    const rated = next() < 0.9;
    let level = '\\N';
    if (rated) {
      let r = next();
      let l = 0;
      while (l < 4 && r >= LEVEL_WEIGHTS[l]!) r -= LEVEL_WEIGHTS[l++]!;
      level = RATING_LEVELS[l]!;
    }
    const poor = level === 'dissatisfied' || level === 'very_dissatisfied';
    const terminal = `T${String(window).padStart(4, '0')}`;
    chunk.push(
      [
        terminal, `c${i}`, `BJ${i}`, item, '1', `事项 ${item}`, department, `部门 ${department}`, staff, `工作人员 ${staff}`, `W${String(window).padStart(4, '0')}`,
        closedAt - 600_000, closedAt, 'completed', rated ? 'rated' : 'unrated', rated ? `r${i}` : '\\N', level, rated ? (next() < 0.8 ? 'keypad' : 'touch') : '\\N',
        rated ? closedAt + 5_000 : '\\N', poor ? '["R01"]' : '\\N', poor ? `138${String(i % 100_000_000).padStart(8, '0')}` : '\\N', rated ? '\\N' : closedAt + 20_000,
      ].join('\t'),
    );
    if (chunk.length === 5_000) {
      yield `${chunk.join('\n')}\n`;
      chunk = [];
    }
  }
  if (chunk.length) yield `${chunk.join('\n')}\n`;
}

/** Loads the cases and builds the roll-ups; returns the seconds each step took. */
export async function loadCentre(url: string, count: number, log: (line: string) => void): Promise<{ copyS: number; indexS: number; rollupS: number }> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`SET maintenance_work_mem = '512MB'; SET work_mem = '256MB'; SET max_parallel_maintenance_workers = 2`);
    const indexes = (await client.query<{ name: string; sql: string }>(
      `SELECT indexname AS name, indexdef AS sql FROM pg_indexes WHERE tablename = 'cases' AND indexname <> 'cases_pkey'`,
    )).rows;
    for (const ix of indexes) await client.query(`DROP INDEX ${ix.name}`);
    let started = performance.now();
    log(`COPY of ${count.toLocaleString('en')} cases…`);
    await pipeline(Readable.from(lines(count)), client.query(copyFrom(`COPY cases (${COLUMNS}) FROM STDIN`)));
    const copyS = (performance.now() - started) / 1000;
    started = performance.now();
    log(`building ${indexes.length} indexes…`);
    for (const ix of indexes) await client.query(ix.sql);
    await client.query('ANALYZE cases');
    const indexS = (performance.now() - started) / 1000;
    started = performance.now();
    log('building the roll-ups as the migration backfills them…');
    await client.query('SELECT rebuild_figures($1)', [OFFSET]);
    await client.query('ANALYZE figures');
    return { copyS, indexS, rollupS: (performance.now() - started) / 1000 };
  } finally {
    await client.end();
  }
}
