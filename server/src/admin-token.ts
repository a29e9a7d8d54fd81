import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { newToken } from './http/tokens';

/**
 * The admin token: CORDIAL_ADMIN_TOKEN when set, else the file `admin-token` in the data
 * folder, made on first start (readable by its owner only).
 */
export function resolveAdminToken(env: NodeJS.ProcessEnv, dataDir: string): { token: string; source: string } {
  const fromEnv = env.CORDIAL_ADMIN_TOKEN?.trim();
  if (fromEnv) {
    if (fromEnv.length < 24) throw new Error('CORDIAL_ADMIN_TOKEN is too short: use at least 24 random characters');
    return { token: fromEnv, source: 'CORDIAL_ADMIN_TOKEN' };
  }
  const file = join(dataDir, 'admin-token');
  if (!existsSync(file)) {
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(file, `${newToken('ca')}\n`, { mode: 0o600 });
  }
  return { token: readFileSync(file, 'utf8').trim(), source: file };
}
