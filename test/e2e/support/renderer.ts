/**
 * The built renderer for the browser tests. Built once per content of the sources it comes
 * from, into a folder of its own under the temp folder, by one test file while the others
 * wait; an unchanged renderer is not built again.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

export const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const INPUTS = ['src/renderer', 'src/shared', 'vite.config.ts', 'package-lock.json'];

function filesUnder(path: string): string[] {
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path, { withFileTypes: true }).flatMap((e) => filesUnder(join(path, e.name)));
}

function sourceHash(): string {
  const hash = createHash('sha256');
  for (const file of INPUTS.flatMap((p) => filesUnder(join(ROOT, p))).sort()) {
    hash.update(relative(ROOT, file)).update('\0').update(readFileSync(file)).update('\0');
  }
  return hash.digest('hex').slice(0, 20);
}

const ready = (dir: string) => existsSync(join(dir, 'citizen.html')) && existsSync(join(dir, 'staff.html'));

/** The folder of a renderer built from the current sources. */
export async function builtRenderer(): Promise<string> {
  const dir = join(tmpdir(), `cordial-renderer-${sourceHash()}`);
  const lock = `${dir}.lock`;
  for (;;) {
    if (ready(dir)) return dir;
    try {
      // One test file builds; the others wait for its result instead of building the same thing.
      mkdirSync(lock);
      break;
    } catch {
      // A lock left by a killed test run is taken over after a while.
      if (Date.now() - (statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? 0) > 120_000) rmSync(lock, { recursive: true, force: true });
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  try {
    if (!ready(dir)) await buildInto(dir);
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
  return dir;
}

async function buildInto(dir: string): Promise<void> {
  const staging = mkdtempSync(join(tmpdir(), 'cordial-renderer-build-'));
  // Vitest sets NODE_ENV=test, which would bundle React's development build.
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({ configFile: join(ROOT, 'vite.config.ts'), mode: 'production', logLevel: 'warn', build: { outDir: staging, emptyOutDir: true } });
  } finally {
    process.env.NODE_ENV = nodeEnv;
  }
  rmSync(dir, { recursive: true, force: true });
  renameSync(staging, dir);
}
