// Layering: a file's folder says where it runs, and these rules say what it may import.
//   src/shared   pure TypeScript, runs everywhere: no Node, no DOM, no Electron, no React
//   src/core     plain Node: the kiosk core (no Electron, React, DOM, serial driver)
//   src/device   plain Node: keypad drivers (no Electron, React, DOM, core)
//   src/main     Electron main process
//   src/preload  Electron preload: electron's contextBridge and src/shared only
//   src/renderer browser: React and src/shared only
//   src/host     plain Node: browser shell (no Electron, React)
//   src/cli, src/launch, src/app  plain Node entry points and composition
//   server       the centre (Node): src/shared only, never the kiosk's core, drivers or shells
//   server/console  the centre's browser console: src/shared and its own folder, no Node, no server code
import { dirname, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const root = dirname(fileURLToPath(import.meta.url));
const srcFolders = ['shared', 'core', 'device', 'main', 'preload', 'renderer', 'host', 'cli', 'launch', 'app'];

/** The layer a path belongs to ('src/core', 'server/src', 'server/console'), or null outside them all. */
function layerOf(file) {
  const path = relative(root, file).split(sep).join('/');
  const within = (folder) => path === folder || path.startsWith(`${folder}/`);
  const src = srcFolders.find((name) => within(`src/${name}`));
  if (src) return `src/${src}`;
  if (within('server/console')) return 'server/console';
  if (within('server')) return 'server/src';
  return null;
}

/**
 * Relative imports are resolved to the folder they reach, so '../device', '../device/index'
 * and '../../src/core' are all judged by where they land, which a glob on the text cannot do.
 */
const layerRule = {
  meta: {
    type: 'problem',
    schema: [{ type: 'object', properties: { allow: { type: 'array', items: { type: 'string' } } }, additionalProperties: false }],
  },
  create(context) {
    const allow = context.options[0]?.allow ?? [];
    const from = dirname(context.filename);
    const check = (source) => {
      if (!source || typeof source.value !== 'string' || !source.value.startsWith('.')) return;
      const target = layerOf(resolve(from, source.value));
      if (target && !allow.includes(target)) {
        context.report({ node: source, message: `${target} is outside this layer (see eslint.config.js).` });
      }
    };
    return {
      ImportDeclaration: (node) => check(node.source),
      ExportNamedDeclaration: (node) => check(node.source),
      ExportAllDeclaration: (node) => check(node.source),
      ImportExpression: (node) => check(node.source),
    };
  },
};

const domGlobals = ['window', 'document', 'navigator', 'localStorage', 'sessionStorage', 'location', 'HTMLElement'].map(
  (name) => ({ name, message: 'The DOM does not exist in this layer.' }),
);

function layer(files, { allow, forbidPackages, dom = false, ignores = [] }) {
  const paths = forbidPackages.map((name) => ({ name, message: `${name} may not be imported in ${files[0]}.` }));
  const patterns = [
    ...(forbidPackages.includes('node:*')
      ? [{ group: ['node:*'], message: 'Node built-ins may not be imported in this layer.' }]
      : []),
    ...forbidPackages.filter((p) => p !== 'node:*').map((p) => ({ group: [`${p}/*`], message: `${p} may not be imported here.` })),
  ];
  return {
    files,
    ignores,
    plugins: { cordial: { rules: { layers: layerRule } } },
    rules: {
      'cordial/layers': ['error', { allow }],
      'no-restricted-imports': ['error', { paths: paths.filter((p) => p.name !== 'node:*'), patterns }],
      ...(dom ? {} : { 'no-restricted-globals': ['error', ...domGlobals] }),
    },
  };
}

const nodeBuiltins = ['fs', 'path', 'os', 'crypto', 'child_process', 'net', 'http', 'events', 'stream', 'url', 'util'];

export default tseslint.config(
  { ignores: ['.tmp/**', 'node_modules/**', 'dist/**', 'out/**', 'release/**', 'test-artifacts/**', 'coverage/**', 'server/node_modules/**', 'server/dist/**', 'server/console/dist/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2023, sourceType: 'module' },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'off',
    },
  },
  layer(['src/shared/**'], {
    allow: ['src/shared'],
    forbidPackages: ['node:*', ...nodeBuiltins, 'electron', 'react', 'react-dom', 'better-sqlite3', 'serialport', 'ws'],
  }),
  layer(['src/core/**'], {
    allow: ['src/shared', 'src/core'],
    forbidPackages: ['electron', 'react', 'react-dom', 'serialport', 'ws'],
  }),
  layer(['src/device/**'], {
    allow: ['src/shared', 'src/device'],
    forbidPackages: ['electron', 'react', 'react-dom', 'better-sqlite3'],
  }),
  layer(['src/host/**'], {
    allow: ['src/shared', 'src/core', 'src/device', 'src/host', 'src/app'],
    forbidPackages: ['electron', 'react', 'react-dom'],
  }),
  layer(['src/cli/**', 'src/launch/**', 'src/app/**'], {
    allow: ['src/shared', 'src/core', 'src/device', 'src/host', 'src/cli', 'src/launch', 'src/app'],
    forbidPackages: ['electron', 'react', 'react-dom'],
  }),
  layer(['src/main/**'], {
    allow: ['src/shared', 'src/core', 'src/device', 'src/main', 'src/app'],
    forbidPackages: ['react', 'react-dom'],
  }),
  layer(['src/preload/**'], {
    allow: ['src/shared', 'src/preload'],
    forbidPackages: ['node:*', ...nodeBuiltins, 'react', 'react-dom', 'better-sqlite3', 'serialport', 'ws'],
  }),
  layer(['src/renderer/**'], {
    allow: ['src/shared', 'src/renderer'],
    forbidPackages: ['node:*', ...nodeBuiltins, 'electron', 'better-sqlite3', 'serialport', 'ws'],
    dom: true,
  }),
  layer(['server/**'], {
    ignores: ['server/console/**'],
    allow: ['src/shared', 'server/src'],
    forbidPackages: ['electron', 'react', 'react-dom', 'better-sqlite3', 'serialport'],
  }),
  // Written before the console is, so its first file already meets the rule.
  layer(['server/console/**'], {
    allow: ['src/shared', 'server/console'],
    forbidPackages: ['node:*', ...nodeBuiltins, 'electron', 'better-sqlite3', 'serialport', 'ws', 'fastify', 'pg', '@electric-sql/pglite'],
    dom: true,
  }),
);
