/** Whether this machine can run Cordial in Electron, and if not, why not. */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/**
 * The Electron binary, or why it cannot be used here. Reads what the electron package
 * recorded at install instead of requiring it, which would try to download it.
 */
export function findElectron(env: NodeJS.ProcessEnv = process.env, packageDir: string | null = electronPackageDir()): { binary: string } | { reason: string } {
  if (!packageDir) return { reason: 'the electron package is not installed (run npm ci)' };
  const pathFile = join(packageDir, 'path.txt');
  const binary = existsSync(pathFile) ? join(packageDir, 'dist', readFileSync(pathFile, 'utf8').trim()) : null;
  if (!binary || !existsSync(binary)) {
    return { reason: 'the Electron runtime is not installed on this machine (it was installed with ELECTRON_SKIP_BINARY_DOWNLOAD, or its download failed)' };
  }
  if (process.platform === 'linux' && !env.DISPLAY && !env.WAYLAND_DISPLAY) return { reason: 'there is no display to open windows on (DISPLAY is not set)' };
  return { binary };
}

function electronPackageDir(): string | null {
  try {
    return dirname(createRequire(import.meta.url).resolve('electron/package.json'));
  } catch {
    return null;
  }
}
