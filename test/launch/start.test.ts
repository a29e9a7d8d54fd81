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
      expect((await fetch(citizen, { redirect: 'manual' })).status).toBe(303);
      const paired = await fetch(staff, { redirect: 'manual' });
      const cookie = (paired.headers.get('set-cookie') ?? '').split(';')[0]!;
      const page = await fetch(new URL(paired.headers.get('location')!, staff), { headers: { Cookie: cookie } });
      expect(await page.text()).toContain('<div id="root">');
      await expect.poll(() => out).toMatch(/setup code with the new PIN: \d{8}/);
    } finally {
      child.kill('SIGTERM');
    }
    const code = await new Promise((resolve) => child.on('exit', resolve));
    expect(code).toBe(0);
  });

  it('prints one-time addresses: no screen token in its output, and a copied address opens nothing', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/launch/start.ts', '--data-dir', tempDir(), '--port', '0', '--no-build', '--browser-shell'], { cwd: root });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    try {
      await expect.poll(() => out, { timeout: 20_000 }).toMatch(/Staff panel: +http/);
      const staff = /Staff panel: +(\S+)/.exec(out)![1]!;
      expect(out).not.toMatch(/token=/);
      // The screen that opens the address first is paired with a cookie scripts on the page cannot read.
      const first = await fetch(staff, { redirect: 'manual' });
      expect(first.status).toBe(303);
      const cookie = first.headers.get('set-cookie') ?? '';
      expect(cookie).toContain('HttpOnly');
      const token = /=([^;]+)/.exec(cookie)![1]!;
      expect(out).not.toContain(token);
      // Anyone reading the address later, from the process list or the journal, gets nothing.
      const copied = await fetch(staff, { redirect: 'manual' });
      expect(copied.status).toBe(403);
      expect(copied.headers.get('set-cookie')).toBeNull();
    } finally {
      child.kill('SIGTERM');
    }
    expect(await new Promise((resolve) => child.on('exit', resolve))).toBe(0);
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
