/**
 * The centre's phone vault on its own: sealing is randomised but the keyed hash is stable
 * (so a number is found without decrypting), a different data key cannot open a phone and
 * says so, and the data key comes from the environment, a key file, or a file the centre
 * makes readable by its owner only.
 */
import { randomBytes } from 'node:crypto';
import { statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PhoneVault, resolveDataKey } from '../../server/src/privacy/vault';
import { tempDir } from '../support/tmp';

describe('the phone vault', () => {
  it('seals a number differently each time, finds it by one keyed hash, and opens it only with its own key', () => {
    const vault = new PhoneVault(randomBytes(32));
    const a = vault.seal('13812345678');
    const b = vault.seal('138-1234-5678');
    expect(a.sealed).not.toBe(b.sealed);
    expect(a.sealed).not.toContain('13812345678');
    expect([a.masked, b.masked]).toEqual(['138****5678', '138****5678']);
    expect(a.key).toBe(b.key);
    expect(a.key).toBe(vault.lookup('138 1234 5678'));
    expect(vault.open(a.sealed)).toBe('13812345678');
    expect(() => new PhoneVault(randomBytes(32)).open(a.sealed)).toThrow(/cannot be opened with this data key.*CORDIAL_DATA_KEY/);
    // The console words it from its reason, in the reader's language.
    expect(() => new PhoneVault(randomBytes(32)).open(a.sealed)).toThrow(expect.objectContaining({ status: 409, reason: { reason: 'privacy.data_key_mismatch' } }));
    // Another centre's keyed hash of the same number is another value: the hash alone names no one.
    expect(new PhoneVault(randomBytes(32)).lookup('13812345678')).not.toBe(a.key);
  });

  it('takes the key from CORDIAL_DATA_KEY, from CORDIAL_DATA_KEY_FILE, or makes data-key with mode 0600 once', () => {
    const dir = tempDir();
    const made = resolveDataKey({}, dir);
    expect(made).toMatchObject({ source: join(dir, 'data-key'), created: true });
    expect(statSync(join(dir, 'data-key')).mode & 0o777).toBe(0o600);
    const again = resolveDataKey({}, dir);
    expect(again.created).toBe(false);
    expect(again.key.equals(made.key)).toBe(true);

    const hex = 'cd'.repeat(32);
    expect(resolveDataKey({ CORDIAL_DATA_KEY: hex }, dir).key.toString('hex')).toBe(hex);
    const file = join(tempDir(), 'key');
    writeFileSync(file, Buffer.from(hex, 'hex').toString('base64'));
    expect(resolveDataKey({ CORDIAL_DATA_KEY_FILE: file }, dir)).toMatchObject({ source: file, created: false });

    expect(() => resolveDataKey({ CORDIAL_DATA_KEY: 'short' }, dir)).toThrow(/must hold a 32-byte key.*openssl rand -hex 32/);
    expect(() => resolveDataKey({ CORDIAL_DATA_KEY_FILE: join(dir, 'nope') }, dir)).toThrow(/does not exist: restore the key file/);
  });
});
