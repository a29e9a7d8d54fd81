/**
 * npm run build: the renderer (Vite) and the Electron main and preload bundles (esbuild).
 * Native modules stay outside the bundles; electron-builder unpacks them from the asar.
 */
import { build as esbuild } from 'esbuild';
import { build as viteBuild } from 'vite';
import { fileURLToPath } from 'node:url';
import { readdirSync, readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

const root = fileURLToPath(new URL('..', import.meta.url));
export const CONSOLE_BUDGET_KB = 450;
const native = ['electron', 'better-sqlite3', 'serialport', '@serialport/*'];

export async function buildRenderer(): Promise<void> {
  await viteBuild({ configFile: `${root}/vite.config.ts`, logLevel: 'warn' });
}

/** The centre console, served by the centre at /; its gzip size is held to the budget the issue sets. */
export async function buildConsole(): Promise<number> {
  await viteBuild({ configFile: `${root}/server/console/vite.config.ts`, logLevel: 'warn' });
  const assets = `${root}/server/console/dist/assets`;
  const bytes = readdirSync(assets).reduce((n, f) => n + gzipSync(readFileSync(`${assets}/${f}`)).length, 0);
  const kb = Math.round(bytes / 1024);
  if (kb > CONSOLE_BUDGET_KB) throw new Error(`the console bundle is ${kb} KB gzip, over its ${CONSOLE_BUDGET_KB} KB budget`);
  return kb;
}

export async function buildElectron(): Promise<void> {
  await esbuild({
    entryPoints: [`${root}/src/main/main.ts`],
    outfile: `${root}/dist/main/main.js`,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    external: native,
    banner: { js: "import { createRequire as __cordialRequire } from 'node:module'; const require = __cordialRequire(import.meta.url);" },
    logLevel: 'warning',
  });
  // A sandboxed preload must be one CommonJS file.
  await esbuild({
    entryPoints: [`${root}/src/preload/preload.ts`],
    outfile: `${root}/dist/preload/preload.cjs`,
    bundle: true,
    platform: 'browser',
    format: 'cjs',
    target: 'chrome130',
    external: ['electron'],
    logLevel: 'warning',
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await buildRenderer();
  await buildElectron();
  const consoleKb = await buildConsole();
  console.log(`built dist/renderer, dist/main/main.js, dist/preload/preload.cjs and server/console/dist (${consoleKb} KB gzip)`);
}
