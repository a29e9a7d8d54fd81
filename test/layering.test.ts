import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

// The layering is enforced by eslint.config.js; these cases prove the rule bites.
const eslint = new ESLint({ cwd: new URL('..', import.meta.url).pathname });

async function importErrors(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: file });
  const layerRules = ['cordial/layers', 'no-restricted-imports', 'no-restricted-globals'];
  return (result?.messages ?? []).filter((m) => m.ruleId !== null && layerRules.includes(m.ruleId)).map((m) => m.message);
}

describe('layering rules', () => {
  it('keeps Electron, React and the DOM out of the core', async () => {
    expect(await importErrors('src/core/x.ts', "import { app } from 'electron';\nexport const a = app;")).toHaveLength(1);
    expect(await importErrors('src/core/x.ts', "import React from 'react';\nexport const r = React;")).toHaveLength(1);
    expect(await importErrors('src/core/x.ts', 'export const t = document.title;')).toEqual(["Unexpected use of 'document'. The DOM does not exist in this layer."]);
    expect(await importErrors('src/core/x.ts', "import { transition } from '../renderer/app';\nexport const t = transition;")).toHaveLength(1);
  });

  it('keeps src/shared free of Node, so it runs in the renderer too', async () => {
    expect(await importErrors('src/shared/x.ts', "import { readFileSync } from 'node:fs';\nexport const r = readFileSync;")).toHaveLength(1);
    expect(await importErrors('src/shared/x.ts', "import { Kiosk } from '../core/kiosk';\nexport const k = Kiosk;")).toHaveLength(1);
    expect(await importErrors('src/shared/x.ts', "import { z } from 'zod';\nexport const s = z.string();")).toEqual([]);
  });

  it('keeps the keypad driver from reaching into the core, and the renderer from Node', async () => {
    expect(await importErrors('src/device/x.ts', "import { Kiosk } from '../core/kiosk';\nexport const k = Kiosk;")).toHaveLength(1);
    expect(await importErrors('src/renderer/x.ts', "import { Kiosk } from '../core/kiosk';\nexport const k = Kiosk;")).toHaveLength(1);
    expect(await importErrors('src/renderer/x.ts', "import { spawn } from 'node:child_process';\nexport const s = spawn;")).toHaveLength(1);
    expect(await importErrors('src/preload/x.ts', "import { Database } from 'better-sqlite3';\nexport const d = Database;")).toHaveLength(1);
  });

  it('allows what each layer is for', async () => {
    expect(await importErrors('src/core/x.ts', "import { isPoor } from '../shared/levels';\nimport Database from 'better-sqlite3';\nexport const a = [isPoor, Database];")).toEqual([]);
    expect(await importErrors('src/main/x.ts', "import { app } from 'electron';\nimport { Kiosk } from '../core/kiosk';\nexport const a = [app, Kiosk];")).toEqual([]);
  });

  it('judges an import by the folder it reaches, bare folder and index included', async () => {
    expect(await importErrors('src/core/x.ts', "import { startKeypadLink } from '../device';\nexport const s = startKeypadLink;")).toEqual([
      'src/device is outside this layer (see eslint.config.js).',
    ]);
    expect(await importErrors('src/device/x.ts', "import { Kiosk } from '../core';\nexport const k = Kiosk;")).toHaveLength(1);
    expect(await importErrors('src/shared/x.ts', "export { Kiosk } from '../core/index';")).toHaveLength(1);
    expect(await importErrors('src/renderer/x.ts', "export * from '../core/../device';")).toHaveLength(1);
    // A folder's own index, reached from below, is still the same layer.
    expect(await importErrors('src/core/sync/x.ts', "import { Kiosk } from '..';\nexport const k = Kiosk;")).toEqual([]);
  });

  it('lets the centre server import src/shared only, never the kiosk core, drivers or shells', async () => {
    expect(await importErrors('server/src/reports/x.ts', "import { isPoor } from '../../../src/shared/levels';\nexport const p = isPoor;")).toEqual([]);
    expect(await importErrors('server/src/x.ts', "import { verifyChain } from '../../src/core/outbox/outbox';\nexport const v = verifyChain;")).toEqual([
      'src/core is outside this layer (see eslint.config.js).',
    ]);
    expect(await importErrors('server/src/x.ts', "import { Crk1Driver } from '../../src/device';\nexport const d = Crk1Driver;")).toHaveLength(1);
    for (const shell of ['app/runtime', 'host/server', 'main/main', 'renderer/App', 'cli/cordial']) {
      expect(await importErrors('server/src/x.ts', `import * as shell from '../../src/${shell}';\nexport const s = shell;`)).toHaveLength(1);
    }
  });

  it('keeps the centre console to src/shared and its own folder, in the browser', async () => {
    const consoleFile = 'server/console/charts/x.ts';
    expect(await importErrors(consoleFile, "import { isPoor } from '../../../src/shared/levels';\nimport { Panel } from '../panel';\nexport const a = [isPoor, Panel];")).toEqual([]);
    // One level less and the same text lands in the server's code.
    expect(await importErrors(consoleFile, "import { ingest } from '../../src/ingest/batch';\nexport const i = ingest;")).toEqual([
      'server/src is outside this layer (see eslint.config.js).',
    ]);
    expect(await importErrors(consoleFile, "import { Kiosk } from '../../../src/core/kiosk';\nexport const k = Kiosk;")).toHaveLength(1);
    expect(await importErrors(consoleFile, "import { readFile } from 'node:fs/promises';\nexport const r = readFile;")).toHaveLength(1);
    expect(await importErrors(consoleFile, "import Fastify from 'fastify';\nexport const f = Fastify;")).toHaveLength(1);
    expect(await importErrors(consoleFile, 'export const t = document.title;')).toEqual([]);
  });
});
