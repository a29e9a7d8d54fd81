/**
 * First start: while the centre has no admin, it makes a one-time setup token, kept only as
 * a hash, and prints a link carrying it; the link creates the first admin and then stops working.
 */
import { randomBytes } from 'node:crypto';
import { one, type Sql } from '../db/sql';
import { Refusal } from '../errors';
import { tokenHash } from '../http/tokens';
import type { AccountPolicy } from '../options';
import { hashPassword } from './passwords';
import { insertUser, type UserRow } from './users';

const SETUP_LOCK_KEY = 4_711_2031;

export async function adminExists(db: Sql): Promise<boolean> {
  return (await one(db, "SELECT 1 FROM console_users WHERE role = 'admin' LIMIT 1")) !== undefined;
}

/** A new setup token while no admin exists (null once one does). */
export async function issueSetupToken(db: Sql, now: number, policy: AccountPolicy): Promise<{ token: string; expiresAt: number } | null> {
  if (await adminExists(db)) {
    await db.query('DELETE FROM console_setup_tokens');
    return null;
  }
  const token = randomBytes(24).toString('base64url');
  const expiresAt = now + policy.setupTokenMs;
  await db.query('DELETE FROM console_setup_tokens WHERE expires_at <= $1', [now]);
  await db.query('INSERT INTO console_setup_tokens (token_hash, expires_at) VALUES ($1, $2)', [tokenHash(token), expiresAt]);
  return { token, expiresAt };
}

export interface FirstAdmin {
  setupToken: string;
  username: string;
  displayName: string;
  password: string;
}

/** Creates the first admin with a valid token, once: a second try gets 409, a wrong token 403. */
export async function createFirstAdmin(db: Sql, input: FirstAdmin, now: number): Promise<UserRow> {
  const passwordHash = await hashPassword(input.password);
  return db.transaction(async (tx) => {
    // Two people opening the link at once must not make two first admins.
    await tx.query('SELECT pg_advisory_xact_lock($1)', [SETUP_LOCK_KEY]);
    if (await adminExists(tx)) throw new Refusal(409, 'already-set-up', 'this centre already has an admin; sign in, or ask an admin for an account').because('accounts.already_set_up');
    const token = await one(tx, 'SELECT 1 FROM console_setup_tokens WHERE token_hash = $1 AND expires_at > $2', [tokenHash(input.setupToken), now]);
    if (!token) throw new Refusal(403, 'setup-token-invalid', 'this setup link is wrong or has expired; restart the centre to print a new one').because('accounts.setup_link_invalid');
    const user = await insertUser(tx, { username: input.username, displayName: input.displayName, role: 'admin', departmentCode: null, passwordHash }, now);
    if (!user) throw new Refusal(409, 'username-taken', `the user name ${input.username} is taken; choose another`).because('accounts.username_taken', { username: input.username });
    await tx.query('DELETE FROM console_setup_tokens');
    return user;
  });
}
