/**
 * Console sessions: the cookie holds a random id, the database only its hash. A session
 * ends when unused for the idle time, at its absolute end, at sign-out, or when its user
 * is disabled or has their password reset.
 */
import { randomBytes } from 'node:crypto';
import type { Sql } from '../db/sql';
import { tokenHash } from '../http/tokens';
import type { AccountPolicy } from '../options';
import { USER_COLUMNS, type UserRow } from './users';

export type SessionRow = {
  id_hash: string;
  user_id: number;
  csrf_token: string;
  created_at: number;
  last_seen_at: number;
  expires_at: number;
};

export interface OpenSession {
  /** The cookie value; only its hash is stored. */
  cookieValue: string;
  csrfToken: string;
  expiresAt: number;
}

// A busy page must not write on every request; a minute of slack on a 30-minute idle limit is harmless.
const TOUCH_EVERY_MS = 60_000;

export async function openSession(db: Sql, userId: number, now: number, policy: AccountPolicy, address: string | null): Promise<OpenSession> {
  const cookieValue = randomBytes(32).toString('base64url');
  const csrfToken = randomBytes(32).toString('base64url');
  const expiresAt = now + policy.sessionAbsoluteMs;
  await db.query(
    'INSERT INTO console_sessions (id_hash, user_id, csrf_token, created_at, last_seen_at, expires_at, address) VALUES ($1, $2, $3, $4, $4, $5, $6)',
    [tokenHash(cookieValue), userId, csrfToken, now, expiresAt, address],
  );
  await db.query('DELETE FROM console_sessions WHERE user_id = $1 AND (expires_at <= $2 OR last_seen_at <= $3)', [userId, now, now - policy.sessionIdleMs]);
  return { cookieValue, csrfToken, expiresAt };
}

/** The live session behind a cookie and its (enabled) user, or null: then the person signs in again. */
export async function loadSession(db: Sql, cookieValue: string, now: number, policy: AccountPolicy): Promise<{ session: SessionRow; user: UserRow } | null> {
  const idHash = tokenHash(cookieValue);
  const rows = await db.query<SessionRow & { u: UserRow }>(
    `SELECT s.id_hash, s.user_id, s.csrf_token, s.created_at, s.last_seen_at, s.expires_at,
            (SELECT row_to_json(x) FROM (SELECT ${USER_COLUMNS} FROM console_users WHERE id = s.user_id) x) AS u
       FROM console_sessions s WHERE s.id_hash = $1`,
    [idHash],
  );
  const row = rows[0];
  if (!row) return null;
  const session: SessionRow = { ...row, created_at: Number(row.created_at), last_seen_at: Number(row.last_seen_at), expires_at: Number(row.expires_at) };
  const user = row.u;
  if (now >= session.expires_at || now - session.last_seen_at >= policy.sessionIdleMs || user.disabled) {
    await db.query('DELETE FROM console_sessions WHERE id_hash = $1', [idHash]);
    return null;
  }
  if (now - session.last_seen_at >= TOUCH_EVERY_MS) {
    await db.query('UPDATE console_sessions SET last_seen_at = $2 WHERE id_hash = $1', [idHash, now]);
    session.last_seen_at = now;
  }
  return { session, user };
}

export async function endSession(db: Sql, idHash: string): Promise<void> {
  await db.query('DELETE FROM console_sessions WHERE id_hash = $1', [idHash]);
}

/** Every session of a user: sign-out everywhere, a disabled account, a reset password. */
export async function endSessionsOf(db: Sql, userId: number): Promise<number> {
  const rows = await db.query('DELETE FROM console_sessions WHERE user_id = $1 RETURNING id_hash', [userId]);
  return rows.length;
}
