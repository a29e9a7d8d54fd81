/**
 * A real centre as a child process (`server/src/main.ts`, as `npm run centre` starts it) on
 * a temporary PGlite data folder, with what it prints kept: the address and the setup link.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ADMIN_TOKEN = 'console-test-admin-token-0123456789';
const ROOT = fileURLToPath(new URL('../../..', import.meta.url));

export interface CentreProcess {
  url: string;
  output(): string;
  /** The first-admin link the centre printed, waited for. */
  setupLink(): Promise<string>;
  stop(): Promise<void>;
}

/** On PGlite in a temporary folder, or on the PostgreSQL server `databaseUrl` names. */
export async function startCentreProcess(options: { databaseUrl?: string } = {}): Promise<CentreProcess> {
  const dataDir = mkdtempSync(join(tmpdir(), 'cordial-console-'));
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'server/src/main.ts', '--data-dir', dataDir, '--host', '127.0.0.1', '--port', '0'], {
    cwd: ROOT,
    env: { ...process.env, CORDIAL_ADMIN_TOKEN: ADMIN_TOKEN, DATABASE_URL: options.databaseUrl ?? '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let printed = '';
  child.stdout!.on('data', (chunk: Buffer) => (printed += chunk.toString('utf8')));
  child.stderr!.on('data', (chunk: Buffer) => (printed += chunk.toString('utf8')));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

  const waitFor = async (pattern: RegExp, what: string): Promise<RegExpExecArray> => {
    const deadline = Date.now() + 45_000;
    let done = false;
    void exited.then(() => (done = true));
    for (;;) {
      const match = pattern.exec(printed);
      if (match) return match;
      if (done || Date.now() > deadline) throw new Error(`the centre did not print ${what}; it printed:\n${printed}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };

  const listening = await waitFor(/listening on (http:\/\/127\.0\.0\.1:\d+)/, 'its address');
  return {
    url: listening[1]!,
    output: () => printed,
    setupLink: async () => (await waitFor(/(https?:\/\/\S+\/setup#token=[A-Za-z0-9_-]+)/, 'a setup link'))[1]!,
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await exited;
        clearTimeout(timer);
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
