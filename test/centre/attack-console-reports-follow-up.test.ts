/**
 * The console's reading and follow-up routes, attacked as someone with a browser and a little
 * malice would: the 考勤 report (dates far off, not dates at all, ten-year periods, another
 * department's figures), the follow-up rating (追评) and the follow-up ledger (no sign-in, no
 * CSRF token, the wrong role or department, records that do not exist, wrong types, huge, deep
 * and gzip-bombed bodies), and forty such requests at once. Each is refused with a status and
 * a sentence a person can act on, the database is as it was, and the centre answers the next
 * request; the citizen's callback phone is in no log line.
 */
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IT_ROUTES } from '../../src/shared/console/contract';
import { HALL_ROUTES } from '../../src/shared/console/hall-contract';
import { PUNCTUALITY_ROUTES } from '../../src/shared/console/punctuality-contract';
import { BACKENDS } from '../sync/support/backends';
import { deep, GA, MEGA, SJ, startConsoleAttack, TEN_MB, type ConsoleAttack, type Send } from './support/console-attack';
import type { ConsoleSession } from './support/console-session';

describe.each(BACKENDS)('console reports and follow-up under attack on %s', (backend) => {
  let rig: ConsoleAttack | undefined;
  let fc: ConsoleAttack['fc'];
  let who: ConsoleAttack['who'];
  let recordId: number;
  let send: ConsoleAttack['send'];
  let snapshot: ConsoleAttack['snapshot'];
  let expectRefused: ConsoleAttack['expectRefused'];
  let stillAnswers: ConsoleAttack['stillAnswers'];
  let attack: ConsoleAttack['attack'];

  beforeAll(async () => {
    rig = await startConsoleAttack(backend);
    ({ fc, who, recordId, send, snapshot, expectRefused, stillAnswers, attack } = rig);
  }, 180_000);
  afterAll(async () => {
    await rig?.close();
  });

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
});
