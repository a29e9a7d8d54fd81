/** Signing in and out, the first admin, and changing one's own password. */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  CONSOLE_API,
  CONSOLE_ROLES,
  CONSOLE_ROUTES,
  ChangeOwnPasswordBody,
  SetupBody,
  SignInBody,
  type SessionInfo,
} from '../../../src/shared/console/contract';
import { Refusal } from '../errors';
import { jsonBody } from '../http/body';
import { parseWith } from '../http/parse';
import { writeAudit } from './audit';
import { clearSessionCookie, setSessionCookie } from './cookies';
import { consoleGuard, signedInOfRequest, type ConsoleGuardDeps } from './guard';
import { AddressFailures, countFailure, forgetFailures, lockRemaining, lockedOut, usernameKey } from './lockout';
import { dummyHash, hashPassword, passwordMatches } from './passwords';
import { endSession, endSessionsOf, openSession } from './sessions';
import { adminExists, createFirstAdmin } from './setup';
import { findUser, toConsoleUser, type UserRow } from './users';

const path = (route: string) => `${CONSOLE_API}${route}`;

export function registerSessionRoutes(app: FastifyInstance, deps: ConsoleGuardDeps): void {
  const { db, options } = deps;
  const policy = options.accounts;
  const addressFailures = new AddressFailures(policy.addressFailures, options.now);
  const anyone = consoleGuard(deps, CONSOLE_ROLES);

  async function startSession(request: FastifyRequest, reply: FastifyReply, user: UserRow): Promise<SessionInfo> {
    const now = options.now();
    await db.query('UPDATE console_users SET last_sign_in_at = $2 WHERE id = $1', [user.id, now]);
    const session = await openSession(db, Number(user.id), now, policy, request.ip);
    setSessionCookie(request, reply, session.cookieValue, policy.sessionAbsoluteMs);
    return { user: toConsoleUser({ ...user, last_sign_in_at: now }), csrfToken: session.csrfToken };
  }

  app.get(path(CONSOLE_ROUTES.session), { onRequest: anyone }, async (request) => {
    const signedIn = signedInOfRequest(request);
    return { user: signedIn.user, csrfToken: signedIn.csrfToken } satisfies SessionInfo;
  });

  app.post(path(CONSOLE_ROUTES.session), async (request, reply) => {
    const body = parseWith(SignInBody, jsonBody(request).value);
    const address = request.ip;
    addressFailures.check(address);
    const key = usernameKey(body.username);
    const user = await findUser(db, body.username.trim());
    // An unknown name runs the same scrypt as a wrong password: neither answer nor timing tells them apart.
    const matches = await passwordMatches(body.password, user?.password_hash ?? (await dummyHash()));
    const now = options.now();
    const actor = user?.username ?? null;
    const waitMs = await lockRemaining(db, key, now);
    if (waitMs > 0) {
      await writeAudit(db, now, { action: 'sign_in_failed', actor, detail: user ? 'refused while the name is locked out' : 'an unknown user name was tried while locked out', address });
      throw lockedOut(waitMs);
    }
    if (!user || !matches) {
      addressFailures.record(address);
      const lockMs = await countFailure(db, key, now, policy);
      await writeAudit(db, now, { action: 'sign_in_failed', actor, detail: user ? 'wrong password' : 'an unknown user name was tried', address });
      if (lockMs > 0) {
        await writeAudit(db, now, { action: 'locked_out', actor, detail: `locked for ${Math.round(lockMs / 1000)} s after repeated wrong passwords`, address });
        throw lockedOut(lockMs);
      }
      throw new Refusal(401, 'sign-in-failed', 'the user name or the password is wrong; check both and try again').because('accounts.sign_in_failed');
    }
    if (user.disabled) {
      await writeAudit(db, now, { action: 'sign_in_failed', actor, detail: 'the account is disabled', address });
      throw new Refusal(403, 'forbidden', 'this account is disabled; ask an admin to enable it').because('accounts.account_disabled');
    }
    await forgetFailures(db, key);
    const info = await startSession(request, reply, user);
    await writeAudit(db, now, { action: 'sign_in', actor, address });
    return info;
  });

  app.delete(path(CONSOLE_ROUTES.session), { onRequest: anyone }, async (request, reply) => {
    const { person } = signedInOfRequest(request);
    await endSession(db, person.sessionId);
    await writeAudit(db, options.now(), { action: 'sign_out', actor: person.username, address: request.ip });
    clearSessionCookie(request, reply);
    return reply.code(204).send();
  });

  app.post(path(CONSOLE_ROUTES.signOutEverywhere), { onRequest: anyone }, async (request, reply) => {
    const signedIn = signedInOfRequest(request);
    const ended = await endSessionsOf(db, signedIn.userId);
    await writeAudit(db, options.now(), { action: 'sign_out_everywhere', actor: signedIn.person.username, detail: `${ended} sessions ended`, address: request.ip });
    clearSessionCookie(request, reply);
    return reply.code(204).send();
  });

  app.get(path(CONSOLE_ROUTES.setup), async () => ({ needed: !(await adminExists(db)) }));

  app.post(path(CONSOLE_ROUTES.setup), async (request, reply) => {
    const body = parseWith(SetupBody, jsonBody(request).value);
    const admin = await createFirstAdmin(db, body, options.now());
    const info = await startSession(request, reply, admin);
    await writeAudit(db, options.now(), { action: 'setup', actor: admin.username, detail: 'the first admin was created with the setup link', address: request.ip });
    return info;
  });

  app.post(path(CONSOLE_ROUTES.password), { onRequest: anyone }, async (request, reply) => {
    const body = parseWith(ChangeOwnPasswordBody, jsonBody(request).value);
    const signedIn = signedInOfRequest(request);
    const user = await findUser(db, signedIn.person.username);
    if (!user) throw new Refusal(401, 'unauthorized', 'your account no longer exists; sign in again').because('accounts.account_gone');
    // A session left open must not become a way to guess the password behind it.
    const key = usernameKey(user.username);
    const waitMs = await lockRemaining(db, key, options.now());
    if (waitMs > 0) throw lockedOut(waitMs);
    if (!(await passwordMatches(body.currentPassword, user.password_hash))) {
      const lockMs = await countFailure(db, key, options.now(), policy);
      if (lockMs > 0) throw lockedOut(lockMs);
      throw new Refusal(403, 'sign-in-failed', 'the current password is wrong; your password was not changed').because('accounts.current_password_wrong');
    }
    const passwordHash = await hashPassword(body.newPassword);
    await db.transaction(async (tx) => {
      await tx.query('UPDATE console_users SET password_hash = $2 WHERE id = $1', [user.id, passwordHash]);
      // Whoever else held a session with the old password loses it; this browser stays signed in.
      await tx.query('DELETE FROM console_sessions WHERE user_id = $1 AND id_hash <> $2', [user.id, signedIn.person.sessionId]);
    });
    await writeAudit(db, options.now(), { action: 'password_changed', actor: user.username, detail: 'changed their own password', address: request.ip });
    return reply.code(204).send();
  });
}
