/**
 * Backup and restore of the centre's database (docs/data-protection.md). Embedded PGlite:
 * one consistent snapshot of the data folder (PGlite's dumpDataDir, taken between
 * transactions), as a gzip tar. PostgreSQL server: pg_dump / pg_restore in their custom
 * format. The data key is never in a backup.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { openPglite } from '../db/pglite';

export class BackupError extends Error {}

/** Who holds the data folder: the serving centre writes its pid here, and removes it when it stops. */
export function lockFile(dataDir: string): string {
  return join(dataDir, 'centre.pid');
}

export function holdDataDir(dataDir: string, url = ''): () => void {
  const file = lockFile(dataDir);
  const holder = liveHolder(dataDir);
  if (holder !== null) throw new BackupError(`another centre process (pid ${holder.pid}) is using ${dataDir}; stop it first, or give this one its own --data-dir`);
  writeFileSync(file, `${process.pid}\n${url}\n`);
  return () => {
    try {
      if (readFileSync(file, 'utf8').split('\n')[0] === String(process.pid)) writeFileSync(file, '');
    } catch {
      // already gone
    }
  };
}

/** The live process holding the folder and where it listens, or null (no file, an empty one, or its process is gone: killed, say). */
export function liveHolder(dataDir: string): { pid: number; url: string | null } | null {
  const file = lockFile(dataDir);
  if (!existsSync(file)) return null;
  const [pidText, url] = readFileSync(file, 'utf8').split('\n');
  const pid = Number(pidText);
  if (!Number.isSafeInteger(pid) || pid <= 0 || pid === process.pid) return null;
  try {
    process.kill(pid, 0);
    return { pid, url: url || null };
  } catch {
    return null;
  }
}

/** A snapshot from the centre serving the folder, over its admin API: taken between its transactions, while it keeps working. */
export async function backupFromRunning(url: string, adminToken: string, file: string): Promise<void> {
  const answer = await fetch(`${url}${BACKUP_ROUTE}`, { method: 'POST', headers: { authorization: `Bearer ${adminToken}` } });
  if (!answer.ok) throw new BackupError(`the running centre at ${url} did not give a backup (${answer.status}): ${(await answer.text()).slice(0, 300)}`);
  writeFileSync(file, Buffer.from(await answer.arrayBuffer()), { mode: 0o600 });
}

export const BACKUP_ROUTE = '/v1/admin/backup';

export async function backupPglite(pgDir: string, dataDir: string, file: string): Promise<void> {
  if (!existsSync(pgDir)) throw new BackupError(`there is no centre database in ${pgDir} to back up`);
  const release = holdDataDir(dataDir);
  try {
    const db = await openPglite(pgDir);
    try {
      writeFileSync(file, await db.snapshot!(), { mode: 0o600 });
    } finally {
      await db.close();
    }
  } finally {
    release();
  }
}

/** Restores a snapshot into pgDir; an existing database is moved aside first, and only when `replace` is given. */
export async function restorePglite(pgDir: string, dataDir: string, file: string, options: { replace: boolean; now: number }): Promise<string | null> {
  if (!existsSync(file)) throw new BackupError(`there is no backup file ${file}`);
  const release = holdDataDir(dataDir);
  try {
    let movedTo: string | null = null;
    if (existsSync(pgDir) && readdirSync(pgDir).length > 0) {
      if (!options.replace) throw new BackupError(`${pgDir} already holds a database; add --replace to move it aside and restore over it`);
      movedTo = `${pgDir}.before-restore-${new Date(options.now).toISOString().replace(/[:.]/g, '-')}`;
      renameSync(pgDir, movedTo);
    }
    const pg = await PGlite.create({ dataDir: pgDir, loadDataDir: new Blob([readFileSync(file)]) });
    await pg.query('SELECT 1');
    await pg.close();
    return movedTo;
  } finally {
    release();
  }
}

/** pg_dump or pg_restore against DATABASE_URL; the tools' own messages come through on failure. */
export function runPgTool(tool: 'pg_dump' | 'pg_restore', databaseUrl: string, file: string): Promise<void> {
  // Into an emptied database, in one transaction: a restore either lands whole or leaves nothing.
  const args = tool === 'pg_dump' ? ['--format=custom', `--file=${file}`, databaseUrl] : ['--no-owner', '--exit-on-error', '--single-transaction', `--dbname=${databaseUrl}`, file];
  return new Promise((resolve, reject) => {
    const child = spawn(tool, args, { stdio: ['ignore', 'inherit', 'pipe'] });
    let errors = '';
    child.stderr.on('data', (d: Buffer) => (errors += d.toString()));
    child.on('error', (err) => reject(new BackupError(`${tool} could not run (${err.message}): install the PostgreSQL client tools of your server's version`)));
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new BackupError(`${tool} failed (exit ${code}): ${errors.trim().slice(0, 500)}`))));
  });
}

/**
 * A PostgreSQL database to restore into must be empty; with `replace` its public schema is
 * dropped first (the centre must be stopped: nothing else may be using it).
 */
async function emptyForRestore(databaseUrl: string, replace: boolean): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const tables = await client.query<{ n: number }>("SELECT count(*)::integer AS n FROM pg_tables WHERE schemaname = 'public'");
    if ((tables.rows[0]?.n ?? 0) === 0) return;
    if (!replace) throw new BackupError('the database already holds tables; add --replace to drop them and restore over them (stop the centre first), or restore into a new empty database');
    await client.query('DROP SCHEMA public CASCADE');
    await client.query('CREATE SCHEMA public');
  } finally {
    await client.end();
  }
}

/** The serving centre's address, for a backup command run beside it. */
export function noteAddress(dataDir: string, url: string): void {
  writeFileSync(lockFile(dataDir), `${process.pid}\n${url}\n`);
}

/**
 * npm run centre -- backup FILE | restore FILE [--replace]. Embedded PGlite: a running
 * centre is asked for the snapshot; a stopped one's folder is read directly; a restore
 * needs the centre stopped. PostgreSQL server: pg_dump / pg_restore.
 */
export async function backupCommand(
  command: 'backup' | 'restore',
  file: string | undefined,
  o: { dataDir: string; databaseUrl: string | undefined; adminToken: string; replace: boolean },
): Promise<string> {
  if (!file) throw new BackupError(`${command} needs the backup file: npm run centre -- ${command} FILE`);
  if (o.databaseUrl) {
    if (command === 'restore') await emptyForRestore(o.databaseUrl, o.replace);
    await runPgTool(command === 'backup' ? 'pg_dump' : 'pg_restore', o.databaseUrl, file);
    return command === 'backup' ? `Backed up the PostgreSQL database to ${file} (pg_dump, custom format).` : `Restored ${file} into the PostgreSQL database (pg_restore).`;
  }
  const pgDir = join(o.dataDir, 'pg');
  const holder = liveHolder(o.dataDir);
  if (command === 'backup') {
    if (holder?.url) {
      await backupFromRunning(holder.url, o.adminToken, file);
      return `Backed up the running centre's database (pid ${holder.pid}) to ${file}. The data key is not in it: keep data-key (or CORDIAL_DATA_KEY) safe apart from it.`;
    }
    await backupPglite(pgDir, o.dataDir, file);
    return `Backed up ${pgDir} to ${file}. The data key is not in it: keep data-key (or CORDIAL_DATA_KEY) safe apart from it.`;
  }
  const movedTo = await restorePglite(pgDir, o.dataDir, file, { replace: o.replace, now: Date.now() });
  return `Restored ${file} into ${pgDir}${movedTo ? `; the database that was there is kept in ${movedTo}` : ''}. Start the centre: the windows send again whatever it received after the backup.`;
}
