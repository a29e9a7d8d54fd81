/**
 * npm start: Cordial in Electron when its runtime is installed and there is a display;
 * otherwise the browser shell, which says why and prints the two screens' one-time addresses.
 */
import { spawn } from 'node:child_process';
import { parseArgs } from 'node:util';
import { resolveDataDir } from '../core/paths';
import { StartupError } from '../core/errors';
import { startBrowserShell } from '../host/server';
import { buildElectron, buildRenderer } from '../../scripts/build';
import { findElectron } from './electron';

const DEFAULT_PORT = 8620;

const { values } = parseArgs({
  options: {
    'data-dir': { type: 'string' },
    port: { type: 'string' },
    'browser-shell': { type: 'boolean', default: false },
    /** Use the screens already built by npm run build. */
    'no-build': { type: 'boolean', default: false },
  },
});

async function main(): Promise<void> {
  // Everything Cordial writes (database, settings, log, exports) is for this user only.
  process.umask(0o077);
  const dataDir = resolveDataDir(values['data-dir'] ? ['--data-dir', values['data-dir']] : [], process.env);
  const electron = values['browser-shell'] ? { reason: '--browser-shell was given' } : findElectron();

  if ('binary' in electron) {
    console.log('Building Cordial…');
    await buildRenderer();
    await buildElectron();
    const child = spawn(electron.binary, ['.', '--data-dir', dataDir], { stdio: 'inherit' });
    child.on('exit', (code) => process.exit(code ?? 0));
    return;
  }

  console.log(`Cordial is starting in the browser shell, because ${electron.reason}.`);
  if (!values['no-build']) {
    console.log('Building the screens…');
    await buildRenderer();
  }
  const port = values.port ? Number(values.port) : DEFAULT_PORT;
  let shell;
  try {
    shell = await startBrowserShell({ dataDir, port, demoSeed: true });
  } catch (err) {
    if (values.port || !/in use/.test((err as Error).message)) throw err;
    console.log(`Port ${DEFAULT_PORT} is taken; using a free one.`);
    shell = await startBrowserShell({ dataDir, port: 0, demoSeed: true });
  }
  console.log(`
Cordial is running (data folder: ${dataDir}).
  Citizen screen: ${shell.citizenUrl}
  Staff panel:    ${shell.staffUrl}
Open each in a browser (for a kiosk: chromium --kiosk '<address>'). Each address works once:
it pairs the browser that opens it with that screen. Press Ctrl+C to stop.`);
  const setupCode = shell.runtime.adminSetupCode;
  if (setupCode) {
    console.log(`
No admin PIN is set yet. To set it in the staff panel (系统设置), type this one-time
setup code with the new PIN: ${setupCode}
(or set it here with: npm run cli -- set-admin-pin)`);
  }

  const stop = async () => {
    await shell.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

main().catch((err: unknown) => {
  const message = err instanceof StartupError || err instanceof Error ? err.message : String(err);
  console.error(`Cordial could not start: ${message}`);
  process.exit(1);
});
