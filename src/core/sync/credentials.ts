/**
 * The terminal's credentials, in its own database (table sync_credentials): the bearer
 * token the centre issued at enrolment, and the Ed25519 key pair made then, whose private
 * half signs offline bundles. The token is never logged or shown.
 */
import { createPrivateKey, generateKeyPairSync, sign } from 'node:crypto';
import type { Db } from '../store/database';

export interface Credentials {
  centreUrl: string;
  terminalId: string;
  windowNo: string;
  token: string;
  signingKey: string;
  enrolledAt: number;
  /** The centre's public key (SPKI SHA-256, base64) recorded at enrolment when IT asked to pin it; null: not pinned. */
  centrePin?: string | null;
}

export function readCredentials(db: Db): Credentials | null {
  const row = db
    .prepare(`SELECT centre_url AS centreUrl, terminal_id AS terminalId, window_no AS windowNo, token, signing_key AS signingKey,
      enrolled_at AS enrolledAt, centre_pin AS centrePin FROM sync_credentials WHERE id = 1`)
    .get() as Credentials | undefined;
  return row ?? null;
}

export function saveCredentials(db: Db, c: Credentials): void {
  db.prepare(`INSERT INTO sync_credentials (id, centre_url, terminal_id, window_no, token, signing_key, enrolled_at, centre_pin)
      VALUES (1, @centreUrl, @terminalId, @windowNo, @token, @signingKey, @enrolledAt, @centrePin)
      ON CONFLICT (id) DO UPDATE SET centre_url = excluded.centre_url, terminal_id = excluded.terminal_id, window_no = excluded.window_no,
        token = excluded.token, signing_key = excluded.signing_key, enrolled_at = excluded.enrolled_at, centre_pin = excluded.centre_pin`).run({ ...c, centrePin: c.centrePin ?? null });
}

/** A rotated token replaces the old one; nothing else about the enrolment changes. */
export function saveRotatedToken(db: Db, token: string): void {
  db.prepare('UPDATE sync_credentials SET token = ? WHERE id = 1').run(token);
}

/** A fresh signing key pair: the private key (PKCS#8 DER) and public key (SPKI DER), base64. */
export function newSigningKeys(): { privateKey: string; publicKey: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return {
    privateKey: privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64'),
    publicKey: publicKey.export({ format: 'der', type: 'spki' }).toString('base64'),
  };
}

/** Signs text with the terminal's enrolment key: base64 Ed25519 signature. */
export function signWithEnrolmentKey(credentials: Credentials, text: string): string {
  const key = createPrivateKey({ key: Buffer.from(credentials.signingKey, 'base64'), format: 'der', type: 'pkcs8' });
  return sign(null, Buffer.from(text, 'utf8'), key).toString('base64');
}
