/**
 * The first admin, on embedded PGlite and on a real PostgreSQL server: the one-time setup
 * token makes exactly one, and the bearer tokens of terminals and scripts keep working
 * beside the console's sessions.
 */
import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { firstStartSetup } from '../../server/src/accounts/routes';
import { CONSOLE_API, CONSOLE_ROUTES, type AuditEntry, type SessionInfo } from '../../src/shared/console/contract';
import { BACKENDS, openTestDatabase, type TestDatabase } from '../sync/support/backends';
import { CONSOLE_TABLES, consoleSessionAs, startConsoleCentre } from './support/console-session';

const ADMIN_TOKEN = 'setup-test-admin-token-0123456789abcdef';
const url = (route: string) => `${CONSOLE_API}${route}`;
const errorOf = (body: string) => (JSON.parse(body) as { error: { code: string; message: string } }).error;
const firstAdmin = { username: 'zhang.wei', displayName: '张伟', password: 'a-long-first-password' };

describe.each(BACKENDS)('on %s', (backend) => {
  let database: TestDatabase;
  let h: Awaited<ReturnType<typeof startConsoleCentre>>;

  beforeAll(async () => {
    database = await openTestDatabase(backend);
  }, 90_000);
  afterAll(async () => {
    await h?.close();
    await database.close();
  });
  beforeEach(async () => {
    await h?.close();
    await database.reset();
    await database.db.exec(`TRUNCATE ${CONSOLE_TABLES.join(', ')} RESTART IDENTITY CASCADE`);
    h = await startConsoleCentre({ adminToken: ADMIN_TOKEN }, database.db);
  });

  const setup = (body: Record<string, unknown>) => h.app.inject({ method: 'POST', url: url(CONSOLE_ROUTES.setup), payload: body });
  const needed = async () => (await h.app.inject({ method: 'GET', url: url(CONSOLE_ROUTES.setup) })).json<{ needed: boolean }>().needed;

  it('the printed token creates the first admin, signed in at once, and cannot be used twice', async () => {
    expect(await needed()).toBe(true);
    const issued = await firstStartSetup(h.db, h.centre.options);
    expect(issued).not.toBeNull();

    const wrong = await setup({ ...firstAdmin, setupToken: 'x'.repeat(32) });
    expect(wrong.statusCode).toBe(403);
    expect(errorOf(wrong.body).message).toMatch(/restart the centre to print a new one/);
    const malformed = await setup({ ...firstAdmin, password: 'short', setupToken: issued!.token });
    expect(malformed.statusCode).toBe(400);
    expect(errorOf(malformed.body).message).toMatch(/at least 10 characters/);
    expect(await needed()).toBe(true);

    const done = await setup({ ...firstAdmin, setupToken: issued!.token });
    expect(done.statusCode).toBe(200);
    const info = done.json<SessionInfo>();
    expect(info.user).toMatchObject({ username: 'zhang.wei', displayName: '张伟', role: 'admin' });
    const cookie = /cordial_session=[^;]+/.exec(String(done.headers['set-cookie']))![0];
    const users = await h.app.inject({ method: 'GET', url: url(CONSOLE_ROUTES.users), headers: { cookie } });
    expect(users.statusCode).toBe(200);
    expect(await needed()).toBe(false);

    const again = await setup({ ...firstAdmin, username: 'someone.else', setupToken: issued!.token });
    expect(again.statusCode).toBe(409);
    expect(errorOf(again.body).message).toMatch(/already has an admin/);
    expect(await firstStartSetup(h.db, h.centre.options)).toBeNull();
    const entries = (await h.app.inject({ method: 'GET', url: url(CONSOLE_ROUTES.audit), headers: { cookie } })).json<{ entries: AuditEntry[] }>().entries;
    expect(entries.map((e) => [e.action, e.actor])).toEqual([['setup', 'zhang.wei']]);
  });

  it('two people opening the link at once make one admin, not two', async () => {
    const issued = await firstStartSetup(h.db, h.centre.options);
    const answers = await Promise.all([
      setup({ ...firstAdmin, setupToken: issued!.token }),
      setup({ ...firstAdmin, username: 'li.qiang', setupToken: issued!.token }),
    ]);
    expect(answers.map((a) => a.statusCode).sort()).toEqual([200, 409]);
    const admins = await h.db.query("SELECT username FROM console_users WHERE role = 'admin'");
    expect(admins.length).toBe(1);
  });

  it('a setup link expires', async () => {
    const issued = await firstStartSetup(h.db, h.centre.options);
    h.clock.now += 25 * 3_600_000;
    expect((await setup({ ...firstAdmin, setupToken: issued!.token })).statusCode).toBe(403);
    const fresh = await firstStartSetup(h.db, h.centre.options);
    expect((await setup({ ...firstAdmin, setupToken: fresh!.token })).statusCode).toBe(200);
  });

  it('the admin token, API tokens and terminal tokens keep working; a cookie does not stand in for them, nor they for a cookie', async () => {
    const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
    const code = await h.app.inject({ method: 'POST', url: '/v1/admin/enrolment-codes', headers: bearer(ADMIN_TOKEN), payload: { windowNo: '7' } });
    expect(code.statusCode).toBe(201);
    const publicKey = generateKeyPairSync('ed25519').publicKey.export({ format: 'der', type: 'spki' }).toString('base64');
    const enrolled = await h.app.inject({ method: 'POST', url: '/v1/enrol', payload: { code: code.json<{ code: string }>().code, terminalId: 'hall-7', publicKey } });
    expect(enrolled.statusCode).toBe(200);
    const terminalToken = enrolled.json<{ token: string }>().token;
    expect((await h.app.inject({ method: 'GET', url: '/v1/config', headers: bearer(terminalToken) })).statusCode).toBe(200);

    const apiToken = await h.app.inject({ method: 'POST', url: '/v1/admin/api-tokens', headers: bearer(ADMIN_TOKEN), payload: { name: 'monthly report', roles: ['reports'] } });
    expect(apiToken.statusCode).toBe(201);
    expect((await h.app.inject({ method: 'GET', url: '/v1/reports/integrity-alerts', headers: bearer(apiToken.json<{ token: string }>().token) })).statusCode).toBe(200);

    const admin = await consoleSessionAs(h, 'admin');
    expect((await h.app.inject({ method: 'GET', url: '/v1/admin/terminals', headers: admin.headers })).statusCode).toBe(401);
    expect((await h.app.inject({ method: 'GET', url: url(CONSOLE_ROUTES.users), headers: bearer(ADMIN_TOKEN) })).statusCode).toBe(401);
  });
});
