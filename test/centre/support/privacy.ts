/**
 * The privacy tests' centre: a private PostgreSQL server (so a real pg_dump can be read),
 * a centre on the test's clock, real kiosks that sync through the HTTP API, console users
 * signed in through the real sign-in route.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { migrateCentre } from '../../../server/src/db/migrate';
import { openPostgres } from '../../../server/src/db/postgres';
import type { CentreDb } from '../../../server/src/db/sql';
import { CONSOLE_API, type ConsoleRole } from '../../../src/shared/console/contract';
import { itPath } from '../../../src/shared/console/it-contract';
import { ManualClock } from '../../support/clock';
import { startCentre, type TestCentre } from '../../sync/support/centre';
import { startPostgres, type PgCluster } from '../../sync/support/postgres';
import { consoleSessionAs, type ConsoleSession } from './console-session';

export interface PrivacyCentre {
  db: CentreDb;
  centre: TestCentre;
  clock: ManualClock;
  as(role: ConsoleRole, departmentCode?: string | null, username?: string): Promise<ConsoleSession>;
  call(session: ConsoleSession | null, method: 'GET' | 'POST', route: string, o?: { params?: Record<string, string | number>; body?: unknown }): Promise<{ status: number; body: Record<string, unknown>; text: string }>;
  /** pg_dump's plain-text dump of the whole centre database, as an admin would take it (extra pg_dump arguments if given). */
  dump(args?: string[]): string;
  close(): Promise<void>;
}

export async function startPrivacyCentre(clock = new ManualClock(Date.UTC(2026, 1, 12, 1, 0, 0))): Promise<PrivacyCentre> {
  const cluster: PgCluster = await startPostgres({ fast: true });
  const url = await cluster.createDatabase('centre');
  const db = openPostgres(url, { max: 10 });
  await migrateCentre(db);
  const centre = await startCentre(db, { now: () => clock.now(), projectAfterMs: 20, maxFutureMs: 5 * 365 * 86_400_000 });
  const root = '/usr/lib/postgresql';
  const version = readdirSync(root).filter((v) => existsSync(join(root, v, 'bin', 'pg_dump'))).sort((a, b) => Number(b) - Number(a))[0]!;
  return {
    db,
    centre,
    clock,
    as: (role, departmentCode = null, username) => consoleSessionAs({ app: centre.centre.app, db }, role, departmentCode, username),
    async call(session, method, route, o = {}) {
      const response = await centre.centre.app.inject({
        method,
        url: `${CONSOLE_API}${itPath(route, o.params)}`,
        headers: session ? { ...session.headers, ...(o.body !== undefined ? { 'content-type': 'application/json' } : {}) } : {},
        payload: o.body === undefined ? undefined : JSON.stringify(o.body),
      });
      let body: Record<string, unknown> = {};
      try {
        body = response.body ? (JSON.parse(response.body) as Record<string, unknown>) : {};
      } catch {
        body = {};
      }
      return { status: response.statusCode, body, text: response.body };
    },
    dump: (args = []) => execFileSync(join(root, version, 'bin', 'pg_dump'), ['--format=plain', '--no-owner', ...args, url], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 }),
    async close() {
      await centre.close();
      await db.close();
      cluster.stop();
    },
  };
}

/** Every value of every table of a kiosk database, as one text: what a copy of the window PC's disk would show. */
export function everyLocalValue(db: { prepare(sql: string): { all(): unknown[] } }): string {
  const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[];
  return tables.map((t) => JSON.stringify(db.prepare(`SELECT * FROM "${t.name}"`).all())).join('\n');
}
