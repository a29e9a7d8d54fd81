/**
 * Deadlines in working days on the centre's calendar: across weekends, the Spring Festival
 * and the make-up working Saturdays (调休) of 2026 as shipped, in the centre's local time;
 * the centre's SQL and the console's counting agree on every day of the year. With the
 * centre's clock moved by hand, a record counts down, is due tomorrow, is due today, turns
 * overdue, and once closed late is late, not overdue. The admin's calendar and working-days
 * setting move the open records' deadlines, and say who changed them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatCalendarFile } from '../../src/shared/console/calendar-file';
import type { Bulletin } from '../../src/shared/console/it-contract';
import type { CalendarYear, FollowUpDepartmentCounts, FollowUpPage, FollowUpRecord } from '../../src/shared/console/follow-up-contract';
import { openPglite } from '../../server/src/db/pglite';
import { migrateCentre } from '../../server/src/db/migrate';
import { followUpDeadline, isWorkingDay, loadCalendar, workingDaysLeft, type Calendar } from '../../server/src/reports/working-days';
import { CentreSettings } from '../../server/src/settings';
import { ManualClock } from '../support/clock';
import { BACKENDS } from '../sync/support/backends';
import type { Terminal } from '../sync/support/terminal';
import { signInConsole, type ConsoleSession } from './support/console-session';
import { rateCase, SJ_ITEM, startFollowUpCentre, windowKiosk, type FollowUpCentre } from './support/follow-up';

const HOLIDAYS_2026 = ['2026-01-01', '2026-01-02', '2026-02-16', '2026-02-17', '2026-02-18', '2026-02-19', '2026-02-20', '2026-02-23', '2026-04-06', '2026-05-01', '2026-05-04', '2026-05-05', '2026-06-19', '2026-09-25', '2026-10-01', '2026-10-02', '2026-10-05', '2026-10-06', '2026-10-07'];
const WORKDAYS_2026 = ['2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10'];
const SHIPPED: Calendar = { holidays: HOLIDAYS_2026, workdays: WORKDAYS_2026 };
const BEIJING = 480;
/** A moment in Beijing time. */
const local = (text: string) => Date.parse(`${text}+08:00`);

describe('working days on the 2026 calendar', () => {
  it('counts across the 调休 Saturdays and the Spring Festival, never on a weekend or a holiday', () => {
    // Thursday 12 February: Friday, the working Saturday 14th, the festival until Monday 23rd, the working Saturday 28th.
    expect(followUpDeadline(local('2026-02-12T10:00'), 15, SHIPPED, BEIJING)).toBe('2026-03-11');
    expect(followUpDeadline(local('2026-02-12T10:00'), 2, SHIPPED, BEIJING)).toBe('2026-02-14');
    expect(followUpDeadline(local('2026-02-12T10:00'), 3, SHIPPED, BEIJING)).toBe('2026-02-24');
    // Without the calendar the same rating would be due on Thursday 5 March.
    expect(followUpDeadline(local('2026-02-12T10:00'), 15, { holidays: [], workdays: [] }, BEIJING)).toBe('2026-03-05');
  });

  it('counts from the centre’s local date, not the UTC one', () => {
    // 23:30 on Thursday 2 April in Beijing is still the 2nd; 00:30 is Friday the 3rd, and Monday 6th is 清明.
    expect(followUpDeadline(local('2026-04-02T23:30'), 1, SHIPPED, BEIJING)).toBe('2026-04-03');
    expect(followUpDeadline(local('2026-04-03T00:30'), 1, SHIPPED, BEIJING)).toBe('2026-04-07');
  });

  it('says the working days left, zero on the day itself, and below zero once past', () => {
    expect(workingDaysLeft('2026-02-12', '2026-03-11', SHIPPED)).toBe(15);
    expect(workingDaysLeft('2026-02-14', '2026-03-11', SHIPPED)).toBe(13);
    expect(workingDaysLeft('2026-02-16', '2026-03-11', SHIPPED)).toBe(13);
    expect(workingDaysLeft('2026-03-10', '2026-03-11', SHIPPED)).toBe(1);
    expect(workingDaysLeft('2026-03-11', '2026-03-11', SHIPPED)).toBe(0);
    expect(workingDaysLeft('2026-03-12', '2026-03-11', SHIPPED)).toBe(-1);
    expect(workingDaysLeft('2026-03-14', '2026-03-11', SHIPPED)).toBe(-2);
    // Past a Friday deadline on the Saturday: overdue, so never 0.
    expect(workingDaysLeft('2026-03-07', '2026-03-06', SHIPPED)).toBe(-1);
  });

  it('is counted the same in the centre’s SQL for every day of 2026', async () => {
    const db = await openPglite(undefined);
    try {
      await migrateCentre(db);
      const calendar = await loadCalendar(db, CentreSettings.parse({}));
      expect([[...calendar.holidays].sort(), [...calendar.workdays].sort()]).toEqual([HOLIDAYS_2026, WORKDAYS_2026]);
      const start = local('2026-01-01T10:00');
      const rows = await db.query<{ i: number; deadline: string }>('SELECT i, follow_up_deadline($1::bigint + i * 86400000::bigint) AS deadline FROM generate_series(0, 364) AS i ORDER BY i', [start]);
      expect(rows).toHaveLength(365);
      expect(rows.map((r) => r.deadline)).toEqual(rows.map((r) => followUpDeadline(start + r.i * 86_400_000, 15, SHIPPED, BEIJING)));
      const days = await db.query<{ day: string; working: boolean }>("SELECT to_char(d, 'YYYY-MM-DD') AS day, is_working_day(d::date) AS working FROM generate_series(date '2026-01-01', date '2026-12-31', interval '1 day') AS d");
      expect(days).toHaveLength(365);
      expect(days.filter((d) => d.working).length).toBe(365 - 104 - HOLIDAYS_2026.length + WORKDAYS_2026.length);
      expect(days.map((d) => d.working)).toEqual(days.map((d) => isWorkingDay(d.day, SHIPPED)));
    } finally {
      await db.close();
    }
  });
});

describe.each(BACKENDS)('follow-up deadlines at the centre on %s', (backend) => {
  let fc: FollowUpCentre;
  const open: Terminal[] = [];
  let id: number;

  beforeAll(async () => {
    fc = await startFollowUpCentre(backend, new ManualClock(local('2026-02-12T10:00')));
    await fc.as('admin', null, 'admin-he');
    await fc.as('supervisor', null, 'sup-qian');
    await fc.as('follow_up', '340104-SJ', 'fu-li');
    await fc.as('viewer', null, 'viewer-zhou');
    const t = await windowKiosk(fc, '31', open);
    rateCase(t, SJ_ITEM, 5, { reasons: ['R01'] });
    expect(await t.client.syncNow()).toMatchObject({ ok: true, pending: 0 });
    id = (await fc.database.db.query<{ id: number }>('SELECT id FROM follow_ups'))[0]!.id;
  }, 120_000);
  afterAll(async () => {
    for (const t of open) t.kiosk.close();
    await fc?.close();
  });

  /** Sessions end after half an hour idle: each look after the clock moved signs in again. */
  const as = (username: string): Promise<ConsoleSession> => signInConsole(fc.centre.centre.app, username);
  const at = async (when: string) => {
    fc.clock.advance(local(when) - fc.clock.now());
    const supervisor = await as('sup-qian');
    const record = await fc.record(supervisor, id);
    const counts = (await fc.call<{ departments: FollowUpDepartmentCounts[] }>(supervisor, 'GET', '/follow-ups/counts')).body.departments;
    const overdueList = (await fc.call<FollowUpPage>(supervisor, 'GET', '/follow-ups', { query: { overdue: 'true' } })).body.rows.map((r) => r.id);
    return { record, counts, overdueList };
  };

  it('counts a record down to its deadline and past it, by the centre’s clock', async () => {
    const first = await at('2026-02-12T10:05');
    expect(first.record).toMatchObject({ deadline: '2026-03-11', workingDaysLeft: 15, overdue: false });
    expect(first.counts).toEqual([{ departmentCode: '340104-SJ', departmentName: '市场监督管理局', open: 1, dueTomorrow: 0, overdue: 0 }]);
    expect((await at('2026-02-14T09:00')).record.workingDaysLeft).toBe(13);
    expect((await at('2026-02-18T09:00')).record.workingDaysLeft).toBe(13);
    const dayBefore = await at('2026-03-10T17:00');
    expect(dayBefore.record).toMatchObject({ workingDaysLeft: 1, overdue: false });
    expect(dayBefore.counts[0]).toMatchObject({ dueTomorrow: 1, overdue: 0 });
    const dueToday = await at('2026-03-11T23:59');
    expect(dueToday.record).toMatchObject({ workingDaysLeft: 0, overdue: false });
    expect(dueToday.counts[0]).toMatchObject({ dueTomorrow: 0, overdue: 0 });
    expect(dueToday.overdueList).toEqual([]);
    const late = await at('2026-03-12T00:01');
    expect(late.record).toMatchObject({ workingDaysLeft: -1, overdue: true });
    expect(late.counts[0]).toMatchObject({ open: 1, overdue: 1 });
    expect(late.overdueList).toEqual([id]);
  });

  it('moves an open record’s deadline when the admin imports the year, and refuses a wrong file whole', async () => {
    const admin = await as('admin-he');
    const shipped = await fc.call<CalendarYear>(admin, 'GET', '/calendar/:year', { params: { year: 2026 } });
    expect(shipped.body).toEqual({ year: 2026, holidays: HOLIDAYS_2026, workdays: WORKDAYS_2026, source: 'default', updatedBy: null, updatedAt: null });

    const before = await fc.database.db.query('SELECT * FROM calendar_days ORDER BY day');
    const wrong = await fc.call(admin, 'POST', '/calendar/import', { body: { text: `${formatCalendarFile([shipped.body])}2026-03-09 休\n2026-03-07 休\n2026-3-10 休\n` } });
    expect(wrong.status).toBe(400);
    expect(wrong.body).toMatchObject({
      error: { code: 'calendar-file-invalid', reason: 'follow_up.calendar_file_invalid', fields: { line: expect.any(Number), more: 1 } },
      lines: [
        { line: expect.any(Number), message: '2026-03-07 is a Saturday, a day off already: list only weekdays as 休, or remove this line' },
        { line: expect.any(Number), message: '2026-3-10 is not a date on the calendar: write it as YYYY-MM-DD, e.g. 2026-10-01' },
      ],
    });
    expect(await fc.database.db.query('SELECT * FROM calendar_days ORDER BY day')).toEqual(before);
    expect((await fc.record(admin, id)).deadline).toBe('2026-03-11');

    // Monday 9 March declared a holiday: the open record is due a working day later.
    const imported = await fc.call<{ years: CalendarYear[] }>(admin, 'POST', '/calendar/import', { body: { text: `${formatCalendarFile([shipped.body])}2026-03-09 休\n` } });
    expect(imported.status, imported.text).toBe(200);
    expect(imported.body.years[0]).toMatchObject({ year: 2026, source: 'admin', updatedBy: 'admin-he', updatedAt: fc.clock.now() });
    expect(imported.body.years[0]!.holidays).toContain('2026-03-09');
    expect(await fc.record(admin, id)).toMatchObject({ deadline: '2026-03-12', overdue: false, workingDaysLeft: 0 });

    // Next year, set on its page: a wrong day is named and nothing is stored.
    const badYear = await fc.call(admin, 'PUT', '/calendar/:year', { params: { year: 2027 }, body: { holidays: ['2027-01-01', '2027-02-06'], workdays: [] } });
    expect(badYear).toMatchObject({ status: 400, body: { error: { code: 'invalid-request', message: '2027-02-06 is a Saturday, a day off already: list only weekdays as 休', reason: 'follow_up.holiday_on_weekend', fields: { day: '2027-02-06' } } } });
    const otherYear = await fc.call(admin, 'PUT', '/calendar/:year', { params: { year: 2027 }, body: { holidays: ['2026-12-31'], workdays: [] } });
    expect(otherYear).toMatchObject({ status: 400, body: { error: { message: '2026-12-31 is not in 2027: set each year\'s days on its own page', reason: 'follow_up.day_other_year', fields: { day: '2026-12-31', year: 2027 } } } });
    expect((await fc.call<CalendarYear>(admin, 'GET', '/calendar/:year', { params: { year: 2027 } })).body).toMatchObject({ holidays: [], workdays: [], updatedBy: null });
    const set = await fc.call<CalendarYear>(admin, 'PUT', '/calendar/:year', { params: { year: 2027 }, body: { holidays: ['2027-01-01'], workdays: ['2027-01-02'] } });
    expect(set.body).toEqual({ year: 2027, holidays: ['2027-01-01'], workdays: ['2027-01-02'], source: 'admin', updatedBy: 'admin-he', updatedAt: fc.clock.now() });
    expect((await fc.call(admin, 'GET', '/calendar/:year', { params: { year: 1999 } })).status).toBe(400);

    const supervisor = await as('sup-qian');
    expect((await fc.call<CalendarYear>(supervisor, 'GET', '/calendar/:year', { params: { year: 2027 } })).body.holidays).toEqual(['2027-01-01']);
    expect((await fc.call(supervisor, 'POST', '/calendar/import', { body: { text: '2026-03-10 休\n' } })).status).toBe(403);
    expect((await fc.call(supervisor, 'PUT', '/calendar/:year', { params: { year: 2026 }, body: { holidays: [], workdays: [] } })).status).toBe(403);
    const changes = await fc.database.db.query<{ by_user: string; what: string }>('SELECT by_user, what FROM follow_up_config_changes ORDER BY id');
    expect(changes).toEqual([{ by_user: 'admin-he', what: 'calendar' }, { by_user: 'admin-he', what: 'calendar' }]);
  });

  it('counts open records again when the working days change, and keeps a closed record judged late by its own deadline', async () => {
    const admin = await as('admin-he');
    const refusedPut = await fc.call(admin, 'PUT', '/follow-up/settings', { body: { workingDays: 0 } });
    expect(refusedPut).toMatchObject({ status: 400, body: { error: { code: 'invalid-request', message: 'workingDays: at least one working day' } } });
    expect((await fc.call(await as('viewer-zhou'), 'PUT', '/follow-up/settings', { body: { workingDays: 5 } })).status).toBe(403);
    expect((await fc.call(admin, 'PUT', '/follow-up/settings', { body: { workingDays: 5 } })).body).toEqual({ workingDays: 5 });
    expect((await fc.call(admin, 'GET', '/follow-up/settings')).body).toEqual({ workingDays: 5 });
    // Five working days from 12 February: the 13th, the working Saturday 14th, then the 24th to the 26th.
    expect(await fc.record(admin, id)).toMatchObject({ deadline: '2026-02-26', overdue: true });

    fc.clock.advance(local('2026-03-13T10:00') - fc.clock.now());
    const supervisor = await as('sup-qian');
    const step = async (session: ConsoleSession, body: unknown) => {
      const answer = await fc.call<FollowUpRecord>(session, 'POST', '/follow-ups/:id/actions', { params: { id }, body });
      expect(answer.status, answer.text).toBe(200);
      return answer.body;
    };
    await step(supervisor, { action: 'assign', assignee: 'fu-li' });
    const officer = await as('fu-li');
    await step(officer, { action: 'call', result: 'no_phone', attempts: 1, note: '未留电话' });
    await step(officer, { action: 'verify', finding: 'not_valid', findings: '无法核实' });
    await step(officer, { action: 'reply', told: '已张贴答复', how: 'other' });
    const closed = await step(officer, { action: 'close', note: '' });
    expect(closed).toMatchObject({ state: 'closed', deadline: '2026-02-26', overdue: false, closedLate: true });

    await fc.call(await as('admin-he'), 'PUT', '/follow-up/settings', { body: { workingDays: 15 } });
    expect(await fc.record(await as('sup-qian'), id)).toMatchObject({ deadline: '2026-02-26', closedLate: true });
    const counts = (await fc.call<{ departments: FollowUpDepartmentCounts[] }>(await as('sup-qian'), 'GET', '/follow-ups/counts')).body.departments;
    expect(counts).toEqual([]);
    const bulletin = await fc.call<Bulletin>(await as('sup-qian'), 'GET', '/exports/bulletin', { query: { department: '340104-SJ', month: '2026-02' } });
    expect(bulletin.body.followUp).toEqual({ poorRatings: 1, calledBack: 0, valid: 0, putRight: 0, answeredOnTime: 0, overdue: 1 });
    const changes = await fc.database.db.query<{ by_user: string; what: string; detail: string }>("SELECT by_user, what, detail FROM follow_up_config_changes WHERE what = 'settings' ORDER BY id");
    expect(changes.map((c) => c.detail)).toEqual(['working days to follow up: 15 → 5', 'working days to follow up: 5 → 15']);
  });
});
