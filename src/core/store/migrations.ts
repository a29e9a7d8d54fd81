/**
 * Migrations are plain SQL files, `migrations/NNNN_name.sql`, applied in order, each in
 * its own transaction, each recorded with a checksum. Start-up stops with a clear message
 * when the applied list is not an exact prefix of the files: a database newer than this
 * build, or an applied migration whose file was edited.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { StartupError, describeSqliteError } from '../errors';
import { appRoot } from '../paths';

export const DEFAULT_MIGRATIONS_DIR = join(appRoot(), 'migrations');

export interface Migration {
  version: number;
  name: string;
  sql: string;
  checksum: string;
}

export interface MigrationReport {
  from: number;
  to: number;
  applied: string[];
  backupFile: string | null;
}

const FILE_NAME = /^(\d{4})_([a-z0-9_]+)\.sql$/;

export function loadMigrations(dir: string = DEFAULT_MIGRATIONS_DIR): Migration[] {
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => n.endsWith('.sql'));
  } catch (err) {
    throw new StartupError('migrations_unreadable', `cannot read the migrations folder ${dir}: ${(err as Error).message}`);
  }
  const migrations = names
    .map((fileName) => {
      const match = FILE_NAME.exec(fileName);
      if (!match) throw new StartupError('migrations_unreadable', `migration file ${fileName} is not named NNNN_name.sql`);
      const sql = readFileSync(join(dir, fileName), 'utf8');
      return { version: Number(match[1]), name: fileName, sql, checksum: checksum(sql) };
    })
    .sort((a, b) => a.version - b.version);
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) throw new StartupError('migrations_unreadable', `migrations must be numbered 0001, 0002, … without gaps; found ${m.name}`);
  });
  return migrations;
}

export function checksum(sql: string): string {
  // Line endings are normalised so a checkout on Windows does not look like an edit.
  return createHash('sha256').update(sql.replace(/\r\n/g, '\n')).digest('hex');
}

interface AppliedRow {
  version: number;
  name: string;
  checksum: string;
}

export function appliedMigrations(db: Database.Database): AppliedRow[] {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY, name TEXT NOT NULL, checksum TEXT NOT NULL, applied_at INTEGER NOT NULL
  ) STRICT`);
  return db.prepare('SELECT version, name, checksum FROM schema_migrations ORDER BY version').all() as AppliedRow[];
}

export function migrate(
  db: Database.Database,
  file: string,
  options: { migrationsDir?: string; backup?: boolean; target?: number } = {},
): MigrationReport {
  const migrations = loadMigrations(options.migrationsDir);
  const applied = appliedMigrations(db);
  const known = migrations.length;

  for (const row of applied) {
    const mine = migrations[row.version - 1];
    if (!mine) {
      throw new StartupError(
        'database_newer',
        `the database ${file} was written by a newer Cordial (schema version ${applied.length}; this version knows up to ${known}). Install the newer Cordial, or restore a backup made by this version.`,
      );
    }
    if (mine.checksum !== row.checksum) {
      throw new StartupError(
        'migration_edited',
        `migration ${mine.name} was changed after it was applied to ${file}. Restore the original file; never edit an applied migration, add a new one instead.`,
      );
    }
  }

  const target = options.target ?? known;
  const pending = migrations.slice(applied.length, target);
  const from = applied.length;
  let backupFile: string | null = null;
  if (pending.length > 0 && from > 0 && options.backup !== false && file !== ':memory:') {
    backupFile = `${file}.before-v${pending[0]!.version}-${Date.now()}.bak`;
    try {
      db.prepare('VACUUM INTO ?').run(backupFile);
    } catch (err) {
      throw new StartupError('database_unreadable', `could not back up ${file} before migrating: ${describeSqliteError(err)}`);
    }
  }

  const record = db.prepare('INSERT INTO schema_migrations (version, name, checksum, applied_at) VALUES (?, ?, ?, ?)');
  for (const m of pending) {
    try {
      db.transaction(() => {
        db.exec(m.sql);
        record.run(m.version, m.name, m.checksum, Date.now());
      })();
    } catch (err) {
      throw new StartupError('database_unreadable', `migration ${m.name} failed and was rolled back: ${describeSqliteError(err)}`);
    }
  }
  return { from, to: from + pending.length, applied: pending.map((m) => m.name), backupFile };
}
