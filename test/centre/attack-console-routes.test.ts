/**
 * The console routes added last, attacked as someone with a browser and a little malice
 * would: the 考勤 report, the follow-up rating (追评), the referral targets (首问负责), an
 * item's service information, a window's hours, the window rules and the terminal token
 * rotation. Wrong types, sizes far past any real use, deep nesting, dates far off, periods
 * of ten years, records that do not exist or belong to another department, no sign-in, no
 * CSRF token, the wrong role. Each is refused with a status and a sentence a person can act
 * on, the database is as it was, and the centre answers the next request.
 */
import { gzipSync } from 'node:zlib';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCredentials } from '../../src/core/sync/credentials';
import { FinishCase, SignInBadge } from '../../src/shared/contract';
import { CONSOLE_API, CSRF_HEADER, IT_ROUTES, type ConsoleRole } from '../../src/shared/console/contract';
import { HALL_ROUTES, type WindowRules } from '../../src/shared/console/hall-contract';
import { itPath } from '../../src/shared/console/it-contract';
import { PUNCTUALITY_ROUTES } from '../../src/shared/console/punctuality-contract';
import { TOKEN_ROTATE_PATH } from '../../src/shared/token-rotation';
import { BACKENDS } from '../sync/support/backends';
import type { Terminal } from '../sync/support/terminal';
import type { ConsoleSession } from './support/console-session';
import { rateCase, SJ_ITEM, startFollowUpCentre, windowKiosk, type FollowUpCentre } from './support/follow-up';

const SJ = '340104-SJ';
const GA = '340104-GA';
/** The tables these routes write, read whole to show an attack stored nothing. */
const WATCHED = ['follow_ups', 'follow_up_trail', 'service_items', 'referral_targets', 'windows', 'window_schedules', 'window_rules', 'terminals', 'staff', 'reason_codes'];

type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';
interface Send {
  /** Path params, filled into the route as the console does. */
  params?: Record<string, string | number>;
  query?: string;
  /** A value sent as JSON, or text sent as it is. */
  json?: unknown;
  text?: string | Buffer;
  headers?: Record<string, string>;
  /** Leave out the CSRF header the session would send. */
  noCsrf?: boolean;
  /** The path as it is, not filled in from the route (an address no browser would make). */
  rawPath?: string;
}

describe.each(BACKENDS)('console routes under attack on %s', (backend) => {
  let fc: FollowUpCentre;
  const open: Terminal[] = [];
  let recordId: number;
  let terminalId: string;
  let terminalToken: string;
  const who = {} as Record<'admin' | 'supervisor' | 'viewer' | 'evaluator' | 'headSj' | 'headGa' | 'officer' | 'officerGa', ConsoleSession>;

  beforeAll(async () => {
    fc = await startFollowUpCentre(backend);
    const t = await windowKiosk(fc, '21', open);
    rateCase(t, SJ_ITEM, 5, { reasons: ['R01'], phone: '13812345678' });
    expect(await t.client.syncNow()).toMatchObject({ ok: true, pending: 0 });
    terminalId = t.kiosk.terminal.terminalId;
    terminalToken = readCredentials(t.kiosk.db)!.token;
    const as = (role: ConsoleRole, department: string | null, name: string) => fc.as(role, department, name);
    who.admin = await as('admin', null, 'it-chen');
    who.supervisor = await as('supervisor', null, 'sup-zhang');
    who.viewer = await as('viewer', null, 'viewer-he');
    who.evaluator = await as('evaluator', null, 'eval-sun');
    who.headSj = await as('department', SJ, 'head-sj');
    who.headGa = await as('department', GA, 'head-ga');
    who.officer = await as('follow_up', SJ, 'fu-li');
    who.officerGa = await as('follow_up', GA, 'fu-ga');
    const ledger = await fc.call<{ rows: { id: number }[] }>(who.supervisor, 'GET', '/follow-ups');
    expect(ledger.body.rows).toHaveLength(1);
    recordId = ledger.body.rows[0]!.id;
    // Called back, so the assigned officer may record the citizen's follow-up rating.
    expect((await fc.call(who.headSj, 'POST', '/follow-ups/:id/actions', { params: { id: recordId }, body: { action: 'assign', assignee: 'fu-li' } })).status).toBe(200);
    expect((await fc.call(who.officer, 'POST', '/follow-ups/:id/actions', { params: { id: recordId }, body: { action: 'call', result: 'reached', attempts: 1, note: '已联系' } })).status).toBe(200);
    // A window with hours, an item and a referral target to attack.
    expect((await fc.call(who.admin, 'PUT', IT_ROUTES.window, { params: { windowNo: '21' }, body: { departmentCode: SJ, departmentName: '市场监督管理局' } })).status).toBe(200);
    expect((await fc.call(who.admin, 'PUT', HALL_ROUTES.windowSchedule, { params: { windowNo: '21' }, body: weekdays('08:30', '17:30') })).status).toBe(200);
    expect((await fc.call(who.admin, 'PUT', IT_ROUTES.item, { params: { itemCode: SJ_ITEM, itemVersion: '1' }, body: { name: '营业执照变更', departmentCode: SJ } })).status).toBe(200);
    expect((await fc.call(who.admin, 'PUT', IT_ROUTES.referralTarget, { params: { code: 'GA-HALL' }, body: { name: '公安局户籍窗口', kind: 'department', sort: 1 } })).status).toBe(200);
  }, 180_000);
  afterAll(async () => {
    for (const t of open) t.kiosk.close();
    await fc?.close();
  });

  function weekdays(opens: string, closes: string) {
    const day = (v: string) => [v, v, v, v, v, null, null];
    return { opensAt: day(opens), closesAt: day(closes), pauseLimitMinutes: 30, floor: '一楼' };
  }

  async function send(session: ConsoleSession | null, method: Method, route: string, o: Send = {}): Promise<LightMyRequestResponse> {
    const headers: Record<string, string> = {};
    if (session) {
      headers.cookie = session.headers.cookie;
      if (!o.noCsrf) headers[CSRF_HEADER] = session.csrfToken;
    }
    const payload = o.json !== undefined ? JSON.stringify(o.json) : o.text;
    if (payload !== undefined) headers['content-type'] = 'application/json';
    return fc.centre.centre.app.inject({
      method,
      url: `${CONSOLE_API}${o.rawPath ?? itPath(route, o.params)}${o.query ? `?${o.query}` : ''}`,
      headers: { ...headers, ...o.headers },
      ...(payload !== undefined ? { payload } : {}),
    });
  }

  const snapshot = async () => {
    const all: Record<string, unknown[]> = {};
    for (const table of WATCHED) all[table] = await fc.database.db.query(`SELECT to_jsonb(t) AS row FROM ${table} t ORDER BY (t.*)::text`);
    return all;
  };

  /** A refusal with its status, code and a readable sentence, not the catch-all of a failure. */
  function expectRefused(answer: LightMyRequestResponse, status: number, code: string, says?: string | RegExp): void {
    expect(answer.statusCode, answer.body.slice(0, 300)).toBe(status);
    const body = answer.json<{ error: { code: string; message: string } }>();
    expect(body.error.code).toBe(code);
    expect(body.error.message).toMatch(/^\S.{14,}/);
    // A sentence, not what the caller sent echoed back at length.
    expect(body.error.message.length).toBeLessThan(400);
    expect(body.error.message).not.toContain('[object Object]');
    if (says !== undefined) expect(body.error.message).toMatch(says);
  }

  /** The centre still answers: a plain read right after the attack succeeds. */
  async function stillAnswers(): Promise<void> {
    const answer = await send(who.admin, 'GET', HALL_ROUTES.windowRules);
    expect(answer.statusCode, answer.body).toBe(200);
  }

  /** The attack is refused as said, stores nothing, and the centre answers the next request. */
  async function attack(session: ConsoleSession | null, method: Method, route: string, o: Send, status: number, code: string, says?: string | RegExp): Promise<void> {
    const before = await snapshot();
    expectRefused(await send(session, method, route, o), status, code, says);
    expect(await snapshot()).toEqual(before);
    await stillAnswers();
  }

  const MEGA = 'x'.repeat(1_000_000);
  const TEN_MB = `{"name":"${'y'.repeat(10 * 1024 * 1024)}","kind":"department"}`;
  const deep = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;

  describe('考勤 report', () => {
    const report = (session: ConsoleSession | null, query: string) => send(session, 'GET', PUNCTUALITY_ROUTES.punctuality, { query });

    it('refuses no sign-in, the evaluator and a follow-up officer', async () => {
      expectRefused(await report(null, 'from=2026-03-01&to=2026-03-31'), 401, 'unauthorized', /sign in/);
      expectRefused(await report(who.evaluator, 'from=2026-03-01&to=2026-03-31'), 403, 'forbidden', /evaluator may not use/);
      expectRefused(await report(who.officer, 'from=2026-03-01&to=2026-03-31'), 403, 'forbidden');
      await stillAnswers();
    });

    it('refuses dates far off, not dates at all, and a period of ten years, at once', async () => {
      const cases: [string, RegExp][] = [
        ['from=9999-01-01&to=9999-12-31', /between 2000 and 2100/],
        ['from=-0001-01-01&to=2026-01-01', /not a date on the calendar/],
        ['from=NaN&to=NaN', /not a date on the calendar/],
        ['from=2026-02-30&to=2026-03-01', /not a date on the calendar/],
        ['from=1e12&to=2026-03-01', /not a date on the calendar/],
        ['from=2016-01-01&to=2025-12-31', /at most 366 days/],
        ['from=2000-01-01&to=2100-12-31', /at most 366 days/],
        ['from=2026-03-31&to=2026-03-01', /must not be before/],
        ['from=2026-03-01', /to/],
        ['from=2026-03-01&from=2026-04-01&to=2026-04-30', /from/],
        [`from=${MEGA.slice(0, 100_000)}&to=2026-03-01`, /not a date on the calendar/],
        ['from=2026-03-01&to=2026-03-31&period=year', /period/],
        ['from=2026-03-01&to=2026-03-31&department=', /department/],
        ['from=2026-03-01&to=2026-03-31&department=SJ%00', /^department: .*NUL character/],
      ];
      for (const [query, says] of cases) {
        expectRefused(await report(who.supervisor, query), 400, 'invalid-request', says);
      }
      await stillAnswers();
    });

    it("refuses a department head another department's report, and bounds the longest period it takes", async () => {
      expectRefused(await report(who.headSj, `from=2026-03-01&to=2026-03-31&department=${GA}`), 403, 'forbidden', new RegExp(`only your own department \\(${SJ}\\)`));
      const own = await report(who.headSj, 'from=2025-03-03&to=2026-03-03');
      expect(own.statusCode, own.body).toBe(200);
      expect(own.json<{ query: { department: string } }>().query.department).toBe(SJ);
      const year = await report(who.supervisor, 'from=2025-03-03&to=2026-03-03');
      expect(year.statusCode, year.body).toBe(200);
    });
  });

  describe('follow-up rating (追评)', () => {
    const RATING = '/follow-ups/:id/rating';
    const good = { level: 'satisfied', how: 'phone', note: '整改后满意' };
    const rate = (session: ConsoleSession | null, o: Send, status: number, code: string, says?: string | RegExp) =>
      attack(session, 'POST', RATING, { params: { id: recordId }, ...o }, status, code, says);

    it('refuses no sign-in, no CSRF token, a reader, and officers it is not assigned to', async () => {
      await rate(null, { json: good }, 401, 'unauthorized');
      await rate(who.officer, { json: good, noCsrf: true }, 403, 'csrf-token-invalid', /reload the page/);
      await rate(who.viewer, { json: good }, 403, 'forbidden', /viewer may not use/);
      await rate(who.officerGa, { json: good }, 404, 'not-found');
      await rate(who.headGa, { json: good }, 404, 'not-found');
      await rate(who.headSj, { json: good }, 403, 'forbidden', /only fu-li/);
    });

    it('refuses records that do not exist, and ids that are no ids', async () => {
      for (const id of ['999999999', '0', '-1', 'NaN', '1e400', '9'.repeat(40), '1.5']) {
        await rate(who.officer, { params: { id }, json: good }, 404, 'not-found');
      }
    });

    it('refuses wrong types, huge and deep bodies, and characters the database cannot keep', async () => {
      await rate(who.officer, { json: { level: 5, how: 'phone' } }, 400, 'invalid-request', /level/);
      await rate(who.officer, { json: { level: ['satisfied'], how: 'phone' } }, 400, 'invalid-request', /level/);
      await rate(who.officer, { json: { level: { $gt: '' }, how: 'phone' } }, 400, 'invalid-request', /level/);
      await rate(who.officer, { json: { ...good, how: null } }, 400, 'invalid-request', /phone, in_person or online/);
      await rate(who.officer, { json: { ...good, note: 42 } }, 400, 'invalid-request', /note/);
      await rate(who.officer, { json: { ...good, extra: true } }, 400, 'invalid-request');
      await rate(who.officer, { json: [good] }, 400, 'invalid-request');
      await rate(who.officer, { json: null }, 400, 'invalid-request');
      await rate(who.officer, { json: { ...good, level: MEGA.slice(0, 900_000) } }, 400, 'invalid-request', /rating level/);
      await rate(who.officer, { json: { ...good, note: MEGA } }, 400, 'invalid-request', /^note: a note has at most 500 characters$/);
      await rate(who.officer, { text: TEN_MB }, 413, 'body-too-large');
      // A small gzip that unpacks to 30 MB: refused once it passes what the route takes unpacked.
      await rate(who.officer, { text: gzipSync(`{"level":"satisfied","how":"phone","note":"${'z'.repeat(30 * 1024 * 1024)}"}`), headers: { 'content-encoding': 'gzip' } }, 413, 'body-too-large', /unpacks to more than/);
      await rate(who.officer, { json: { ...good, note: Array.from({ length: 100_000 }, () => 1) } }, 400, 'invalid-request', /note/);
      await rate(who.officer, { text: `{"level":"satisfied","how":"phone","note":${deep(100_000)}}` }, 400, 'invalid-request', /note/);
      await rate(who.officer, { text: '{"level":"satisfied",' }, 400, 'body-not-json');
      await rate(who.officer, { text: 'level=satisfied', headers: { 'content-type': 'application/x-www-form-urlencoded' } }, 415, 'unsupported-media-type');
      await rate(who.officer, { json: { ...good, note: '满意\u0000' } }, 400, 'invalid-request', /^note: .*NUL character/);
    });

    it("keeps another department's record out of reach on its other routes, and refuses ledger queries that are no queries", async () => {
      expectRefused(await send(who.headGa, 'GET', '/follow-ups/:id', { params: { id: recordId } }), 404, 'not-found');
      await attack(who.officerGa, 'POST', '/follow-ups/:id/phone', { params: { id: recordId } }, 404, 'not-found');
      await attack(who.headGa, 'POST', '/follow-ups/:id/actions', { params: { id: recordId }, json: { action: 'assign', assignee: 'fu-ga' } }, 404, 'not-found');
      expectRefused(await send(who.headGa, 'GET', '/follow-ups', { query: `department=${SJ}` }), 403, 'forbidden', /only your own department/);
      expectRefused(await send(who.headGa, 'GET', '/follow-ups.csv', { query: `department=${SJ}` }), 403, 'forbidden', /only your own department/);
      const ledger: [string, RegExp][] = [
        ['limit=NaN', /limit/],
        ['limit=100000', /limit/],
        ['after=1:2:3', /pass the `next` of the previous page unchanged/],
        ['after=99999999999999999:1', /after/],
        ['from=9999-99-99', /not a date on the calendar/],
        ['state=deleted', /state/],
        [`assignee=${'a'.repeat(100_000)}`, /assignee/],
      ];
      for (const [query, says] of ledger) expectRefused(await send(who.supervisor, 'GET', '/follow-ups', { query }), 400, 'invalid-request', says);
      const far = await send(who.supervisor, 'GET', '/follow-ups', { query: 'from=2099-01-01&to=2099-12-31' });
      expect(far.statusCode, far.body).toBe(200);
      expect(far.json<{ rows: unknown[] }>().rows).toEqual([]);
      await stillAnswers();
    });

    it('after all that, the assigned officer records the one follow-up rating', async () => {
      const answer = await send(who.officer, 'POST', RATING, { params: { id: recordId }, json: good });
      expect(answer.statusCode, answer.body).toBe(200);
      const trail = await fc.database.db.query<{ n: number }>("SELECT count(*)::integer AS n FROM follow_up_trail WHERE action = 'rate'");
      expect(trail[0]!.n).toBe(1);
    });
  });

  describe('referral targets (首问负责)', () => {
    const target = (code: string, o: Send = {}) => ({ params: { code }, ...o });
    const good = { name: '公安局户籍窗口', kind: 'department', sort: 2 };

    it('refuses no sign-in, no CSRF token and every role but admin', async () => {
      await attack(null, 'PUT', IT_ROUTES.referralTarget, target('NEW', { json: good }), 401, 'unauthorized');
      await attack(who.admin, 'PUT', IT_ROUTES.referralTarget, target('NEW', { json: good, noCsrf: true }), 403, 'csrf-token-invalid');
      await attack(who.admin, 'DELETE', IT_ROUTES.referralTarget, target('GA-HALL', { noCsrf: true }), 403, 'csrf-token-invalid');
      for (const session of [who.headSj, who.supervisor, who.officer, who.viewer]) {
        await attack(session, 'PUT', IT_ROUTES.referralTarget, target('NEW', { json: good }), 403, 'forbidden', /ask an admin/);
        await attack(session, 'DELETE', IT_ROUTES.referralTarget, target('GA-HALL'), 403, 'forbidden');
      }
      expectRefused(await send(who.headSj, 'GET', IT_ROUTES.referralTargets), 403, 'forbidden');
    });

    it('refuses wrong types, sizes and codes, and a target that is not there', async () => {
      await attack(who.admin, 'PUT', IT_ROUTES.referralTarget, target('NEW', { json: { ...good, kind: 'planet' } }), 400, 'invalid-request', /kind is one of/);
      await attack(who.admin, 'PUT', IT_ROUTES.referralTarget, target('NEW', { json: { ...good, sort: 'NaN' } }), 400, 'invalid-request', /sort/);
      await attack(who.admin, 'PUT', IT_ROUTES.referralTarget, target('NEW', { json: { ...good, sort: 1e308 } }), 400, 'invalid-request', /sort/);
      await attack(who.admin, 'PUT', IT_ROUTES.referralTarget, target('NEW', { json: { ...good, name: 12 } }), 400, 'invalid-request', /name/);
      await attack(who.admin, 'PUT', IT_ROUTES.referralTarget, target('NEW', { json: { ...good, name: MEGA.slice(0, 500_000) } }), 400, 'invalid-request', /at most 200 characters/);
      await attack(who.admin, 'PUT', IT_ROUTES.referralTarget, target('NEW', { json: { ...good, name: Array.from({ length: 100_000 }, () => 'a') } }), 400, 'invalid-request', /name/);
      await attack(who.admin, 'PUT', IT_ROUTES.referralTarget, target('NEW', { text: TEN_MB }), 413, 'body-too-large');
      await attack(who.admin, 'PUT', IT_ROUTES.referralTarget, target('NEW', { text: deep(100_000) }), 400, 'invalid-request');
      await attack(who.admin, 'PUT', IT_ROUTES.referralTarget, target('NEW', { json: { ...good, name: '户籍\u0000窗口' } }), 400, 'invalid-request', /^name: a name holds a control character/);
      await attack(who.admin, 'PUT', IT_ROUTES.referralTarget, target('N\u0000EW', { json: good }), 400, 'invalid-request', /^code: .*control character/);
      // Half of a surrogate pair: the database would keep a replacement mark instead of what was typed.
      await attack(who.admin, 'PUT', IT_ROUTES.referralTarget, target('NEW', { text: '{"name":"户籍\\ud800窗口","kind":"department"}' }), 400, 'invalid-request', /^name: .*half of a character/);
      await attack(who.admin, 'PUT', IT_ROUTES.referralTarget, target('x'.repeat(65), { json: good }), 400, 'invalid-request', /at most 64 characters/);
      // A window refuses a case sent to a code with a control character in it, so the console refuses the code.
      expect(FinishCase.safeParse({ type: 'finishCase', outcome: 'transferred', referralTo: 'GA\u0007HALL' }).success).toBe(false);
      await attack(who.admin, 'PUT', IT_ROUTES.referralTarget, target('GA\u0007HALL', { json: good }), 400, 'invalid-request', /^code: a target code holds a control character/);
      // A badge with a control character could never sign anyone in at a window.
      expect(SignInBadge.safeParse({ type: 'signInBadge', badgeId: 'B-20\u000701' }).success).toBe(false);
      await attack(who.admin, 'PUT', IT_ROUTES.staffMember, { params: { staffNo: '2001' }, json: { name: '周丽', badgeIds: ['B-20\u000701'] } }, 400, 'invalid-request', /^badgeIds\.0: a badge id holds a control character/);
      await attack(who.admin, 'PUT', IT_ROUTES.referralTarget, target('NEW', { json: { ...good, name: '户籍\r\n窗口' } }), 400, 'invalid-request', /^name: a name holds a control character/);
      await attack(who.admin, 'PUT', IT_ROUTES.reason, { params: { code: 'R\u000b9' }, json: { labelZh: '态度差', labelEn: 'Rude' } }, 400, 'invalid-request', /^code: a reason code holds a control character/);
      await attack(who.admin, 'PUT', IT_ROUTES.item, { params: { itemCode: 'SJ\t002', itemVersion: '1' }, json: { name: '名称' } }, 400, 'invalid-request', /^itemCode: an item code holds a control character/);
      await attack(who.admin, 'PUT', IT_ROUTES.referralTarget, target('x'.repeat(100_000), { json: good }), 414, 'invalid-request', /longer than any name the centre keeps/);
      await attack(who.admin, 'PUT', IT_ROUTES.referralTarget, { rawPath: '/lists/referral-targets/%E0%A4%A', json: good }, 400, 'invalid-request', /does not decode/);
      await attack(who.admin, 'DELETE', IT_ROUTES.referralTarget, { rawPath: '/lists/referral-targets/%zz' }, 400, 'invalid-request', /does not decode/);
      await attack(who.admin, 'DELETE', IT_ROUTES.referralTarget, target('NOT-THERE'), 404, 'not-found', /reload the list/);
    });
  });

  describe('the lists for scripts (admin token)', () => {
    /** A whole-list call with the admin token, refused as said, with nothing stored. */
    async function scripted(method: 'PUT' | 'GET', path: string, body: unknown, status: number, code: string, says?: RegExp, token?: string | null) {
      const before = await snapshot();
      const answer = await fc.centre.call(method, path, { body, ...(token !== undefined ? { token } : {}) });
      expect(answer.status, answer.text.slice(0, 300)).toBe(status);
      expect(answer.body).toMatchObject({ error: { code } });
      const message = (answer.body as { error: { message: string } }).error.message;
      expect(message.length).toBeLessThan(400);
      if (says) expect(message).toMatch(says);
      expect(await snapshot()).toEqual(before);
      await stillAnswers();
    }
    const target = (more: object) => [{ code: 'GA-HALL', name: '公安局户籍窗口', kind: 'department', ...more }];

    it('refuses no token, a console session and the wrong token', async () => {
      await scripted('PUT', '/v1/admin/referral-targets', target({}), 401, 'unauthorized', /Authorization: Bearer/, null);
      await scripted('PUT', '/v1/admin/referral-targets', target({}), 401, 'unauthorized', undefined, 'not-the-admin-token');
      const before = await snapshot();
      const asConsole = await send(who.admin, 'PUT', '', { rawPath: '/../../admin/referral-targets', json: target({}) });
      expect(asConsole.statusCode).not.toBe(200);
      expect(await snapshot()).toEqual(before);
    });

    it('refuses sort orders the database cannot hold, repeated codes, huge lists and window numbers that are no numbers', async () => {
      await scripted('PUT', '/v1/admin/referral-targets', target({ sort: 2 ** 40 }), 400, 'invalid-request', /sort/);
      await scripted('PUT', '/v1/admin/referral-targets', target({ sort: -(2 ** 40) }), 400, 'invalid-request', /sort/);
      await scripted('PUT', '/v1/admin/reasons', [{ code: 'R01', labelZh: '态度差', labelEn: 'Rude', sort: 2 ** 40 }], 400, 'invalid-request', /sort/);
      await scripted('PUT', '/v1/admin/referral-targets', [...target({}), ...target({})], 400, 'invalid-request', /appears once/);
      await scripted('PUT', '/v1/admin/referral-targets', Array.from({ length: 100_000 }, (_, i) => ({ code: `T${i}`, name: 'x', kind: 'window' })), 413, 'body-too-large');
      await scripted('PUT', '/v1/admin/referral-targets', Array.from({ length: 2_001 }, (_, i) => ({ code: `T${i}`, name: 'x', kind: 'window' })), 400, 'invalid-request');
      await scripted('PUT', '/v1/admin/referral-targets', target({ name: 'a\u0000b' }), 400, 'invalid-request', /NUL character/);
      await scripted('PUT', `/v1/admin/windows/A%00B`, { departmentCode: SJ }, 400, 'invalid-request', /window/);
      await scripted('PUT', `/v1/admin/windows/${'9'.repeat(17)}`, { departmentCode: SJ }, 400, 'invalid-request', /at most 16 characters/);
    });
  });

  describe("an item's service information", () => {
    const item = (o: Send) => ({ params: { itemCode: SJ_ITEM, itemVersion: '1' }, ...o });
    const withInfo = (serviceInfo: unknown) => item({ json: { name: '营业执照变更', departmentCode: SJ, serviceInfo } });
    const material = { name: '营业执照正本', form: 'original', count: 1 };

    it('refuses every role but admin, no sign-in and no CSRF token', async () => {
      await attack(null, 'PUT', IT_ROUTES.item, withInfo({ materials: [material] }), 401, 'unauthorized');
      await attack(who.admin, 'PUT', IT_ROUTES.item, { ...withInfo({ materials: [material] }), noCsrf: true }, 403, 'csrf-token-invalid');
      await attack(who.headSj, 'PUT', IT_ROUTES.item, withInfo({ materials: [material] }), 403, 'forbidden', /department head may not use/);
    });

    it('refuses wrong types, 100,000 materials, deep nesting, far-off numbers and characters the database cannot keep', async () => {
      const cases: [unknown, RegExp][] = [
        ['materials', /serviceInfo/],
        [{ materials: Array.from({ length: 100_000 }, () => ({})) }, /at most 40 materials/],
        [{ materials: [{ ...material, count: 'NaN' }] }, /count of a material/],
        [{ materials: [{ ...material, count: -1 }] }, /count of a material/],
        [{ materials: [{ ...material, form: 'scan' }] }, /original or a copy/],
        [{ materials: [{ ...material, name: MEGA.slice(0, 500_000) }] }, /at most 100 characters/],
        [{ promisedTime: { kind: 'working_days', days: 1e9 } }, /1 to 365/],
        [{ promisedTime: { kind: 'working_days', days: -5 } }, /1 to 365/],
        [{ promisedTime: { kind: 'working_days', days: '9999' } }, /1 to 365/],
        [{ promisedTime: { kind: 'yesterday' } }, /promised time/],
        [{ fees: { amount: 10 } }, /fees/],
        [{ fees: '免费\u0000' }, /^serviceInfo\.fees: the fees holds a control character/],
        [{ whereToAsk: '\u0000' }, /^serviceInfo\.whereToAsk: where to ask holds a control character/],
        [{ materials: [{ ...material, name: '身份证\u0000' }] }, /^serviceInfo\.materials\.0\.name: a material name holds a control character/],
        [{ materials: [{ ...material, name: '身份证\u000b复印件' }] }, /^serviceInfo\.materials\.0\.name: a material name holds a control character/],
        [{ materials: [{ ...material, name: '身份证\n户口本' }] }, /keep it to one line/],
        [{ materials: [{ ...material, notes: 'a\u0000b' }] }, /^serviceInfo\.materials\.0\.notes: a material note holds a control character/],
        [{ materials: [{ ...material, notes: 'a\udc00b' }] }, /^serviceInfo\.materials\.0\.notes: .*half of a character/],
      ];
      // A window's 一次告知 sends the ticked materials' names back, and refuses control characters in them.
      expect(FinishCase.safeParse({ type: 'finishCase', outcome: 'notified_missing', missingMaterials: ['身份证\u000b复印件'] }).success).toBe(false);
      for (const [serviceInfo, says] of cases) {
        await attack(who.admin, 'PUT', IT_ROUTES.item, withInfo(serviceInfo), 400, 'invalid-request', says);
      }
      await attack(who.admin, 'PUT', IT_ROUTES.item, item({ text: `{"name":"营业执照变更","serviceInfo":{"materials":${deep(100_000)}}}` }), 400, 'invalid-request');
      await attack(who.admin, 'PUT', IT_ROUTES.item, item({ text: TEN_MB }), 413, 'body-too-large');
      await attack(who.admin, 'PUT', IT_ROUTES.item, item({ json: { name: '名称\u0000', serviceInfo: null } }), 400, 'invalid-request', /^name: an item name holds a control character/);
      await attack(who.admin, 'PUT', IT_ROUTES.item, { params: { itemCode: 'A\u0000B', itemVersion: '1' }, json: { name: '名称' } }, 400, 'invalid-request', /^itemCode: .*control character/);
      // Nothing was lost: the item still has what it had, and a real edit goes through.
      const ok = await send(who.admin, 'PUT', IT_ROUTES.item, withInfo({ materials: [material], promisedTime: { kind: 'on_the_spot' } }));
      expect(ok.statusCode, ok.body).toBe(200);
      expect(ok.json()).toMatchObject({ serviceInfo: { materials: [{ name: '营业执照正本' }] } });
    });
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

  describe('many attacks at once', () => {
    it('keeps answering: forty oversized, malformed and unsigned changes in parallel, then a plain read', async () => {
      const before = await snapshot();
      const answers = await Promise.all(
        Array.from({ length: 40 }, (_, i) =>
          i % 4 === 0
            ? send(who.admin, 'PUT', IT_ROUTES.referralTarget, { params: { code: `F${i}` }, text: TEN_MB })
            : i % 4 === 1
              ? send(who.admin, 'PUT', HALL_ROUTES.windowRules, { text: deep(100_000) })
              : i % 4 === 2
                ? send(null, 'POST', '/follow-ups/:id/rating', { params: { id: recordId }, json: { level: 'satisfied', how: 'phone' } })
                : send(who.supervisor, 'GET', PUNCTUALITY_ROUTES.punctuality, { query: 'from=2000-01-01&to=2100-12-31' }),
        ),
      );
      expect(answers.map((a) => a.statusCode).sort()).toEqual([...Array(10).fill(400), ...Array(10).fill(400), ...Array(10).fill(401), ...Array(10).fill(413)].sort());
      expect(await snapshot()).toEqual(before);
      await stillAnswers();
      // Whatever was refused and logged, the citizen's callback phone is in no log line.
      expect(fc.centre.logs.length).toBeGreaterThan(0);
      expect(fc.centre.logs.join('\n')).not.toContain('13812345678');
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
