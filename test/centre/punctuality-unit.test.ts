/**
 * The punctuality counting and its CSV as pure functions, on the cases the week on PostgreSQL
 * does not play: a 调休 Saturday on Monday's hours, a sign-in after a sign-out (not early), a
 * sign-out a minute short of closing, a pause that never ended, a window without hours, and a
 * staff name a spreadsheet would run as a formula.
 */
import { describe, expect, it } from 'vitest';
import { punctualityCsv } from '../../server/console/src/pages/punctuality/csv';
import { punctualityReport, type ReportInput, type SessionFact } from '../../server/src/punctuality/report';
import type { WindowSchedule } from '../../src/shared/console/hall-contract';

const OFFSET = 480;
const at = (date: string, clock: string) => Date.parse(`${date}T${clock}:00+08:00`);
const HOURS: Omit<WindowSchedule, 'floor'> = {
  opensAt: ['08:30', '09:00', '09:00', '09:00', '09:00', null, null],
  closesAt: ['17:30', '17:00', '17:00', '17:00', '17:00', null, null],
  pauseLimitMinutes: null,
};
const session = (id: string, staffNo: string, start: string, end: string | null, date: string, windowNo = '1'): SessionFact => ({
  sessionId: id,
  windowNo,
  staffNo,
  staffName: `name-${staffNo}`,
  startedAt: at(date, start),
  endedAt: end === null ? null : at(date, end),
});

function input(over: Partial<ReportInput>): ReportInput {
  return {
    query: { from: '2026-03-02', to: '2026-03-08' },
    offsetMinutes: OFFSET,
    // Saturday the 7th is a 调休 working day.
    isWorkingDay: (d) => d === '2026-03-07' || !['2026-03-08', '2026-03-07'].includes(d),
    windows: [{ windowNo: '1', departmentCode: 'D', departmentName: '部门', hours: HOURS }],
    sessions: [],
    pauses: [],
    afterHours: [],
    staffNames: new Map(),
    now: at('2026-03-09', '08:00'),
    ...over,
  };
}

describe('punctuality counting', () => {
  it('holds a 调休 Saturday to Monday’s hours, and a Monday to its own', () => {
    const r = punctualityReport(input({
      sessions: [session('a', '7', '08:40', '17:30', '2026-03-02'), session('b', '7', '08:45', '17:30', '2026-03-07'), ...['03', '04', '05', '06'].map((d) => session(`d${d}`, '7', '09:00', '17:00', `2026-03-${d}`))],
    }));
    expect(r.events.map((e) => `${e.kind} ${e.date} ${e.scheduled} ${e.minutes}`)).toEqual(['late 2026-03-02 08:30 10', 'late 2026-03-07 08:30 15']);
    expect(r.windows[0]).toMatchObject({ openDays: 6, absentDays: 0, lateDays: 2, lateMinutes: 25 });
  });

  it('does not call a sign-out early when somebody signs in after it, and names who left early', () => {
    const r = punctualityReport(input({
      query: { from: '2026-03-03', to: '2026-03-03' },
      sessions: [session('a', '7', '08:59', '12:00', '2026-03-03'), session('b', '8', '13:00', '16:59', '2026-03-03')],
    }));
    expect(r.events).toMatchObject([{ kind: 'early', staffNo: '8', minutes: 1, scheduled: '17:00' }]);
    expect(r.staff.map((s) => [s.staffNo, s.earlyDays, s.lateDays])).toEqual([['7', 0, 0], ['8', 1, 0]]);
  });

  it('times a pause to its sign-out when never resumed, and leaves one with neither untimed', () => {
    const r = punctualityReport(input({
      query: { from: '2026-03-03', to: '2026-03-03' },
      sessions: [session('a', '7', '09:00', '17:00', '2026-03-03'), session('b', '7', '17:10', null, '2026-03-03')],
      pauses: [
        { pauseId: 'p1', sessionId: 'a', windowNo: '1', staffNo: '7', reason: '会议', startedAt: at('2026-03-03', '16:00'), endedAt: null },
        { pauseId: 'p2', sessionId: 'b', windowNo: '1', staffNo: '7', reason: '会议', startedAt: at('2026-03-03', '17:20'), endedAt: null },
        { pauseId: 'p3', sessionId: 'a', windowNo: '1', staffNo: '7', reason: '如厕', startedAt: at('2026-03-03', '10:00'), endedAt: at('2026-03-03', '10:04') },
      ],
    }));
    expect(r.staff[0]!.pauseMinutes).toEqual({ 会议: 60, 如厕: 4 });
    expect(r.pauseReasons).toEqual(['会议', '如厕']);
    // Signed in again after the sign-out: not early.
    expect(r.events).toEqual([]);
  });

  it('lists a window without hours with its sign-ins but no open, late or absent days', () => {
    const r = punctualityReport(input({
      windows: [{ windowNo: '9', departmentCode: null, departmentName: null, hours: null }],
      sessions: [session('a', '7', '11:00', '12:00', '2026-03-03', '9')],
    }));
    expect(r.windows).toMatchObject([{ windowNo: '9', openDays: 0, daysSignedIn: 1, absentDays: 0, lateDays: 0 }]);
    expect(r.events).toEqual([]);
  });

  it('writes a CSV in which a name starting with = stays text', () => {
    const r = punctualityReport(input({
      query: { from: '2026-03-02', to: '2026-03-02' },
      sessions: [{ ...session('a', '7', '09:05', '17:00', '2026-03-02'), staffName: '=HYPERLINK("x")' }],
      afterHours: [{ staffNo: '7', staffName: null, windowNo: '1', cases: 3 }],
    }));
    const strings = { byWindow: 'W', byStaff: 'S', events: 'E', window: 'w', department: 'd', openDays: 'o', daysSignedIn: 'ds', absentDays: 'a', late: 'l', lateMinutes: 'lm', early: 'e', earlyMinutes: 'em', afterHours: 'ah', staffNo: 'no', staffName: 'n', date: 'dt', kind: 'k', scheduled: 'sc', actual: 'ac', minutes: 'm', kinds: { late: 'LATE', early: 'EARLY', absent: 'ABSENT' }, csvPause: (r: string) => `p:${r}`, unnamedReason: '?' };
    const csv = punctualityCsv(r, strings as never, () => '09:05').split('\r\n');
    // Monday's hours are 08:30 to 17:30: 35 minutes late, 30 early.
    expect(csv).toContain(`7,"'=HYPERLINK(""x"")",1,1,35,1,30,3`);
    expect(csv).toContain(`2026-03-02,1,LATE,7,"'=HYPERLINK(""x"")",08:30,09:05,35`);
  });
});
