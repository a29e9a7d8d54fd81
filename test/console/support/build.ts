/** The console's build, made once if this test file runs before `npm run build` has. */
import { existsSync } from 'node:fs';
import { buildConsole } from '../../../scripts/build';
import { CONSOLE_DIST } from '../../../server/src/console-files';

export async function ensureConsoleBuilt(): Promise<void> {
  if (!existsSync(`${CONSOLE_DIST}/index.html`)) await buildConsole();
}
