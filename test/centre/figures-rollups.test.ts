/**
 * The roll-ups themselves: an existing centre that upgrades gets, from its cases, exactly the
 * roll-ups the projector would have kept; a changed UTC offset rebuilds them on the new
 * days; the unrated policy's defaulted cases are counted up to the minute of its cutoff.
 */
import { copyFileSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CENTRE_MIGRATIONS_DIR, migrateCentre } from '../../server/src/db/migrate';
import { openPglite } from '../../server/src/db/pglite';
import { openPostgres } from '../../server/src/db/postgres';
import type { CentreDb, Sql } from '../../server/src/db/sql';
import { loadSettings, saveSettings } from '../../server/src/settings';
import { CONSOLE_API, CONSOLE_ROUTES, type Overview } from '../../src/shared/console/contract';
import { BACKENDS, openTestDatabase, type TestDatabase } from '../sync/support/backends';
import { startCentre, type TestCentre } from '../sync/support/centre';
import { startPostgres, type PgCluster } from '../sync/support/postgres';
import type { Terminal } from '../sync/support/terminal';
import { consoleSessionAs, type ConsoleSession } from './support/console-session';
import { expectedFrom, figuresOf, loadWeek } from './support/figures-load';

const CENTRE_NOW = Date.UTC(2026, 3, 10, 4, 0); // 12:00 in Beijing
const WEEK = { from: '2026-03-28', to: '2026-04-03' };
const FIGURES = `SELECT dimension, grain, bucket::text AS bucket, department_code, key, name, cases, rated, unrated, very_satisfied, satisfied,
  basically_satisfied, dissatisfied, very_dissatisfied, misuse FROM figures
  WHERE cases <> 0 OR rated <> 0 OR unrated <> 0 OR misuse <> 0 ORDER BY dimension, grain, bucket, department_code, key`;

async function copyTables(from: Sql, to: Sql): Promise<void> {
  for (const table of ['terminals', 'terminal_epochs', 'records', 'windows', 'settings', 'cases']) {
    const rows = await from.query<{ row: string }>(`SELECT row_to_json(t)::text AS row FROM ${table} t`);
    for (const { row } of rows) await to.query(`INSERT INTO ${table} SELECT * FROM json_populate_record(null::${table}, $1::json)`, [row]);
  }
}

describe.each(BACKENDS)('roll-ups on %s', (backend) => {
  let database: TestDatabase;
  let centre: TestCentre;
  let terminals: Terminal[];
  let supervisor: ConsoleSession;
  let cluster: PgCluster | null = null;

  beforeAll(async () => {
    database = await openTestDatabase(backend);
    centre = await startCentre(database.db, { now: () => CENTRE_NOW });
    terminals = await loadWeek(centre, CENTRE_NOW);
    supervisor = await consoleSessionAs({ app: centre.centre.app, db: database.db }, 'supervisor');
    await centre.centre.projector.run();
  }, 120_000);
  afterAll(async () => {
    for (const t of terminals ?? []) t.kiosk.close();
    await centre?.close();
    await database?.close();
    cluster?.stop();
  });

  const overview = async (query: Record<string, string>) => {
    const response = await centre.centre.app.inject({ method: 'GET', url: `${CONSOLE_API}${CONSOLE_ROUTES.overview}?${new URLSearchParams(query)}`, headers: supervisor.headers });
    expect(response.statusCode).toBe(200);
    return response.json<Overview>();
  };

  it('an existing centre upgraded with cases already held gets the roll-ups the projector keeps', async () => {
    const maintained = await database.db.query(FIGURES);
    expect(maintained.length).toBeGreaterThan(100);
    const oldSchema = mkdtempSync(join(tmpdir(), 'cordial-migrations-'));
    for (const name of readdirSync(CENTRE_MIGRATIONS_DIR).filter((n) => n < '0004')) copyFileSync(join(CENTRE_MIGRATIONS_DIR, name), join(oldSchema, name));
    let upgraded: CentreDb;
    if (backend === 'postgres') {
      cluster = await startPostgres({ fast: true });
      upgraded = openPostgres(await cluster.createDatabase('upgraded'));
    } else {
      upgraded = await openPglite(undefined);
    }
    try {
      await migrateCentre(upgraded, oldSchema);
      await copyTables(database.db, upgraded);
      const applied = await migrateCentre(upgraded);
      expect(applied).toContain('0004_rollups.sql');
      expect(await upgraded.query(FIGURES)).toEqual(maintained);
    } finally {
      await upgraded.close();
    }
  });

  it('the unrated policy counts unrated cases up to its cutoff minute as its level', async () => {
    const settings = await loadSettings(database.db);
    const afterDays = 10;
    await saveSettings(database.db, { ...settings, ratingPolicy: { ...settings.ratingPolicy, defaultRating: { level: 'satisfied', afterDays } } });
    try {
      const cutoff = CENTRE_NOW - afterDays * 86_400_000;
      const cases = expectedFrom(terminals).cases.filter((c) => c.day >= WEEK.from && c.day <= WEEK.to);
      const defaulted = cases.filter((c) => c.status === 'unrated' && c.at <= cutoff).length;
      // The cutoff falls inside a working day, so the boundary day is split.
      expect(cases.some((c) => c.status === 'unrated' && c.day === '2026-03-31')).toBe(true);
      expect(defaulted).toBeGreaterThan(0);
      expect(defaulted).toBeLessThan(cases.filter((c) => c.status === 'unrated').length);
      const f = figuresOf(cases, []);
      const o = await overview(WEEK);
      expect(o.unratedPolicy).toEqual({ level: 'satisfied', afterDays });
      expect([o.totals.defaulted, o.totals.good, o.totals.satisfaction]).toEqual([defaulted, f.good + defaulted, (f.good + defaulted) / (f.rated + defaulted)]);
      expect(o.trend.reduce((n, p) => n + p.good, 0)).toBe(f.good + defaulted);
    } finally {
      await saveSettings(database.db, settings);
    }
  });

  it("a changed UTC offset rebuilds the roll-ups on the new local days", async () => {
    const settings = await loadSettings(database.db);
    const maintained = await database.db.query(FIGURES);
    await saveSettings(database.db, { ...settings, utcOffset: '+00:00' });
    try {
      const { cases, misuse } = expectedFrom(terminals, 0);
      for (const range of [WEEK, { from: '2026-03-30', to: '2026-03-30' }, { from: '2026-03-31', to: '2026-04-01' }]) {
        const o = await overview(range);
        const inRange = <T extends { day: string }>(xs: T[]) => xs.filter((x) => x.day >= range.from && x.day <= range.to);
        expect({ ...o.totals, defaulted: undefined }).toEqual({ ...figuresOf(inRange(cases), inRange(misuse)), defaulted: undefined });
      }
    } finally {
      await saveSettings(database.db, settings);
    }
    await overview(WEEK);
    expect(await database.db.query(FIGURES)).toEqual(maintained);
  });
});
