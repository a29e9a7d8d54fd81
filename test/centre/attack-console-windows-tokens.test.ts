/**
 * The console's window and terminal routes, attacked as someone with a browser and a little
 * malice would: a window's hours and the window rules (wrong shapes, times that are no times,
 * minutes far off, item lists far past any centre, gzip bombs, prototype keys), credentials
 * that are not what they seem (another session's CSRF token, a signed-out session, a disabled
 * account, an admin demoted while signed in), and the terminal token rotation, asked from the
 * console or by a caller without the terminal's token. Each is refused with a status and a
 * sentence a person can act on, the database is as it was, and the centre answers the next
 * request.
 */
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CSRF_HEADER, IT_ROUTES } from '../../src/shared/console/contract';
import { HALL_ROUTES, type WindowRules } from '../../src/shared/console/hall-contract';
import { TOKEN_ROTATE_PATH } from '../../src/shared/token-rotation';
import { BACKENDS } from '../sync/support/backends';
import { deep, GA, MEGA, SJ, startConsoleAttack, TEN_MB, weekdays, type ConsoleAttack, type Send } from './support/console-attack';
import { SJ_ITEM } from './support/follow-up';

describe.each(BACKENDS)('console windows, credentials and terminal tokens under attack on %s', (backend) => {
  let rig: ConsoleAttack | undefined;
  let fc: ConsoleAttack['fc'];
  let who: ConsoleAttack['who'];
  let terminalId: string;
  let terminalToken: string;
  let send: ConsoleAttack['send'];
  let snapshot: ConsoleAttack['snapshot'];
  let expectRefused: ConsoleAttack['expectRefused'];
  let stillAnswers: ConsoleAttack['stillAnswers'];
  let attack: ConsoleAttack['attack'];

  beforeAll(async () => {
    rig = await startConsoleAttack(backend);
    ({ fc, who, terminalId, terminalToken, send, snapshot, expectRefused, stillAnswers, attack } = rig);
  }, 180_000);
  afterAll(async () => {
    await rig?.close();
  });

  describe("a window's hours and the window rules", () => {
    const hours = (body: unknown, windowNo = '21') => ({ params: { windowNo }, json: body });

    it('refuses every role but admin, no sign-in and no CSRF token', async () => {
      await attack(null, 'PUT', HALL_ROUTES.windowSchedule, hours(weekdays('09:00', '17:00')), 401, 'unauthorized');
      await attack(who.admin, 'PUT', HALL_ROUTES.windowSchedule, { ...hours(weekdays('09:00', '17:00')), noCsrf: true }, 403, 'csrf-token-invalid');
      await attack(who.headSj, 'PUT', HALL_ROUTES.windowSchedule, hours(weekdays('09:00', '17:00')), 403, 'forbidden');
      await attack(who.supervisor, 'PUT', HALL_ROUTES.windowRules, { json: { notOpen: { enabled: false, graceMinutes: 10 } } }, 403, 'forbidden');
      await attack(who.headSj, 'PUT', HALL_ROUTES.windowRules, { json: {} }, 403, 'forbidden');
      expectRefused(await send(who.headSj, 'GET', HALL_ROUTES.windowRules), 403, 'forbidden');
    });

    it('refuses hours of the wrong shape, times that are no times, sizes far past a week, and a window that is not there', async () => {
      const good = weekdays('09:00', '17:00');
      const cases: [unknown, RegExp][] = [
        [{ ...good, opensAt: Array.from({ length: 100_000 }, () => '09:00') }, /opensAt/],
        [{ ...good, opensAt: good.opensAt.slice(0, 6) }, /opensAt/],
        [{ ...good, opensAt: ['24:00', ...good.opensAt.slice(1)] }, /a time looks like 08:30/],
        [{ ...good, opensAt: [-1, ...good.opensAt.slice(1)] }, /opensAt/],
        [{ ...good, closesAt: ['08:00', ...good.closesAt.slice(1)] }, /Monday: the window closes at 08:00/],
        [{ ...good, closesAt: [null, ...good.closesAt.slice(1)] }, /Monday: give both/],
        [{ ...good, pauseLimitMinutes: 'NaN' }, /minutes/],
        [{ ...good, pauseLimitMinutes: 1e12 }, /minutes from 1 to 480/],
        [{ ...good, floor: MEGA.slice(0, 500_000) }, /at most 32 characters/],
        [{ ...good, floor: '一楼\u0000' }, /^floor: .*NUL character/],
        [{ ...good, opensAt: { 0: '09:00' } }, /opensAt/],
      ];
      for (const [body, says] of cases) await attack(who.admin, 'PUT', HALL_ROUTES.windowSchedule, hours(body), 400, 'invalid-request', says);
      await attack(who.admin, 'PUT', HALL_ROUTES.windowSchedule, { params: { windowNo: '21' }, text: `{"opensAt":${deep(100_000)}}` }, 400, 'invalid-request');
      await attack(who.admin, 'PUT', HALL_ROUTES.windowSchedule, { params: { windowNo: '21' }, text: TEN_MB }, 413, 'body-too-large');
      await attack(who.admin, 'PUT', HALL_ROUTES.windowSchedule, hours(good, '999'), 404, 'not-found', /add it to the window list first/);
      await attack(who.admin, 'PUT', HALL_ROUTES.windowSchedule, hours(good, 'x'.repeat(17)), 400, 'invalid-request', /at most 16 characters/);
      expectRefused(await send(who.admin, 'GET', HALL_ROUTES.windowSchedule, { params: { windowNo: '999' } }), 404, 'not-found');
    });

    it('refuses rules of the wrong shape, minutes far off and an item list far past any centre', async () => {
      const current = (await send(who.admin, 'GET', HALL_ROUTES.windowRules)).json<WindowRules>();
      const rules = (longCase: Partial<WindowRules['longCase']>, more: Partial<WindowRules> = {}) => ({ json: { ...current, ...more, longCase: { ...current.longCase, ...longCase } } });
      const byItem = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [String(i), 1]));
      await attack(who.admin, 'PUT', HALL_ROUTES.windowRules, rules({ byItem: byItem(100_000) }), 400, 'invalid-request', /^longCase\.byItem: give the minutes of at most 5000 items/);
      await attack(who.admin, 'PUT', HALL_ROUTES.windowRules, rules({ defaultMinutes: 'NaN' as never }), 400, 'invalid-request', /minutes/);
      await attack(who.admin, 'PUT', HALL_ROUTES.windowRules, rules({ defaultMinutes: -60 }), 400, 'invalid-request', /minutes from 1 to 1440/);
      await attack(who.admin, 'PUT', HALL_ROUTES.windowRules, rules({ byItem: { [SJ_ITEM]: 1e9 } }), 400, 'invalid-request', /minutes from 1 to 1440/);
      await attack(who.admin, 'PUT', HALL_ROUTES.windowRules, rules({ byItem: { ['x'.repeat(65)]: 30 } }), 400, 'invalid-request', /^longCase\.byItem\.x+…x+: an item code has at most 64 characters/);
      await attack(who.admin, 'PUT', HALL_ROUTES.windowRules, rules({ byItem: { 'A\u0000B': 30 } }), 400, 'invalid-request', /^longCase\.byItem: .*NUL character/);
      await attack(who.admin, 'PUT', HALL_ROUTES.windowRules, rules({ enabled: 'yes' as never }), 400, 'invalid-request', /true or false/);
      await attack(who.admin, 'PUT', HALL_ROUTES.windowRules, { json: { ...current, extra: {} } }, 400, 'invalid-request');
      await attack(who.admin, 'PUT', HALL_ROUTES.windowRules, { text: deep(100_000) }, 400, 'invalid-request');
      await attack(who.admin, 'PUT', HALL_ROUTES.windowRules, { text: TEN_MB }, 413, 'body-too-large');
      const bomb = JSON.stringify({ ...current, longCase: { ...current.longCase, byItem: { [SJ_ITEM]: 30, ['y'.repeat(30 * 1024 * 1024)]: 30 } } });
      await attack(who.admin, 'PUT', HALL_ROUTES.windowRules, { text: gzipSync(bomb), headers: { 'content-encoding': 'gzip' } }, 413, 'body-too-large', /unpacks to more than/);
      // Keys that name an object's prototype are data, not a way into the centre's objects.
      const proto = await send(who.admin, 'PUT', HALL_ROUTES.windowRules, { text: JSON.stringify(rules({}).json).replace('"byItem":{}', '"byItem":{"__proto__":{"polluted":1},"constructor":5}') });
      expect(proto.statusCode, proto.body).not.toBe(500);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      await stillAnswers();
      const reset = await send(who.admin, 'PUT', HALL_ROUTES.windowRules, { json: current });
      expect(reset.statusCode, reset.body).toBe(200);
      expectRefused(await send(who.headSj, 'GET', HALL_ROUTES.windowAlerts, { query: `department=${GA}` }), 403, 'forbidden', /only your own department/);
      expectRefused(await send(who.admin, 'GET', HALL_ROUTES.windowAlerts, { query: 'limit=NaN' }), 400, 'invalid-request', /limit/);
      expectRefused(await send(who.admin, 'GET', HALL_ROUTES.windowAlerts, { query: 'limit=1e9' }), 400, 'invalid-request', /limit is from 1 to 500/);
      // A real change still goes through, with a list of items a centre might have.
      const saved = await send(who.admin, 'PUT', HALL_ROUTES.windowRules, rules({ byItem: { [SJ_ITEM]: 90 } }));
      expect(saved.statusCode, saved.body).toBe(200);
      expect(saved.json<WindowRules>().longCase.byItem).toEqual({ [SJ_ITEM]: 90 });
    });
  });

  describe('credentials that are not what they seem', () => {
    const change = { params: { code: 'CRED' }, json: { name: '信访窗口', kind: 'external', sort: 3 } };

    it("refuses another session's CSRF token, a signed-out session, a disabled account and an admin demoted while signed in", async () => {
      // The supervisor's token with the admin's cookie.
      await attack(null, 'PUT', IT_ROUTES.referralTarget, { ...change, headers: { cookie: who.admin.headers.cookie, [CSRF_HEADER]: who.supervisor.csrfToken } }, 403, 'csrf-token-invalid');
      await attack(null, 'PUT', IT_ROUTES.referralTarget, { ...change, headers: { cookie: who.admin.headers.cookie, [CSRF_HEADER]: '' } }, 403, 'csrf-token-invalid');
      await attack(null, 'PUT', IT_ROUTES.referralTarget, { ...change, headers: { cookie: `${who.admin.headers.cookie.split('=')[0]}=forged-session-value`, [CSRF_HEADER]: who.admin.csrfToken } }, 401, 'unauthorized');

      const leaving = await fc.as('admin', null, 'it-leaving');
      expect((await send(leaving, 'DELETE', '/session')).statusCode).toBeLessThan(300);
      await attack(leaving, 'PUT', IT_ROUTES.referralTarget, change, 401, 'unauthorized', /sign in again/);

      const disabled = await fc.as('admin', null, 'it-disabled');
      await fc.database.db.query("UPDATE console_users SET disabled = true WHERE username = 'it-disabled'");
      await attack(disabled, 'PUT', IT_ROUTES.referralTarget, change, 401, 'unauthorized', /sign in again/);

      const demoted = await fc.as('admin', null, 'it-demoted');
      await fc.database.db.query("UPDATE console_users SET role = 'department', department_code = $1 WHERE username = 'it-demoted'", [SJ]);
      await attack(demoted, 'PUT', IT_ROUTES.referralTarget, change, 403, 'forbidden', /department head may not use/);
      await attack(demoted, 'PUT', HALL_ROUTES.windowSchedule, { params: { windowNo: '21' }, json: weekdays('07:00', '22:00') }, 403, 'forbidden');
    });
  });

  describe('terminal token rotation', () => {
    const rotate = (id: string, o: Send = {}) => ({ params: { terminalId: id }, ...o });
    const fromTerminal = (headers: Record<string, string>, payload?: string) =>
      fc.centre.centre.app.inject({ method: 'POST', url: TOKEN_ROTATE_PATH, headers: payload === undefined ? headers : { ...headers, 'content-type': 'application/json' }, ...(payload === undefined ? {} : { payload }) });

    it('refuses asking for a rotation without sign-in, CSRF token or the admin role, and for terminals that are not there', async () => {
      await attack(null, 'POST', IT_ROUTES.rotateTerminalToken, rotate(terminalId), 401, 'unauthorized');
      await attack(who.admin, 'POST', IT_ROUTES.rotateTerminalToken, rotate(terminalId, { noCsrf: true }), 403, 'csrf-token-invalid');
      await attack(who.headSj, 'POST', IT_ROUTES.rotateTerminalToken, rotate(terminalId), 403, 'forbidden');
      await attack(who.admin, 'POST', IT_ROUTES.rotateTerminalToken, rotate('no-such-terminal'), 404, 'not-found', /reload the list/);
      await attack(who.admin, 'POST', IT_ROUTES.rotateTerminalToken, rotate("t' OR '1'='1"), 400, 'invalid-request', /terminal id/);
      await attack(who.admin, 'POST', IT_ROUTES.rotateTerminalToken, rotate('x'.repeat(100_000)), 414, 'invalid-request', /longer than any name the centre keeps/);
      await attack(who.admin, 'POST', IT_ROUTES.rotateTerminalToken, rotate(terminalId, { text: TEN_MB }), 413, 'body-too-large');
    });

    it('refuses a rotation by a caller without the terminal token, and a huge body from the terminal itself', async () => {
      const rotations = async (status: number, code: string, headers: Record<string, string>, payload?: string) => {
        const before = await snapshot();
        expectRefused(await fromTerminal(headers, payload), status, code);
        expect(await snapshot()).toEqual(before);
        await stillAnswers();
      };
      await rotations(401, 'unauthorized', {});
      await rotations(401, 'unauthorized', { authorization: 'Bearer not-a-token' });
      await rotations(401, 'unauthorized', { authorization: `Bearer ${MEGA}` });
      await rotations(401, 'unauthorized', { authorization: `Basic ${terminalToken}` });
      // The console's session is not a terminal's token.
      await rotations(401, 'unauthorized', { cookie: who.admin.headers.cookie, [CSRF_HEADER]: who.admin.csrfToken });
      await rotations(413, 'body-too-large', { authorization: `Bearer ${terminalToken}` }, TEN_MB);
    });

    it('refuses a rotation for a revoked terminal, asked from the console or by its old token', async () => {
      expect((await send(who.admin, 'POST', IT_ROUTES.revokeTerminal, { params: { terminalId } })).statusCode).toBe(200);
      await attack(who.admin, 'POST', IT_ROUTES.rotateTerminalToken, { params: { terminalId } }, 409, 'terminal-revoked', /enrolling again with a new code/);
      const before = await snapshot();
      expectRefused(await fromTerminal({ authorization: `Bearer ${terminalToken}` }), 401, 'unauthorized', /revoked/);
      expect(await snapshot()).toEqual(before);
    });
  });
});
