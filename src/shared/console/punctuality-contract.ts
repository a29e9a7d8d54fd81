/**
 * 考勤: punctuality (standard 8.1) and extended service (10.5) over a period, per staff member
 * and per window, from the sign-ins, sign-outs and pauses the windows record and the cases
 * they close after hours. Opening hours come from each window's schedule (hall-contract.ts),
 * working days from the centre's calendar.
 *
 * Definitions, the same on the page and in docs/centre.md:
 * - An open day is a working day on which the window has opening hours (a 调休 weekend day
 *   uses Monday's hours). Windows without a schedule have no open days.
 * - Late sign-in: the window's first sign-in of an open day comes one whole minute or more
 *   after opening time; it is credited to the person who signed in, with the minutes late.
 * - Early sign-out: the window's last sign-out of an open day, with nobody signing in after
 *   it that day, comes one whole minute or more before closing time; credited to the person
 *   who signed out, with the minutes early.
 * - Absent day: an open day on which nobody signed in at the window at all. It is counted
 *   against the window (the centre does not roster who should have sat there).
 * - Pause time: from a pause's start to its end, or to its session's sign-out when the end
 *   never came; a pause belongs to the day it started. By reason as staff chose it.
 * - Extended service (延时服务): cases closed after the window's closing time (the window's own
 *   afterHours flag), counted for the staff member who served them and the window.
 */
import { z } from 'zod';
import { isCalendarDate } from './periods';

const Day = z.string().refine(isCalendarDate, { error: (issue) => `${String(issue.input)} is not a date on the calendar (YYYY-MM-DD)` });

/** The longest period one report covers: a year and a day. */
export const PUNCTUALITY_MAX_DAYS = 366;

export const PunctualityQuery = z
  .object({
    from: Day,
    to: Day,
    department: z.string().trim().min(1).max(64).optional(),
  })
  .strict()
  .refine((q) => q.from <= q.to, { error: '"to" must not be before "from"', path: ['to'] })
  .refine((q) => q.from >= '2000-01-01' && q.to <= '2100-12-31', { error: 'the period must lie between 2000 and 2100', path: ['from'] })
  .refine((q) => (Date.parse(q.to) - Date.parse(q.from)) / 86_400_000 < PUNCTUALITY_MAX_DAYS, {
    error: `a punctuality report covers at most ${PUNCTUALITY_MAX_DAYS} days: choose a shorter period`,
    path: ['to'],
  });
export type PunctualityQuery = z.infer<typeof PunctualityQuery>;

/** Minutes of pause per reason, the reason as staff chose it. */
export type PauseMinutes = Record<string, number>;

export interface PunctualityFigures {
  lateDays: number;
  lateMinutes: number;
  earlyDays: number;
  earlyMinutes: number;
  pauseMinutes: PauseMinutes;
  /** Cases closed after closing time (延时服务). */
  afterHoursCases: number;
}

export interface StaffPunctuality extends PunctualityFigures {
  staffNo: string;
  staffName: string;
  /** Days the person signed in anywhere in the period. */
  daysSignedIn: number;
}

export interface WindowPunctuality extends PunctualityFigures {
  windowNo: string;
  departmentCode: string | null;
  departmentName: string | null;
  /** Open days: working days with opening hours. */
  openDays: number;
  /** Open days on which somebody signed in. */
  daysSignedIn: number;
  absentDays: number;
}

/** One late sign-in, early sign-out or absence, for the page's list and the CSV. */
export interface PunctualityEvent {
  kind: 'late' | 'early' | 'absent';
  /** Centre local date. */
  date: string;
  windowNo: string;
  /** null for an absence. */
  staffNo: string | null;
  staffName: string | null;
  /** 'HH:MM' the window opened (late, absent) or closed (early). */
  scheduled: string;
  /** Centre time of the sign-in or sign-out; null for an absence. */
  at: number | null;
  /** Minutes late or early; 0 for an absence. */
  minutes: number;
}

export interface PunctualityReport {
  query: PunctualityQuery;
  staff: StaffPunctuality[];
  windows: WindowPunctuality[];
  events: PunctualityEvent[];
  /** Every pause reason met in the period, most minutes first: the columns of the pause table. */
  pauseReasons: string[];
  generatedAt: number;
}

/** Paths under CONSOLE_API. */
export const PUNCTUALITY_ROUTES = {
  punctuality: '/punctuality', // GET PunctualityQuery: PunctualityReport (department users: their own windows)
} as const;
