import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { findElectron } from '../../src/launch/electron';
import { tempDir } from '../support/tmp';

const root = fileURLToPath(new URL('../..', import.meta.url));

describe('npm start', () => {
  it('falls back to the browser shell where the Electron runtime is missing, says why, and serves both screens', async () => {
    expect(existsSync(`${root}/dist/renderer/citizen.html`), 'the test command builds the screens first').toBe(true);
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/launch/start.ts', '--data-dir', tempDir(), '--port', '0', '--no-build'], {
      cwd: root,
      env: { ...process.env, DISPLAY: '' },
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    try {
      await expect.poll(() => out, { timeout: 20_000 }).toMatch(/Staff panel: +http/);
      expect(out).toContain('Cordial is starting in the browser shell, because the Electron runtime is not installed');
      const citizen = /Citizen screen: +(\S+)/.exec(out)![1]!;
      const staff = /Staff panel: +(\S+)/.exec(out)![1]!;
      expect(new URL(citizen).hostname).toBe('127.0.0.1');
      expect((await fetch(citizen)).status).toBe(200);
      expect(await (await fetch(staff)).text()).toContain('<div id="root">');
    } finally {
      child.kill('SIGTERM');
    }
    const code = await new Promise((resolve) => child.on('exit', resolve));
    expect(code).toBe(0);
  });

  it('finds the Electron runtime only where it was installed and a display exists, and says why not', () => {
    const pkg = tempDir();
    expect(findElectron({ DISPLAY: ':0' }, null)).toEqual({ reason: 'the electron package is not installed (run npm ci)' });
    expect(findElectron({ DISPLAY: ':0' }, pkg)).toEqual({ reason: expect.stringContaining('Electron runtime is not installed') });
    writeFileSync(join(pkg, 'path.txt'), 'electron');
    mkdirSync(join(pkg, 'dist'));
    writeFileSync(join(pkg, 'dist', 'electron'), '');
    if (process.platform === 'linux') expect(findElectron({}, pkg)).toEqual({ reason: 'there is no display to open windows on (DISPLAY is not set)' });
    expect(findElectron({ DISPLAY: ':0' }, pkg)).toEqual({ binary: join(pkg, 'dist', 'electron') });
  });
});
