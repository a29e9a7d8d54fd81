/**
 * 预约服务 (10.4, annex C) at the centre on a real PostgreSQL, with a real kiosk syncing over
 * HTTP: the register keeps the annex C fields, seals the contact phone and shows it masked
 * (and not at all to viewers), books any day including a holiday, refuses what it cannot
 * keep with a sentence and what a role may not do, exports CSV with formula cells
 * neutralised, sends today's appointments to their window with its config, and takes back
 * the outcome of the case the window opened from one.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AppointmentChoices, AppointmentList, AppointmentRow } from '../../src/shared/console/appointments-contract';
import { APPOINTMENT_ROUTES } from '../../src/shared/console/appointments-contract';
import { parseCsv } from '../../src/core/store/csv';
import { key } from '../support/kiosk';
import type { Terminal } from '../sync/support/terminal';
import type { ConsoleSession } from './support/console-session';
import { GA_ITEM, SJ_ITEM, startFollowUpCentre, windowKiosk, type FollowUpCentre } from './support/follow-up';

// The test's clock: 2026-02-12 09:00 in Beijing. 2026-02-17 is in the Spring Festival holiday.
const TODAY = '2026-02-12';
const HOLIDAY = '2026-02-17';
const SJ = '340104-SJ';
const GA = '340104-GA';

const appointment = (over: Record<string, unknown> = {}) => ({
  applicantKind: 'person',
  applicantName: '李建国',
  phone: '13812345678',
  itemCode: SJ_ITEM,
  windowNo: '12',
  agreedDate: TODAY,
  agreedTime: '10:30',
  channel: 'phone',
  ...over,
});

describe('the appointment register on postgres', () => {
  let fc: FollowUpCentre;
  let supervisor: ConsoleSession;
  let sjHead: ConsoleSession;
  const open: Terminal[] = [];

  beforeAll(async () => {
    fc = await startFollowUpCentre('postgres');
    const items = [
      { itemCode: SJ_ITEM, itemVersion: '1', name: '个体工商户设立登记', departmentCode: SJ, departmentName: '市场监督管理局' },
      { itemCode: GA_ITEM, itemVersion: '1', name: '户口迁移', departmentCode: GA, departmentName: '公安局' },
    ];
    expect((await fc.centre.call('PUT', '/v1/admin/items', { body: items })).status).toBe(200);
    expect((await fc.centre.call('PUT', '/v1/admin/windows/12', { body: { departmentCode: SJ, departmentName: '市场监督管理局' } })).status).toBe(200);
    expect((await fc.centre.call('PUT', '/v1/admin/windows/13', { body: { departmentCode: GA, departmentName: '公安局' } })).status).toBe(200);
    supervisor = await fc.as('supervisor', null, 'appt-sup');
    sjHead = await fc.as('department', SJ, 'appt-sj-head');
  }, 120_000);
  afterEach(() => {
    for (const t of open.splice(0)) t.kiosk.close();
  });
  afterAll(async () => {
    await fc?.close();
  });

  const book = (session: ConsoleSession, over: Record<string, unknown> = {}) => fc.call<AppointmentRow & { error?: { code: string; message: string } }>(session, 'POST', APPOINTMENT_ROUTES.appointments, { body: appointment(over) });
  const list = (session: ConsoleSession, query: Record<string, string>) => fc.call<AppointmentList>(session, 'GET', APPOINTMENT_ROUTES.appointments, { query });

  it('registers the annex C fields, seals the phone and shows it masked, on any day including a holiday', async () => {
    const made = await book(supervisor, { departmentOpinion: '请携带营业执照' });
    expect(made.status).toBe(201);
    expect(made.body).toMatchObject({
      applicantKind: 'person',
      applicantName: '李建国',
      phone: '138****5678',
      itemCode: SJ_ITEM,
      itemName: '个体工商户设立登记',
      departmentCode: SJ,
      departmentName: '市场监督管理局',
      windowNo: '12',
      takenBy: 'appt-sup',
      registeredAt: fc.clock.now(),
      agreedDate: TODAY,
      agreedTime: '10:30',
      channel: 'phone',
      departmentOpinion: '请携带营业执照',
      outcome: null,
    });
    const holiday = await book(sjHead, { applicantKind: 'company', applicantName: '合肥某某商贸有限公司', phone: '0551-62345678', agreedDate: HOLIDAY, agreedTime: '14:00', channel: 'online' });
    expect([holiday.status, holiday.body.phone, holiday.body.agreedDate]).toEqual([201, '055****5678', HOLIDAY]);

    // At rest: no number in clear anywhere in the row.
    const rows = await fc.database.db.query<Record<string, unknown>>('SELECT * FROM appointments ORDER BY id');
    expect(JSON.stringify(rows)).not.toContain('13812345678');
    expect(JSON.stringify(rows)).not.toContain('62345678');
    expect(rows.map((r) => r.phone_masked)).toEqual(['138****5678', '055****5678']);
    expect(String(rows[0]!.phone_sealed)).toMatch(/^v1:/);
  });

  it('lists a day by department and window, and viewers get no phone at all', async () => {
    await book(supervisor, { itemCode: GA_ITEM, windowNo: '13', applicantName: '周敏', phone: '13900001111', agreedTime: '09:15', channel: 'on_site' });
    const all = await list(supervisor, { day: TODAY });
    expect(all.body.rows.map((r) => [r.agreedTime, r.windowNo, r.applicantName, r.phone])).toEqual([
      ['09:15', '13', '周敏', '139****1111'],
      ['10:30', '12', '李建国', '138****5678'],
    ]);
    expect((await list(supervisor, { day: TODAY, window: '13' })).body.rows.map((r) => r.applicantName)).toEqual(['周敏']);
    expect((await list(supervisor, { day: TODAY, department: SJ })).body.rows.map((r) => r.applicantName)).toEqual(['李建国']);
    expect((await list(supervisor, { day: HOLIDAY })).body.rows.map((r) => r.applicantName)).toEqual(['合肥某某商贸有限公司']);
    // A department head sees their own department whatever they leave out.
    const mine = await list(sjHead, { day: TODAY });
    expect([mine.body.query.department, mine.body.rows.map((r) => r.applicantName)]).toEqual([SJ, ['李建国']]);
    const viewer = await fc.as('viewer', null, 'appt-viewer');
    const seen = await list(viewer, { day: TODAY });
    expect(seen.status).toBe(200);
    expect(seen.body.rows.map((r) => r.phone)).toEqual([null, null]);
    // The form offers a department head only their department's items and windows.
    const choices = await fc.call<AppointmentChoices>(sjHead, 'GET', APPOINTMENT_ROUTES.appointmentChoices);
    expect([choices.body.items.map((i) => i.itemCode), choices.body.windows.map((w) => w.windowNo), choices.body.today]).toEqual([[SJ_ITEM], ['12'], TODAY]);
  });

  it('refuses with a sentence what it cannot keep, and what a role may not do', async () => {
    const before = Number((await fc.database.db.query<{ n: number }>('SELECT count(*)::integer AS n FROM appointments'))[0]!.n);
    const refusal = async (answer: Promise<{ status: number; body: unknown }>) => {
      const a = await answer;
      return [a.status, (a.body as { error?: { message: string } }).error?.message];
    };
    expect(await refusal(book(supervisor, { agreedDate: '2026-02-11' }))).toEqual([400, 'agreedDate: 2026-02-11 is already past (today is 2026-02-12); choose today or a later day']);
    expect(await refusal(book(supervisor, { phone: '12ab' }))).toEqual([400, expect.stringContaining('phone: the contact phone is a mainland mobile (11 digits starting with 1) or a landline')]);
    expect(await refusal(book(supervisor, { agreedTime: '25:00' }))).toEqual([400, 'agreedTime: the agreed time is HH:MM, such as 09:30']);
    expect(await refusal(book(supervisor, { channel: 'fax' }))).toEqual([400, 'channel: the appointment was made on site, by phone or online']);
    expect(await refusal(book(supervisor, { applicantName: '  ' }))).toEqual([400, 'applicantName: the applicant’s name is required']);
    expect(await refusal(book(supervisor, { itemCode: 'NO-SUCH' }))).toEqual([400, 'itemCode: no service item NO-SUCH is on the centre’s list; choose one from the list']);
    expect(await refusal(book(supervisor, { windowNo: '99' }))).toEqual([400, 'windowNo: window 99 is not set up at the centre; choose one from the list']);
    expect(await refusal(book(sjHead, { itemCode: GA_ITEM, windowNo: '13' }))).toEqual([403, `you may register appointments only for your own department (${SJ}); this one belongs to ${GA}`]);
    expect(await refusal(book(await fc.as('viewer', null, 'appt-viewer-2')))).toEqual([403, 'a viewer may not use this part of the console; ask an admin if you need it']);
    expect(await refusal(list(await fc.as('evaluator', null, 'appt-eval'), { day: TODAY }))).toEqual([403, 'an evaluator may not use this part of the console; ask an admin if you need it']);
    expect(await refusal(list(await fc.as('follow_up', SJ, 'appt-fu'), { day: TODAY }))).toEqual([403, 'a follow-up officer may not use this part of the console; ask an admin if you need it']);
    expect(await refusal(list(sjHead, { day: TODAY, department: GA }))).toEqual([403, `you may see only your own department (${SJ}), not ${GA}`]);
    expect(await refusal(list(supervisor, { day: '2026-02-30' }))).toEqual([400, 'day: 2026-02-30 is not a date on the calendar (YYYY-MM-DD)']);
    // Beside its sentence, each refusal carries the reason and figures the console words in the reader's language.
    const said = async (answer: Promise<{ body: unknown }>) => (await answer).body as { error?: { reason?: string; fields?: Record<string, unknown> } };
    expect(await said(book(supervisor, { agreedDate: '2026-02-11' }))).toMatchObject({ error: { reason: 'appointments.date_past', fields: { date: '2026-02-11', today: TODAY } } });
    expect(await said(book(supervisor, { phone: '12ab' }))).toMatchObject({ error: { reason: 'appointments.phone_invalid' } });
    expect(await said(book(supervisor, { itemCode: 'NO-SUCH' }))).toMatchObject({ error: { reason: 'appointments.item_unknown', fields: { item: 'NO-SUCH' } } });
    expect(await said(book(supervisor, { windowNo: '99' }))).toMatchObject({ error: { reason: 'appointments.window_unknown', fields: { window: '99' } } });
    expect(await said(book(sjHead, { itemCode: GA_ITEM, windowNo: '13' }))).toMatchObject({ error: { reason: 'appointments.other_department', fields: { own: SJ, department: GA } } });
    // The page's security token is required on a change.
    const noCsrf = await fc.centre.centre.app.inject({ method: 'POST', url: '/v1/console/appointments', headers: { cookie: supervisor.headers.cookie, 'content-type': 'application/json' }, payload: JSON.stringify(appointment()) });
    expect(noCsrf.statusCode).toBe(403);
    expect(Number((await fc.database.db.query<{ n: number }>('SELECT count(*)::integer AS n FROM appointments'))[0]!.n)).toBe(before);

    // The opinion: the department's own, a sentence for another's or one that does not exist.
    const ga = (await list(supervisor, { day: TODAY, department: GA })).body.rows[0]!;
    expect(await refusal(fc.call(sjHead, 'PUT', APPOINTMENT_ROUTES.appointmentOpinion, { params: { id: ga.id }, body: { opinion: '同意' } }))).toEqual([
      403,
      `you may register appointments only for your own department (${SJ}); this one belongs to ${GA}`,
    ]);
    expect(await refusal(fc.call(sjHead, 'PUT', APPOINTMENT_ROUTES.appointmentOpinion, { params: { id: 999999 }, body: { opinion: '同意' } }))).toEqual([404, 'there is no appointment 999999; reload the register']);
    expect(await refusal(fc.call(sjHead, 'PUT', APPOINTMENT_ROUTES.appointmentOpinion, { params: { id: ga.id }, body: { opinion: '' } }))).toEqual([400, 'opinion: the department’s opinion is required']);
    const sj = (await list(sjHead, { day: TODAY })).body.rows[0]!;
    const changed = await fc.call<AppointmentRow>(sjHead, 'PUT', APPOINTMENT_ROUTES.appointmentOpinion, { params: { id: sj.id }, body: { opinion: '同意，请带齐材料原件' } });
    expect([changed.status, changed.body.departmentOpinion]).toEqual([200, '同意，请带齐材料原件']);
  });

  it('refuses malformed, oversized and unsigned requests with a sentence, keeping nothing', async () => {
    const count = async () => Number((await fc.database.db.query<{ n: number }>('SELECT count(*)::integer AS n FROM appointments'))[0]!.n);
    const before = await count();
    const refused = async (answer: Promise<{ status: number; body: unknown }>) => {
      const a = await answer;
      return [a.status, (a.body as { error?: { message: string } }).error?.message];
    };
    expect(await refused(fc.call(null, 'GET', APPOINTMENT_ROUTES.appointments, { query: { day: TODAY } }))).toEqual([401, 'you are not signed in, or your session has ended; sign in again']);
    expect((await fc.call(null, 'POST', APPOINTMENT_ROUTES.appointments, { body: appointment() })).status).toBe(401);
    expect(await refused(book(supervisor, { applicantName: '李\n建国' }))).toEqual([400, 'applicantName: the applicant’s name must be one line of text']);
    expect(await refused(book(supervisor, { applicantName: '名'.repeat(101) }))).toEqual([400, 'applicantName: the applicant’s name is at most 100 characters']);
    expect(await refused(book(supervisor, { applicantKind: 5 }))).toEqual([400, 'applicantKind: the applicant is a person or a company']);
    expect(await refused(book(supervisor, { phone: ['13812345678'] }))).toEqual([400, 'phone: a contact phone is required']);
    expect((await book(supervisor, { extra: { deep: [[[[[[[[1]]]]]]]] } })).status).toBe(400);
    expect((await fc.call(supervisor, 'POST', APPOINTMENT_ROUTES.appointments, { body: [appointment()] })).status).toBe(400);
    expect((await book(supervisor, { departmentOpinion: 'x'.repeat(2 * 1024 * 1024) })).status).toBe(413);
    expect(await refused(fc.call(supervisor, 'PUT', APPOINTMENT_ROUTES.appointmentOpinion, { params: { id: 'abc' }, body: { opinion: '同意' } }))).toEqual([404, 'there is no appointment abc; reload the register']);
    expect((await fc.call(supervisor, 'PUT', APPOINTMENT_ROUTES.appointmentOpinion, { params: { id: 'abc' }, body: { opinion: '同意' } })).body).toMatchObject({
      error: { reason: 'appointments.not_found', fields: { id: 'abc' } },
    });
    expect(await refused(list(supervisor, { day: TODAY, window: 'w'.repeat(17) }))).toEqual([400, expect.stringContaining('window:')]);
    expect(await count()).toBe(before);
    // The centre answers the next request as ever.
    expect((await list(supervisor, { day: TODAY })).status).toBe(200);
  });

  it('exports the day as CSV with phones masked and formula cells neutralised', async () => {
    await book(supervisor, { applicantName: '=HYPERLINK("http://x.invalid","点我")', phone: '13700002222', agreedTime: '16:00', departmentOpinion: '+1 同意' });
    const csv = await fc.call(supervisor, 'GET', APPOINTMENT_ROUTES.appointmentsCsv, { query: { day: TODAY } });
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.headers['content-disposition']).toBe(`attachment; filename="appointments-${TODAY}.csv"`);
    const [header, ...rows] = parseCsv(csv.text.replace(/^\uFEFF/, ''));
    const col = (r: string[], name: string) => r[header!.indexOf(name)];
    expect(rows.map((r) => [col(r, '约定时间'), col(r, '申请人'), col(r, '联系电话'), col(r, '预约方式'), col(r, '部门意见')])).toEqual([
      ['09:15', '周敏', '139****1111', '现场', ''],
      ['10:30', '李建国', '138****5678', '电话', '同意，请带齐材料原件'],
      ['16:00', `'=HYPERLINK("http://x.invalid","点我")`, '137****2222', '电话', `'+1 同意`],
    ]);
    expect(csv.text).not.toContain('13812345678');
    const viewerCsv = await fc.call(await fc.as('viewer', null, 'appt-viewer-3'), 'GET', APPOINTMENT_ROUTES.appointmentsCsv, { query: { day: TODAY } });
    const [vh, ...vr] = parseCsv(viewerCsv.text.replace(/^\uFEFF/, ''));
    expect(vr.map((r) => r[vh!.indexOf('联系电话')])).toEqual(['', '', '']);
  });

  it('sends today’s appointments to their window, and takes back the outcome of the case opened from one', async () => {
    const t = await windowKiosk(fc, '12', open);
    expect(await t.client.pullConfig()).toMatchObject({ ok: true });
    const atWindow = t.kiosk.appointmentsToday();
    // Window 12's appointments of today, masked; not window 13's, not the holiday's.
    expect(atWindow.map((a) => [a.agreedTime, a.applicantName, a.phone, a.caseOpened])).toEqual([
      ['10:30', '李建国', '138****5678', false],
      ['16:00', '=HYPERLINK("http://x.invalid","点我")', '137****2222', false],
    ]);
    expect(atWindow[0]).toMatchObject({ itemCode: SJ_ITEM, itemName: '个体工商户设立登记', channel: 'phone', departmentOpinion: '同意，请带齐材料原件', outcome: null });

    const chosen = atWindow[0]!;
    expect(t.kiosk.execute({ type: 'signInBadge', badgeId: 'BADGE-1001' }, 'staff')).toMatchObject({ ok: true });
    expect(t.kiosk.execute({ type: 'openCase', itemCode: chosen.itemCode, appointmentId: chosen.id }, 'staff')).toMatchObject({ ok: true });
    expect(t.kiosk.appointmentsToday().map((a) => a.caseOpened)).toEqual([true, false]);
    expect(t.kiosk.execute({ type: 'finishCase', outcome: 'notified_missing', missingMaterials: ['营业执照副本'] }, 'staff')).toMatchObject({ ok: true });
    t.kiosk.recordPress(key(1, 1, t.clock.now()));
    t.kiosk.flushPresses();
    expect(await t.client.syncNow()).toMatchObject({ ok: true, pending: 0 });

    const after = await list(supervisor, { day: TODAY, window: '12' });
    const served = after.body.rows.find((r) => r.id === Number(chosen.id))!;
    expect(served).toMatchObject({ outcome: 'notified_missing', caseId: expect.any(String), servedAt: expect.any(Number) });
    expect(after.body.rows.filter((r) => r.id !== Number(chosen.id)).map((r) => r.outcome)).toEqual([null]);
    const csv = await fc.call(supervisor, 'GET', APPOINTMENT_ROUTES.appointmentsCsv, { query: { day: TODAY, window: '12' } });
    expect(csv.text).toContain('一次告知');

    // The next config tells the window the outcome too.
    expect(await t.client.pullConfig()).toMatchObject({ ok: true });
    expect(t.kiosk.appointmentsToday()[0]).toMatchObject({ outcome: 'notified_missing', caseOpened: true });
  });

  it('erases the phone at a citizen’s request and after the retention days, keeping the rest of the row', async () => {
    const admin = await fc.as('admin', null, 'appt-admin');
    const erased = await fc.call(admin, 'POST', '/privacy/phone-erasures', { body: { phone: '139 0000 1111' } });
    expect(erased.status).toBe(200);
    const gone = (await list(supervisor, { day: TODAY, window: '13' })).body.rows;
    expect(gone.map((r) => [r.applicantName, r.phone])).toEqual([['周敏', null]]);
    expect(await fc.database.db.query('SELECT phone_masked, phone_sealed, phone_key FROM appointments WHERE applicant_name = $1', ['周敏'])).toEqual([
      { phone_masked: null, phone_sealed: null, phone_key: null },
    ]);
    // Others keep theirs.
    expect((await list(supervisor, { day: TODAY, window: '12' })).body.rows.map((r) => r.phone)).toEqual(['138****5678', '137****2222']);

    // The retention days after the holiday appointment's day, every phone up to it goes; the rows stay.
    const days = ((await fc.centre.call('GET', '/v1/admin/settings')).body.privacy as { phoneRetentionDays: number }).phoneRetentionDays;
    expect(days).toBeGreaterThan(0);
    fc.clock.advance(Date.UTC(2026, 1, 17, 1, 0, 0) + (days + 1) * 86_400_000 - fc.clock.now());
    await fc.centre.centre.privacy.sweep();
    const left = await fc.database.db.query<{ n: number; phones: number }>('SELECT count(*)::integer AS n, count(phone_sealed)::integer AS phones FROM appointments');
    expect(left).toEqual([{ n: 4, phones: 0 }]);
    // Months on, the morning's session has ended: a fresh one reads the register.
    const later = await fc.as('supervisor', null, 'appt-sup-later');
    expect((await list(later, { day: HOLIDAY })).body.rows.map((r) => [r.applicantName, r.phone])).toEqual([['合肥某某商贸有限公司', null]]);
  });
});
