/**
 * npm run build: the renderer (Vite) and the Electron main and preload bundles (esbuild).
 * Native modules stay outside the bundles; electron-builder unpacks them from the asar.
 */
import { build as esbuild } from 'esbuild';
import { build as viteBuild } from 'vite';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const native = ['electron', 'better-sqlite3', 'serialport', '@serialport/*'];

export async function buildRenderer(): Promise<void> {
  await viteBuild({ configFile: `${root}/vite.config.ts`, logLevel: 'warn' });
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
  console.log('built dist/renderer, dist/main/main.js and dist/preload/preload.cjs');
}
