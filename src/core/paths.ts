import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The data folder: `--data-dir`, else CORDIAL_DATA_DIR, else the OS default for the app
 * (the same folder Electron calls userData, so both shells share one database).
 */
export function resolveDataDir(argv: readonly string[], env: NodeJS.ProcessEnv, platform: NodeJS.Platform = process.platform): string {
  const flag = argv.findIndex((a) => a === '--data-dir' || a.startsWith('--data-dir='));
  if (flag >= 0) {
    const arg = argv[flag]!;
    const value = arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : argv[flag + 1];
    if (!value) throw new Error('--data-dir needs a folder');
    return resolve(value);
  }
  if (env.CORDIAL_DATA_DIR) return resolve(env.CORDIAL_DATA_DIR);
  const home = env.HOME ?? env.USERPROFILE ?? homedir();
  if (platform === 'win32') return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), 'Cordial');
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', 'Cordial');
  return join(env.XDG_CONFIG_HOME ?? join(home, '.config'), 'Cordial');
}

export const DATABASE_FILE = 'cordial.db';
/** Key presses between their ACK and their commit to the database (see store/press-journal.ts). */
export const JOURNAL_FILE = 'presses.journal';

/**
 * The folder Cordial is installed in (the one holding its package.json, migrations/ and
 * seed/), found by walking up from this module, so it holds from the TypeScript sources,
 * from a bundle in dist/, and from inside the packaged app.
 */
export function appRoot(from: string = fileURLToPath(import.meta.url)): string {
  let dir = dirname(from);
  for (;;) {
    if (existsSync(join(dir, 'migrations', '0001_init.sql')) && existsSync(join(dir, 'package.json'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`cannot find Cordial's folder (with migrations/) above ${from}`);
    dir = parent;
  }
}
