// Layering: a file's folder says where it runs, and these rules say what it may import.
//   src/shared   pure TypeScript, runs everywhere: no Node, no DOM, no Electron, no React
//   src/core     plain Node: the kiosk core (no Electron, React, DOM, serial driver)
//   src/device   plain Node: keypad drivers (no Electron, React, DOM, core)
//   src/main     Electron main process
//   src/preload  Electron preload: electron's contextBridge and src/shared only
//   src/renderer browser: React and src/shared only
//   src/host     plain Node: browser shell (no Electron, React)
//   src/cli, src/launch, src/app  plain Node entry points and composition
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const folders = ['shared', 'core', 'device', 'main', 'preload', 'renderer', 'host', 'cli', 'launch', 'app'];

/** Import patterns that reach into the given src/ folders from anywhere in src/. */
function folderPatterns(names) {
  return names.map((name) => ({
    group: [`**/${name}/**`],
    message: `src/${name} is outside this layer (see eslint.config.js).`,
  }));
}

const domGlobals = ['window', 'document', 'navigator', 'localStorage', 'sessionStorage', 'location', 'HTMLElement'].map(
  (name) => ({ name, message: 'The DOM does not exist in this layer.' }),
);

function layer(files, { allowFolders, forbidPackages, dom = false }) {
  const paths = forbidPackages.map((name) => ({ name, message: `${name} may not be imported in ${files[0]}.` }));
  const patterns = [
    ...folderPatterns(folders.filter((f) => !allowFolders.includes(f))),
    ...(forbidPackages.includes('node:*')
      ? [{ group: ['node:*'], message: 'Node built-ins may not be imported in this layer.' }]
      : []),
    ...forbidPackages.filter((p) => p !== 'node:*').map((p) => ({ group: [`${p}/*`], message: `${p} may not be imported here.` })),
  ];
  return {
    files,
    rules: {
      'no-restricted-imports': ['error', { paths: paths.filter((p) => p.name !== 'node:*'), patterns }],
      ...(dom ? {} : { 'no-restricted-globals': ['error', ...domGlobals] }),
    },
  };
}

const nodeBuiltins = ['fs', 'path', 'os', 'crypto', 'child_process', 'net', 'http', 'events', 'stream', 'url', 'util'];

export default tseslint.config(
  { ignores: ['.tmp/**', 'node_modules/**', 'dist/**', 'out/**', 'release/**', 'test-artifacts/**', 'coverage/**', 'server/node_modules/**', 'server/dist/**'] },
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
    allowFolders: ['shared'],
    forbidPackages: ['node:*', ...nodeBuiltins, 'electron', 'react', 'react-dom', 'better-sqlite3', 'serialport', 'ws'],
  }),
  layer(['src/core/**'], {
    allowFolders: ['shared', 'core'],
    forbidPackages: ['electron', 'react', 'react-dom', 'serialport', 'ws'],
  }),
  layer(['src/device/**'], {
    allowFolders: ['shared', 'device'],
    forbidPackages: ['electron', 'react', 'react-dom', 'better-sqlite3'],
  }),
  layer(['src/host/**'], {
    allowFolders: ['shared', 'core', 'device', 'host', 'app'],
    forbidPackages: ['electron', 'react', 'react-dom'],
  }),
  layer(['src/cli/**', 'src/launch/**', 'src/app/**'], {
    allowFolders: ['shared', 'core', 'device', 'host', 'cli', 'launch', 'app'],
    forbidPackages: ['electron', 'react', 'react-dom'],
  }),
  layer(['src/main/**'], {
    allowFolders: ['shared', 'core', 'device', 'main', 'app'],
    forbidPackages: ['react', 'react-dom'],
  }),
  layer(['src/preload/**'], {
    allowFolders: ['shared', 'preload'],
    forbidPackages: ['node:*', ...nodeBuiltins, 'react', 'react-dom', 'better-sqlite3', 'serialport', 'ws'],
  }),
  layer(['src/renderer/**'], {
    allowFolders: ['shared', 'renderer'],
    forbidPackages: ['node:*', ...nodeBuiltins, 'electron', 'better-sqlite3', 'serialport', 'ws'],
    dom: true,
  }),
);
