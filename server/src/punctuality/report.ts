/**
 * The punctuality and extended-service report as a pure function: from the sign-ins,
 * sign-outs and pauses of a period, each window's hours, the calendar and the after-hours
 * case counts, to the figures per staff member and per window and the list of late
 * sign-ins, early sign-outs and absent days. The definitions are those of
 * punctuality-contract.ts; nothing here reads a clock or a database.
 */
import type {
  PauseMinutes,
  PunctualityEvent,
  PunctualityQuery,
  PunctualityReport,
  StaffPunctuality,
  WindowPunctuality,
} from '../../../src/shared/console/punctuality-contract';
import { hoursOn, type WindowHours } from '../hall/rules';

const MINUTE = 60_000;
/** Built once: a locale per localeCompare call costs more than the whole report at a province's scale. */
const byNumber = new Intl.Collator('en', { numeric: true });
const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const DAY = 86_400_000;

export interface SessionFact {
  sessionId: string;
  windowNo: string;
  staffNo: string;
  staffName: string;
  startedAt: number;
  /** The sign-out, when it came. */
  endedAt: number | null;
}

export interface PauseFact {
  pauseId: string;
  sessionId: string;
  windowNo: string;
  staffNo: string;
  reason: string;
  startedAt: number;
  endedAt: number | null;
}

export interface WindowFact {
  windowNo: string;
  departmentCode: string | null;
  departmentName: string | null;
  hours: WindowHours | null;
}

export interface AfterHoursFact {
  staffNo: string;
  staffName: string | null;
  windowNo: string;
  cases: number;
}

export interface ReportInput {
  query: PunctualityQuery;
  offsetMinutes: number;
  isWorkingDay: (date: string) => boolean;
  /** The windows in scope; facts at other windows are left out. */
  windows: WindowFact[];
  sessions: SessionFact[];
  pauses: PauseFact[];
  afterHours: AfterHoursFact[];
  /** Names from the staff list, preferred to the names the windows recorded. */
  staffNames: Map<string, string>;
  now: number;
}

/** Centre time of the local midnight that starts `date`. */
export function midnightOf(date: string, offsetMinutes: number): number {
  return Date.parse(`${date}T00:00:00Z`) - offsetMinutes * MINUTE;
}

function localDateOf(at: number, offsetMinutes: number): string {
  return new Date(at + offsetMinutes * MINUTE).toISOString().slice(0, 10);
}

function datesOf(from: string, to: string): string[] {
  const days: string[] = [];
  for (let t = Date.parse(`${from}T00:00:00Z`), end = Date.parse(`${to}T00:00:00Z`); t <= end; t += DAY) days.push(new Date(t).toISOString().slice(0, 10));
  return days;
}

const emptyFigures = () => ({ lateDays: 0, lateMinutes: 0, earlyDays: 0, earlyMinutes: 0, pauseMinutes: {} as PauseMinutes, afterHoursCases: 0 });

export function punctualityReport(input: ReportInput): PunctualityReport {
  const { query, offsetMinutes } = input;
  const inScope = new Map(input.windows.map((w) => [w.windowNo, w]));
  const sessions = input.sessions.filter((s) => inScope.has(s.windowNo));
  const pauses = input.pauses.filter((p) => inScope.has(p.windowNo));
  const from = midnightOf(query.from, offsetMinutes);
  const until = midnightOf(query.to, offsetMinutes) + DAY;
  const within = (at: number) => at >= from && at < until;

  const staff = new Map<string, StaffPunctuality & { days: Set<string> }>();
  const person = (staffNo: string, recordedName: string | null) => {
    let row = staff.get(staffNo);
    if (!row) {
      row = { staffNo, staffName: input.staffNames.get(staffNo) ?? recordedName ?? staffNo, daysSignedIn: 0, days: new Set(), ...emptyFigures() };
      staff.set(staffNo, row);
    }
    return row;
  };
  const windows = new Map<string, WindowPunctuality>();
  const windowRow = (windowNo: string) => {
    let row = windows.get(windowNo);
    if (!row) {
      const w = inScope.get(windowNo)!;
      row = { windowNo, departmentCode: w.departmentCode, departmentName: w.departmentName, openDays: 0, daysSignedIn: 0, absentDays: 0, ...emptyFigures() };
      windows.set(windowNo, row);
    }
    return row;
  };
  // Every scheduled window is listed, even one nobody used.
  for (const w of input.windows) if (w.hours) windowRow(w.windowNo);

  // Sign-ins and sign-outs by window and local date.
  const byWindowDay = new Map<string, { starts: SessionFact[]; ends: SessionFact[] }>();
  const slot = (windowNo: string, date: string) => {
    const k = `${windowNo}\u0000${date}`;
    let found = byWindowDay.get(k);
    if (!found) byWindowDay.set(k, (found = { starts: [], ends: [] }));
    return found;
  };
  for (const s of sessions) {
    if (within(s.startedAt)) {
      const date = localDateOf(s.startedAt, offsetMinutes);
      slot(s.windowNo, date).starts.push(s);
      const who = person(s.staffNo, s.staffName);
      who.days.add(date);
      windowRow(s.windowNo);
    }
    if (s.endedAt !== null && within(s.endedAt)) slot(s.windowNo, localDateOf(s.endedAt, offsetMinutes)).ends.push(s);
  }

  const events: PunctualityEvent[] = [];
  const dates = datesOf(query.from, query.to);
  for (const w of input.windows) {
    for (const date of dates) {
      const day = slot(w.windowNo, date);
      if (day.starts.length > 0) windowRow(w.windowNo).daysSignedIn += 1;
      const hours = hoursOn(w.hours, { date, working: input.isWorkingDay(date), midnight: midnightOf(date, offsetMinutes) });
      if (!hours) continue;
      const row = windowRow(w.windowNo);
      const first = day.starts.reduce<SessionFact | null>((a, s) => (a === null || s.startedAt < a.startedAt ? s : a), null);
      // A day counts once it is over: today before closing time is not yet absent or early.
      if (hours.closesAt <= input.now) {
        row.openDays += 1;
        if (first === null) {
          row.absentDays += 1;
          events.push({ kind: 'absent', date, windowNo: w.windowNo, staffNo: null, staffName: null, scheduled: hours.opens, at: null, minutes: 0 });
          continue;
        }
        const last = day.ends.reduce<SessionFact | null>((a, s) => (a === null || s.endedAt! > a.endedAt! ? s : a), null);
        if (last !== null && !day.starts.some((s) => s.startedAt > last.endedAt!)) {
          const early = Math.floor((hours.closesAt - last.endedAt!) / MINUTE);
          if (early >= 1) {
            const who = person(last.staffNo, last.staffName);
            who.earlyDays += 1;
            who.earlyMinutes += early;
            row.earlyDays += 1;
            row.earlyMinutes += early;
            events.push({ kind: 'early', date, windowNo: w.windowNo, staffNo: last.staffNo, staffName: who.staffName, scheduled: hours.closes, at: last.endedAt, minutes: early });
          }
        }
      }
      if (first !== null) {
        const late = Math.floor((first.startedAt - hours.opensAt) / MINUTE);
        if (late >= 1) {
          const who = person(first.staffNo, first.staffName);
          who.lateDays += 1;
          who.lateMinutes += late;
          row.lateDays += 1;
          row.lateMinutes += late;
          events.push({ kind: 'late', date, windowNo: w.windowNo, staffNo: first.staffNo, staffName: who.staffName, scheduled: hours.opens, at: first.startedAt, minutes: late });
        }
      }
    }
  }

  // Pauses: to their end, or to their session's sign-out; one never closed is not timed.
  const sessionEnds = new Map(input.sessions.map((s) => [s.sessionId, s.endedAt]));
  const pauseMs = new Map<string, Map<string, number>>();
  const addPause = (key: string, reason: string, ms: number) => {
    let reasons = pauseMs.get(key);
    if (!reasons) pauseMs.set(key, (reasons = new Map()));
    reasons.set(reason, (reasons.get(reason) ?? 0) + ms);
  };
  const reasonTotals = new Map<string, number>();
  for (const p of pauses) {
    if (!within(p.startedAt)) continue;
    const end = p.endedAt ?? sessionEnds.get(p.sessionId) ?? null;
    if (end === null || end < p.startedAt) continue;
    const ms = end - p.startedAt;
    person(p.staffNo, null);
    windowRow(p.windowNo);
    addPause(`s\u0000${p.staffNo}`, p.reason, ms);
    addPause(`w\u0000${p.windowNo}`, p.reason, ms);
    reasonTotals.set(p.reason, (reasonTotals.get(p.reason) ?? 0) + ms);
  }
  const minutesOf = (key: string): PauseMinutes => Object.fromEntries([...(pauseMs.get(key) ?? new Map<string, number>())].map(([reason, ms]) => [reason, Math.round(ms / MINUTE)]));

  for (const a of input.afterHours) {
    if (!inScope.has(a.windowNo) || a.cases === 0) continue;
    person(a.staffNo, a.staffName).afterHoursCases += a.cases;
    windowRow(a.windowNo).afterHoursCases += a.cases;
  }

  const staffRows = [...staff.values()]
    .map(({ days, ...row }) => ({ ...row, daysSignedIn: days.size, pauseMinutes: minutesOf(`s\u0000${row.staffNo}`) }))
    .sort((a, b) => byNumber.compare(a.staffNo, b.staffNo));
  const windowRows = [...windows.values()]
    .map((row) => ({ ...row, pauseMinutes: minutesOf(`w\u0000${row.windowNo}`) }))
    .sort((a, b) => byNumber.compare(a.windowNo, b.windowNo));
  const order = { absent: 0, late: 1, early: 2 } as const;
  // Events sort by the windows' order, found once: a collator compare per event pair is the slow part of a month.
  const windowRank = new Map(windowRows.map((w, i) => [w.windowNo, i]));
  events.sort((a, b) => byText(a.date, b.date) || windowRank.get(a.windowNo)! - windowRank.get(b.windowNo)! || order[a.kind] - order[b.kind]);
  return {
    query,
    staff: staffRows,
    windows: windowRows,
    events,
    pauseReasons: [...reasonTotals].sort((a, b) => b[1] - a[1] || byText(a[0], b[0])).map(([reason]) => reason),
    generatedAt: input.now,
  };
}
