/**
 * A private PostgreSQL cluster for tests and the benchmark: Debian's server binaries,
 * initdb into a fresh folder, listening on loopback only, on a free port. PostgreSQL
 * refuses to run as root, so as root it runs as the `postgres` user. It is stopped by
 * stop(), at process exit or on SIGINT/SIGTERM if a test forgot or failed, and by a small
 * watchdog if this process is killed outright.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

export interface PgCluster {
  /** Connection URL for a database on this cluster. */
  url(database?: string): string;
  createDatabase(name: string): Promise<string>;
  stop(): void;
}

export interface ClusterOptions {
  /** Durability off (fsync, synchronous_commit): for tests, where only correctness counts. */
  fast?: boolean;
}

function serverBin(): string {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).filter((v) => existsSync(join(root, v, 'bin', 'postgres'))).sort((a, b) => Number(b) - Number(a)) : [];
  if (!versions[0]) {
    throw new Error('PostgreSQL server binaries are missing: install Debian\'s postgresql package (npm test does this when run as root)');
  }
  return join(root, versions[0], 'bin');
}

function postgresUser(): { uid: number; gid: number } | null {
  if (process.getuid?.() !== 0) return null;
  const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
  return { uid: id('-u'), gid: id('-g') };
}

function asOwner(command: string, args: string[], user: { uid: number } | null): [string, string[]] {
  return user ? ['runuser', ['-u', 'postgres', '--', command, ...args]] : [command, args];
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function waitUntilReady(url: string, child: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`PostgreSQL exited during start-up:\n${log()}`);
    const client = new pg.Client({ connectionString: url });
    try {
      await client.connect();
      await client.end();
      return;
    } catch {
      await client.end().catch(() => undefined);
      if (Date.now() > deadline) throw new Error(`PostgreSQL did not accept connections within 30 s:\n${log()}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

export async function startPostgres(options: ClusterOptions = {}): Promise<PgCluster> {
  const bin = serverBin();
  const user = postgresUser();
  const dir = mkdtempSync(join(tmpdir(), 'cordial-pg-'));
  const data = join(dir, 'data');
  if (user) chownSync(dir, user.uid, user.gid);
  const [initCmd, initArgs] = asOwner(join(bin, 'initdb'), ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8', '--locale=C'], user);
  execFileSync(initCmd, initArgs, { stdio: 'pipe' });

  const port = await freePort();
  const settings = ['-c', 'listen_addresses=127.0.0.1', '-c', `unix_socket_directories=${dir}`, '-c', 'max_connections=60', '-c', 'shared_buffers=128MB'];
  if (options.fast) settings.push('-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off');
  const [cmd, args] = asOwner(join(bin, 'postgres'), ['-D', data, '-p', String(port), ...settings], user);
  const child = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    log = (log + chunk.toString()).slice(-4000);
  });

  const [stopCmd, stopArgs] = asOwner(join(bin, 'pg_ctl'), ['-D', data, '-m', 'immediate', '-w', 'stop'], user);
  // The watchdog outlives a SIGKILLed test process just long enough to stop the server.
  const quoted = [stopCmd, ...stopArgs].map((a) => `'${a}'`).join(' ');
  spawn('sh', ['-c', `while kill -0 ${process.pid} 2>/dev/null && kill -0 ${child.pid} 2>/dev/null; do sleep 1; done; ${quoted} >/dev/null 2>&1; rm -rf '${dir}'`], {
    detached: true,
    stdio: 'ignore',
  }).unref();

  let stopped = false;
  const onSignal = (signal: NodeJS.Signals) => {
    stop();
    process.kill(process.pid, signal);
  };
  const stop = () => {
    if (stopped) return;
    stopped = true;
    process.off('exit', stop);
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    try {
      execFileSync(stopCmd, stopArgs, { stdio: 'pipe' });
    } catch {
      child.kill('SIGKILL');
    }
    rmSync(dir, { recursive: true, force: true });
  };
  process.on('exit', stop);
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  const url = (database = 'postgres') => `postgres://postgres@127.0.0.1:${port}/${database}`;
  try {
    await waitUntilReady(url(), child, () => log);
  } catch (err) {
    stop();
    throw err;
  }
  return {
    url,
    async createDatabase(name) {
      const client = new pg.Client({ connectionString: url() });
      await client.connect();
      try {
        await client.query(`CREATE DATABASE "${name}"`);
      } finally {
        await client.end();
      }
      return url(name);
    },
    stop,
  };
}
