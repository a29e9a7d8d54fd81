/**
 * `npm run centre` on a new centre: it prints the console address and a one-time setup link,
 * and a person following the link over real HTTP becomes the first admin; on embedded PGlite
 * and on a PostgreSQL server given by DATABASE_URL.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { CONSOLE_API, CONSOLE_ROUTES, type SessionInfo } from '../../src/shared/console/contract';
import { startPostgres, type PgCluster } from '../sync/support/postgres';
import { tempDir } from '../support/tmp';

let cluster: PgCluster | null = null;
let child: ChildProcess | null = null;

afterEach(async () => {
  if (child && child.exitCode === null) {
    const exited = new Promise((resolve) => child!.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }
  child = null;
});
afterAll(() => cluster?.stop());

async function startCentreProcess(env: Record<string, string>): Promise<{ output: () => string; setupLink: string; consoleUrl: string }> {
  const dataDir = join(tempDir(), 'centre');
  child = spawn(process.execPath, ['--import', 'tsx', 'server/src/main.ts', '--data-dir', dataDir, '--host', '127.0.0.1', '--port', '0'], {
    env: { ...process.env, CORDIAL_ADMIN_TOKEN: 'first-start-admin-token-0123456789', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const link = await new Promise<RegExpExecArray | null>((resolve) => {
    const look = () => {
      const match = /Open (http:\/\/\S+\/setup#token=\S+) in a browser[^\n]*\n\(the link works once/.exec(output);
      if (match) resolve(match);
    };
    child!.stdout!.on('data', (d: Buffer) => {
      output += d.toString();
      look();
    });
    child!.stderr!.on('data', (d: Buffer) => (output += d.toString()));
    child!.on('exit', () => resolve(null));
  });
  expect(link, output).not.toBeNull();
  const consoleUrl = /Centre console: (\S+)\//.exec(output)![1]!;
  return { output: () => output, setupLink: link![1]!, consoleUrl };
}

async function followSetupLink(setupLink: string, consoleUrl: string): Promise<void> {
  const token = new URL(setupLink).hash.replace('#token=', '');
  expect(new URL(setupLink).origin).toBe(consoleUrl);
  const post = (body: unknown) =>
    fetch(`${consoleUrl}${CONSOLE_API}${CONSOLE_ROUTES.setup}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const done = await post({ setupToken: token, username: 'it.admin', displayName: 'IT', password: 'first-admin-password' });
  expect(done.status).toBe(200);
  const cookie = /cordial_session=[^;]+/.exec(done.headers.get('set-cookie') ?? '')![0];
  const me = await fetch(`${consoleUrl}${CONSOLE_API}${CONSOLE_ROUTES.session}`, { headers: { cookie } });
  expect(((await me.json()) as SessionInfo).user).toMatchObject({ username: 'it.admin', role: 'admin' });
  expect((await post({ setupToken: token, username: 'second.admin', displayName: 'IT 2', password: 'first-admin-password' })).status).toBe(409);
}

describe('the first start of the centre process', () => {
  it('on embedded PGlite prints the console address and a setup link that makes the first admin', async () => {
    const started = await startCentreProcess({ DATABASE_URL: '' });
    expect(started.output()).toContain('PGlite');
    expect(started.output()).toMatch(/works once/);
    await followSetupLink(started.setupLink, started.consoleUrl);
  }, 90_000);

  it('on a PostgreSQL server from DATABASE_URL does the same, and prints no link once an admin exists', async () => {
    cluster = await startPostgres({ fast: true });
    const databaseUrl = await cluster.createDatabase('centre');
    const first = await startCentreProcess({ DATABASE_URL: databaseUrl });
    await followSetupLink(first.setupLink, first.consoleUrl);
    const exited = new Promise((resolve) => child!.once('exit', resolve));
    child!.kill('SIGTERM');
    await exited;

    const dataDir = join(tempDir(), 'again');
    child = spawn(process.execPath, ['--import', 'tsx', 'server/src/main.ts', '--data-dir', dataDir, '--host', '127.0.0.1', '--port', '0'], {
      env: { ...process.env, CORDIAL_ADMIN_TOKEN: 'first-start-admin-token-0123456789', DATABASE_URL: databaseUrl },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    await new Promise<void>((resolve) => {
      child!.stdout!.on('data', (d: Buffer) => {
        output += d.toString();
        if (output.includes('Centre console:')) resolve();
      });
      child!.on('exit', () => resolve());
    });
    expect(output).toContain('Centre console:');
    expect(output).not.toContain('setup#token=');
  }, 120_000);
});
