/**
 * A centre on a real port for the IT tests: console users call it as a browser would
 * (cookie and CSRF header), real kiosks enrol and sync with it. Its clock is the kiosks'
 * hand-moved clock, so records and codes agree on the time.
 */
import { generateKeyPairSync } from 'node:crypto';
import { BACKENDS, openTestDatabase, type Backend, type TestDatabase } from '../sync/support/backends';
import { ManualClock } from '../support/clock';
import { MORNING } from '../support/kiosk';
import { CONSOLE_TABLES, consoleSessionAs, startConsoleCentre, type ConsoleSession } from './support/console-session';
import { CONSOLE_API, itPath, type ConsoleRole } from '../../src/shared/console/contract';
import type { Centre } from '../../server/src/app';
import type { CentreDb } from '../../server/src/db/sql';
import type { CentreOptions } from '../../server/src/options';

export { BACKENDS, type Backend };

export interface Answer {
  status: number;
  body: Record<string, unknown>;
  text: string;
  headers: Headers;
}

export interface ItCentre {
  url: string;
  centre: Centre;
  db: CentreDb;
  clock: ManualClock;
  /** A console user of the role, signed in through the real sign-in route. */
  as(role: ConsoleRole, departmentCode?: string | null, username?: string): Promise<ConsoleSession>;
  /** A console call as a browser page makes it: the session cookie, and the CSRF header unless told not to. */
  call(session: ConsoleSession | null, method: string, route: string, options?: { params?: Record<string, string | number>; query?: Record<string, string>; body?: unknown; csrf?: boolean }): Promise<Answer>;
  /** The raw /v1 API with a bearer token (kiosks and scripts). */
  v1(method: string, path: string, token: string | null, body?: unknown, headers?: Record<string, string>): Promise<Answer>;
  close(): Promise<void>;
}

async function answer(response: Response): Promise<Answer> {
  const text = await response.text();
  let body: Record<string, unknown> = {};
  try {
    body = text ? (JSON.parse(text) as Record<string, unknown>) : {};
  } catch {
    body = {};
  }
  return { status: response.status, body, text, headers: response.headers };
}

/** One database per suite; each test empties it through reset(). */
export async function openItDatabase(backend: Backend): Promise<TestDatabase> {
  const database = await openTestDatabase(backend);
  return {
    ...database,
    reset: async () => {
      await database.reset();
      await database.db.exec(`TRUNCATE ${CONSOLE_TABLES.join(', ')} RESTART IDENTITY CASCADE`);
    },
  };
}

export async function startItCentre(db: CentreDb, clock = new ManualClock(MORNING), options: Partial<CentreOptions> = {}): Promise<ItCentre> {
  const started = await startConsoleCentre({ now: () => clock.now(), projectAfterMs: 20, enrolRateLimit: { perSecond: 100, burst: 100 }, ...options }, db);
  const url = await started.app.listen({ host: '127.0.0.1', port: 0 });
  return {
    url,
    centre: started.centre,
    db,
    clock,
    as: (role, departmentCode = null, username) => consoleSessionAs(started, role, departmentCode, username),
    async call(session, method, route, o = {}) {
      const headers: Record<string, string> = {};
      if (session) {
        headers.cookie = session.headers.cookie;
        if (o.csrf !== false) headers['x-cordial-csrf'] = session.csrfToken;
      }
      if (o.body !== undefined) headers['content-type'] = 'application/json';
      const query = o.query ? `?${new URLSearchParams(o.query).toString()}` : '';
      const response = await fetch(`${url}${CONSOLE_API}${itPath(route, o.params)}${query}`, { method, headers, body: o.body === undefined ? undefined : JSON.stringify(o.body) });
      return answer(response);
    },
    async v1(method, path, token, body, extra = {}) {
      const headers: Record<string, string> = { ...extra };
      if (token) headers.authorization = `Bearer ${token}`;
      if (body !== undefined) headers['content-type'] = 'application/json';
      return answer(await fetch(`${url}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) }));
    },
    close: () => started.centre.close(),
  };
}

/** A public key a kiosk would register, for enrolments made by hand. */
export function terminalKey(): string {
  return generateKeyPairSync('ed25519').publicKey.export({ format: 'der', type: 'spki' }).toString('base64');
}

export const count = async (db: CentreDb, table: string, where = 'true'): Promise<number> =>
  Number((await db.query<{ n: number }>(`SELECT count(*)::integer AS n FROM ${table} WHERE ${where}`))[0]!.n);
