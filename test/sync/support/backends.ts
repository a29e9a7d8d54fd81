/**
 * The centre database on either backend: a private PostgreSQL server, or embedded PGlite
 * in memory. The same suite runs on both (describe.each(BACKENDS)).
 */
import { migrateCentre } from '../../../server/src/db/migrate';
import { openPglite } from '../../../server/src/db/pglite';
import { openPostgres } from '../../../server/src/db/postgres';
import type { CentreDb } from '../../../server/src/db/sql';
import { startPostgres, type PgCluster } from './postgres';

export const BACKENDS = ['postgres', 'pglite'] as const;
export type Backend = (typeof BACKENDS)[number];

export interface TestDatabase {
  db: CentreDb;
  /** Empties every table, so each test starts from a new centre. */
  reset(): Promise<void>;
  close(): Promise<void>;
}


export async function openTestDatabase(backend: Backend): Promise<TestDatabase> {
  let cluster: PgCluster | null = null;
  let db: CentreDb;
  if (backend === 'postgres') {
    cluster = await startPostgres({ fast: true });
    db = openPostgres(await cluster.createDatabase('centre'), { max: 20 });
  } else {
    db = await openPglite(undefined);
  }
  try {
    await migrateCentre(db);
  } catch (err) {
    await db.close();
    cluster?.stop();
    throw err;
  }
  return {
    db,
    // Every table the migrations made, whoever added it, but the record of the migrations.
    async reset() {
      const tables = await db.query<{ name: string }>(
        "SELECT quote_ident(tablename) AS name FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'centre_migrations'",
      );
      await db.exec(`TRUNCATE ${tables.map((t) => t.name).join(', ')} RESTART IDENTITY CASCADE`);
    },
    async close() {
      await db.close().catch(() => undefined);
      cluster?.stop();
    },
  };
}
