/**
 * Whether the console build on disk is at least as new as every source it is built from, so a
 * browser test never runs against a page from before the change it tests.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CONSOLE_DIST } from '../../../server/src/console-files';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const SOURCES = ['server/console/src', 'server/console/index.html', 'src/shared'];

function newest(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(path).reduce((latest, name) => Math.max(latest, newest(join(path, name))), stat.mtimeMs);
}

export function consoleBuildIsFresh(): boolean {
  const built = join(CONSOLE_DIST, 'index.html');
  if (!existsSync(built)) return false;
  const sources = SOURCES.map((s) => join(ROOT, s)).filter((s) => existsSync(s));
  return statSync(built).mtimeMs >= Math.max(...sources.map(newest));
}
