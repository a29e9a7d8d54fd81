/** Signing in to the centre console: sessions, lockout, CSRF and sign-out, on embedded PostgreSQL. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CONSOLE_API, CONSOLE_ROUTES, CSRF_HEADER, type SessionInfo } from '../../src/shared/console/contract';
import { CONSOLE_PASSWORD, addConsoleUser, signInConsole, startConsoleCentre } from './support/console-session';

type Harness = Awaited<ReturnType<typeof startConsoleCentre>>;
let h: Harness;

beforeEach(async () => {
  h = await startConsoleCentre();
  await addConsoleUser(h.db, { username: 'wang.li', role: 'supervisor', displayName: '王立' });
});
afterEach(async () => h.close());

const url = (route: string) => `${CONSOLE_API}${route}`;
const signIn = (username: string, password: string, headers: Record<string, string> = {}) =>
  h.app.inject({ method: 'POST', url: url(CONSOLE_ROUTES.session), payload: { username, password }, headers });
const errorOf = (body: string) => (JSON.parse(body) as { error: { code: string; message: string } }).error;

describe('signing in', () => {
  it('gives a HttpOnly, SameSite=Strict cookie and a CSRF token, and the session then knows who is signed in', async () => {
    const response = await signIn('Wang.Li', CONSOLE_PASSWORD);
    expect(response.statusCode).toBe(200);
    const info = response.json<SessionInfo>();
    expect(info.user).toMatchObject({ username: 'wang.li', displayName: '王立', role: 'supervisor', departmentCode: null, disabled: false });
    expect(info.csrfToken.length).toBeGreaterThan(20);
    const cookie = String(response.headers['set-cookie']);
    expect(cookie).toMatch(/^cordial_session=[A-Za-z0-9_-]+;/);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Strict');
    expect(cookie).toContain('Path=/');
    expect(cookie).not.toContain('Secure');

    const session = await signInConsole(h.app, 'wang.li');
    const me = await h.app.inject({ method: 'GET', url: url(CONSOLE_ROUTES.session), headers: { cookie: session.headers.cookie } });
    expect(me.statusCode).toBe(200);
    expect(me.json<SessionInfo>().user.username).toBe('wang.li');
    expect(me.json<SessionInfo>().user.lastSignInAt).toBe(h.clock.now);
  });

  it('marks the cookie Secure when the request came over TLS', async () => {
    await h.close();
    h = await startConsoleCentre({}, undefined, (app) =>
      app.addHook('onRequest', async (request) => {
        // As the request looks to a centre that terminates TLS itself or trusts the proxy that does.
        Object.defineProperty(request, 'protocol', { value: 'https' });
      }),
    );
    await addConsoleUser(h.db, { username: 'wang.li', role: 'supervisor' });
    const response = await signIn('wang.li', CONSOLE_PASSWORD);
    expect(String(response.headers['set-cookie'])).toContain('Secure');
  });

  it('answers a wrong password and an unknown name alike, and without the session nothing is readable', async () => {
    const wrong = await signIn('wang.li', 'not-the-password');
    const unknown = await signIn('nobody.here', 'not-the-password');
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(errorOf(wrong.body)).toEqual(errorOf(unknown.body));
    expect(errorOf(wrong.body).message).toMatch(/user name or the password is wrong/);
    expect(wrong.headers['set-cookie']).toBeUndefined();
    const me = await h.app.inject({ method: 'GET', url: url(CONSOLE_ROUTES.session) });
    expect(me.statusCode).toBe(401);
    expect(errorOf(me.body).message).toMatch(/sign in again/);
  });

  it('refuses a malformed body with a sentence and a 400', async () => {
    const response = await h.app.inject({ method: 'POST', url: url(CONSOLE_ROUTES.session), payload: { username: 'wang.li' } });
    expect(response.statusCode).toBe(400);
    expect(errorOf(response.body).message).toMatch(/password/);
    const notJson = await h.app.inject({ method: 'POST', url: url(CONSOLE_ROUTES.session), headers: { 'content-type': 'application/json' }, payload: '{"username":' });
    expect(notJson.statusCode).toBe(400);
    expect(errorOf(notJson.body).message).toMatch(/not valid JSON/);
  });
});

describe('lockout', () => {
  it('locks the name after five wrong passwords, refuses even the right one, and doubles the lock on each further failure', async () => {
    for (let i = 0; i < 4; i++) expect((await signIn('wang.li', `wrong-${i}-password`)).statusCode).toBe(401);
    const fifth = await signIn('wang.li', 'wrong-5-password');
    expect(fifth.statusCode).toBe(429);
    expect(errorOf(fifth.body).code).toBe('locked-out');
    expect(fifth.headers['retry-after']).toBe('60');

    const rightButLocked = await signIn('wang.li', CONSOLE_PASSWORD);
    expect(rightButLocked.statusCode).toBe(429);
    expect(errorOf(rightButLocked.body).message).toMatch(/try again in a minute/);

    h.clock.now += 61_000;
    const sixth = await signIn('wang.li', 'wrong-6-password');
    expect(sixth.statusCode).toBe(429);
    expect(sixth.headers['retry-after']).toBe('120');
    h.clock.now += 61_000;
    expect((await signIn('wang.li', CONSOLE_PASSWORD)).statusCode).toBe(429);
    h.clock.now += 60_000;
    expect((await signIn('wang.li', CONSOLE_PASSWORD)).statusCode).toBe(200);

    // Signed in again, the count starts afresh: one wrong password does not lock.
    expect((await signIn('wang.li', 'wrong-7-password')).statusCode).toBe(401);
  });

  it('locks an unknown name the same way, so lockout does not tell which names exist', async () => {
    const answers = [];
    for (let i = 0; i < 6; i++) answers.push((await signIn('nobody.here', `wrong-${i}-password`)).statusCode);
    expect(answers).toEqual([401, 401, 401, 401, 429, 429]);
  });

  it('caps the failed sign-ins one address makes, whatever names it tries', async () => {
    await h.close();
    h = await startConsoleCentre({ accounts: { addressFailures: { max: 3, windowMs: 60_000 } } });
    await addConsoleUser(h.db, { username: 'wang.li', role: 'supervisor' });
    for (const name of ['a.one', 'b.two', 'c.three']) expect((await signIn(name, 'wrong-password')).statusCode).toBe(401);
    const capped = await signIn('wang.li', CONSOLE_PASSWORD);
    expect(capped.statusCode).toBe(429);
    expect(errorOf(capped.body).message).toMatch(/too many failed sign-ins from this computer/);
    const elsewhere = await signIn('wang.li', CONSOLE_PASSWORD, { 'x-forwarded-for': '10.0.0.9' });
    expect(elsewhere.statusCode).toBe(429); // the centre does not trust forwarded headers it was not told to trust
    h.clock.now += 61_000;
    expect((await signIn('wang.li', CONSOLE_PASSWORD)).statusCode).toBe(200);
  });
});

describe('sessions', () => {
  it('end after 30 minutes unused, and after 12 hours however busy', async () => {
    const session = await signInConsole(h.app, 'wang.li');
    const me = () => h.app.inject({ method: 'GET', url: url(CONSOLE_ROUTES.session), headers: { cookie: session.headers.cookie } });
    h.clock.now += 29 * 60_000;
    expect((await me()).statusCode).toBe(200);
    h.clock.now += 29 * 60_000;
    expect((await me()).statusCode).toBe(200);
    h.clock.now += 31 * 60_000;
    expect((await me()).statusCode).toBe(401);

    const busy = await signInConsole(h.app, 'wang.li');
    const busyMe = () => h.app.inject({ method: 'GET', url: url(CONSOLE_ROUTES.session), headers: { cookie: busy.headers.cookie } });
    for (let minutes = 20; minutes < 12 * 60; minutes += 20) {
      h.clock.now += 20 * 60_000;
      expect((await busyMe()).statusCode).toBe(200);
    }
    h.clock.now += 20 * 60_000;
    expect((await busyMe()).statusCode).toBe(401);
  });

  it('refuses a sign-out without the CSRF token, and signs out with it', async () => {
    const session = await signInConsole(h.app, 'wang.li');
    const noToken = await h.app.inject({ method: 'DELETE', url: url(CONSOLE_ROUTES.session), headers: { cookie: session.headers.cookie } });
    expect(noToken.statusCode).toBe(403);
    expect(errorOf(noToken.body).code).toBe('csrf-token-invalid');
    const wrongToken = await h.app.inject({ method: 'DELETE', url: url(CONSOLE_ROUTES.session), headers: { cookie: session.headers.cookie, [CSRF_HEADER]: 'x'.repeat(43) } });
    expect(wrongToken.statusCode).toBe(403);
    expect((await h.app.inject({ method: 'GET', url: url(CONSOLE_ROUTES.session), headers: { cookie: session.headers.cookie } })).statusCode).toBe(200);

    const out = await h.app.inject({ method: 'DELETE', url: url(CONSOLE_ROUTES.session), headers: session.headers });
    expect(out.statusCode).toBe(204);
    expect(String(out.headers['set-cookie'])).toContain('Max-Age=0');
    expect((await h.app.inject({ method: 'GET', url: url(CONSOLE_ROUTES.session), headers: { cookie: session.headers.cookie } })).statusCode).toBe(401);
  });

  it('signs out everywhere: every session of the caller ends, other people stay signed in', async () => {
    await addConsoleUser(h.db, { username: 'zhao.min', role: 'viewer' });
    const office = await signInConsole(h.app, 'wang.li');
    const laptop = await signInConsole(h.app, 'wang.li');
    const colleague = await signInConsole(h.app, 'zhao.min');
    const everywhere = await h.app.inject({ method: 'POST', url: url(CONSOLE_ROUTES.signOutEverywhere), headers: laptop.headers });
    expect(everywhere.statusCode).toBe(204);
    const status = async (s: typeof office) => (await h.app.inject({ method: 'GET', url: url(CONSOLE_ROUTES.session), headers: { cookie: s.headers.cookie } })).statusCode;
    expect([await status(office), await status(laptop), await status(colleague)]).toEqual([401, 401, 200]);
  });
});
