/**
 * The centre the console attack tests aim at: a follow-up centre with one rated case called
 * back by its assigned officer, a signed-in session for every role, window 21 with hours, an
 * item and a referral target. Its helpers send a request as a browser would (or would not),
 * and check that a refusal has a status, a code and a sentence, that the tables the console
 * routes write are as they were, and that the centre answers the next request.
 */
import type { LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import { readCredentials } from '../../../src/core/sync/credentials';
import { CONSOLE_API, CSRF_HEADER, IT_ROUTES, type ConsoleRole } from '../../../src/shared/console/contract';
import { HALL_ROUTES } from '../../../src/shared/console/hall-contract';
import { itPath } from '../../../src/shared/console/it-contract';
import type { Backend } from '../../sync/support/backends';
import type { Terminal } from '../../sync/support/terminal';
import type { ConsoleSession } from './console-session';
import { rateCase, SJ_ITEM, startFollowUpCentre, windowKiosk, type FollowUpCentre } from './follow-up';

export const SJ = '340104-SJ';
export const GA = '340104-GA';
/** The tables these routes write, read whole to show an attack stored nothing. */
export const WATCHED = ['follow_ups', 'follow_up_trail', 'service_items', 'referral_targets', 'windows', 'window_schedules', 'window_rules', 'terminals', 'staff', 'reason_codes'];

export const MEGA = 'x'.repeat(1_000_000);
export const TEN_MB = `{"name":"${'y'.repeat(10 * 1024 * 1024)}","kind":"department"}`;
export const deep = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;

export type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';
export interface Send {
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

export type Role = 'admin' | 'supervisor' | 'viewer' | 'evaluator' | 'headSj' | 'headGa' | 'officer' | 'officerGa';

export interface ConsoleAttack {
  fc: FollowUpCentre;
  /** A session for each role; the officers and heads belong to SJ or GA as named. */
  who: Record<Role, ConsoleSession>;
  /** The follow-up record of the rated case (department SJ, assigned to fu-li, called back). */
  recordId: number;
  /** Window 21's kiosk, enrolled, and its terminal token. */
  terminalId: string;
  terminalToken: string;
  send(session: ConsoleSession | null, method: Method, route: string, o?: Send): Promise<LightMyRequestResponse>;
  /** Every row of the WATCHED tables, in a stable order. */
  snapshot(): Promise<Record<string, unknown[]>>;
  /** A refusal with its status, code and a readable sentence, not the catch-all of a failure. */
  expectRefused(answer: LightMyRequestResponse, status: number, code: string, says?: string | RegExp): void;
  /** The centre still answers: a plain read right after the attack succeeds. */
  stillAnswers(): Promise<void>;
  /** The attack is refused as said, stores nothing, and the centre answers the next request. */
  attack(session: ConsoleSession | null, method: Method, route: string, o: Send, status: number, code: string, says?: string | RegExp): Promise<void>;
  close(): Promise<void>;
}

/** Hours on Monday to Friday, closed at the weekend. */
export function weekdays(opens: string, closes: string) {
  const day = (v: string) => [v, v, v, v, v, null, null];
  return { opensAt: day(opens), closesAt: day(closes), pauseLimitMinutes: 30, floor: '一楼' };
}

export async function startConsoleAttack(backend: Backend): Promise<ConsoleAttack> {
  const fc = await startFollowUpCentre(backend);
  const open: Terminal[] = [];
  const close = async () => {
    for (const t of open) t.kiosk.close();
    await fc.close();
  };
  try {
    const t = await windowKiosk(fc, '21', open);
    rateCase(t, SJ_ITEM, 5, { reasons: ['R01'], phone: '13812345678' });
    expect(await t.client.syncNow()).toMatchObject({ ok: true, pending: 0 });
    const terminalId = t.kiosk.terminal.terminalId;
    const terminalToken = readCredentials(t.kiosk.db)!.token;
    const as = (role: ConsoleRole, department: string | null, name: string) => fc.as(role, department, name);
    const who: Record<Role, ConsoleSession> = {
      admin: await as('admin', null, 'it-chen'),
      supervisor: await as('supervisor', null, 'sup-zhang'),
      viewer: await as('viewer', null, 'viewer-he'),
      evaluator: await as('evaluator', null, 'eval-sun'),
      headSj: await as('department', SJ, 'head-sj'),
      headGa: await as('department', GA, 'head-ga'),
      officer: await as('follow_up', SJ, 'fu-li'),
      officerGa: await as('follow_up', GA, 'fu-ga'),
    };
    const ledger = await fc.call<{ rows: { id: number }[] }>(who.supervisor, 'GET', '/follow-ups');
    expect(ledger.body.rows).toHaveLength(1);
    const recordId = ledger.body.rows[0]!.id;
    // Called back, so the assigned officer may record the citizen's follow-up rating.
    expect((await fc.call(who.headSj, 'POST', '/follow-ups/:id/actions', { params: { id: recordId }, body: { action: 'assign', assignee: 'fu-li' } })).status).toBe(200);
    expect((await fc.call(who.officer, 'POST', '/follow-ups/:id/actions', { params: { id: recordId }, body: { action: 'call', result: 'reached', attempts: 1, note: '已联系' } })).status).toBe(200);
    // A window with hours, an item and a referral target to attack.
    expect((await fc.call(who.admin, 'PUT', IT_ROUTES.window, { params: { windowNo: '21' }, body: { departmentCode: SJ, departmentName: '市场监督管理局' } })).status).toBe(200);
    expect((await fc.call(who.admin, 'PUT', HALL_ROUTES.windowSchedule, { params: { windowNo: '21' }, body: weekdays('08:30', '17:30') })).status).toBe(200);
    expect((await fc.call(who.admin, 'PUT', IT_ROUTES.item, { params: { itemCode: SJ_ITEM, itemVersion: '1' }, body: { name: '营业执照变更', departmentCode: SJ } })).status).toBe(200);
    expect((await fc.call(who.admin, 'PUT', IT_ROUTES.referralTarget, { params: { code: 'GA-HALL' }, body: { name: '公安局户籍窗口', kind: 'department', sort: 1 } })).status).toBe(200);

    const send: ConsoleAttack['send'] = async (session, method, route, o = {}) => {
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
    };

    const snapshot: ConsoleAttack['snapshot'] = async () => {
      const all: Record<string, unknown[]> = {};
      for (const table of WATCHED) all[table] = await fc.database.db.query(`SELECT to_jsonb(t) AS row FROM ${table} t ORDER BY (t.*)::text`);
      return all;
    };

    const expectRefused: ConsoleAttack['expectRefused'] = (answer, status, code, says) => {
      expect(answer.statusCode, answer.body.slice(0, 300)).toBe(status);
      const body = answer.json<{ error: { code: string; message: string } }>();
      expect(body.error.code).toBe(code);
      expect(body.error.message).toMatch(/^\S.{14,}/);
      // A sentence, not what the caller sent echoed back at length.
      expect(body.error.message.length).toBeLessThan(400);
      expect(body.error.message).not.toContain('[object Object]');
      if (says !== undefined) expect(body.error.message).toMatch(says);
    };

    const stillAnswers: ConsoleAttack['stillAnswers'] = async () => {
      const answer = await send(who.admin, 'GET', HALL_ROUTES.windowRules);
      expect(answer.statusCode, answer.body).toBe(200);
    };

    const attack: ConsoleAttack['attack'] = async (session, method, route, o, status, code, says) => {
      const before = await snapshot();
      expectRefused(await send(session, method, route, o), status, code, says);
      expect(await snapshot()).toEqual(before);
      await stillAnswers();
    };

    return { fc, who, recordId, terminalId, terminalToken, send, snapshot, expectRefused, stillAnswers, attack, close };
  } catch (err) {
    await close();
    throw err;
  }
}
