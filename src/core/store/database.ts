import Database from 'better-sqlite3';
import { StartupError, describeSqliteError } from '../errors';
import { migrate, type MigrationReport } from './migrations';

export type Db = Database.Database;

export interface OpenOptions {
  migrationsDir?: string;
  /** Called before migrating a database that already holds data. Default: a copy beside the file. */
  backup?: boolean;
}

/**
 * Opens (creating if needed) the kiosk database with the settings a window PC needs:
 * WAL, synchronous=FULL (power is lost without warning), foreign keys on. Then migrates.
 */
export function openDatabase(file: string, options: OpenOptions = {}): { db: Db; migration: MigrationReport } {
  let db: Db;
  try {
    db = new Database(file);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    // Checkpoints move WAL pages into the main file and fsync it: a few milliseconds that
    // must not land on a key press. The kiosk checkpoints when the window is quiet instead.
    db.pragma('wal_autocheckpoint = 0');
  } catch (err) {
    throw new StartupError('database_unreadable', `cannot open the database ${file}: ${describeSqliteError(err)}`);
  }
  try {
    const migration = migrate(db, file, options);
    return { db, migration };
  } catch (err) {
    db.close();
    throw err;
  }
}

/** Copies committed WAL pages into the database file without waiting for readers. */
export function checkpoint(db: Db): void {
  db.pragma('wal_checkpoint(PASSIVE)');
}
