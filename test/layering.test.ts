import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

// The layering is enforced by eslint.config.js; these cases prove the rule bites.
const eslint = new ESLint({ cwd: new URL('..', import.meta.url).pathname });

async function importErrors(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: file });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports' || m.ruleId === 'no-restricted-globals').map((m) => m.message);
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
});
