/** Start-up paths of the centre process. */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../support/tmp';

describe('the centre process', () => {
  it('creates a data folder that does not exist yet when the admin token comes from the environment', async () => {
    const dataDir = join(tempDir(), 'not', 'there', 'yet');
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/src/main.ts', '--data-dir', dataDir, '--host', '127.0.0.1', '--port', '0'], {
      env: { ...process.env, CORDIAL_ADMIN_TOKEN: 'startup-test-admin-token-0123456789' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const started = await new Promise<boolean>((resolve) => {
      child.stdout.on('data', (d: Buffer) => {
        output += d.toString();
        if (output.includes('listening on')) resolve(true);
      });
      child.stderr.on('data', (d: Buffer) => (output += d.toString()));
      child.on('exit', () => resolve(false));
    });
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
    expect(started, output).toBe(true);
    expect(output).toContain('admin token: CORDIAL_ADMIN_TOKEN');
    expect(existsSync(join(dataDir, 'pg'))).toBe(true);
  }, 60_000);
});
