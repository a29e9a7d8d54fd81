/**
 * 追评 at the centre: a citizen, called back, rates again through the follow-up officer the
 * record is assigned to. The follow-up rating is kept beside the first (linked by its rating
 * id, assessNumber 2, with who and when), never in its place; the satisfaction figures, which
 * count first ratings, do not move; the ratings export carries it as a row of its own with
 * assessNumber 2 and the first rating's case keys. One per opening of the record: a second
 * is refused until a supervisor reopens the record and it is called again, also when two
 * arrive at the same moment. Every refusal says why and changes nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONSOLE_ROUTES, IT_ROUTES, type Overview } from '../../src/shared/console/contract';
import type { FollowUpPage, FollowUpRecord } from '../../src/shared/console/follow-up-contract';
import { Outbox } from '../../src/core/outbox/outbox';
import { toCode } from '../../src/shared/levels';
import { BACKENDS } from '../sync/support/backends';
import type { Terminal } from '../sync/support/terminal';
import type { ConsoleSession } from './support/console-session';
import { rateCase, SJ_ITEM, startFollowUpCentre, windowKiosk, type FollowUpCentre } from './support/follow-up';

const RANGE = { from: '2026-02-01', to: '2026-02-28' };

/** The ratings export as rows keyed by their column names. */
function csvRows(text: string): Record<string, string>[] {
  const [head, ...lines] = text.replace(/^\uFEFF/, '').trim().split('\r\n');
  const names = head!.split(',');
  return lines.map((line) => Object.fromEntries(line.split(',').map((v, i) => [names[i]!, v])));
}

describe.each(BACKENDS)('follow-up rating (追评) on %s', (backend) => {
  let fc: FollowUpCentre;
  const open: Terminal[] = [];
  let id: number;
  let firstRatingId: string;
  let supervisor: ConsoleSession;
  let head: ConsoleSession;
  let officer: ConsoleSession;
  let otherOfficer: ConsoleSession;

  beforeAll(async () => {
    fc = await startFollowUpCentre(backend);
    const t = await windowKiosk(fc, '21', open);
    firstRatingId = rateCase(t, SJ_ITEM, 5, { reasons: ['R01'], phone: '13812345678' });
    rateCase(t, SJ_ITEM, 1);
    rateCase(t, SJ_ITEM, 2);
    expect(await t.client.syncNow()).toMatchObject({ ok: true, pending: 0 });
    supervisor = await fc.as('supervisor', null, 'sup-zhang');
    head = await fc.as('department', '340104-SJ', 'head-sj');
    officer = await fc.as('follow_up', '340104-SJ', 'fu-li');
    otherOfficer = await fc.as('follow_up', '340104-SJ', 'fu-wang');
    const page = await fc.call<FollowUpPage>(supervisor, 'GET', '/follow-ups');
    expect(page.body.rows).toHaveLength(1);
    id = page.body.rows[0]!.id;
  }, 120_000);
  afterAll(async () => {
    for (const t of open) t.kiosk.close();
    await fc?.close();
  });

  const snapshot = async () => ({
    rows: await fc.database.db.query('SELECT * FROM follow_ups ORDER BY id'),
    trail: await fc.database.db.query('SELECT * FROM follow_up_trail ORDER BY follow_up_id, seq'),
    cases: await fc.database.db.query('SELECT * FROM cases ORDER BY terminal_id, case_id'),
  });
  /** `said`: the reason and figures the console words in the reader's language, when the test names them. */
  const refused = async (session: ConsoleSession, body: unknown, status: number, code: string, says: string, said?: { reason: string; fields?: Record<string, string | number> }) => {
    const before = await snapshot();
    const answer = await fc.call(session, 'POST', '/follow-ups/:id/rating', { params: { id }, body });
    expect(answer.status, answer.text).toBe(status);
    expect(answer.body).toMatchObject({ error: { code } });
    expect((answer.body as { error: { message: string } }).error.message).toContain(says);
    if (said) {
      const error = (answer.body as { error: { reason?: string; fields?: unknown } }).error;
      expect({ reason: error.reason, fields: error.fields }).toEqual(said);
    }
    expect(await snapshot()).toEqual(before);
  };
  const act = async (session: ConsoleSession, body: unknown) => {
    const answer = await fc.call<FollowUpRecord>(session, 'POST', '/follow-ups/:id/actions', { params: { id }, body });
    expect(answer.status, answer.text).toBe(200);
    return answer.body;
  };
  const rate = async (session: ConsoleSession, body: unknown) => {
    const answer = await fc.call<FollowUpRecord>(session, 'POST', '/follow-ups/:id/rating', { params: { id }, body });
    expect(answer.status, answer.text).toBe(200);
    return answer.body;
  };
  const overview = async () => {
    const answer = await fc.call<Overview>(supervisor, 'GET', CONSOLE_ROUTES.overview, { query: { period: 'custom', ...RANGE } });
    expect(answer.status, answer.text).toBe(200);
    return { totals: answer.body.totals, trend: answer.body.trend };
  };
  const exported = async () => {
    const answer = await fc.call(supervisor, 'GET', IT_ROUTES.ratingsCsv, { query: RANGE });
    expect(answer.status, answer.text).toBe(200);
    return csvRows(answer.text);
  };
  const firstCase = async () =>
    fc.database.db.query<{ rating_id: string; level: string; rating_type: string; rated_at: number }>(
      'SELECT rating_id, level, rating_type, rated_at FROM cases WHERE rating_id = $1',
      [firstRatingId],
    );

  it('refuses a follow-up rating before the call, from anyone but the assigned officer, and with a level that is not one of the five', async () => {
    await refused(officer, { level: 'satisfied', how: 'phone' }, 403, 'forbidden', 'this record is not assigned yet');
    await act(head, { action: 'assign', assignee: 'fu-li' });
    expect((await fc.record(officer, id)).mayRate).toBe(false);
    await refused(officer, { level: 'satisfied', how: 'phone' }, 409, 'wrong-state', 'record the call back first');
    await act(officer, { action: 'call', result: 'reached', attempts: 1, note: '群众表示问题已解决' });
    expect((await fc.record(officer, id)).mayRate).toBe(true);
    expect((await fc.record(otherOfficer, id)).mayRate).toBe(false);
    expect((await fc.record(supervisor, id)).mayRate).toBe(false);
    await refused(otherOfficer, { level: 'satisfied', how: 'phone' }, 403, 'forbidden', 'only fu-li, the follow-up officer this record is assigned to');
    await refused(supervisor, { level: 'satisfied', how: 'phone' }, 403, 'forbidden', 'only fu-li');
    await refused(officer, { level: 'excellent', how: 'phone' }, 400, 'invalid-request', 'excellent is not a rating level');
    await refused(officer, { level: 6, how: 'phone' }, 400, 'invalid-request', 'is not a rating level');
    await refused(officer, { level: 'satisfied', how: 'letter' }, 400, 'invalid-request', 'phone, in_person or online');
    await refused(officer, { level: 'satisfied', how: 'phone', note: 'x'.repeat(501) }, 400, 'invalid-request', 'at most 500 characters');
  });

  it('stores the follow-up rating linked to the first, assessNumber 2, with who and when, and leaves the first rating and the figures as they were', async () => {
    const figuresBefore = await overview();
    expect(figuresBefore.totals).toMatchObject({ rated: 3 });
    const exportBefore = await exported();
    const caseBefore = await firstCase();
    expect(caseBefore).toMatchObject([{ level: 'very_dissatisfied', rating_type: 'first' }]);
    fc.clock.advance(300_000);

    const page = await rate(officer, { level: 'satisfied', how: 'phone', note: '整改后满意' });
    expect(page).toMatchObject({ state: 'called', level: 'very_dissatisfied', ratingId: firstRatingId, mayRate: false });
    expect(page.followUpRatings).toEqual([
      { seq: expect.any(Number), at: fc.clock.now(), by: 'fu-li', level: 'satisfied', how: 'phone', note: '整改后满意', firstRatingId, assessNumber: 2 },
    ]);
    expect(page.trail.at(-1)).toEqual({
      seq: page.followUpRatings[0]!.seq,
      at: fc.clock.now(),
      by: 'fu-li',
      action: 'rate',
      from: 'called',
      to: 'called',
      detail: { level: 'satisfied', how: 'phone', note: '整改后满意', firstRatingId, assessNumber: 2 },
    });
    // Anyone who reads the record sees it; the trail holding it cannot be edited.
    expect((await fc.record(supervisor, id)).followUpRatings).toEqual(page.followUpRatings);
    await expect(fc.database.db.query("UPDATE follow_up_trail SET detail = '{}' WHERE action = 'rate'")).rejects.toThrow('append-only');

    expect(await firstCase()).toEqual(caseBefore);
    expect(await overview()).toEqual(figuresBefore);

    const exportAfter = await exported();
    expect(exportAfter.filter((r) => r.assessNumber === '1')).toEqual(exportBefore.filter((r) => r.assessNumber === '1'));
    expect(exportBefore.filter((r) => r.assessNumber === '2')).toEqual([]);
    const first = exportAfter.find((r) => r.assessNumber === '1' && r.satisfaction === String(toCode('very_dissatisfied', 'national')))!;
    const again = exportAfter.filter((r) => r.assessNumber === '2');
    expect(again).toHaveLength(1);
    expect(again[0]).toMatchObject({
      projectNo: first.projectNo,
      terminalId: first.terminalId,
      caseId: first.caseId,
      taskCode: SJ_ITEM,
      deptCode: '340104-SJ',
      windowNo: '21',
      satisfaction: String(toCode('satisfied', 'national')),
      satisfactionName: '满意',
      evaluateStatus: 'rated',
      invalidFlag: '0',
      pf: '',
    });
    expect(again[0]!.projectNo).not.toBe('');
  });

  it('takes one follow-up rating per opening: a second waits until a supervisor reopens the record and it is called again', async () => {
    await refused(officer, { level: 'very_satisfied', how: 'in_person' }, 409, 'already-rated', 'recorded already (satisfied, by fu-li)', {
      reason: 'follow_up.already_rated',
      fields: { level: 'satisfied', by: 'fu-li' },
    });
    await act(officer, { action: 'verify', finding: 'valid', findings: '属实' });
    await refused(officer, { level: 'very_satisfied', how: 'in_person' }, 409, 'already-rated', 'another only after a supervisor reopens it');
    await act(officer, { action: 'rectify', measures: '增开窗口', responsible: '王主任' });
    await act(officer, { action: 'answer', told: '已增开窗口', how: 'phone' });
    await act(officer, { action: 'close', note: '' });
    await refused(officer, { level: 'very_satisfied', how: 'in_person' }, 409, 'wrong-state', 'a supervisor reopens it before the citizen can rate again', {
      reason: 'follow_up.rate_closed',
      fields: { state: 'closed' },
    });

    await act(supervisor, { action: 'reopen', reason: '群众再次来电' });
    await refused(officer, { level: 'very_satisfied', how: 'in_person' }, 409, 'wrong-state', 'record the call back first');
    await act(officer, { action: 'call', result: 'reached', attempts: 1, note: '群众来中心当面评价' });
    fc.clock.advance(60_000);
    // Two clicks at the same moment: the row lock lets one record it and tells the other.
    const both = await Promise.all([
      fc.call(officer, 'POST', '/follow-ups/:id/rating', { params: { id }, body: { level: 'very_satisfied', how: 'in_person' } }),
      fc.call(officer, 'POST', '/follow-ups/:id/rating', { params: { id }, body: { level: 'very_satisfied', how: 'in_person' } }),
    ]);
    expect(both.map((a) => a.status).sort()).toEqual([200, 409]);
    expect(both.find((a) => a.status === 409)!.body).toMatchObject({ error: { code: 'already-rated' } });
    const page = await fc.record(officer, id);
    expect(page.followUpRatings.map((r) => [r.level, r.how, r.note, r.firstRatingId, r.assessNumber])).toEqual([
      ['satisfied', 'phone', '整改后满意', firstRatingId, 2],
      ['very_satisfied', 'in_person', '', firstRatingId, 2],
    ]);
    expect(page.level).toBe('very_dissatisfied');
    expect(page.trail.filter((e) => e.action === 'rate')).toHaveLength(2);
    await refused(officer, { level: 'dissatisfied', how: 'online' }, 409, 'already-rated', 'recorded already (very_satisfied, by fu-li)');

    // The ledger's CSV names the latest follow-up rating beside the first.
    const ledger = await fc.call(supervisor, 'GET', '/follow-ups.csv');
    expect(ledger.status, ledger.text).toBe(200);
    const ledgerRow = csvRows(ledger.text).find((r) => r['记录编号'] === String(id))!;
    expect([ledgerRow['评价等级'], ledgerRow['追评']]).toEqual(['非常不满意', '非常满意']);

    const rows = await exported();
    expect(rows.filter((r) => r.assessNumber === '2').map((r) => r.satisfactionName)).toEqual(['满意', '非常满意']);
    expect(rows.filter((r) => r.assessNumber === '1')).toHaveLength(3);
    expect((await overview()).totals).toMatchObject({ rated: 3 });
  });

  it("refuses a follow-up rating on a window complaint's record, which has no first rating to follow", async () => {
    const at = fc.clock.now();
    const opened = await fc.database.db.query<{ id: number }>(
      `INSERT INTO follow_ups (rating_id, terminal_id, case_id, level, rated_at, rated_day, window_no, department_code, opened_by, complaint_summary,
         opened_at, state, assignee, call_result, called_at, deadline, updated_at)
       VALUES (NULL, 'T-complaint', 'C-1', NULL, $1, '2026-02-12', '21', '340104-SJ', 'complaint', '等候两小时无人叫号', $1, 'called', 'fu-li', 'reached', $1, '2026-03-06', $1)
       RETURNING id`,
      [at],
    );
    const complaintId = Number(opened[0]!.id);
    await fc.database.db.query("INSERT INTO follow_up_trail (follow_up_id, seq, at, by_user, action, from_state, to_state) VALUES ($1, 1, $2, 'centre', 'open', NULL, 'new')", [complaintId, at]);
    expect(await fc.record(officer, complaintId)).toMatchObject({ state: 'called', mayRate: false, followUpRatings: [] });
    const before = await snapshot();
    const answer = await fc.call(officer, 'POST', '/follow-ups/:id/rating', { params: { id: complaintId }, body: { level: 'satisfied', how: 'phone' } });
    expect(answer).toMatchObject({ status: 409, body: { error: { code: 'wrong-state' } } });
    expect((answer.body as { error: { message: string } }).error.message).toContain('no first rating');
    expect(await snapshot()).toEqual(before);
    const rows = await exported();
    expect(rows.filter((r) => r.assessNumber === '2')).toHaveLength(2);
  });
  it("keeps a window's own follow-up rating record beside the case's first rating, never in its place", async () => {
    const w = await windowKiosk(fc, '22', open);
    const first = rateCase(w, SJ_ITEM, 2);
    expect(await w.client.syncNow()).toMatchObject({ ok: true, pending: 0 });
    const held = await fc.database.db.query<{ payload: string }>("SELECT payload::text AS payload FROM records WHERE kind = 'rating' AND payload->>'ratingId' = $1", [first]);
    const payload = JSON.parse(held[0]!.payload) as Record<string, unknown>;
    // A rating record marked as a follow-up rating, for the same case, arrives later from the window.
    new Outbox(w.kiosk.db, w.kiosk.terminal.terminalId).append('rating', fc.clock.now(), { ...payload, ratingId: `${first}-again`, level: 'very_dissatisfied', ratingType: 'follow_up' });
    expect(await w.client.syncNow()).toMatchObject({ ok: true, pending: 0 });
    await overview(); // the figures fold every held record into the cases first
    const onCase = await fc.database.db.query('SELECT rating_id, level, rating_type FROM cases WHERE terminal_id = $1 AND case_id = $2', [w.kiosk.terminal.terminalId, payload.caseId]);
    expect(onCase).toEqual([{ rating_id: first, level: 'satisfied', rating_type: 'first' }]);
  });
});
