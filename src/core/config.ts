/**
 * The kiosk's settings live in one JSON file, `config.json`, in the data folder. Every
 * field has a sensible default, so a fresh install starts without one.
 */
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { KioskConfig } from '../shared/config';
import { StartupError } from './errors';

export { KioskConfig };

export function defaultConfig(): KioskConfig {
  return KioskConfig.parse({});
}

export function parseConfig(input: unknown, where = 'the configuration'): KioskConfig {
  const parsed = KioskConfig.safeParse(input);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new StartupError('config_invalid', `${where} is not valid: ${issue?.path.join('.') || 'root'}: ${issue?.message}`);
}

export function configPath(dataDir: string): string {
  return join(dataDir, 'config.json');
}

export function loadConfig(dataDir: string): KioskConfig {
  const file = configPath(dataDir);
  if (!existsSync(file)) return defaultConfig();
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new StartupError('config_invalid', `${file} is not valid JSON: ${(err as Error).message}`);
  }
  return parseConfig(raw, file);
}

/** Writes atomically (temp file + rename), so a power cut never leaves half a file. */
export function saveConfig(dataDir: string, config: KioskConfig): void {
  const file = configPath(dataDir);
  const tmp = `${file}.tmp`;
  // It holds the admin PIN hash: created for this user only, never reusing a looser leftover.
  rmSync(tmp, { force: true });
  writeFileSync(tmp, `${JSON.stringify(config, null, 2)}\n`, { flush: true, mode: 0o600 });
  renameSync(tmp, file);
}
