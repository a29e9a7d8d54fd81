/** Admins manage console accounts; every change is in the audit log; roles limit what each person reaches. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { consoleGuard, departmentScope, mayRevealPersonalData, personOf } from '../../server/src/accounts/guard';
import { CONSOLE_API, CONSOLE_ROLES, CONSOLE_ROUTES, type AuditEntry, type ConsoleUser } from '../../src/shared/console/contract';
import { CONSOLE_PASSWORD, consoleSessionAs, signInConsole, startConsoleCentre, type ConsoleSession } from './support/console-session';

type Harness = Awaited<ReturnType<typeof startConsoleCentre>>;
let h: Harness;
let admin: ConsoleSession;

beforeEach(async () => {
  h = await startConsoleCentre({}, undefined, (app, centre) => {
    // A figures-like route, guarded as the console's pages are.
    const guard = consoleGuard({ db: centre.db, options: centre.options }, CONSOLE_ROLES);
    app.get<{ Querystring: { department?: string } }>('/test/figures', { onRequest: guard }, async (request) => {
      const person = personOf(request);
      return { department: departmentScope(person, request.query.department) ?? 'all', phones: mayRevealPersonalData(person) };
    });
  });
  admin = await consoleSessionAs(h, 'admin', null, 'chen.admin');
});
afterEach(async () => h.close());

const url = (route: string) => `${CONSOLE_API}${route}`;
const userUrl = (username: string) => url(CONSOLE_ROUTES.user.replace(':username', username));
const errorOf = (body: string) => (JSON.parse(body) as { error: { code: string; message: string } }).error;
const newUser = { username: 'li.na', displayName: '李娜', role: 'department', departmentCode: 'D01', password: 'first-password-1' };

async function createUser(body: Record<string, unknown>, session = admin) {
  return h.app.inject({ method: 'POST', url: url(CONSOLE_ROUTES.users), headers: session.headers, payload: body });
}
async function users(): Promise<ConsoleUser[]> {
  return (await h.app.inject({ method: 'GET', url: url(CONSOLE_ROUTES.users), headers: admin.headers })).json<ConsoleUser[]>();
}
async function audit(query = ''): Promise<AuditEntry[]> {
  const response = await h.app.inject({ method: 'GET', url: `${url(CONSOLE_ROUTES.audit)}${query}`, headers: admin.headers });
  expect(response.statusCode).toBe(200);
  return response.json<{ entries: AuditEntry[] }>().entries;
}
const sessionStatus = async (s: ConsoleSession) => (await h.app.inject({ method: 'GET', url: url(CONSOLE_ROUTES.session), headers: { cookie: s.headers.cookie } })).statusCode;

describe('managing users', () => {
  it('an admin creates a user who can then sign in; the list shows them; the name cannot be taken twice', async () => {
    const created = await createUser(newUser);
    expect(created.statusCode).toBe(200);
    expect(created.json<ConsoleUser>()).toMatchObject({ username: 'li.na', displayName: '李娜', role: 'department', departmentCode: 'D01', disabled: false, lastSignInAt: null });
    expect((await users()).map((u) => u.username)).toEqual(['chen.admin', 'li.na']);
    expect((await signInConsole(h.app, 'li.na', 'first-password-1')).user.role).toBe('department');

    const again = await createUser({ ...newUser, username: 'LI.NA' });
    expect(again.statusCode).toBe(409);
    expect(errorOf(again.body).message).toMatch(/is taken/);
  });

  it('refuses malformed input with a sentence and stores nothing', async () => {
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ ...newUser, departmentCode: null }, /needs a department/],
      [{ ...newUser, password: 'short' }, /at least 10 characters/],
      [{ ...newUser, username: 'a b' }, /user name is 3 to 32/],
      [{ ...newUser, role: 'root' }, /role/],
      [{ ...newUser, extra: 1 }, /extra|unrecognized/i],
    ];
    for (const [body, sentence] of cases) {
      const response = await createUser(body);
      expect(response.statusCode, JSON.stringify(body)).toBe(400);
      expect(errorOf(response.body).message).toMatch(sentence);
    }
    const patch = await h.app.inject({ method: 'PATCH', url: userUrl('chen.admin'), headers: admin.headers, payload: { disabled: 'yes' } });
    expect(patch.statusCode).toBe(400);
    expect((await users()).map((u) => u.username)).toEqual(['chen.admin']);
  });

  it('is for admins only; other roles get 403 with a sentence', async () => {
    const supervisor = await consoleSessionAs(h, 'supervisor');
    const list = await h.app.inject({ method: 'GET', url: url(CONSOLE_ROUTES.users), headers: supervisor.headers });
    expect(list.statusCode).toBe(403);
    expect(errorOf(list.body).message).toMatch(/a supervisor may not use this part/);
    expect((await createUser(newUser, supervisor)).statusCode).toBe(403);
    expect((await h.app.inject({ method: 'GET', url: url(CONSOLE_ROUTES.audit), headers: supervisor.headers })).statusCode).toBe(403);
    expect((await users()).map((u) => u.username)).toEqual(['chen.admin', 'supervisor-all']);
  });

  it('refuses a change without the CSRF token, or with another session\'s, and changes nothing', async () => {
    const other = await consoleSessionAs(h, 'viewer');
    const missing = await h.app.inject({ method: 'POST', url: url(CONSOLE_ROUTES.users), headers: { cookie: admin.headers.cookie }, payload: newUser });
    const borrowed = await h.app.inject({ method: 'POST', url: url(CONSOLE_ROUTES.users), headers: { ...admin.headers, 'x-cordial-csrf': other.csrfToken }, payload: newUser });
    for (const response of [missing, borrowed]) {
      expect(response.statusCode).toBe(403);
      expect(errorOf(response.body).message).toMatch(/reload the page/);
    }
    const disable = await h.app.inject({ method: 'PATCH', url: userUrl('viewer-all'), headers: { cookie: admin.headers.cookie }, payload: { disabled: true } });
    expect(disable.statusCode).toBe(403);
    expect((await users()).map((u) => [u.username, u.disabled])).toEqual([
      ['chen.admin', false],
      ['viewer-all', false],
    ]);
    expect(await sessionStatus(other)).toBe(200);
  });

  it('disabling a user ends all their sessions and stops them signing in; enabling lets them back', async () => {
    await createUser(newUser);
    const desk = await signInConsole(h.app, 'li.na', 'first-password-1');
    const phone = await signInConsole(h.app, 'li.na', 'first-password-1');
    const disabled = await h.app.inject({ method: 'PATCH', url: userUrl('li.na'), headers: admin.headers, payload: { disabled: true } });
    expect(disabled.json<ConsoleUser>().disabled).toBe(true);
    expect([await sessionStatus(desk), await sessionStatus(phone), await sessionStatus(admin)]).toEqual([401, 401, 200]);
    const refused = await h.app.inject({ method: 'POST', url: url(CONSOLE_ROUTES.session), payload: { username: 'li.na', password: 'first-password-1' } });
    expect(refused.statusCode).toBe(403);
    expect(errorOf(refused.body).message).toMatch(/disabled/);

    await h.app.inject({ method: 'PATCH', url: userUrl('li.na'), headers: admin.headers, payload: { disabled: false } });
    expect((await signInConsole(h.app, 'li.na', 'first-password-1')).user.disabled).toBe(false);
  });

  it('an admin\'s password reset ends the user\'s sessions; the old password stops working, the new one works', async () => {
    await createUser(newUser);
    const before = await signInConsole(h.app, 'li.na', 'first-password-1');
    const reset = await h.app.inject({ method: 'PATCH', url: userUrl('li.na'), headers: admin.headers, payload: { password: 'second-password-2' } });
    expect(reset.statusCode).toBe(200);
    expect(await sessionStatus(before)).toBe(401);
    await expect(signInConsole(h.app, 'li.na', 'first-password-1')).rejects.toThrow(/401/);
    expect((await signInConsole(h.app, 'li.na', 'second-password-2')).user.username).toBe('li.na');
  });

  it('a user changes their own password with the current one; their other sessions end, this one stays', async () => {
    const other = await signInConsole(h.app, 'chen.admin');
    const wrong = await h.app.inject({ method: 'POST', url: url(CONSOLE_ROUTES.password), headers: admin.headers, payload: { currentPassword: 'not-it-at-all', newPassword: 'brand-new-password' } });
    expect(wrong.statusCode).toBe(403);
    expect(errorOf(wrong.body).message).toMatch(/current password is wrong/);
    expect(await sessionStatus(other)).toBe(200);
    const changed = await h.app.inject({ method: 'POST', url: url(CONSOLE_ROUTES.password), headers: admin.headers, payload: { currentPassword: CONSOLE_PASSWORD, newPassword: 'brand-new-password' } });
    expect(changed.statusCode).toBe(204);
    expect([await sessionStatus(admin), await sessionStatus(other)]).toEqual([200, 401]);
    expect((await signInConsole(h.app, 'chen.admin', 'brand-new-password')).user.role).toBe('admin');
  });

  it('will not disable or demote the only active admin', async () => {
    const demote = await h.app.inject({ method: 'PATCH', url: userUrl('chen.admin'), headers: admin.headers, payload: { role: 'viewer' } });
    expect(demote.statusCode).toBe(409);
    expect(errorOf(demote.body).message).toMatch(/only active admin/);
    await createUser({ ...newUser, username: 'second.admin', role: 'admin', departmentCode: null });
    const now = await h.app.inject({ method: 'PATCH', url: userUrl('chen.admin'), headers: admin.headers, payload: { role: 'supervisor' } });
    expect(now.json<ConsoleUser>().role).toBe('supervisor');
    // The role is read on every request: the former admin is refused at once.
    expect((await h.app.inject({ method: 'GET', url: url(CONSOLE_ROUTES.users), headers: admin.headers })).statusCode).toBe(403);
  });
});

describe('roles', () => {
  it('a department user sees only their own department and gets 403 for another', async () => {
    const head = await consoleSessionAs(h, 'department', 'D01');
    const own = await h.app.inject({ method: 'GET', url: '/test/figures', headers: head.headers });
    expect(own.json()).toEqual({ department: 'D01', phones: true });
    expect((await h.app.inject({ method: 'GET', url: '/test/figures?department=D01', headers: head.headers })).statusCode).toBe(200);
    const other = await h.app.inject({ method: 'GET', url: '/test/figures?department=D02', headers: head.headers });
    expect(other.statusCode).toBe(403);
    expect(errorOf(other.body).message).toMatch(/only your own department \(D01\)/);

    const supervisor = await consoleSessionAs(h, 'supervisor');
    expect((await h.app.inject({ method: 'GET', url: '/test/figures?department=D02', headers: supervisor.headers })).json()).toEqual({ department: 'D02', phones: true });
    expect((await h.app.inject({ method: 'GET', url: '/test/figures', headers: supervisor.headers })).json()).toEqual({ department: 'all', phones: true });
  });

  it('evaluators and viewers see figures but never personal data', async () => {
    for (const role of ['evaluator', 'viewer'] as const) {
      const session = await consoleSessionAs(h, role);
      expect((await h.app.inject({ method: 'GET', url: '/test/figures', headers: session.headers })).json()).toEqual({ department: 'all', phones: false });
    }
  });
});

describe('the audit log', () => {
  it('records sign-ins, failures, lockouts and changes with who, when and from where, newest first, filterable, never a password', async () => {
    await createUser(newUser);
    await h.app.inject({ method: 'POST', url: url(CONSOLE_ROUTES.session), payload: { username: 'li.na', password: 'wrong-password-typed' } });
    await signInConsole(h.app, 'li.na', 'first-password-1');
    await h.app.inject({ method: 'PATCH', url: userUrl('li.na'), headers: admin.headers, payload: { role: 'follow_up', password: 'second-password-2' } });
    for (let i = 0; i < 5; i++) await h.app.inject({ method: 'POST', url: url(CONSOLE_ROUTES.session), payload: { username: 'li.na', password: `guess-number-${i}` } });

    const all = await audit();
    expect(all.map((e) => e.action)).toEqual([
      'locked_out', 'sign_in_failed', 'sign_in_failed', 'sign_in_failed', 'sign_in_failed', 'sign_in_failed',
      'user_changed', 'password_changed', 'sign_in', 'sign_in_failed', 'user_created', 'sign_in',
    ]);
    expect(all.every((e, i) => i === 0 || e.id < all[i - 1]!.id)).toBe(true);
    const created = all.find((e) => e.action === 'user_created')!;
    expect(created).toMatchObject({ actor: 'chen.admin', subject: 'li.na', at: h.clock.now, address: '127.0.0.1' });
    expect(all.find((e) => e.action === 'user_changed')!.detail).toContain('role department → follow_up');
    const text = JSON.stringify(all);
    for (const secret of ['first-password-1', 'second-password-2', 'wrong-password-typed', 'guess-number', CONSOLE_PASSWORD]) expect(text).not.toContain(secret);

    expect((await audit('?action=sign_in')).map((e) => e.actor)).toEqual(['li.na', 'chen.admin']);
    const byLiNa = await audit('?user=li.na');
    expect(byLiNa.length).toBe(all.length - 1);
    expect(byLiNa.some((e) => e.actor === 'chen.admin' && e.subject === 'li.na')).toBe(true);

    const firstPage = await audit('?limit=5');
    const secondPage = await audit(`?limit=5&before=${firstPage[4]!.id}`);
    expect([...firstPage, ...secondPage].map((e) => e.id)).toEqual(all.slice(0, 10).map((e) => e.id));

    const badFilter = await h.app.inject({ method: 'GET', url: `${url(CONSOLE_ROUTES.audit)}?action=delete_everything`, headers: admin.headers });
    expect(badFilter.statusCode).toBe(400);
    expect(errorOf(badFilter.body).message).toMatch(/action/);
  });
});
