import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';

interface BuilderConfig {
  [key: string]: unknown;
  win: { target: unknown };
  linux: { target: unknown };
  nsis: Record<string, unknown>;
  asar: boolean;
  asarUnpack: string[];
  electronFuses: Record<string, boolean>;
  files: string[];
  extraMetadata: { main: string };
}

// electron-builder cannot run here (it downloads Electron); this checks the configuration it would read.
const config = parse(readFileSync(new URL('../electron-builder.yml', import.meta.url), 'utf8')) as BuilderConfig;

describe('electron-builder.yml', () => {
  it('builds Windows NSIS x64 and Linux deb for x64 and arm64', () => {
    expect(config.win.target).toEqual([{ target: 'nsis', arch: ['x64'] }]);
    expect(config.linux.target).toEqual([{ target: 'deb', arch: ['x64', 'arm64'] }]);
  });

  it('installs per machine and never deletes app data on uninstall (it may hold unsynced records)', () => {
    expect(config.nsis.perMachine).toBe(true);
    expect(config.nsis.oneClick).toBe(false);
    expect(config.nsis.deleteAppDataOnUninstall).toBe(false);
  });

  it('unpacks native modules from the asar archive', () => {
    expect(config.asar).toBe(true);
    expect(config.asarUnpack).toEqual(expect.arrayContaining(['**/*.node', 'node_modules/better-sqlite3/**', 'node_modules/@serialport/bindings-cpp/**']));
  });

  it('hardens the Electron fuses', () => {
    expect(config.electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
    });
  });

  it('ships the migrations and points at an entry that package.json agrees with', () => {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { main: string };
    expect(config.files).toEqual(expect.arrayContaining(['migrations/**', 'dist/**']));
    expect(config.extraMetadata.main).toBe(pkg.main);
  });

  it('uses only keys electron-builder knows', async () => {
    // The schema ships with app-builder-lib; validate against it so a typo fails here, not on the build machine.
    const schema = JSON.parse(readFileSync(new URL('../node_modules/app-builder-lib/scheme.json', import.meta.url), 'utf8')) as {
      definitions: Record<string, { properties?: Record<string, unknown> }>;
      properties?: Record<string, unknown>;
    };
    const top = Object.keys(schema.definitions.Configuration?.properties ?? schema.properties ?? {});
    expect(top.length).toBeGreaterThan(50);
    for (const key of Object.keys(config)) expect(top, `unknown key ${key}`).toContain(key);
    const nsis = Object.keys(schema.definitions.NsisOptions?.properties ?? {});
    for (const key of Object.keys(config.nsis)) expect(nsis, `unknown nsis key ${key}`).toContain(key);
    const fuses = Object.keys(schema.definitions.FuseOptionsV1?.properties ?? {});
    for (const key of Object.keys(config.electronFuses)) expect(fuses, `unknown fuse ${key}`).toContain(key);
  });
});
