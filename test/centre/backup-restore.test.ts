/**
 * The centre's backup and restore on its embedded database (docs/data-protection.md): a
 * snapshot taken from the running centre while a window is half-way through sending its
 * records, more records received after it, the centre killed (SIGKILL), the backup
 * restored with the centre command, the centre started again. The window then sends again
 * what the restored centre lost, and every record is held exactly once, with the same hash.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer, request as httpRequest, type Server } from 'node:http';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { backupFromRunning } from '../../server/src/cli/backup';
import { migrateCentre } from '../../server/src/db/migrate';
import { openPglite } from '../../server/src/db/pglite';
import { openPostgres } from '../../server/src/db/postgres';
import { tempDir } from '../support/tmp';
import { startCentre, type TestCentre } from '../sync/support/centre';
import { startPostgres } from '../sync/support/postgres';
import { enrolledClient, localRecords } from '../sync/support/sync';
import { openTerminal, recordUntil } from '../sync/support/terminal';

const ADMIN = 'backup-test-admin-token-0123456789abcdef';
const env = { ...process.env, CORDIAL_ADMIN_TOKEN: ADMIN, CORDIAL_DATA_KEY: 'ab'.repeat(32) };

/** The centre process on a data folder; resolves with its address once it listens. */
function startCentreProcess(dataDir: string, port = 0): Promise<{ child: ChildProcess; url: string; output: () => string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/src/main.ts', '--data-dir', dataDir, '--host', '127.0.0.1', '--port', String(port)], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => {
      output += d.toString();
      const m = /listening on (http:\/\/[^\s]+) /.exec(output);
      if (m) resolve({ child, url: m[1]!, output: () => output });
    });
    child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
    child.on('exit', (code) => reject(new Error(`the centre exited (${code}) before listening: ${output}`)));
  });
}

/** The centre command (backup, restore) run as IT would run it; resolves with its output once it exits 0. */
function centreCommand(args: string[], extraEnv: Record<string, string> = {}): Promise<string> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/src/main.ts', ...args], { env: { ...env, ...extraEnv }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  return new Promise((resolve, reject) => child.on('exit', (code) => (code === 0 ? resolve(output) : reject(new Error(`exit ${code}: ${output}`)))));
}

/** A forwarding proxy that can hold the window's Nth upload until the test lets it go. */
function gate(target: () => string): { server: Server; url: Promise<string>; holdUpload(n: number): Promise<void>; release(): void } {
  let uploads = 0;
  let holdAt = 0;
  let held: (() => void) | null = null;
  let arrived: () => void = () => undefined;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const forward = () => {
        const to = new URL(req.url!, target());
        const out = httpRequest(to, { method: req.method, headers: { ...req.headers, host: to.host } }, (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        });
        out.on('error', () => res.destroy());
        out.end(Buffer.concat(chunks));
      };
      if (req.url === '/v1/batches' && ++uploads === holdAt) {
        held = forward;
        arrived();
      } else forward();
    });
  });
  const url = new Promise<string>((resolve) => server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as { port: number }).port}`)));
  return {
    server,
    url,
    holdUpload(n) {
      uploads = 0;
      holdAt = n;
      return new Promise((resolve) => {
        arrived = resolve;
      });
    },
    release() {
      holdAt = 0;
      const go = held;
      held = null;
      go?.();
    },
  };
}

describe('a centre restored from a backup taken mid-ingest', () => {
  const cleanup: (() => unknown)[] = [];
  afterAll(async () => {
    for (const c of cleanup.reverse()) await c();
  });

  it('gets back, from the window, exactly the records it lost', async () => {
    const dataDir = tempDir();
    const backup = join(tempDir(), 'centre-backup.tar.gz');
    let centre = await startCentreProcess(dataDir);
    cleanup.push(() => centre.child.kill('SIGKILL'));
    const proxy = gate(() => centre.url);
    cleanup.push(() => proxy.server.close());
    const call: TestCentre['call'] = async (method, path, o = {}) => {
      const response = await fetch(`${centre.url}${path}`, { method, headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' }, body: JSON.stringify(o.body) });
      const text = await response.text();
      return { status: response.status, body: JSON.parse(text) as Record<string, unknown>, text, headers: response.headers };
    };
    const t = openTerminal({ windowNo: '7' });
    cleanup.push(() => t.kiosk.close());
    const { client } = await enrolledClient(t, { url: centre.url, call } as TestCentre, { centreUrl: await proxy.url, batchSize: 5 });

    recordUntil(t, 40);
    expect(await client.syncNow()).toMatchObject({ ok: true, sent: 40, pending: 0 });

    // Forty more: the snapshot is taken while the third batch of them waits on its way.
    recordUntil(t, 80);
    const third = proxy.holdUpload(3);
    const syncing = client.syncNow();
    await third;
    await backupFromRunning(centre.url, ADMIN, backup);
    proxy.release();
    expect(await syncing).toMatchObject({ ok: true, sent: 40, pending: 0 });

    recordUntil(t, 120);
    expect(await client.syncNow()).toMatchObject({ ok: true, sent: 40, pending: 0 });

    // The centre dies, and IT restores last night's backup over its data.
    const port = new URL(centre.url).port;
    centre.child.kill('SIGKILL');
    await new Promise((resolve) => centre.child.once('exit', resolve));
    await expect(centreCommand(['restore', backup, '--data-dir', dataDir])).rejects.toThrow(/already holds a database; add --replace/);
    expect(await centreCommand(['restore', backup, '--data-dir', dataDir, '--replace'])).toContain('Restored');
    const restored = await openPglite(join(dataDir, 'pg'));
    const held = await restored.query<{ high_water: number }>('SELECT high_water FROM terminal_epochs');
    await restored.close();
    expect(held.map((h) => Number(h.high_water))).toEqual([50]);

    centre = await startCentreProcess(dataDir, Number(port));
    // The window has nothing unsent until its next case; then the centre's answer sends it back to seq 51.
    recordUntil(t, 125);
    const answer = await client.syncNow();
    expect(answer).toMatchObject({ ok: true, pending: 0 });

    const local = localRecords(t).map((r) => [r.epoch, r.seq, r.hash]);
    const check = await call('GET', '/v1/health');
    expect(check.status).toBe(200);
    centre.child.kill('SIGTERM');
    await new Promise((resolve) => centre.child.once('exit', resolve));
    expect(existsSync(join(dataDir, 'pg'))).toBe(true);
    const db = await openPglite(join(dataDir, 'pg'));
    try {
      const records = await db.query<{ epoch: number; seq: number; hash: string }>('SELECT epoch, seq, hash FROM records ORDER BY epoch, seq');
      expect(records.map((r) => [Number(r.epoch), Number(r.seq), r.hash])).toEqual(local);
      expect(local).toHaveLength(125);
      const follow = await db.query<{ n: number; distinct_ratings: number }>('SELECT count(*)::integer AS n, count(DISTINCT rating_id)::integer AS distinct_ratings FROM follow_ups');
      const poor = t.kiosk.db.prepare("SELECT count(*) FROM ratings WHERE level IN ('dissatisfied', 'very_dissatisfied')").pluck().get() as number;
      expect(follow[0]).toEqual({ n: poor, distinct_ratings: poor });
    } finally {
      await db.close();
    }
  }, 300_000);

  it('on a PostgreSQL server, backs up with pg_dump and restores with pg_restore through the same commands', async () => {
    const cluster = await startPostgres({ fast: true });
    cleanup.push(() => cluster.stop());
    const url = await cluster.createDatabase('centre');
    const open = async () => {
      const db = openPostgres(url, { max: 5 });
      await migrateCentre(db);
      return { db, centre: await startCentre(db) };
    };
    let { db, centre } = await open();
    const t = openTerminal({ windowNo: '8' });
    cleanup.push(() => t.kiosk.close());
    // The window reaches the centre at one address, whichever process answers there.
    const proxy = gate(() => centre.url);
    cleanup.push(() => proxy.server.close());
    const { client } = await enrolledClient(t, centre, { centreUrl: await proxy.url });
    recordUntil(t, 30);
    expect(await client.syncNow()).toMatchObject({ ok: true, sent: 30 });

    const backup = join(tempDir(), 'centre.dump');
    expect(await centreCommand(['backup', backup, '--data-dir', tempDir()], { DATABASE_URL: url })).toContain('pg_dump');
    recordUntil(t, 60);
    expect(await client.syncNow()).toMatchObject({ ok: true, sent: 30 });

    // IT stops the centre, restores the dump, starts it again.
    await centre.close();
    await db.close();
    await expect(centreCommand(['restore', backup, '--data-dir', tempDir()], { DATABASE_URL: url })).rejects.toThrow(/already holds tables; add --replace/);
    expect(await centreCommand(['restore', backup, '--replace', '--data-dir', tempDir()], { DATABASE_URL: url })).toContain('pg_restore');
    ({ db, centre } = await open());
    expect((await db.query<{ high_water: number }>('SELECT high_water FROM terminal_epochs')).map((r) => Number(r.high_water))).toEqual([30]);

    recordUntil(t, 64);
    expect(await client.syncNow()).toMatchObject({ ok: true, pending: 0 });
    const records = await db.query<{ epoch: number; seq: number; hash: string }>('SELECT epoch, seq, hash FROM records ORDER BY epoch, seq');
    expect(records.map((r) => [Number(r.epoch), Number(r.seq), r.hash])).toEqual(localRecords(t).map((r) => [r.epoch, r.seq, r.hash]));
    expect(records).toHaveLength(64);
    await centre.close();
    await db.close();
  }, 300_000);
});
