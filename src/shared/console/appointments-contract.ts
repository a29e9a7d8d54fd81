/**
 * 预约服务 (standard 10.4, the register of annex C): appointments taken at the centre for a
 * day and a window. The agreed day may be any day, holidays and weekends included (10.4
 * asks for service by appointment outside working days). The contact phone is sealed at rest
 * and shown masked, as the follow-up callback phone is. The window the appointment is booked
 * at receives the day's appointments with its config; a case opened from one links them, and
 * the case's outcome comes back on the appointment. The console marks one cancelled or
 * no-show by hand; a cancelled one no longer goes to its window.
 */
import { z } from 'zod';
import type { CASE_OUTCOMES } from '../domain';
import { isPlausiblePhone } from '../privacy';
import { isCalendarDate } from './periods';

export const APPLICANT_KINDS = ['person', 'company'] as const;
export type ApplicantKind = (typeof APPLICANT_KINDS)[number];
/** How the appointment was made: at the centre, by phone, online. */
export const APPOINTMENT_CHANNELS = ['on_site', 'phone', 'online'] as const;
export type AppointmentChannel = (typeof APPOINTMENT_CHANNELS)[number];

// eslint-disable-next-line no-control-regex -- matching control characters is the point
const NO_CONTROL = /^[^\u0000-\u001F\u007F]*$/;
const line = (what: string, max: number) =>
  z
    .string({ error: `${what} is required` })
    .trim()
    .min(1, { error: `${what} is required` })
    .max(max, { error: `${what} is at most ${max} characters` })
    .regex(NO_CONTROL, { error: `${what} must be one line of text` });
const Day = z.string().refine(isCalendarDate, { error: (issue) => `${String(issue.input)} is not a date on the calendar (YYYY-MM-DD)` });
const Code = z.string().trim().min(1).max(64);

/** A mainland mobile or a landline with its area code, as the follow-up callback phone: 13812345678, 0551-62345678. */
export const AppointmentPhone = z
  .string({ error: 'a contact phone is required' })
  .transform((p) => p.replace(/[\s-]/g, ''))
  .refine(isPlausiblePhone, { error: 'the contact phone is a mainland mobile (11 digits starting with 1) or a landline with its area code, such as 0551-62345678' });

export const AppointmentQuery = z
  .object({
    day: Day,
    department: Code.optional(),
    window: z.string().trim().min(1).max(16).optional(),
  })
  .strict();
export type AppointmentQuery = z.infer<typeof AppointmentQuery>;

export const NewAppointmentBody = z
  .object({
    applicantKind: z.enum(APPLICANT_KINDS, { error: 'the applicant is a person or a company' }),
    applicantName: line('the applicant’s name', 100),
    phone: AppointmentPhone,
    itemCode: Code,
    windowNo: z.string({ error: 'choose the window it is booked at' }).trim().min(1, { error: 'choose the window it is booked at' }).max(16),
    agreedDate: Day,
    agreedTime: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, { error: 'the agreed time is HH:MM, such as 09:30' }),
    channel: z.enum(APPOINTMENT_CHANNELS, { error: 'the appointment was made on site, by phone or online' }),
    departmentOpinion: line('the department’s opinion', 500).optional(),
  })
  .strict();
export type NewAppointmentBody = z.infer<typeof NewAppointmentBody>;

export const AppointmentOpinionBody = z.object({ opinion: line('the department’s opinion', 500) }).strict();

/**
 * Marked by hand at the console: cancelled (the citizen asked, the department did, or another
 * reason), or the citizen did not come (only once the agreed time has passed). A case the
 * window opens from it later still counts: served wins, and the mark stays as a note.
 */
export const APPOINTMENT_MARKS = ['cancelled', 'no_show'] as const;
export type AppointmentMarkKind = (typeof APPOINTMENT_MARKS)[number];
export const CANCEL_REASONS = ['citizen', 'department', 'other'] as const;
export type CancelReason = (typeof CANCEL_REASONS)[number];

export const AppointmentMarkBody = z
  .object({
    mark: z.enum(APPOINTMENT_MARKS, { error: 'an appointment is marked cancelled or no_show (the citizen did not come)' }),
    reason: z.enum(CANCEL_REASONS, { error: 'the reason for cancelling is citizen (the citizen asked), department, or other' }).optional(),
    note: line('the note', 200).optional(),
  })
  .strict()
  .superRefine((b, ctx) => {
    if (b.mark === 'cancelled' && b.reason === undefined) {
      ctx.addIssue({ code: 'custom', path: ['reason'], message: 'say why it is cancelled: citizen (the citizen asked), department, or other' });
    }
    if (b.mark === 'cancelled' && b.reason === 'other' && b.note === undefined) {
      ctx.addIssue({ code: 'custom', path: ['note'], message: 'a cancellation for another reason needs a line saying what it is' });
    }
    if (b.mark === 'no_show' && (b.reason !== undefined || b.note !== undefined)) {
      ctx.addIssue({ code: 'custom', path: [b.reason !== undefined ? 'reason' : 'note'], message: 'a no-show takes no reason or note; only a cancellation does' });
    }
  });
export type AppointmentMarkBody = z.infer<typeof AppointmentMarkBody>;

/** Who marked an appointment by hand, when, and (cancelled) why. */
export interface AppointmentMark {
  kind: AppointmentMarkKind;
  reason: CancelReason | null;
  note: string | null;
  by: string;
  byName: string;
  at: number;
}

export interface AppointmentRow {
  id: number;
  applicantKind: ApplicantKind;
  applicantName: string;
  /** Masked (138****5678); null for viewers, who see no personal data, and once it is erased. */
  phone: string | null;
  itemCode: string;
  itemName: string;
  departmentCode: string | null;
  departmentName: string | null;
  windowNo: string;
  /** Who took it: the console user. */
  takenBy: string;
  takenByName: string;
  registeredAt: number;
  agreedDate: string;
  agreedTime: string;
  channel: AppointmentChannel;
  departmentOpinion: string | null;
  /** The outcome of the case opened from it at the window; null until that case is finished. */
  outcome: (typeof CASE_OUTCOMES)[number] | null;
  /** The case opened from it, once the window's records are in. */
  caseId: string | null;
  servedAt: number | null;
  /**
   * Cancelled or no-show, marked by hand; null when not. A case opened from it afterwards
   * (a window offline, its list stale) still links it: caseId then says it was served.
   */
  mark: AppointmentMark | null;
}

export interface AppointmentList {
  query: AppointmentQuery;
  rows: AppointmentRow[];
}

/** What the form offers: the items and windows the caller may book (a department user: their own). */
export interface AppointmentChoices {
  items: { itemCode: string; name: string; departmentCode: string | null; departmentName: string | null }[];
  windows: { windowNo: string; departmentCode: string | null; departmentName: string | null }[];
  /** The centre's today, the form's first day. */
  today: string;
}

/** What a window receives of each of today's appointments booked at it (with its config). */
export interface WindowAppointment {
  id: string;
  /** The centre's date it is for (today when sent): a window offline overnight does not list yesterday's. */
  date: string;
  applicantKind: ApplicantKind;
  applicantName: string;
  /** Masked: the window needs to recognise the citizen, not to call them; null once erased. */
  phone: string | null;
  itemCode: string;
  itemName: string;
  agreedTime: string;
  channel: AppointmentChannel;
  departmentOpinion: string | null;
  /** Set once the centre holds a finished case for it. */
  outcome: string | null;
  /** Marked at the console as not come (未到) after its time; it stays listed, as the citizen may still come late. */
  noShow: boolean;
}

/** Paths under CONSOLE_API. */
export const APPOINTMENT_ROUTES = {
  appointments: '/appointments', // GET AppointmentQuery: AppointmentList; POST NewAppointmentBody: AppointmentRow
  appointmentsCsv: '/appointments/csv', // GET AppointmentQuery: text/csv
  appointmentChoices: '/appointments/choices', // GET: AppointmentChoices
  appointmentOpinion: '/appointments/:id/opinion', // PUT AppointmentOpinionBody: AppointmentRow
  appointmentMark: '/appointments/:id/mark', // POST AppointmentMarkBody: AppointmentRow
} as const;
