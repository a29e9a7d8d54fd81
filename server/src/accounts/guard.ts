/**
 * What every console route uses: an onRequest hook that finds the signed-in person from the
 * session cookie, refuses roles the route does not allow, and checks the CSRF token on
 * every state-changing request, all before Fastify reads the body. The terminals' and
 * scripts' bearer tokens (http/auth.ts) are untouched by it.
 */
import { timingSafeEqual } from 'node:crypto';
import type { FastifyRequest, onRequestAsyncHookHandler } from 'fastify';
import { ALL_DEPARTMENT_ROLES, CSRF_HEADER, type ConsoleRole, type ConsoleUser } from '../../../src/shared/console/contract';
import type { Sql } from '../db/sql';
import { Refusal } from '../errors';
import type { ResolvedOptions } from '../options';
import { sessionCookieOf } from './cookies';
import { loadSession } from './sessions';
import { toConsoleUser } from './users';

export interface Person {
  username: string;
  displayName: string;
  role: ConsoleRole;
  departmentCode: string | null;
  /** The stored hash of the session id: ends this one session. */
  sessionId: string;
}

/** What the guard needs: the routes' usual deps object fits. */
export interface ConsoleGuardDeps {
  db: Sql;
  options: Pick<ResolvedOptions, 'now' | 'accounts'>;
}

interface SignedIn {
  person: Person;
  user: ConsoleUser;
  userId: number;
  csrfToken: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The signed-in console user, set by consoleGuard. */
    signedIn?: SignedIn;
  }
}

const ROLE_NAMES: Record<ConsoleRole, string> = {
  admin: 'an admin',
  supervisor: 'a supervisor',
  department: 'a department head',
  follow_up: 'a follow-up officer',
  viewer: 'a viewer',
  evaluator: 'an evaluator',
};

function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** The signed-in person behind the request, or a 401 that asks them to sign in again. */
export async function signedInOf(deps: ConsoleGuardDeps, request: FastifyRequest): Promise<SignedIn> {
  const cookie = sessionCookieOf(request);
  const loaded = cookie ? await loadSession(deps.db, cookie, deps.options.now(), deps.options.accounts) : null;
  if (!loaded) throw new Refusal(401, 'unauthorized', 'you are not signed in, or your session has ended; sign in again').because('accounts.not_signed_in');
  const { session, user } = loaded;
  return {
    person: { username: user.username, displayName: user.display_name, role: user.role, departmentCode: user.department_code, sessionId: session.id_hash },
    user: toConsoleUser(user),
    userId: Number(user.id),
    csrfToken: session.csrf_token,
  };
}

/** The CSRF check for a state-changing request: the header must carry this session's token. */
export function checkCsrf(request: FastifyRequest, csrfToken: string): void {
  if (request.method === 'GET' || request.method === 'HEAD') return;
  const sent = request.headers[CSRF_HEADER];
  if (typeof sent !== 'string' || !sameToken(sent, csrfToken)) {
    throw new Refusal(403, 'csrf-token-invalid', `this change did not carry the page's security token (${CSRF_HEADER}); reload the page and try again`).because('accounts.csrf_token_invalid');
  }
}

/** onRequest hook for a console route: a live session, an allowed role, and the CSRF token on changes. */
export function consoleGuard(deps: ConsoleGuardDeps, allowed: readonly ConsoleRole[]): onRequestAsyncHookHandler {
  return async (request) => {
    const signedIn = await signedInOf(deps, request);
    if (!allowed.includes(signedIn.person.role)) {
      throw new Refusal(403, 'forbidden', `${ROLE_NAMES[signedIn.person.role]} may not use this part of the console; ask an admin if you need it`).because('accounts.role_not_allowed', { role: signedIn.person.role });
    }
    checkCsrf(request, signedIn.csrfToken);
    request.signedIn = signedIn;
  };
}

/** The person consoleGuard let through. */
export function personOf(request: FastifyRequest): Person {
  if (!request.signedIn) throw new Error('console route without consoleGuard');
  return request.signedIn.person;
}

/** The whole session behind the person, for the account routes. */
export function signedInOfRequest(request: FastifyRequest): SignedIn {
  if (!request.signedIn) throw new Error('console route without consoleGuard');
  return request.signedIn;
}

/**
 * The department a query may cover: a person limited to their own department gets it
 * (and a 403 for asking for another); a centre-wide role gets what it asked (undefined: all).
 */
export function departmentScope(person: Person, requested: string | undefined): string | undefined {
  if (ALL_DEPARTMENT_ROLES.includes(person.role)) return requested;
  if (person.departmentCode === null) {
    throw new Refusal(403, 'forbidden', 'your account belongs to no department; ask an admin to set your department').because('accounts.no_department');
  }
  if (requested !== undefined && requested !== person.departmentCode) {
    throw new Refusal(403, 'forbidden', `you may see only your own department (${person.departmentCode}), not ${requested}`).because('accounts.other_department', { own: person.departmentCode, requested });
  }
  return person.departmentCode;
}

/** Phone numbers and other personal data: never for evaluators (standard 11.3.3) or read-only viewers. */
export function mayRevealPersonalData(person: Person): boolean {
  return person.role !== 'evaluator' && person.role !== 'viewer';
}
