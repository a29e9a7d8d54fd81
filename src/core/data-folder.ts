/**
 * The kiosk's data folder, taken whole or not at all: its lock (one writer at a time), its
 * settings, its database and its press journal. If any step fails, what was taken is let
 * go in reverse, so a failed start leaves no lock behind.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig, type KioskConfig } from './config';
import { DATABASE_FILE, JOURNAL_FILE } from './paths';
import { openDatabase, type Db } from './store/database';
import { acquireLock } from './store/lock';
import { PressJournal } from './store/press-journal';
import { appliedJournalSeq } from './store/window-store';

export interface DataFolderOptions {
  dataDir: string;
  config?: KioskConfig;
  /** Who holds the data folder, for the message another process gets. */
  owner?: string;
  migrationsDir?: string;
}

export interface DataFolder {
  config: KioskConfig;
  db: Db;
  journal: PressJournal;
  /** Closes the journal and the database, then releases the lock. */
  close(): void;
}

export function openDataFolder(options: DataFolderOptions): DataFolder {
  mkdirSync(options.dataDir, { recursive: true });
  const release = acquireLock(options.dataDir, options.owner ?? 'Cordial');
  const undo: (() => void)[] = [release];
  try {
    const config = options.config ?? loadConfig(options.dataDir);
    const { db } = openDatabase(join(options.dataDir, DATABASE_FILE), { migrationsDir: options.migrationsDir });
    undo.unshift(() => db.close());
    const journal = PressJournal.open(join(options.dataDir, JOURNAL_FILE), appliedJournalSeq(db));
    return {
      config,
      db,
      journal,
      close() {
        journal.close();
        db.close();
        release();
      },
    };
  } catch (err) {
    for (const step of undo) step();
    throw err;
  }
}
