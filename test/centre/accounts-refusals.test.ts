/**
 * A refusal of the account routes carries, beside the English sentence scripts read, the reason
 * and figures the console words in its reader's language: driven through the real routes of a
 * centre on embedded PostgreSQL.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CONSOLE_API, CONSOLE_ROUTES, CSRF_HEADER } from '../../src/shared/console/contract';
import { CONSOLE_PASSWORD, addConsoleUser, consoleSessionAs, signInConsole, startConsoleCentre, type ConsoleSession } from './support/console-session';

type Harness = Awaited<ReturnType<typeof startConsoleCentre>>;
let h: Harness;
let admin: ConsoleSession;

beforeEach(async () => {
  h = await startConsoleCentre({ accounts: { addressFailures: { max: 12, windowMs: 10 * 60_000 } } });
  admin = await consoleSessionAs(h, 'admin', null, 'chen.admin');
});
afterEach(async () => h.close());

const url = (route: string) => `${CONSOLE_API}${route}`;
const errorOf = (body: string) => (JSON.parse(body) as { error: { code: string; message: string; reason?: string; fields?: Record<string, unknown> } }).error;
const signIn = (username: string, password: string) => h.app.inject({ method: 'POST', url: url(CONSOLE_ROUTES.session), payload: { username, password } });

describe('account refusals carry their reason and figures', () => {
  it('a wrong password and an unknown name: the same reason, no figures, so neither tells the name exists', async () => {
    await addConsoleUser(h.db, { username: 'wang.li', role: 'supervisor' });
    const wrong = errorOf((await signIn('wang.li', 'not-the-password')).body);
    const unknown = errorOf((await signIn('nobody.here', 'not-the-password')).body);
    expect(wrong).toEqual({ code: 'sign-in-failed', message: 'the user name or the password is wrong; check both and try again', reason: 'accounts.sign_in_failed' });
    expect(unknown).toEqual(wrong);
  });

  it('a locked name: the wait in seconds, the same figure Retry-After gives, for a known and an unknown name alike', async () => {
    await addConsoleUser(h.db, { username: 'wang.li', role: 'supervisor' });
    for (const name of ['wang.li', 'nobody.here']) {
      for (let i = 0; i < 4; i++) expect((await signIn(name, `wrong-${i}-password`)).statusCode).toBe(401);
      const locked = await signIn(name, 'wrong-5-password');
      expect(locked.statusCode).toBe(429);
      expect(locked.headers['retry-after']).toBe('60');
      expect(errorOf(locked.body)).toMatchObject({ code: 'locked-out', reason: 'accounts.locked_out', fields: { seconds: 60 } });
      expect(errorOf(locked.body).message).toMatch(/try again in a minute/);
    }
    h.clock.now += 15_000;
    const rightButLocked = await signIn('wang.li', CONSOLE_PASSWORD);
    expect(rightButLocked.headers['retry-after']).toBe('45');
    expect(errorOf(rightButLocked.body).fields).toEqual({ seconds: 45 });
  });

  it('too many failed sign-ins from one computer: the wait in seconds', async () => {
    for (let i = 0; i < 12; i++) expect((await signIn(`name-${i}`, 'wrong-password')).statusCode).toBe(401);
    const capped = await signIn('chen.admin', CONSOLE_PASSWORD);
    expect(capped.statusCode).toBe(429);
    expect(capped.headers['retry-after']).toBe('600');
    expect(errorOf(capped.body)).toMatchObject({ code: 'rate-limited', reason: 'accounts.too_many_failed_sign_ins', fields: { seconds: 600 } });
  });

  it('the guard: no session, a missing security token, a role the page is not for, another department', async () => {
    const none = errorOf((await h.app.inject({ method: 'GET', url: url(CONSOLE_ROUTES.users) })).body);
    expect(none).toMatchObject({ code: 'unauthorized', reason: 'accounts.not_signed_in' });
    const noToken = await h.app.inject({ method: 'DELETE', url: url(CONSOLE_ROUTES.session), headers: { cookie: admin.headers.cookie } });
    expect(noToken.statusCode).toBe(403);
    expect(errorOf(noToken.body)).toMatchObject({ code: 'csrf-token-invalid', reason: 'accounts.csrf_token_invalid' });
    expect(errorOf(noToken.body).message).toContain(CSRF_HEADER);

    const viewer = await consoleSessionAs(h, 'viewer', null, 'zhao.viewer');
    const users = await h.app.inject({ method: 'GET', url: url(CONSOLE_ROUTES.users), headers: viewer.headers });
    expect(users.statusCode).toBe(403);
    expect(errorOf(users.body)).toEqual({
      code: 'forbidden',
      message: 'a viewer may not use this part of the console; ask an admin if you need it',
      reason: 'accounts.role_not_allowed',
      fields: { role: 'viewer' },
    });

    const head = await consoleSessionAs(h, 'department', 'D01', 'li.head');
    const other = await h.app.inject({ method: 'GET', url: `${url(CONSOLE_ROUTES.overview)}?from=2026-03-01&to=2026-03-31&department=D02`, headers: head.headers });
    expect(other.statusCode).toBe(403);
    expect(errorOf(other.body)).toMatchObject({ reason: 'accounts.other_department', fields: { own: 'D01', requested: 'D02' } });
  });

  it('the users page: a name taken, a user not there, a department missing, the last admin', async () => {
    const taken = await h.app.inject({
      method: 'POST',
      url: url(CONSOLE_ROUTES.users),
      headers: admin.headers,
      payload: { username: 'Chen.Admin', displayName: '陈二', role: 'viewer', departmentCode: null, password: 'another-pass-1' },
    });
    expect(taken.statusCode).toBe(409);
    expect(errorOf(taken.body)).toMatchObject({ code: 'username-taken', reason: 'accounts.username_taken', fields: { username: 'Chen.Admin' } });

    const patch = (username: string, payload: Record<string, unknown>) =>
      h.app.inject({ method: 'PATCH', url: url(CONSOLE_ROUTES.user.replace(':username', username)), headers: admin.headers, payload });
    const missing = await patch('gone.user', { disabled: true });
    expect(missing.statusCode).toBe(404);
    expect(errorOf(missing.body)).toMatchObject({ reason: 'accounts.no_such_user', fields: { username: 'gone.user' } });

    await addConsoleUser(h.db, { username: 'sun.sup', role: 'supervisor' });
    const noDepartment = await patch('sun.sup', { role: 'follow_up' });
    expect(noDepartment.statusCode).toBe(400);
    expect(errorOf(noDepartment.body)).toMatchObject({ code: 'invalid-request', reason: 'accounts.department_needed' });

    const last = await patch('chen.admin', { disabled: true });
    expect(last.statusCode).toBe(409);
    expect(errorOf(last.body)).toMatchObject({ code: 'last-admin', reason: 'accounts.last_admin' });
    expect(errorOf(last.body).fields).toBeUndefined();
  });

  it('one’s own password: the current one wrong', async () => {
    const wrong = await h.app.inject({ method: 'POST', url: url(CONSOLE_ROUTES.password), headers: admin.headers, payload: { currentPassword: 'not-the-password', newPassword: 'a-new-password-2' } });
    expect(wrong.statusCode).toBe(403);
    expect(errorOf(wrong.body)).toMatchObject({ code: 'sign-in-failed', reason: 'accounts.current_password_wrong' });
    // Still the old password: nothing was changed.
    expect((await signInConsole(h.app, 'chen.admin')).user.username).toBe('chen.admin');
  });

  it('first setup once an admin exists', async () => {
    const again = await h.app.inject({ method: 'POST', url: url(CONSOLE_ROUTES.setup), payload: { setupToken: 'x'.repeat(32), username: 'li.qiang', displayName: '李强', password: 'first-admin-pass-1' } });
    expect(again.statusCode).toBe(409);
    expect(errorOf(again.body)).toMatchObject({ code: 'already-set-up', reason: 'accounts.already_set_up' });
  });
});
