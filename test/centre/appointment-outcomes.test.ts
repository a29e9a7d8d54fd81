/**
 * The appointment register's outcomes marked by hand (10.4, annex C), on PostgreSQL and on
 * PGlite, with a real kiosk syncing over HTTP: a cancellation with its reason and a no-show
 * (only once the agreed time has passed) show in the register with who and when and travel in
 * the CSV; a cancelled appointment leaves its window's list at the next config pull; a window
 * whose list was stale still opens a case from a marked appointment, and the register shows it
 * served with the mark as a note. What cannot be marked is refused with a sentence, changing
 * nothing. A citizen's phone erasure counts the appointments it reached, in its log row.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { APPOINTMENT_ROUTES, type AppointmentList, type AppointmentRow } from '../../src/shared/console/appointments-contract';
import { PRIVACY_ROUTES, type PhoneErasureRow } from '../../src/shared/console/privacy-contract';
import { parseCsv } from '../../src/core/store/csv';
import { BACKENDS } from '../sync/support/backends';
import type { Terminal } from '../sync/support/terminal';
import type { ConsoleSession } from './support/console-session';
import { GA_ITEM, SJ_ITEM, startFollowUpCentre, windowKiosk, type FollowUpCentre } from './support/follow-up';

// The test's clock starts at 2026-02-12 09:00 in Beijing (UTC+8).
const TODAY = '2026-02-12';
const TOMORROW = '2026-02-13';
const SJ = '340104-SJ';
const GA = '340104-GA';
const at = (hhmm: string, day = TODAY) => Date.parse(`${day}T${hhmm}:00+08:00`);

type Refused = { error?: { code: string; message: string; reason?: string; fields?: Record<string, string | number> } };

describe.each(BACKENDS)('appointment outcomes marked by hand on %s', (backend) => {
  let fc: FollowUpCentre;
  let supervisor: ConsoleSession;
  let sjHead: ConsoleSession;
  const open: Terminal[] = [];
  const ids: Record<string, number> = {};

  const book = async (session: ConsoleSession, over: Record<string, unknown>) => {
    const made = await fc.call<AppointmentRow & Refused>(session, 'POST', APPOINTMENT_ROUTES.appointments, {
      body: { applicantKind: 'person', applicantName: '李建国', phone: '13812345678', itemCode: SJ_ITEM, windowNo: '12', agreedDate: TODAY, agreedTime: '10:30', channel: 'phone', ...over },
    });
    expect(made.status, made.text).toBe(201);
    return made.body;
  };
  const mark = (session: ConsoleSession, id: number | string, body: unknown) => fc.call<AppointmentRow & Refused>(session, 'POST', APPOINTMENT_ROUTES.appointmentMark, { params: { id }, body });
  const list = async (session: ConsoleSession, query: Record<string, string>) => (await fc.call<AppointmentList>(session, 'GET', APPOINTMENT_ROUTES.appointments, { query })).body.rows;
  const byName = async (name: string, day = TODAY) => (await list(supervisor, { day })).find((r) => r.applicantName === name)!;
  const refusal = async (answer: Promise<{ status: number; body: Refused }>) => {
    const a = await answer;
    return [a.status, a.body.error?.message];
  };
  const marks = async () => fc.database.db.query<{ id: number; marked: string | null }>('SELECT id, marked FROM appointments ORDER BY id');

  beforeAll(async () => {
    fc = await startFollowUpCentre(backend);
    const items = [
      { itemCode: SJ_ITEM, itemVersion: '1', name: '个体工商户设立登记', departmentCode: SJ, departmentName: '市场监督管理局' },
      { itemCode: GA_ITEM, itemVersion: '1', name: '户口迁移', departmentCode: GA, departmentName: '公安局' },
    ];
    expect((await fc.centre.call('PUT', '/v1/admin/items', { body: items })).status).toBe(200);
    expect((await fc.centre.call('PUT', '/v1/admin/windows/12', { body: { departmentCode: SJ, departmentName: '市场监督管理局' } })).status).toBe(200);
    expect((await fc.centre.call('PUT', '/v1/admin/windows/13', { body: { departmentCode: GA, departmentName: '公安局' } })).status).toBe(200);
    supervisor = await fc.as('supervisor', null, 'sup.chen');
    sjHead = await fc.as('department', SJ, 'sj.head');
    ids.li = (await book(supervisor, { applicantName: '李建国', agreedTime: '10:30' })).id;
    ids.zhou = (await book(supervisor, { applicantName: '周敏', phone: '13900001111', agreedTime: '09:15', channel: 'on_site' })).id;
    ids.wang = (await book(supervisor, { applicantName: '王芳', phone: '13700002222', agreedTime: '11:00' })).id;
    ids.zhao = (await book(supervisor, { applicantName: '赵强', phone: '13600003333', agreedTime: '11:30' })).id;
    ids.ga = (await book(supervisor, { applicantName: '孙丽', phone: '13500004444', itemCode: GA_ITEM, windowNo: '13', agreedTime: '10:00' })).id;
    ids.later = (await book(supervisor, { applicantName: '钱多', phone: '13812345678', agreedDate: TOMORROW, agreedTime: '09:00' })).id;
  }, 120_000);
  afterEach(() => {
    for (const t of open.splice(0)) t.kiosk.close();
  });
  afterAll(async () => {
    await fc?.close();
  });

  it('cancels with a reason, shows who and when, and the window’s next list leaves it out', async () => {
    const t = await windowKiosk(fc, '12', open);
    expect(await t.client.pullConfig()).toMatchObject({ ok: true });
    expect(t.kiosk.appointmentsToday().map((a) => a.applicantName)).toEqual(['周敏', '李建国', '王芳', '赵强']);

    const cancelled = await mark(sjHead, ids.li!, { mark: 'cancelled', reason: 'citizen', note: '申请人来电改约' });
    expect(cancelled.status, cancelled.text).toBe(200);
    expect(cancelled.body).toMatchObject({
      id: ids.li,
      outcome: null,
      caseId: null,
      mark: { kind: 'cancelled', reason: 'citizen', note: '申请人来电改约', by: 'sj.head', byName: 'sj.head', at: fc.clock.now() },
    });
    const row = await byName('李建国');
    expect(row.mark).toEqual(cancelled.body.mark);
    // The other reasons: the department's own, and another with the line that says what it is.
    expect((await mark(supervisor, ids.wang!, { mark: 'cancelled', reason: 'other', note: '窗口系统升级停办' })).body.mark).toMatchObject({ reason: 'other', note: '窗口系统升级停办', by: 'sup.chen' });

    expect(await t.client.pullConfig()).toMatchObject({ ok: true });
    expect(t.kiosk.appointmentsToday().map((a) => a.applicantName)).toEqual(['周敏', '赵强']);
  });

  it('marks a no-show only once the agreed time has passed, and it stays on the window’s list', async () => {
    // 09:00: 周敏's 09:15 has not come yet.
    expect(await refusal(mark(supervisor, ids.zhou!, { mark: 'no_show' }))).toEqual([
      400,
      `appointment ${ids.zhou} is agreed for ${TODAY} 09:15: a citizen can be marked as not come only once that time has passed`,
    ]);
    // The console words it from its reason and figures.
    expect((await mark(supervisor, ids.zhou!, { mark: 'no_show' })).body.error).toMatchObject({
      reason: 'appointments.too_early_for_no_show',
      fields: { id: ids.zhou, date: TODAY, time: '09:15' },
    });
    // Nor tomorrow's, whatever the hour today.
    fc.clock.advance(at('09:16') - fc.clock.now());
    expect((await mark(supervisor, ids.later!, { mark: 'no_show' })).status).toBe(400);
    const noShow = await mark(supervisor, ids.zhou!, { mark: 'no_show' });
    expect(noShow.status, noShow.text).toBe(200);
    expect(noShow.body.mark).toEqual({ kind: 'no_show', reason: null, note: null, by: 'sup.chen', byName: 'sup.chen', at: at('09:16') });
    expect((await byName('周敏')).mark?.kind).toBe('no_show');

    // The citizen may still come late: the window keeps it.
    const t = await windowKiosk(fc, '12', open);
    expect(await t.client.pullConfig()).toMatchObject({ ok: true });
    expect(t.kiosk.appointmentsToday().map((a) => a.applicantName)).toEqual(['周敏', '赵强']);
  });

  it('refuses with a sentence what cannot be marked, changing nothing', async () => {
    const before = await marks();
    expect(await refusal(mark(supervisor, 999_999, { mark: 'cancelled', reason: 'citizen' }))).toEqual([404, 'there is no appointment 999999; reload the register']);
    expect(await refusal(mark(supervisor, 'abc', { mark: 'no_show' }))).toEqual([404, 'there is no appointment abc; reload the register']);
    expect(await refusal(mark(supervisor, ids.zhao!, { mark: 'cancelled' }))).toEqual([400, 'reason: say why it is cancelled: citizen (the citizen asked), department, or other']);
    expect(await refusal(mark(supervisor, ids.zhao!, { mark: 'cancelled', reason: 'other' }))).toEqual([400, 'note: a cancellation for another reason needs a line saying what it is']);
    expect(await refusal(mark(supervisor, ids.zhao!, { mark: 'cancelled', reason: 'weather' }))).toEqual([400, 'reason: the reason for cancelling is citizen (the citizen asked), department, or other']);
    expect(await refusal(mark(supervisor, ids.zhao!, { mark: 'no_show', reason: 'citizen' }))).toEqual([400, 'reason: a no-show takes no reason or note; only a cancellation does']);
    expect(await refusal(mark(supervisor, ids.zhao!, { mark: 'served' }))).toEqual([400, 'mark: an appointment is marked cancelled or no_show (the citizen did not come)']);
    expect(await refusal(mark(supervisor, ids.zhao!, { mark: 'cancelled', reason: 'citizen', note: '改约\n明天' }))).toEqual([400, 'note: the note must be one line of text']);
    expect(await refusal(mark(supervisor, ids.zhao!, { mark: 'cancelled', reason: 'citizen', note: '长'.repeat(201) }))).toEqual([400, 'note: the note is at most 200 characters']);
    // Already marked: neither marked again nor changed to the other mark.
    expect(await refusal(mark(supervisor, ids.li!, { mark: 'cancelled', reason: 'department' }))).toEqual([409, `appointment ${ids.li} was already cancelled by sj.head; reload the register to see it`]);
    expect(await refusal(mark(supervisor, ids.zhou!, { mark: 'cancelled', reason: 'citizen' }))).toEqual([409, `appointment ${ids.zhou} was already marked no-show by sup.chen; reload the register to see it`]);
    expect((await mark(supervisor, ids.li!, { mark: 'no_show' })).body.error).toMatchObject({ reason: 'appointments.already_marked', fields: { id: ids.li, marked: 'cancelled', by: 'sj.head' } });
    // Roles: a department head marks their own department's only; viewers and evaluators none.
    expect(await refusal(mark(sjHead, ids.ga!, { mark: 'cancelled', reason: 'citizen' }))).toEqual([403, `you may register appointments only for your own department (${SJ}); this one belongs to ${GA}`]);
    expect(await refusal(mark(await fc.as('viewer', null, 'viewer.li'), ids.zhao!, { mark: 'cancelled', reason: 'citizen' }))).toEqual([403, 'a viewer may not use this part of the console; ask an admin if you need it']);
    expect((await mark(await fc.as('evaluator', null, 'eval.he'), ids.zhao!, { mark: 'cancelled', reason: 'citizen' })).status).toBe(403);
    expect((await fc.call(null, 'POST', APPOINTMENT_ROUTES.appointmentMark, { params: { id: ids.zhao! }, body: { mark: 'no_show' } })).status).toBe(401);
    // The page's security token is required.
    const noCsrf = await fc.centre.centre.app.inject({
      method: 'POST',
      url: `/v1/console/appointments/${ids.zhao}/mark`,
      headers: { cookie: supervisor.headers.cookie, 'content-type': 'application/json' },
      payload: JSON.stringify({ mark: 'cancelled', reason: 'citizen' }),
    });
    expect(noCsrf.statusCode).toBe(403);
    expect(await marks()).toEqual(before);
  });

  it('links a case a stale window opens from a cancelled or no-show appointment, shows it served with the mark as a note, and refuses marking it then', async () => {
    // The window took its list before 赵强's appointment was cancelled, and does not pull again.
    const t = await windowKiosk(fc, '12', open);
    expect(await t.client.pullConfig()).toMatchObject({ ok: true });
    const stale = t.kiosk.appointmentsToday();
    // 周敏 was marked as not come: the window still lists her, marked, as she may still come late.
    expect(stale.map((a) => [a.applicantName, a.noShow])).toEqual([
      ['周敏', true],
      ['赵强', false],
    ]);
    expect((await mark(supervisor, ids.zhao!, { mark: 'cancelled', reason: 'department', note: '材料待补' })).status).toBe(200);

    expect(t.kiosk.execute({ type: 'signInBadge', badgeId: 'BADGE-1001' }, 'staff')).toMatchObject({ ok: true });
    for (const a of stale) {
      expect(t.kiosk.execute({ type: 'openCase', itemCode: a.itemCode, appointmentId: a.id }, 'staff')).toMatchObject({ ok: true });
      fc.clock.advance(60_000);
      expect(t.kiosk.execute({ type: 'finishCase', outcome: 'completed' }, 'staff')).toMatchObject({ ok: true });
      fc.clock.advance(60_000);
    }
    expect(await t.client.syncNow()).toMatchObject({ ok: true, pending: 0 });

    const rows = await list(supervisor, { day: TODAY, window: '12' });
    const served = rows.filter((r) => r.caseId !== null);
    expect(served.map((r) => [r.applicantName, r.outcome, r.mark?.kind, r.mark?.byName])).toEqual([
      ['周敏', 'completed', 'no_show', 'sup.chen'],
      ['赵强', 'completed', 'cancelled', 'sup.chen'],
    ]);
    expect(served.every((r) => r.servedAt !== null)).toBe(true);
    expect(await refusal(mark(supervisor, ids.zhao!, { mark: 'no_show' }))).toEqual([
      409,
      `appointment ${ids.zhao} was already served at window 12 (a case was opened from it), so it cannot be marked no-show`,
    ]);
    expect((await mark(supervisor, ids.zhao!, { mark: 'cancelled', reason: 'citizen' })).body.error).toMatchObject({
      reason: 'appointments.already_served',
      fields: { id: ids.zhao, window: '12', mark: 'cancelled' },
    });

    // Served, the cancelled one is back on the window's list with its outcome; the one cancelled and never served is not.
    expect(await t.client.pullConfig()).toMatchObject({ ok: true });
    expect(t.kiosk.appointmentsToday().map((a) => [a.applicantName, a.outcome])).toEqual([
      ['周敏', 'completed'],
      ['赵强', 'completed'],
    ]);
  });

  it('refuses marking an appointment the window has opened a case from, before that case is finished', async () => {
    const t = await windowKiosk(fc, '13', open);
    expect(await t.client.pullConfig()).toMatchObject({ ok: true });
    const [ga] = t.kiosk.appointmentsToday();
    expect(ga?.applicantName).toBe('孙丽');
    expect(t.kiosk.execute({ type: 'signInBadge', badgeId: 'BADGE-1001' }, 'staff')).toMatchObject({ ok: true });
    expect(t.kiosk.execute({ type: 'openCase', itemCode: ga!.itemCode, appointmentId: ga!.id }, 'staff')).toMatchObject({ ok: true });
    expect(await t.client.syncNow()).toMatchObject({ ok: true, pending: 0 });
    // Opened, not finished: already served as far as a mark goes.
    expect(await refusal(mark(supervisor, ids.ga!, { mark: 'cancelled', reason: 'citizen' }))).toEqual([
      409,
      `appointment ${ids.ga} was already served at window 13 (a case was opened from it), so it cannot be cancelled`,
    ]);
    expect((await byName('孙丽')).mark).toBeNull();
  });

  it('carries the marks in the CSV', async () => {
    const csv = await fc.call(supervisor, 'GET', APPOINTMENT_ROUTES.appointmentsCsv, { query: { day: TODAY } });
    expect(csv.status).toBe(200);
    const [header, ...rows] = parseCsv(csv.text.replace(/^\uFEFF/, ''));
    const col = (r: string[], name: string) => r[header!.indexOf(name)];
    expect(header).toEqual(expect.arrayContaining(['办理结果', '标记', '取消原因', '标记说明', '标记人', '标记时间']));
    expect(rows.map((r) => [col(r, '申请人'), col(r, '办理结果'), col(r, '标记'), col(r, '取消原因'), col(r, '标记说明'), col(r, '标记人'), col(r, '标记时间')])).toEqual([
      ['周敏', '办结', '未到', '', '', 'sup.chen', `${TODAY} 09:16`],
      ['孙丽', '办理中', '', '', '', '', ''],
      ['李建国', '', '已取消', '群众申请取消', '申请人来电改约', 'sj.head', `${TODAY} 09:00`],
      ['王芳', '', '已取消', '其他原因', '窗口系统升级停办', 'sup.chen', `${TODAY} 09:00`],
      ['赵强', '办结', '已取消', '部门取消', '材料待补', 'sup.chen', `${TODAY} 09:16`],
    ]);
  });

  it('counts the appointments a citizen’s phone erasure reached, in its log row and the list of erasures', async () => {
    const admin = await fc.as('admin', null, 'admin.wu');
    // 13812345678 is the contact phone of two appointments (today's cancelled one and tomorrow's).
    const erased = await fc.call<PhoneErasureRow>(admin, 'POST', PRIVACY_ROUTES.phoneErasures, { body: { phone: '138 1234 5678' } });
    expect(erased.status, erased.text).toBe(200);
    expect(erased.body).toMatchObject({ reason: 'citizen_request', phoneMasked: '138****5678', appointments: 2, followUps: 0, cases: 0, records: 0 });
    expect([(await byName('李建国')).phone, (await byName('钱多', TOMORROW)).phone]).toEqual([null, null]);
    expect((await byName('王芳')).phone).toBe('137****2222');
    // A number the register does not hold: none.
    const none = await fc.call<PhoneErasureRow>(admin, 'POST', PRIVACY_ROUTES.phoneErasures, { body: { phone: '13311112222' } });
    expect(none.body.appointments).toBe(0);
    const listed = await fc.call<{ erasures: PhoneErasureRow[] }>(admin, 'GET', PRIVACY_ROUTES.phoneErasures);
    expect(listed.body.erasures.map((e) => [e.phoneMasked, e.appointments])).toEqual([
      ['133****2222', 0],
      ['138****5678', 2],
    ]);
    expect(await fc.database.db.query('SELECT appointments FROM phone_erasures ORDER BY id')).toEqual([{ appointments: 2 }, { appointments: 0 }]);
    // An erasure logged before the count was kept shows none rather than a wrong zero.
    await fc.database.db.query("INSERT INTO phone_erasures (at, reason, by_user, follow_ups, cases, records) VALUES ($1, 'retention', 'centre', 1, 1, 1)", [fc.clock.now()]);
    expect((await fc.call<{ erasures: PhoneErasureRow[] }>(admin, 'GET', PRIVACY_ROUTES.phoneErasures)).body.erasures[0]!.appointments).toBeNull();
  });
});
