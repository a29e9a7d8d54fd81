/**
 * The mobile page's window token: which window's QR code the citizen scanned, until when it
 * holds, and an HMAC-SHA256 over both with the centre's own secret (kept in suggestion_secret,
 * made on first use). A token that was changed, or whose time is past, is refused with a
 * sentence; the window asks for a fresh one (GET /v1/suggestion-link) and shows it as a QR code.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { CentreDb } from '../db/sql';

/** How long a token holds: a working day and a little more, so the window renews it each morning. */
export const SUGGESTION_TOKEN_MS = 26 * 3_600_000;

export interface WindowToken {
  windowNo: string;
  expiresAt: number;
}

let cached: { db: CentreDb; secret: Buffer } | null = null;

async function secretOf(db: CentreDb): Promise<Buffer> {
  if (cached?.db === db) return cached.secret;
  await db.query('INSERT INTO suggestion_secret (id, secret) VALUES (1, $1) ON CONFLICT (id) DO NOTHING', [randomBytes(32).toString('hex')]);
  const [row] = await db.query<{ secret: string }>('SELECT secret FROM suggestion_secret WHERE id = 1');
  cached = { db, secret: Buffer.from(row!.secret, 'hex') };
  return cached.secret;
}

const mac = (secret: Buffer, body: string) => createHmac('sha256', secret).update(body).digest('base64url');

export async function signWindowToken(db: CentreDb, t: WindowToken): Promise<string> {
  const body = Buffer.from(JSON.stringify({ w: t.windowNo, e: t.expiresAt })).toString('base64url');
  return `${body}.${mac(await secretOf(db), body)}`;
}

/** The window and expiry, or why not (a link past its time, or one not signed here) with the sentence for the log. */
export async function verifyWindowToken(
  db: CentreDb,
  token: string,
  now: number,
): Promise<{ ok: true; token: WindowToken } | { ok: false; reason: 'link-expired' | 'link-invalid'; sentence: string }> {
  const forged = { ok: false as const, reason: 'link-invalid' as const, sentence: '二维码无效，请重新扫描窗口屏幕上的二维码。This code is not valid: scan the code on the window’s screen again.' };
  const m = /^([A-Za-z0-9_-]{1,200})\.([A-Za-z0-9_-]{43})$/.exec(token);
  if (!m) return forged;
  const expected = Buffer.from(mac(await secretOf(db), m[1]!));
  const given = Buffer.from(m[2]!);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return forged;
  let parsed: { w?: unknown; e?: unknown };
  try {
    parsed = JSON.parse(Buffer.from(m[1]!, 'base64url').toString('utf8')) as { w?: unknown; e?: unknown };
  } catch {
    return forged;
  }
  if (typeof parsed.w !== 'string' || typeof parsed.e !== 'number') return forged;
  if (parsed.e <= now) return { ok: false, reason: 'link-expired', sentence: '二维码已过期，请重新扫描窗口屏幕上的二维码。This code has expired: scan the code on the window’s screen again.' };
  return { ok: true, token: { windowNo: parsed.w, expiresAt: parsed.e } };
}
