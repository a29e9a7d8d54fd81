import { copyFileSync, existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/core/store/database';
import { DEFAULT_MIGRATIONS_DIR, loadMigrations, migrate } from '../../src/core/store/migrations';
import { tempDir } from '../support/tmp';

/** A copy of the real migrations, so a test can edit or add one. */
function migrationsCopy(): string {
  const dir = join(tempDir(), 'migrations');
  mkdirSync(dir);
  for (const f of readdirSync(DEFAULT_MIGRATIONS_DIR)) copyFileSync(join(DEFAULT_MIGRATIONS_DIR, f), join(dir, f));
  return dir;
}

function rawDb(file: string) {
  const db = new Database(file);
  db.pragma('foreign_keys = ON');
  return db;
}

describe('migration runner', () => {
  it('creates a new database with WAL, synchronous=FULL and foreign keys on', () => {
    const file = join(tempDir(), 'cordial.db');
    const { db, migration } = openDatabase(file);
    expect(migration).toMatchObject({ from: 0, to: loadMigrations().length, backupFile: null });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(2);
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    db.close();
  });

  it('backs the file up before migrating a database that holds data', () => {
    const file = join(tempDir(), 'cordial.db');
    const db = rawDb(file);
    migrate(db, file, { target: 1 });
    db.prepare("INSERT INTO meta (key, value) VALUES ('x', 'kept')").run();
    const report = migrate(db, file);
    db.close();
    expect(report.from).toBe(1);
    expect(report.backupFile && existsSync(report.backupFile)).toBe(true);
    const backup = rawDb(report.backupFile!);
    expect(backup.prepare("SELECT value FROM meta WHERE key = 'x'").pluck().get()).toBe('kept');
    expect(backup.prepare('SELECT count(*) FROM schema_migrations').pluck().get()).toBe(1);
    backup.close();
  });

  it('stops start-up on a database written by a newer Cordial', () => {
    const dir = migrationsCopy();
    writeFileSync(join(dir, `${String(loadMigrations().length + 1).padStart(4, '0')}_from_the_future.sql`), 'CREATE TABLE later (x INTEGER);');
    const file = join(tempDir(), 'cordial.db');
    openDatabase(file, { migrationsDir: dir }).db.close();
    expect(() => openDatabase(file)).toThrow(/written by a newer Cordial/);
  });

  it('stops start-up when an applied migration was edited', () => {
    const dir = migrationsCopy();
    const file = join(tempDir(), 'cordial.db');
    openDatabase(file, { migrationsDir: dir }).db.close();
    writeFileSync(join(dir, '0001_init.sql'), '-- edited\n', { flag: 'a' });
    expect(() => openDatabase(file, { migrationsDir: dir })).toThrow(/migration 0001_init.sql was changed after it was applied/);
  });

  it('rolls back a failing migration and says which', () => {
    const dir = migrationsCopy();
    const n = String(loadMigrations().length + 1).padStart(4, '0');
    writeFileSync(join(dir, `${n}_broken.sql`), 'CREATE TABLE half_done (x INTEGER);\nTHIS IS NOT SQL;');
    const file = join(tempDir(), 'cordial.db');
    expect(() => openDatabase(file, { migrationsDir: dir })).toThrow(new RegExp(`migration ${n}_broken.sql failed and was rolled back`));
    const db = rawDb(file);
    expect(db.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'half_done'").pluck().get()).toBe(0);
    db.close();
  });
});

describe('each migration, before and after', () => {
  it('0001 init: creates the schema, and the outbox refuses edits and deletion of unsent records', () => {
    const file = join(tempDir(), 'cordial.db');
    const db = rawDb(file);
    migrate(db, file, { target: 1 });
    db.prepare(`INSERT INTO outbox (terminal_id, epoch, seq, kind, recorded_at, payload, prev_hash, hash) VALUES ('T', 1, 1, 'k', 1, '{}', 'a', 'b')`).run();
    expect(() => db.prepare("UPDATE outbox SET payload = '{\"x\":1}'").run()).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM outbox').run()).toThrow(/unacknowledged/);
    db.prepare('UPDATE outbox SET acked_at = 5').run();
    db.prepare('DELETE FROM outbox').run();
    db.close();
  });

  it('0002 device faults: keeps every existing row and adds the fault table', () => {
    const file = join(tempDir(), 'cordial.db');
    const db = rawDb(file);
    migrate(db, file, { target: 1 });
    db.prepare("INSERT INTO staff (staff_no, name) VALUES ('1001', '王晓梅')").run();
    db.prepare("INSERT INTO device_events (device_serial, event_id, press_id, received_at) VALUES ('CRK5-1', 42, 'p', 1)").run();
    expect(db.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'device_faults'").pluck().get()).toBe(0);
    migrate(db, file, { target: 2 });
    expect(db.prepare('SELECT name FROM staff').pluck().all()).toEqual(['王晓梅']);
    expect(db.prepare('SELECT event_id FROM device_events').pluck().all()).toEqual([42]);
    db.prepare("INSERT INTO device_faults (device_serial, code, detail, reported_at) VALUES ('CRK5-1', 1, 'key 3 stuck', 2)").run();
    expect(db.prepare('SELECT detail FROM device_faults').pluck().get()).toBe('key 3 stuck');
    db.close();
  });
  it('0004 press journal: keeps every existing row and starts the applied journal seq at 0', () => {
    const file = join(tempDir(), 'cordial.db');
    const db = rawDb(file);
    migrate(db, file, { target: 3 });
    db.prepare("INSERT INTO device_events (device_serial, event_id, press_id, received_at) VALUES ('CRK5-1', 7, 'p', 1)").run();
    expect(db.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'press_journal'").pluck().get()).toBe(0);
    migrate(db, file, { target: 4 });
    expect(db.prepare('SELECT event_id FROM device_events').pluck().all()).toEqual([7]);
    expect(db.prepare('SELECT applied_seq FROM press_journal').pluck().all()).toEqual([0]);
    // One row only, and never below zero.
    expect(() => db.prepare('INSERT INTO press_journal (id, applied_seq) VALUES (2, 1)').run()).toThrow(/CHECK constraint/);
    expect(() => db.prepare('UPDATE press_journal SET applied_seq = -1').run()).toThrow(/CHECK constraint/);
    db.close();
  });
});
