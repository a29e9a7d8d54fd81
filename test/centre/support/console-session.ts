/**
 * A signed-in console user for tests: the account is written straight into the database
 * (as an admin would create it), then signed in through the real sign-in route, so the
 * cookie and CSRF token are the ones a browser would hold.
 */
import type { FastifyInstance } from 'fastify';
import { hashPassword } from '../../../server/src/accounts/passwords';
import { buildCentre, type Centre } from '../../../server/src/app';
import { migrateCentre } from '../../../server/src/db/migrate';
import { openPglite } from '../../../server/src/db/pglite';
import type { CentreDb, Sql } from '../../../server/src/db/sql';
import type { CentreOptions } from '../../../server/src/options';
import { CONSOLE_API, CONSOLE_ROUTES, CSRF_HEADER, SESSION_COOKIE, type ConsoleRole, type ConsoleUser, type SessionInfo } from '../../../src/shared/console/contract';

export const CONSOLE_PASSWORD = 'correct-horse-battery';

/** The account tables, for a test database's reset (TRUNCATE … CASCADE). */
export const CONSOLE_TABLES = ['console_users', 'console_sessions', 'console_sign_in_failures', 'console_setup_tokens', 'console_audit'];

export interface ConsoleSession {
  user: ConsoleUser;
  /** The bare cookie value (for a browser context's addCookies). */
  cookieValue: string;
  csrfToken: string;
  /** Cookie and CSRF headers, for app.inject or fetch. */
  headers: { cookie: string; [CSRF_HEADER]: string };
}

export interface TestAccount {
  username: string;
  role: ConsoleRole;
  departmentCode?: string | null;
  displayName?: string;
  password?: string;
}

export async function addConsoleUser(db: Sql, account: TestAccount): Promise<void> {
  await db.query('INSERT INTO console_users (username, display_name, role, department_code, password_hash, created_at) VALUES ($1, $2, $3, $4, $5, $6)', [
    account.username,
    account.displayName ?? account.username,
    account.role,
    account.departmentCode ?? null,
    await hashPassword(account.password ?? CONSOLE_PASSWORD),
    Date.now(),
  ]);
}

export async function signInConsole(app: FastifyInstance, username: string, password = CONSOLE_PASSWORD): Promise<ConsoleSession> {
  const response = await app.inject({ method: 'POST', url: `${CONSOLE_API}${CONSOLE_ROUTES.session}`, payload: { username, password } });
  if (response.statusCode !== 200) throw new Error(`sign-in of ${username} failed: ${response.statusCode} ${response.body}`);
  const info = response.json<SessionInfo>();
  const setCookie = String(response.headers['set-cookie'] ?? '');
  const match = new RegExp(`${SESSION_COOKIE}=([^;]+)`).exec(setCookie);
  if (!match) throw new Error(`sign-in of ${username} set no session cookie`);
  const cookieValue = match[1]!;
  return { user: info.user, cookieValue, csrfToken: info.csrfToken, headers: { cookie: `${SESSION_COOKIE}=${cookieValue}`, [CSRF_HEADER]: info.csrfToken } };
}

/** A new user of the role (named after it unless given), signed in. */
export async function consoleSessionAs(
  centre: { app: FastifyInstance; db: Sql },
  role: ConsoleRole,
  departmentCode: string | null = null,
  username = `${role.replace('_', '-')}-${departmentCode ?? 'all'}`.toLowerCase(),
): Promise<ConsoleSession> {
  await addConsoleUser(centre.db, { username, role, departmentCode });
  return signInConsole(centre.app, username);
}

/** A centre on in-memory PGlite whose clock the test moves (`clock.now += ms`); inject only, no port. */
export async function startConsoleCentre(
  options: Partial<CentreOptions> = {},
  db?: CentreDb,
  /** Runs before the app is ready: test routes and hooks. */
  prepare?: (app: FastifyInstance, centre: Centre) => void,
): Promise<{ centre: Centre; app: FastifyInstance; db: CentreDb; clock: { now: number }; close(): Promise<void> }> {
  const database = db ?? (await openPglite(undefined));
  await migrateCentre(database);
  const clock = { now: Date.UTC(2026, 2, 2, 9, 0) };
  const centre = buildCentre(database, { adminToken: 'console-test-admin-token-0123456789', logger: false, now: () => clock.now, ...options });
  prepare?.(centre.app, centre);
  await centre.app.ready();
  return {
    centre,
    app: centre.app,
    db: database,
    clock,
    async close() {
      await centre.close();
      if (!db) await database.close();
    },
  };
}
