/**
 * One week at two windows, as the punctuality report should tell it: real kiosks on a clock
 * the test moves sign staff in and out, pause and serve, then sync to the centre through
 * the real enrolment and upload. Monday 2 to Friday 6 March 2026; Wednesday the 4th is a
 * holiday on the centre's calendar. The figures the report must show are written down
 * here from the same plan, not asked of the centre.
 */
import { createSyncClient } from '../../../src/core/sync';
import type { PunctualityEvent, StaffPunctuality, WindowPunctuality } from '../../../src/shared/console/punctuality-contract';
import type { WindowSchedule } from '../../../src/shared/console/hall-contract';
import { ManualClock } from '../../support/clock';
import { openTestKiosk } from '../../support/kiosk';

export const MARKET = '340104-SJ';
export const HR = '340104-RS';
export const HOLIDAY = '2026-03-04';
export const WEEK = { from: '2026-03-02', to: '2026-03-08' } as const;
/** Beijing time on a day of the week, as centre time. */
export const beijing = (date: string, clock: string) => Date.parse(`${date}T${clock}:00+08:00`);

export const NINE_TO_FIVE: WindowSchedule = {
  opensAt: ['09:00', '09:00', '09:00', '09:00', '09:00', null, null],
  closesAt: ['17:00', '17:00', '17:00', '17:00', '17:00', null, null],
  pauseLimitMinutes: null,
  floor: '1F',
};

export const WINDOWS = [
  { windowNo: '1', departmentCode: MARKET, departmentName: '市场监督管理局', badge: 'BADGE-1001', itemCode: '340104-SJ-001' },
  { windowNo: '2', departmentCode: HR, departmentName: '人力资源和社会保障局', badge: 'BADGE-1002', itemCode: '340104-RS-001' },
] as const;

type Step =
  | { at: string; do: 'signIn' | 'signOut' | 'resume' | 'case' }
  | { at: string; do: 'pause'; reason: string };

/** Per window, per day: what happened, Beijing time. */
const PLAN: Record<string, Record<string, Step[]>> = {
  '1': {
    '2026-03-02': [{ at: '09:12', do: 'signIn' }, { at: '10:00', do: 'pause', reason: '会议' }, { at: '10:25', do: 'resume' }, { at: '11:00', do: 'case' }, { at: '17:00', do: 'signOut' }],
    '2026-03-03': [{ at: '08:55', do: 'signIn' }, { at: '10:00', do: 'case' }, { at: '16:30', do: 'signOut' }],
    // Wednesday: holiday. Thursday: nobody came.
    '2026-03-06': [
      { at: '09:00', do: 'signIn' },
      { at: '14:00', do: 'pause', reason: '如厕' },
      { at: '14:05', do: 'resume' },
      { at: '17:20', do: 'case' },
      { at: '17:40', do: 'case' },
      { at: '17:45', do: 'signOut' },
    ],
  },
  '2': {
    '2026-03-02': [{ at: '08:50', do: 'signIn' }, { at: '17:05', do: 'signOut' }],
    // The pause is never resumed: it lasts until the sign-out, 15:00 to 17:10.
    '2026-03-03': [{ at: '08:58', do: 'signIn' }, { at: '15:00', do: 'pause', reason: '会议' }, { at: '17:10', do: 'signOut' }],
    '2026-03-05': [{ at: '09:30', do: 'signIn' }, { at: '16:00', do: 'case' }, { at: '17:00', do: 'signOut' }],
    // Friday: nobody came.
  },
};

/** What the report must say for the week. */
export const EXPECTED: { windows: Partial<WindowPunctuality>[]; staff: Partial<StaffPunctuality>[]; events: Omit<PunctualityEvent, 'at'>[] } = {
  windows: [
    { windowNo: '1', departmentCode: MARKET, openDays: 4, daysSignedIn: 3, absentDays: 1, lateDays: 1, lateMinutes: 12, earlyDays: 1, earlyMinutes: 30, pauseMinutes: { 会议: 25, 如厕: 5 }, afterHoursCases: 2 },
    { windowNo: '2', departmentCode: HR, openDays: 4, daysSignedIn: 3, absentDays: 1, lateDays: 1, lateMinutes: 30, earlyDays: 0, earlyMinutes: 0, pauseMinutes: { 会议: 130 }, afterHoursCases: 0 },
  ],
  staff: [
    { staffNo: '1001', staffName: '王晓梅', daysSignedIn: 3, lateDays: 1, lateMinutes: 12, earlyDays: 1, earlyMinutes: 30, pauseMinutes: { 会议: 25, 如厕: 5 }, afterHoursCases: 2 },
    { staffNo: '1002', staffName: '李建国', daysSignedIn: 3, lateDays: 1, lateMinutes: 30, earlyDays: 0, earlyMinutes: 0, pauseMinutes: { 会议: 130 }, afterHoursCases: 0 },
  ],
  events: [
    { kind: 'late', date: '2026-03-02', windowNo: '1', staffNo: '1001', staffName: '王晓梅', scheduled: '09:00', minutes: 12 },
    { kind: 'early', date: '2026-03-03', windowNo: '1', staffNo: '1001', staffName: '王晓梅', scheduled: '17:00', minutes: 30 },
    { kind: 'absent', date: '2026-03-05', windowNo: '1', staffNo: null, staffName: null, scheduled: '09:00', minutes: 0 },
    { kind: 'late', date: '2026-03-05', windowNo: '2', staffNo: '1002', staffName: '李建国', scheduled: '09:00', minutes: 30 },
    { kind: 'absent', date: '2026-03-06', windowNo: '2', staffNo: null, staffName: null, scheduled: '09:00', minutes: 0 },
  ],
};

function must(result: { ok: boolean; error?: { message: string } }, what: string): void {
  if (!result.ok) throw new Error(`${what}: ${result.error?.message ?? 'refused'}`);
}

/**
 * Plays the week on one kiosk per window (closing time 17:00) and syncs each to the centre
 * at `syncAt` on the kiosk's clock. `codeFor` asks the centre for an enrolment code.
 */
export async function playWeek(centreUrl: string, codeFor: (windowNo: string) => Promise<string>, syncAt = beijing('2026-03-07', '10:00')): Promise<void> {
  for (const w of WINDOWS) {
    const clock = new ManualClock(beijing(WEEK.from, '07:00'));
    const { kiosk } = openTestKiosk({ clock, config: { closingTime: '17:00', window: { windowNo: w.windowNo, departmentCode: w.departmentCode, departmentName: w.departmentName, areaCode: '340104' } } });
    try {
      let n = 0;
      for (const [date, steps] of Object.entries(PLAN[w.windowNo]!)) {
        for (const step of steps) {
          clock.advance(beijing(date, step.at) - clock.now());
          if (step.do === 'signIn') must(kiosk.execute({ type: 'signInBadge', badgeId: w.badge }, 'staff'), `${date} ${step.at} sign-in`);
          else if (step.do === 'signOut') must(kiosk.execute({ type: 'signOut' }, 'staff'), `${date} ${step.at} sign-out`);
          else if (step.do === 'pause') must(kiosk.execute({ type: 'pause', reason: step.reason }, 'staff'), `${date} ${step.at} pause`);
          else if (step.do === 'resume') must(kiosk.execute({ type: 'resume' }, 'staff'), `${date} ${step.at} resume`);
          else {
            must(kiosk.execute({ type: 'openCase', itemCode: w.itemCode, caseNo: `BJ-${w.windowNo}-${++n}` }, 'staff'), `${date} ${step.at} case`);
            must(kiosk.execute({ type: 'finishCase', outcome: 'completed' }, 'staff'), `${date} ${step.at} finish`);
            // Nobody rates: the rating window passes and the case is kept unrated.
            clock.advance(60_000);
          }
        }
      }
      clock.advance(syncAt - clock.now());
      const enrolled = await createSyncClient({ db: kiosk.db, terminalId: kiosk.terminal.terminalId, centreUrl }).enrol(await codeFor(w.windowNo));
      if (!enrolled.ok) throw new Error(enrolled.error.message);
      const client = createSyncClient({ db: kiosk.db, terminalId: kiosk.terminal.terminalId, centreUrl, clock, retry: { attempts: 20, baseMs: 50, capMs: 500, maxRetryAfterMs: 5_000 } });
      const synced = await client.syncNow();
      if (!synced.ok) throw new Error(synced.error.message);
    } finally {
      kiosk.close();
    }
  }
}
