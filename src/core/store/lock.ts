/**
 * One process writes a data folder at a time: two writers would each run the lifecycle and
 * disagree. A lock file holds the owner's pid; a lock left by a dead process is taken over.
 */
import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { StartupError, describeFsError } from '../errors';

export function acquireLock(dataDir: string, owner: string): () => void {
  const file = join(dataDir, 'cordial.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, 'wx');
      try {
        writeSync(fd, JSON.stringify({ pid: process.pid, owner, since: Date.now() }));
      } catch (err) {
        // A lock without its owner would look stale to the next process: do not leave one.
        rmSync(file, { force: true });
        throw new StartupError('data_folder_unwritable', `cannot start on ${dataDir}: ${describeFsError(err)}`);
      } finally {
        closeSync(fd);
      }
      return () => rmSync(file, { force: true });
    } catch (err) {
      if (err instanceof StartupError) throw err;
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw new StartupError('data_folder_unwritable', `cannot start on ${dataDir}: ${describeFsError(err)}`);
      }
      const holder = readHolder(file);
      if (holder && holder.pid !== process.pid && isAlive(holder.pid)) {
        throw new StartupError('already_running', `Cordial is already running on ${dataDir} (${holder.owner}, pid ${holder.pid}); close it first or use its staff panel`);
      }
      rmSync(file, { force: true }); // stale: its process is gone
    }
  }
  throw new StartupError('already_running', `could not lock ${dataDir}`);
}

function readHolder(file: string): { pid: number; owner: string } | null {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as { pid: number; owner: string };
  } catch {
    return null;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
