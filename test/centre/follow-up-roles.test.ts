/**
 * A poor rating's follow-up through the console, person by person: the department head
 * assigns it to an officer of the department, the officer reveals the phone (logged) and
 * records the call, the finding, the measures and the answer, and closes it; a supervisor
 * reopens it. Every step is in a trail nobody can edit. Around it, every refusal: another
 * department's head, a viewer, an officer it is not assigned to, a wrong state, a bad body;
 * each says why and changes nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FollowUpDepartmentCounts, FollowUpPage, FollowUpRecord } from '../../src/shared/console/follow-up-contract';
import type { Bulletin } from '../../src/shared/console/it-contract';
import type { LiveEvent } from '../../src/shared/console/live-contract';
import { BACKENDS } from '../sync/support/backends';
import type { Terminal } from '../sync/support/terminal';
import type { ConsoleSession } from './support/console-session';
import { GA_ITEM, rateCase, SJ_ITEM, startFollowUpCentre, windowKiosk, type FollowUpCentre } from './support/follow-up';

const PHONE = '13812345678';

describe.each(BACKENDS)('follow-up by role on %s', (backend) => {
  let fc: FollowUpCentre;
  const open: Terminal[] = [];
  const events: LiveEvent[] = [];
  let window21: Awaited<ReturnType<typeof windowKiosk>>;
  let sjId: number;
  let gaId: number;
  const people = {} as Record<'supervisor' | 'headSj' | 'headGa' | 'officerSj' | 'otherOfficerSj' | 'officerGa' | 'viewer' | 'evaluator', ConsoleSession>;

  beforeAll(async () => {
    fc = await startFollowUpCentre(backend);
    fc.centre.centre.bus.subscribe((e) => void events.push(e));
    const t = await windowKiosk(fc, '21', open);
    window21 = t;
    rateCase(t, SJ_ITEM, 5, { reasons: ['R01', 'R06'], phone: PHONE, comment: '等了很久' });
    rateCase(t, GA_ITEM, 4, { reasons: ['R02'] });
    rateCase(t, SJ_ITEM, 2);
    expect(await t.client.syncNow()).toMatchObject({ ok: true, pending: 0 });
    people.supervisor = await fc.as('supervisor', null, 'sup-zhang');
    people.headSj = await fc.as('department', '340104-SJ', 'head-sj');
    people.headGa = await fc.as('department', '340104-GA', 'head-ga');
    people.officerSj = await fc.as('follow_up', '340104-SJ', 'fu-li');
    people.otherOfficerSj = await fc.as('follow_up', '340104-SJ', 'fu-wang');
    people.officerGa = await fc.as('follow_up', '340104-GA', 'fu-chen');
    people.viewer = await fc.as('viewer', null, 'viewer-zhao');
    people.evaluator = await fc.as('evaluator', null, 'eval-sun');
    const all = await fc.call<FollowUpPage>(people.supervisor, 'GET', '/follow-ups');
    sjId = all.body.rows.find((r) => r.departmentCode === '340104-SJ')!.id;
    gaId = all.body.rows.find((r) => r.departmentCode === '340104-GA')!.id;
  }, 120_000);
  afterAll(async () => {
    for (const t of open) t.kiosk.close();
    await fc?.close();
  });

  /** Everything a refused action could have changed: the row, its trail, the reveal log. */
  const snapshot = async () => ({
    rows: await fc.database.db.query('SELECT * FROM follow_ups ORDER BY id'),
    trail: await fc.database.db.query('SELECT * FROM follow_up_trail ORDER BY follow_up_id, seq'),
    reveals: await fc.database.db.query('SELECT * FROM follow_up_phone_reveals ORDER BY id'),
  });
  /** `said`: the reason and figures the console words in the reader's language, when the test names them. */
  const refused = async (session: ConsoleSession, method: 'GET' | 'POST', route: string, id: number, body: unknown, status: number, code: string, says: string, said?: { reason: string; fields?: Record<string, string | number> }) => {
    const before = await snapshot();
    const answer = await fc.call(session, method, route, { params: { id }, body });
    expect(answer.status, answer.text).toBe(status);
    expect(answer.body).toMatchObject({ error: { code } });
    expect((answer.body as { error: { message: string } }).error.message).toContain(says);
    if (said) {
      const error = (answer.body as { error: { reason?: string; fields?: unknown } }).error;
      expect({ reason: error.reason, fields: error.fields }).toEqual(said);
    }
    expect(await snapshot()).toEqual(before);
  };
  const act = async (session: ConsoleSession, id: number, body: unknown) => {
    const answer = await fc.call<FollowUpRecord>(session, 'POST', '/follow-ups/:id/actions', { params: { id }, body });
    expect(answer.status, answer.text).toBe(200);
    return answer.body;
  };

  it('opens the poor ratings only, each in its department, with the phone masked on the page', async () => {
    const page = await fc.record(people.supervisor, sjId);
    expect(page).toMatchObject({
      level: 'very_dissatisfied',
      windowNo: '21',
      departmentCode: '340104-SJ',
      departmentName: '市场监督管理局',
      reasonCodes: ['R01', 'R06'],
      comment: '等了很久',
      phoneMasked: '138****5678',
      state: 'new',
      openedBy: 'rating',
      allowedActions: ['assign'],
      mayRevealPhone: false,
    });
    expect(page.trail).toEqual([{ seq: 1, at: expect.any(Number), by: 'centre', action: 'open', from: null, to: 'new', detail: {} }]);
    expect(JSON.stringify(page)).not.toContain(PHONE);
    expect((await fc.record(people.supervisor, gaId)).level).toBe('dissatisfied');
    expect((await fc.call<FollowUpPage>(people.supervisor, 'GET', '/follow-ups')).body.total).toBe(2);
  });

  it('shows a department its own records only, and refuses another department as not found, changing nothing', async () => {
    const mine = await fc.call<FollowUpPage>(people.headSj, 'GET', '/follow-ups');
    expect(mine.body.rows.map((r) => r.id)).toEqual([sjId]);
    const other = await fc.call(people.headSj, 'GET', '/follow-ups', { query: { department: '340104-GA' } });
    expect(other).toMatchObject({ status: 403, body: { error: { code: 'forbidden' } } });
    expect((await fc.call<FollowUpPage>(people.officerGa, 'GET', '/follow-ups')).body.rows.map((r) => r.id)).toEqual([gaId]);
    const counts = await fc.call<{ departments: FollowUpDepartmentCounts[] }>(people.headSj, 'GET', '/follow-ups/counts');
    expect(counts.body.departments.map((d) => [d.departmentCode, d.open])).toEqual([['340104-SJ', 1]]);
    const csv = await fc.call(people.headSj, 'GET', '/follow-ups.csv');
    expect(csv.text.split('\r\n').filter((l) => l.includes('340104-'))).toHaveLength(1);
    expect(csv.text).not.toContain('340104-GA');

    await refused(people.headSj, 'GET', '/follow-ups/:id', gaId, undefined, 404, 'not-found', `no follow-up record ${gaId}`, { reason: 'follow_up.record_not_found', fields: { id: gaId } });
    await refused(people.headSj, 'POST', '/follow-ups/:id/actions', gaId, { action: 'assign', assignee: 'fu-chen' }, 404, 'not-found', `no follow-up record ${gaId}`);
    await refused(people.officerSj, 'POST', '/follow-ups/:id/phone', gaId, undefined, 404, 'not-found', `no follow-up record ${gaId}`);
    // An evaluator sees figures, never follow-up records.
    expect((await fc.call(people.evaluator, 'GET', '/follow-ups')).status).toBe(403);
  });

  it('runs the whole follow-up, each step by the person whose step it is, and keeps the trail', async () => {
    await refused(people.headSj, 'POST', '/follow-ups/:id/actions', sjId, { action: 'assign', assignee: 'fu-chen' }, 400, 'invalid-assignee', 'not an active follow-up officer of department 340104-SJ', {
      reason: 'follow_up.assignee_invalid',
      fields: { assignee: 'fu-chen', department: '340104-SJ' },
    });
    await refused(people.officerSj, 'POST', '/follow-ups/:id/actions', sjId, { action: 'assign', assignee: 'fu-li' }, 403, 'forbidden', 'only a supervisor, an admin or the head of this department assigns', {
      reason: 'follow_up.managers_only',
      fields: { action: 'assign' },
    });
    await refused(people.officerSj, 'POST', '/follow-ups/:id/phone', sjId, undefined, 403, 'forbidden', 'only the follow-up officer this record is assigned to');
    const officers = await fc.call<{ officers: { username: string }[] }>(people.headSj, 'GET', '/follow-ups/officers');
    expect(officers.body.officers.map((o) => o.username)).toEqual(['fu-li', 'fu-wang']);

    expect(await act(people.headSj, sjId, { action: 'assign', assignee: 'FU-LI' })).toMatchObject({ state: 'assigned', assignee: 'fu-li' });
    expect((await fc.record(people.officerSj, sjId)).allowedActions).toEqual(['call']);
    expect((await fc.record(people.otherOfficerSj, sjId)).allowedActions).toEqual([]);

    await refused(people.viewer, 'POST', '/follow-ups/:id/phone', sjId, undefined, 403, 'forbidden', 'only the follow-up officer this record is assigned to');
    await refused(people.otherOfficerSj, 'POST', '/follow-ups/:id/phone', sjId, undefined, 403, 'forbidden', 'only the follow-up officer this record is assigned to');
    await refused(people.otherOfficerSj, 'POST', '/follow-ups/:id/actions', sjId, { action: 'call', result: 'reached', attempts: 1, note: '已联系' }, 403, 'forbidden', 'only fu-li, the follow-up officer it is assigned to', {
      reason: 'follow_up.not_your_record',
      fields: { action: 'call', assignee: 'fu-li' },
    });
    await refused(people.viewer, 'POST', '/follow-ups/:id/actions', sjId, { action: 'call', result: 'reached', attempts: 1, note: '已联系' }, 403, 'forbidden', 'a viewer may not use this part');
    await refused(people.officerSj, 'POST', '/follow-ups/:id/actions', sjId, { action: 'call', result: 'reached', attempts: 0, note: '已联系' }, 400, 'invalid-request', 'at least one try');
    await refused(people.officerSj, 'POST', '/follow-ups/:id/actions', sjId, { action: 'verify', finding: 'valid', findings: '属实' }, 409, 'wrong-state', 'verify can be done only when it is called back', {
      reason: 'follow_up.wrong_state',
      fields: { state: 'assigned', action: 'verify' },
    });

    expect(await fc.record(people.officerSj, sjId)).toMatchObject({ mayRevealPhone: true, phoneMasked: '138****5678' });
    const revealed = await fc.call(people.officerSj, 'POST', '/follow-ups/:id/phone', { params: { id: sjId } });
    expect(revealed).toMatchObject({ status: 200, body: { phone: PHONE } });
    const reveals = await fc.database.db.query<{ follow_up_id: number; by_user: string; at: number }>('SELECT follow_up_id, by_user, at FROM follow_up_phone_reveals');
    expect(reveals.map((r) => [Number(r.follow_up_id), r.by_user, Number(r.at)])).toEqual([[sjId, 'fu-li', fc.clock.now()]]);

    await act(people.officerSj, sjId, { action: 'call', result: 'reached', attempts: 2, note: '群众反映等候时间过长' });
    await act(people.officerSj, sjId, { action: 'verify', finding: 'valid', findings: '当日窗口人手不足，情况属实' });
    await refused(people.officerSj, 'POST', '/follow-ups/:id/actions', sjId, { action: 'reply', told: '不属实', how: 'phone' }, 409, 'wrong-state', 'record the measures (rectify) before answering', {
      reason: 'follow_up.rectify_first',
      fields: { state: 'verified', action: 'reply', finding: 'valid' },
    });
    await act(people.officerSj, sjId, { action: 'rectify', measures: '高峰时段增开窗口', responsible: '王主任' });
    await act(people.officerSj, sjId, { action: 'answer', told: '已增开窗口，感谢监督', how: 'phone' });
    const closed = await act(people.officerSj, sjId, { action: 'close', note: '' });
    expect(closed).toMatchObject({ state: 'closed', overdue: false, closedLate: false, allowedActions: [], mayRevealPhone: false });
    await refused(people.officerSj, 'POST', '/follow-ups/:id/actions', sjId, { action: 'close', note: '' }, 409, 'wrong-state', 'this record is closed');
    await refused(people.officerSj, 'POST', '/follow-ups/:id/actions', sjId, { action: 'reopen', reason: '群众再次来电' }, 403, 'forbidden', 'reopens a record');
    await refused(people.supervisor, 'POST', '/follow-ups/:id/actions', sjId, { action: 'reopen', reason: ' ' }, 400, 'invalid-request', 'say why it is reopened');
    expect(await act(people.supervisor, sjId, { action: 'reopen', reason: '群众再次来电' })).toMatchObject({ state: 'assigned', assignee: 'fu-li', closedAt: null });

    const page = await fc.record(people.viewer, sjId);
    expect(page.trail.map((e) => [e.seq, e.by, e.action, e.from, e.to])).toEqual([
      [1, 'centre', 'open', null, 'new'],
      [2, 'head-sj', 'assign', 'new', 'assigned'],
      [3, 'fu-li', 'reveal_phone', 'assigned', 'assigned'],
      [4, 'fu-li', 'call', 'assigned', 'called'],
      [5, 'fu-li', 'verify', 'called', 'verified'],
      [6, 'fu-li', 'rectify', 'verified', 'rectifying'],
      [7, 'fu-li', 'answer', 'rectifying', 'answered'],
      [8, 'fu-li', 'close', 'answered', 'closed'],
      [9, 'sup-zhang', 'reopen', 'closed', 'assigned'],
    ]);
    expect(page.trail.map((e) => e.detail)).toEqual([
      {},
      { assignee: 'fu-li' },
      { note: 'phone revealed' },
      { result: 'reached', attempts: 2, note: '群众反映等候时间过长' },
      { finding: 'valid', findings: '当日窗口人手不足，情况属实' },
      { measures: '高峰时段增开窗口', responsible: '王主任' },
      { told: '已增开窗口，感谢监督', how: 'phone' },
      { note: '' },
      { reason: '群众再次来电' },
    ]);
    expect(page).toMatchObject({ mayRevealPhone: false, allowedActions: [] });
    expect(JSON.stringify(page)).not.toContain(PHONE);
    // Each change was news for the open consoles; the number itself never went to a log.
    expect(events.filter((e) => e.type === 'follow_up' && e.followUpId === sjId).map((e) => e.type === 'follow_up' && e.state)).toEqual([
      'assigned', 'called', 'verified', 'rectifying', 'answered', 'closed', 'assigned',
    ]);
    expect(fc.centre.logs.some((l) => l.includes('callback phone revealed'))).toBe(true);
    expect(fc.centre.logs.join('\n')).not.toContain(PHONE);
  });

  it('answers a rating found not valid by a reply, and keeps the CSV masked for everyone', async () => {
    await act(people.headGa, gaId, { action: 'assign', assignee: 'fu-chen' });
    await act(people.officerGa, gaId, { action: 'call', result: 'not_reached', attempts: 3, note: '三次未接通' });
    await act(people.officerGa, gaId, { action: 'verify', finding: 'not_valid', findings: '调取录像，办理时长正常' });
    await refused(people.officerGa, 'POST', '/follow-ups/:id/actions', gaId, { action: 'rectify', measures: '无', responsible: '无' }, 409, 'wrong-state', 'found not valid');
    await act(people.officerGa, gaId, { action: 'reply', told: '经核实办理时长符合规定', how: 'sms' });
    expect(await act(people.officerGa, gaId, { action: 'close', note: '已答复' })).toMatchObject({ state: 'closed', finding: 'not_valid' });

    const csv = await fc.call(people.supervisor, 'GET', '/follow-ups.csv');
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    const lines = csv.text.replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(lines[0]).toContain('回访电话');
    expect(lines).toHaveLength(3);
    expect(csv.text).toContain('138****5678');
    expect(csv.text).not.toContain(PHONE);
    const closedOnly = await fc.call<FollowUpPage>(people.supervisor, 'GET', '/follow-ups', { query: { state: 'closed' } });
    expect(closedOnly.body.rows.map((r) => r.id)).toEqual([gaId]);
    const openOnly = await fc.call<FollowUpPage>(people.supervisor, 'GET', '/follow-ups', { query: { state: 'open', assignee: 'fu-li' } });
    expect(openOnly.body.rows.map((r) => r.id)).toEqual([sjId]);
  });

  it('gives the department bulletin the follow-up figures of the period, for evaluators too', async () => {
    const bulletin = async (department: string, month: string) => {
      const answer = await fc.call<Bulletin>(people.evaluator, 'GET', '/exports/bulletin', { query: { department, month } });
      expect(answer.status, answer.text).toBe(200);
      return answer.body.followUp;
    };
    // SJ: reached, valid, put right and answered before it was reopened; GA: not reached, not valid, replied.
    expect(await bulletin('340104-SJ', '2026-02')).toEqual({ poorRatings: 1, calledBack: 1, valid: 1, putRight: 1, answeredOnTime: 1, overdue: 0 });
    expect(await bulletin('340104-GA', '2026-02')).toEqual({ poorRatings: 1, calledBack: 0, valid: 0, putRight: 0, answeredOnTime: 1, overdue: 0 });
    expect(await bulletin('340104-SJ', '2026-03')).toEqual({ poorRatings: 0, calledBack: 0, valid: 0, putRight: 0, answeredOnTime: 0, overdue: 0 });
  });

  it('keeps the trail and the reveal log append-only in the database itself', async () => {
    const before = await snapshot();
    expect([before.trail.length, before.reveals.length]).toEqual([15, 1]);
    await expect(fc.database.db.query("UPDATE follow_up_trail SET by_user = 'someone-else' WHERE follow_up_id = $1", [sjId])).rejects.toThrow(/append-only/);
    await expect(fc.database.db.query('DELETE FROM follow_up_trail WHERE follow_up_id = $1', [sjId])).rejects.toThrow(/append-only/);
    await expect(fc.database.db.query('DELETE FROM follow_up_phone_reveals')).rejects.toThrow(/append-only/);
    expect(await snapshot()).toEqual(before);
  });

  it('opens by hand a better rating the centre was told about, once, in the opener\'s own department only', async () => {
    const t = window21;
    const ratingId = rateCase(t, SJ_ITEM, 3);
    expect(t.kiosk.execute({ type: 'openCase', itemCode: SJ_ITEM, caseNo: 'BJ-still-open' }, 'staff')).toMatchObject({ ok: true });
    expect(await t.client.syncNow()).toMatchObject({ ok: true, pending: 0 });
    const rated = (await fc.database.db.query<{ terminal_id: string; case_id: string }>(
      "SELECT terminal_id, payload->>'caseId' AS case_id FROM records WHERE kind = 'rating' AND payload->>'ratingId' = $1",
      [ratingId],
    ))[0]!;
    const stillOpen = (await fc.database.db.query<{ case_id: string }>("SELECT payload->>'caseId' AS case_id FROM records WHERE kind = 'case_opened' AND payload->>'caseNo' = 'BJ-still-open'"))[0]!;
    const body = { terminalId: rated.terminal_id, caseId: rated.case_id, reason: '群众来信反映窗口环境问题' };

    const before = await snapshot();
    expect(await fc.call(people.headGa, 'POST', '/follow-ups', { body })).toMatchObject({ status: 404, body: { error: { code: 'not-found' } } });
    expect(await fc.call(people.viewer, 'POST', '/follow-ups', { body })).toMatchObject({ status: 403 });
    expect(await fc.call(people.headSj, 'POST', '/follow-ups', { body: { ...body, caseId: stillOpen.case_id } })).toMatchObject({
      status: 409,
      body: { error: { code: 'nothing-to-follow-up', message: 'this case has no rating (yet) to follow up: only rated cases are opened by hand' } },
    });
    expect(await fc.call(people.headSj, 'POST', '/follow-ups', { body: { ...body, reason: '' } })).toMatchObject({ status: 400, body: { error: { code: 'invalid-request' } } });
    expect(await snapshot()).toEqual(before);

    const opened = await fc.call<FollowUpRecord>(people.headSj, 'POST', '/follow-ups', { body });
    expect(opened.status, opened.text).toBe(201);
    expect(opened.body).toMatchObject({ ratingId, level: 'basically_satisfied', openedBy: 'hand', state: 'new', departmentCode: '340104-SJ', deadline: '2026-03-11' });
    expect(opened.body.trail).toEqual([{ seq: 1, at: fc.clock.now(), by: 'head-sj', action: 'open', from: null, to: 'new', detail: { reason: '群众来信反映窗口环境问题' } }]);
    const again = await fc.call(people.supervisor, 'POST', '/follow-ups', { body });
    expect(again).toMatchObject({ status: 409, body: { error: { code: 'already-followed-up', reason: 'follow_up.already_followed_up', fields: { record: opened.body.id } }, followUpId: opened.body.id } });
  });
});
