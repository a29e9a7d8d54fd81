/**
 * The centre's phone vault: callback phones are sealed at rest with AES-256-GCM under a
 * data key that never enters the database, and found again by a keyed hash, so a database
 * dump alone shows no number and a citizen's number is found without decrypting every row
 * (docs/data-protection.md). Two keys are derived from the data key with HKDF: one seals,
 * one hashes.
 */
import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { maskPhone } from '../../../src/shared/privacy';
import { Refusal } from '../errors';

const SEALED = /^v1:([A-Za-z0-9+/]+={0,2})$/;

/** What each place that keeps a phone stores of it. */
export interface SealedPhone {
  /** What screens and exports show: 138****5678. */
  masked: string;
  /** v1: + base64 of IV (12 bytes), tag (16) and ciphertext. */
  sealed: string;
  /** The keyed hash, to find every row holding one number. */
  key: string;
}

export class PhoneVault {
  private readonly sealKey: Buffer;
  private readonly lookupKey: Buffer;

  constructor(dataKey: Buffer) {
    if (dataKey.length !== 32) throw new Error(`the data key must be 32 bytes; this one is ${dataKey.length}`);
    this.sealKey = Buffer.from(hkdfSync('sha256', dataKey, Buffer.alloc(0), 'cordial phone seal', 32));
    this.lookupKey = Buffer.from(hkdfSync('sha256', dataKey, Buffer.alloc(0), 'cordial phone lookup', 32));
  }

  seal(phone: string): SealedPhone {
    const number = normalisePhone(phone);
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.sealKey, iv);
    const body = Buffer.concat([cipher.update(number, 'utf8'), cipher.final()]);
    return { masked: maskPhone(number), sealed: `v1:${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64')}`, key: this.lookup(number) };
  }

  open(sealed: string): string {
    const m = SEALED.exec(sealed);
    if (!m) throw new Error('the stored phone is not in a sealed form this centre reads');
    const raw = Buffer.from(m[1]!, 'base64');
    const decipher = createDecipheriv('aes-256-gcm', this.sealKey, raw.subarray(0, 12));
    decipher.setAuthTag(raw.subarray(12, 28));
    try {
      return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
    } catch {
      throw new Refusal(409, 'wrong-state', 'the stored phone cannot be opened with this data key: the centre runs with a different CORDIAL_DATA_KEY or data-key file than the one it was sealed with; ask IT to restore the right key').because('privacy.data_key_mismatch');
    }
  }

  /** The keyed hash of a number, as stored in phone_key columns. */
  lookup(phone: string): string {
    return createHmac('sha256', this.lookupKey).update(normalisePhone(phone), 'utf8').digest('hex');
  }
}

/**
 * Parses a body whose `phone` the contract may refuse, and gives that refusal `reason`, so the
 * console says in its reader's language what a phone must look like (the English sentence stays).
 */
export function parsingPhone<T>(reason: 'appointments.phone_invalid' | 'privacy.phone_invalid', parse: () => T): T {
  try {
    return parse();
  } catch (err) {
    if (err instanceof Refusal && err.reason?.reason === 'general.input_invalid' && err.reason.fields?.field === 'phone') throw err.because(reason);
    throw err;
  }
}

/** The form a number is sealed and hashed in: no spaces or dashes, so 0551-1234567 and 05511234567 are one number. */
export function normalisePhone(phone: string): string {
  return phone.replace(/[\s-]/g, '');
}

/**
 * The data key: CORDIAL_DATA_KEY (64 hex digits or base64 of 32 bytes), else the file
 * named by CORDIAL_DATA_KEY_FILE, else `data-key` in the data folder, made on first start
 * with mode 0600. `created` says the centre just made one, for its log.
 */
export function resolveDataKey(env: NodeJS.ProcessEnv, dataDir: string): { key: Buffer; source: string; created: boolean } {
  const fromEnv = env.CORDIAL_DATA_KEY?.trim();
  if (fromEnv) return { key: parseKey(fromEnv, 'CORDIAL_DATA_KEY'), source: 'CORDIAL_DATA_KEY', created: false };
  const named = env.CORDIAL_DATA_KEY_FILE?.trim();
  if (named) {
    if (!existsSync(named)) throw new Error(`CORDIAL_DATA_KEY_FILE names ${named}, which does not exist: restore the key file, or unset it to let the centre make one`);
    return { key: parseKey(readFileSync(named, 'utf8').trim(), named), source: named, created: false };
  }
  const file = join(dataDir, 'data-key');
  let created = false;
  if (!existsSync(file)) {
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(file, `${randomBytes(32).toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
    chmodSync(file, 0o600);
    created = true;
  }
  return { key: parseKey(readFileSync(file, 'utf8').trim(), file), source: file, created };
}

function parseKey(text: string, where: string): Buffer {
  const key = /^[0-9a-fA-F]{64}$/.test(text) ? Buffer.from(text, 'hex') : Buffer.from(text, 'base64');
  if (key.length !== 32) throw new Error(`${where} must hold a 32-byte key, as 64 hex digits or base64 (openssl rand -hex 32 makes one)`);
  return key;
}

let current: PhoneVault | null = null;

/** The vault this process seals with; main.ts sets it from resolveDataKey. Unset (tests), a key lives only in memory. */
export function phoneVault(): PhoneVault {
  current ??= new PhoneVault(randomBytes(32));
  return current;
}

export function useDataKey(key: Buffer): PhoneVault {
  current = new PhoneVault(key);
  return current;
}
