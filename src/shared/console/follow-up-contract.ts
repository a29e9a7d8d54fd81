/**
 * The follow-up of poor ratings (好差评; standard 11.3.2 电话和人工回访): every 差评 is called
 * back (回访), checked (核实), put right (整改) and answered (反馈) within N working days, and
 * every step is kept in a trail nobody can edit. Paths are under CONSOLE_API.
 *
 * The states, and who moves a record on:
 *
 *   new (待分派) ──assign──▶ assigned (待回访) ──call──▶ called (已回访) ──verify──▶ verified (核实)
 *   verified, valid or partly valid ──rectify──▶ rectifying (整改中) ──answer──▶ answered (已反馈) ──close──▶ closed (办结)
 *   verified, not valid ──reply──▶ replied (已答复) ──close──▶ closed
 *   closed ──reopen (supervisor, with a reason)──▶ assigned
 *
 * Supervisors and admins assign, reopen and open by hand in every department; a department
 * head does the same in their own. A follow_up user works the records assigned to them
 * (call, verify, rectify, answer, reply, close) and alone may reveal the callback phone,
 * each reveal logged. Viewers read; evaluators see only the bulletin's figures.
 */
import { z } from 'zod';
import { RATING_LEVELS, type RatingLevel } from '../levels';
import { isCalendarDate } from './periods';

export const FOLLOW_UP_STATES = ['new', 'assigned', 'called', 'verified', 'rectifying', 'answered', 'replied', 'closed'] as const;
export type FollowUpState = (typeof FOLLOW_UP_STATES)[number];

export const CALL_RESULTS = ['reached', 'not_reached', 'no_phone'] as const;
export type CallResult = (typeof CALL_RESULTS)[number];

export const FINDINGS = ['valid', 'partly_valid', 'not_valid'] as const;
export type Finding = (typeof FINDINGS)[number];

/** How the citizen was told the outcome. */
export const ANSWER_CHANNELS = ['phone', 'sms', 'visit', 'letter', 'other'] as const;
export type AnswerChannel = (typeof ANSWER_CHANNELS)[number];

const Text = (what: string, max = 2000) =>
  z.string().trim().min(1, `say ${what}`).max(max, `${what} has at most ${max} characters`);

/** One body per action; the server checks the state and the person, the contract the fields. */
export const FollowUpAction = z.discriminatedUnion('action', [
  z.object({ action: z.literal('assign'), assignee: z.string().trim().min(1, 'pick the follow-up officer').max(64) }).strict(),
  z
    .object({
      action: z.literal('call'),
      result: z.enum(CALL_RESULTS),
      /** How many times the number was tried. */
      attempts: z.number().int().min(1, 'at least one try').max(20, 'at most 20 tries'),
      /** What the citizen said; for an unreached call, what was tried. */
      note: Text('what the citizen said', 2000),
    })
    .strict(),
  z.object({ action: z.literal('verify'), finding: z.enum(FINDINGS), findings: Text('what was found', 4000) }).strict(),
  z.object({ action: z.literal('rectify'), measures: Text('the measures', 4000), responsible: Text('who is responsible', 100) }).strict(),
  z.object({ action: z.literal('answer'), told: Text('what the citizen was told', 2000), how: z.enum(ANSWER_CHANNELS) }).strict(),
  z.object({ action: z.literal('reply'), told: Text('what the citizen was told', 2000), how: z.enum(ANSWER_CHANNELS) }).strict(),
  z.object({ action: z.literal('close'), note: z.string().trim().max(1000, 'a note has at most 1000 characters').default('') }).strict(),
  z.object({ action: z.literal('reopen'), reason: Text('why it is reopened', 1000) }).strict(),
]);
export type FollowUpAction = z.infer<typeof FollowUpAction>;
export type FollowUpActionName = FollowUpAction['action'];

/** Where each action may start, and where it leads (verify leads on by its finding). */
export const ACTION_FROM: Record<FollowUpActionName, readonly FollowUpState[]> = {
  assign: ['new', 'assigned'],
  call: ['assigned'],
  verify: ['called'],
  rectify: ['verified'],
  answer: ['rectifying'],
  reply: ['verified'],
  close: ['answered', 'replied'],
  reopen: ['closed'],
};

// ---------------------------------------------------------------- 追评: the citizen's follow-up rating

/**
 * How the citizen gave the follow-up rating (追评) to the officer: on the callback, at the
 * centre, or online.
 */
export const FOLLOW_UP_RATING_WAYS = ['phone', 'in_person', 'online'] as const;
export type FollowUpRatingWay = (typeof FOLLOW_UP_RATING_WAYS)[number];

/**
 * The states a follow-up rating may be recorded in: once the citizen has been called back,
 * until the record is closed. A closed record takes one again only after a supervisor
 * reopens it (and it is called again): one follow-up rating per opening of the record.
 */
export const RATE_FROM: readonly FollowUpState[] = ['called', 'verified', 'rectifying', 'answered', 'replied'];

/** What the assigned officer records when the citizen, called back, rates again (POST followUpRating). */
export const FollowUpRatingBody = z
  .object({
    level: z.enum(RATING_LEVELS, {
      error: (issue) =>
        `${typeof issue.input === 'string' || typeof issue.input === 'number' ? `${String(issue.input)} is` : 'the level is'} not a rating level: the citizen picks one of very_satisfied, satisfied, basically_satisfied, dissatisfied, very_dissatisfied`,
    }),
    how: z.enum(FOLLOW_UP_RATING_WAYS, { error: () => 'say how the citizen rated: phone, in_person or online' }),
    note: z.string().trim().max(500, 'a note has at most 500 characters').default(''),
  })
  .strict();
export type FollowUpRatingBody = z.infer<typeof FollowUpRatingBody>;

/**
 * A follow-up rating as stored: never in place of the first rating (ratingId of the record),
 * reported upward with assessNumber 2 beside the first's 1, and left out of the satisfaction
 * figures, which count first ratings.
 */
export interface FollowUpRating {
  /** The trail entry that holds it. */
  seq: number;
  at: number;
  by: string;
  level: RatingLevel;
  how: FollowUpRatingWay;
  note: string;
  /** The first rating it follows: the record's ratingId. */
  firstRatingId: string;
  assessNumber: 2;
}

/** Opens a record by hand for a rated case that is not poor (the kiosk asks reasons of poor ratings only): the opener says why. */
export const OpenFollowUpBody = z
  .object({
    terminalId: z.string().trim().min(1).max(64),
    caseId: z.string().trim().min(1).max(64),
    reason: Text('why this rating is followed up', 1000),
  })
  .strict();

export interface FollowUpTrailEntry {
  /** 1, 2, 3… per record, in order. */
  seq: number;
  at: number;
  /** A username, or 'centre' for what the centre did by itself (opening at ingest). */
  by: string;
  action: FollowUpActionName | 'open' | 'reveal_phone' | 'rate';
  from: FollowUpState | null;
  to: FollowUpState;
  /** The action's fields as given (never a phone number). */
  detail: Record<string, string | number>;
}

/** One line of the ledger (台账). */
export interface FollowUpRow {
  id: number;
  /** Null for a complaint received at the window: it has no rating. */
  ratingId: string | null;
  level: RatingLevel | null;
  ratedAt: number;
  windowNo: string | null;
  staffNo: string | null;
  staffName: string | null;
  departmentCode: string | null;
  departmentName: string | null;
  itemName: string | null;
  reasonCodes: string[];
  state: FollowUpState;
  finding: Finding | null;
  assignee: string | null;
  /** YYYY-MM-DD: the last working day to close it. */
  deadline: string;
  /** Working days left, counted on the centre's calendar; negative once overdue. */
  workingDaysLeft: number;
  overdue: boolean;
  /** Closed after the deadline counts as late, not overdue. */
  closedAt: number | null;
  closedLate: boolean;
  /** How the record began: 'rating' (a poor rating at ingest), 'hand' (opened by a person) or 'complaint' (投诉 received at the window). */
  openedBy: 'rating' | 'hand' | 'complaint';
  /** A window complaint's one-line summary; null for the others. */
  complaintSummary: string | null;
}

/** A record's page: the row, the case it is about, the masked phone and the whole trail. */
export interface FollowUpRecord extends FollowUpRow {
  terminalId: string;
  caseId: string;
  caseNo: string | null;
  itemCode: string | null;
  comment: string | null;
  /** Masked (138****5678), or null when none was left. Revealed only through revealPhone. */
  phoneMasked: string | null;
  /** What the caller may do now, so the page offers only those. */
  allowedActions: FollowUpActionName[];
  mayRevealPhone: boolean;
  /** Whether the caller may record the citizen's follow-up rating (追评) now. */
  mayRate: boolean;
  /** The follow-up ratings given so far, oldest first (one per opening of the record). */
  followUpRatings: FollowUpRating[];
  trail: FollowUpTrailEntry[];
}

const Day = z.string().refine(isCalendarDate, { error: (issue) => `${String(issue.input)} is not a date on the calendar (YYYY-MM-DD)` });

export const FollowUpQuery = z
  .object({
    department: z.string().trim().min(1).max(64).optional(),
    state: z.enum([...FOLLOW_UP_STATES, 'open']).optional(),
    overdue: z.enum(['true', 'false']).optional(),
    assignee: z.string().max(64).optional(),
    /** Rating dates, inclusive. */
    from: Day.optional(),
    to: Day.optional(),
    limit: z.coerce.number().int().min(1).max(500).default(100),
    /** The `next` of the previous page. */
    after: z.string().max(64).optional(),
  })
  .strict();
export type FollowUpQuery = z.infer<typeof FollowUpQuery>;

export interface FollowUpPage {
  rows: FollowUpRow[];
  next: string | null;
  total: number;
}

/** Per department: what is open and what is late, for the ledger's head and the overdue list. */
export interface FollowUpDepartmentCounts {
  departmentCode: string | null;
  departmentName: string | null;
  open: number;
  dueTomorrow: number;
  overdue: number;
}

/** An active follow_up user the record can be assigned to. */
export interface FollowUpOfficer {
  username: string;
  displayName: string;
  departmentCode: string;
}

// ---------------------------------------------------------------- calendar

export const CALENDAR_DAY_KINDS = ['holiday', 'workday'] as const;
/** holiday: a weekday off (法定节假日); workday: a weekend day worked (调休). */
export type CalendarDayKind = (typeof CALENDAR_DAY_KINDS)[number];

export interface CalendarYear {
  year: number;
  holidays: string[];
  workdays: string[];
  /** 'default' for the year that ships with Cordial, until an admin changes it. */
  source: 'default' | 'admin';
  updatedBy: string | null;
  updatedAt: number | null;
}

export const CalendarYearBody = z
  .object({ holidays: z.array(Day).max(60), workdays: z.array(Day).max(30) })
  .strict();

/**
 * The calendar file an admin imports: one day a line, `YYYY-MM-DD 休` (holiday) or
 * `YYYY-MM-DD 班` (调休 working day); `holiday` and `workday` also read; `#` starts a comment.
 * Parsed by parseCalendarFile (calendar-file.ts) in the console, for a preview, and again
 * by the centre.
 */
export const CalendarImportBody = z.object({ text: z.string().max(20_000, 'a calendar file has at most 20,000 characters') }).strict();

export const FollowUpSettings = z
  .object({ workingDays: z.number().int().min(1, 'at least one working day').max(60, 'at most 60 working days') })
  .strict();
export type FollowUpSettings = z.infer<typeof FollowUpSettings>;

// ---------------------------------------------------------------- routes

/** Paths under CONSOLE_API. */
export const FOLLOW_UP_ROUTES = {
  followUps: '/follow-ups', // GET FollowUpQuery: FollowUpPage; POST OpenFollowUpBody: FollowUpRecord
  followUpsCsv: '/follow-ups.csv', // GET FollowUpQuery without paging: text/csv, phones masked
  followUpCounts: '/follow-ups/counts', // GET: { departments: FollowUpDepartmentCounts[] }
  followUp: '/follow-ups/:id', // GET: FollowUpRecord
  followUpAction: '/follow-ups/:id/actions', // POST FollowUpAction: FollowUpRecord
  followUpPhone: '/follow-ups/:id/phone', // POST: { phone: string } (the assigned follow_up user; logged)
  followUpRating: '/follow-ups/:id/rating', // POST FollowUpRatingBody: FollowUpRecord (the assigned follow_up user, state in RATE_FROM)
  followUpOfficers: '/follow-ups/officers', // GET ?department=: { officers: FollowUpOfficer[] }
  calendar: '/calendar/:year', // GET: CalendarYear; PUT CalendarYearBody: CalendarYear (admin)
  calendarImport: '/calendar/import', // POST CalendarImportBody: { years: CalendarYear[] } (admin); 400 calendar-file-invalid with `lines: CalendarFileError[]`
  followUpSettings: '/follow-up/settings', // GET: FollowUpSettings; PUT FollowUpSettings (admin)
} as const;
