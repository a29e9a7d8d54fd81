/**
 * The centre's migrations: server/migrations/NNNN_name.sql, applied in order in one
 * transaction (PostgreSQL DDL is transactional), each recorded with a checksum. Start-up stops when the applied list is
 * not an exact prefix of the files (a newer database, or an edited migration). An advisory
 * lock keeps two API nodes starting together from migrating twice.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CentreError } from '../errors';
import type { Sql } from './sql';

export const CENTRE_MIGRATIONS_DIR = fileURLToPath(new URL('../../migrations', import.meta.url));
const FILE_NAME = /^(\d{4})_([a-z0-9_]+)\.sql$/;
const LOCK_KEY = 4_711_2019;

interface Migration {
  version: number;
  name: string;
  sql: string;
  checksum: string;
}

export function loadCentreMigrations(dir = CENTRE_MIGRATIONS_DIR): Migration[] {
  const files = readdirSync(dir).filter((n) => n.endsWith('.sql')).sort();
  return files.map((name, i) => {
    const match = FILE_NAME.exec(name);
    if (!match || Number(match[1]) !== i + 1) {
      throw new CentreError('startup', `centre migration ${name} must be named NNNN_name.sql and numbered without gaps`);
    }
    const sql = readFileSync(join(dir, name), 'utf8');
    return { version: i + 1, name, sql, checksum: createHash('sha256').update(sql.replace(/\r\n/g, '\n')).digest('hex') };
  });
}

export async function migrateCentre(db: Sql, dir = CENTRE_MIGRATIONS_DIR): Promise<string[]> {
  const migrations = loadCentreMigrations(dir);
  return db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [LOCK_KEY]);
    await tx.exec(`CREATE TABLE IF NOT EXISTS centre_migrations (
      version integer PRIMARY KEY, name text NOT NULL, checksum text NOT NULL, applied_at bigint NOT NULL)`);
    const applied = await tx.query<{ version: number; name: string; checksum: string }>('SELECT version, name, checksum FROM centre_migrations ORDER BY version');
    for (const row of applied) {
      const mine = migrations[row.version - 1];
      if (!mine) throw new CentreError('startup', `the centre database is newer than this server (it has migration ${row.name}); run the newer server`);
      if (mine.checksum !== row.checksum) throw new CentreError('startup', `centre migration ${mine.name} was edited after it was applied; restore it and add a new migration instead`);
    }
    const pending = migrations.slice(applied.length);
    for (const m of pending) {
      await tx.exec(m.sql);
      await tx.query('INSERT INTO centre_migrations (version, name, checksum, applied_at) VALUES ($1, $2, $3, $4)', [m.version, m.name, m.checksum, Date.now()]);
    }
    return pending.map((m) => m.name);
  });
}
