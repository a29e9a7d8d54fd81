/**
 * 考勤 at the centre on a real PostgreSQL: two kiosks play a week on a clock the test moves
 * (a late sign-in, an early sign-out, a pause by reason and one never resumed, cases served
 * after closing, a day nobody came, a holiday on the centre's calendar) and sync it; the
 * report per window and per staff member says exactly that. A department user sees only
 * their own department; evaluators are refused; a period that is no period is refused with
 * a sentence.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FOLLOW_UP_ROUTES } from '../../src/shared/console/follow-up-contract';
import { HALL_ROUTES } from '../../src/shared/console/hall-contract';
import { IT_ROUTES } from '../../src/shared/console/it-contract';
import { PUNCTUALITY_ROUTES, type PunctualityReport } from '../../src/shared/console/punctuality-contract';
import { ManualClock } from '../support/clock';
import type { TestDatabase } from '../sync/support/backends';
import { openItDatabase, startItCentre, type ItCentre } from './it-helpers';
import type { ConsoleSession } from './support/console-session';
import { beijing, EXPECTED, HOLIDAY, HR, MARKET, NINE_TO_FIVE, playWeek, WEEK, WINDOWS } from './support/punctuality-week';

describe('the punctuality report on postgres', () => {
  let database: TestDatabase;
  let centre: ItCentre;
  let admin: ConsoleSession;

  beforeAll(async () => {
    database = await openItDatabase('postgres');
    await database.reset();
    // The centre reads the report on the Saturday after the week.
    centre = await startItCentre(database.db, new ManualClock(beijing('2026-03-07', '10:00')), { accounts: { sessionIdleMs: 86_400_000, sessionAbsoluteMs: 86_400_000 } });
    admin = await centre.as('admin', null, 'punctuality-admin');
    for (const w of WINDOWS) {
      expect((await centre.call(admin, 'PUT', IT_ROUTES.window, { params: { windowNo: w.windowNo }, body: { departmentCode: w.departmentCode, departmentName: w.departmentName } })).status).toBe(200);
      expect((await centre.call(admin, 'PUT', HALL_ROUTES.windowSchedule, { params: { windowNo: w.windowNo }, body: NINE_TO_FIVE })).status).toBe(200);
    }
    expect((await centre.call(admin, 'PUT', FOLLOW_UP_ROUTES.calendar, { params: { year: '2026' }, body: { holidays: [HOLIDAY], workdays: [] } })).status).toBe(200);
    await playWeek(centre.url, async (windowNo) => {
      const answer = await centre.call(admin, 'POST', IT_ROUTES.enrolmentCodes, { body: { windowNo } });
      expect(answer.status).toBe(201);
      return String(answer.body.code);
    });
  }, 120_000);
  afterAll(async () => {
    await centre?.close();
    await database?.close();
  });

  const report = async (session: ConsoleSession, query: Record<string, string>) => centre.call(session, 'GET', PUNCTUALITY_ROUTES.punctuality, { query });

  it('tells the week per window, per staff member and day by day', async () => {
    const answer = await report(admin, WEEK);
    expect(answer.status).toBe(200);
    const week = answer.body as unknown as PunctualityReport;
    expect(week.windows).toHaveLength(2);
    expect(week.windows[0]).toMatchObject(EXPECTED.windows[0]!);
    expect(week.windows[1]).toMatchObject(EXPECTED.windows[1]!);
    expect(week.staff).toHaveLength(2);
    expect(week.staff[0]).toMatchObject(EXPECTED.staff[0]!);
    expect(week.staff[1]).toMatchObject(EXPECTED.staff[1]!);
    expect(week.events.map(({ at: _at, ...e }) => e)).toEqual(EXPECTED.events);
    // The holiday is nobody's absence.
    expect(week.events.filter((e) => e.date === HOLIDAY)).toEqual([]);
    // The late sign-in carries its moment: 09:12 on Monday.
    expect(week.events[0]!.at).toBe(beijing('2026-03-02', '09:12'));
    expect(week.pauseReasons).toEqual(['会议', '如厕']);
  });

  it('counts a day as absent only once it is over, while a late sign-in shows at once', async () => {
    // Thursday alone, read on Thursday at noon: window 1 is not yet absent, window 2 is late.
    centre.clock.advance(beijing('2026-03-05', '12:00') - centre.clock.now());
    try {
      const thursday = (await report(admin, { from: '2026-03-05', to: '2026-03-05' })).body as unknown as PunctualityReport;
      expect(thursday.windows.map((w) => [w.windowNo, w.openDays, w.absentDays, w.lateDays])).toEqual([
        ['1', 0, 0, 0],
        ['2', 0, 0, 1],
      ]);
      expect(thursday.events.map((e) => `${e.kind} ${e.windowNo}`)).toEqual(['late 2']);
    } finally {
      centre.clock.advance(beijing('2026-03-07', '10:00') - centre.clock.now());
    }
  });

  it('shows a department user their own windows and people only', async () => {
    const market = await centre.as('department', MARKET, 'punctuality-market');
    const mine = (await report(market, WEEK)).body as unknown as PunctualityReport;
    expect(mine.windows.map((w) => w.windowNo)).toEqual(['1']);
    expect(mine.staff.map((s) => s.staffNo)).toEqual(['1001']);
    expect(mine.events.every((e) => e.windowNo === '1')).toBe(true);
    const theirs = await report(market, { ...WEEK, department: HR });
    expect(theirs.status).toBe(403);
    expect(JSON.stringify(theirs.body)).toContain('your own department');
    // A supervisor may narrow to a department.
    const supervisor = await centre.as('supervisor', null, 'punctuality-supervisor');
    const hr = (await report(supervisor, { ...WEEK, department: HR })).body as unknown as PunctualityReport;
    expect(hr.windows.map((w) => w.windowNo)).toEqual(['2']);
    expect(hr.staff.map((s) => s.staffNo)).toEqual(['1002']);
  });

  it('refuses evaluators and a period that is no period, with a sentence', async () => {
    const evaluator = await centre.as('evaluator', null, 'punctuality-evaluator');
    expect((await report(evaluator, WEEK)).status).toBe(403);
    const backwards = await report(admin, { from: '2026-03-08', to: '2026-03-02' });
    expect(backwards.status).toBe(400);
    expect(JSON.stringify(backwards.body)).toContain('must not be before');
    const noDay = await report(admin, { from: '2026-02-30', to: '2026-03-02' });
    expect(noDay.status).toBe(400);
    expect(JSON.stringify(noDay.body)).toContain('2026-02-30 is not a date on the calendar');
    const tooLong = await report(admin, { from: '2024-01-01', to: '2026-03-02' });
    expect(tooLong.status).toBe(400);
    expect(JSON.stringify(tooLong.body)).toContain('at most 366 days');
  });
});
