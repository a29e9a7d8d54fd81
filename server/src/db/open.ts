import { migrateCentre } from './migrate';
import { openPglite } from './pglite';
import { openPostgres } from './postgres';
import type { CentreDb } from './sql';

/** PostgreSQL when a URL is given, else embedded PGlite in the data folder; migrated either way. */
export async function openCentreDb(options: { databaseUrl?: string; dataDir?: string }): Promise<CentreDb> {
  const db = options.databaseUrl ? openPostgres(options.databaseUrl) : await openPglite(options.dataDir);
  try {
    await migrateCentre(db);
  } catch (err) {
    await db.close();
    throw err;
  }
  return db;
}
