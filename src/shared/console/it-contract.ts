/**
 * The IT and export side of the console contract: terminals and their integrity alerts,
 * enrolment codes, the lists the centre distributes to the windows (edited one row at a
 * time), the national-field CSV and the evaluation bulletin (standard 11.4). Paths are
 * under CONSOLE_API, like CONSOLE_ROUTES.
 */
import { z } from 'zod';
import { REFERRAL_KINDS, type ReferralKind } from '../domain';
import type { RatingLevel } from '../levels';
import { isCalendarDate } from './periods';
import { ServiceInfo } from '../service-info';

// ---------------------------------------------------------------- terminals and alerts

/** What the centre may say about a terminal's records (server/src/ingest/alerts.ts). */
export const ALERT_KINDS = ['altered', 'relinked', 'missing', 'seq_regression', 'clock_skew', 'quarantined', 'terminal_replaced', 'epoch_closed', 'epoch_refused'] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];

export interface TerminalRow {
  terminalId: string;
  windowNo: string;
  departmentCode: string | null;
  departmentName: string | null;
  enrolledAt: number;
  revokedAt: number | null;
  /** The last time the terminal called the centre. */
  lastContactAt: number | null;
  /** Terminal clock minus centre clock at the last upload; null before the first. */
  clockOffsetMs: number | null;
  clockFlagged: boolean;
  /** The highest contiguous record the centre holds, per epoch. */
  epochs: { epoch: number; highWater: number; startedAt: number }[];
  /** Records waiting on the terminal, when the terminal reports it; null when it does not. */
  backlog: number | null;
  openAlerts: number;
  /** Token rotation: asked for (not yet fetched by the terminal), last done, and until when the replaced token still works. */
  token: { rotationAskedAt: number | null; rotatedAt: number | null; previousValidUntil: number | null };
}

export interface AlertAcknowledgement {
  by: string;
  at: number;
  note: string;
}

export interface IntegrityAlert {
  id: number;
  terminalId: string;
  windowNo: string | null;
  kind: AlertKind;
  epoch: number;
  seqFrom: number;
  seqTo: number;
  detail: string;
  detectedAt: number;
  /** Acknowledged alerts stay in the history, with who, when and why. */
  acknowledgement: AlertAcknowledgement | null;
}

export const ALERT_STATES = ['open', 'acknowledged', 'all'] as const;
export const AlertQuery = z
  .object({
    terminalId: z.string().max(64).optional(),
    state: z.enum(ALERT_STATES).default('all'),
    limit: z.coerce.number().int().min(1).max(1000).default(200),
  })
  .strict();
export const AcknowledgeAlertBody = z
  .object({ note: z.string().trim().min(1, 'say in a few words what was checked or done').max(500, 'a note has at most 500 characters') })
  .strict();

const WindowNo = z.string().trim().min(1, 'a window number is needed').max(16, 'a window number has at most 16 characters');

export const NewEnrolmentCodeBody = z
  .object({
    windowNo: WindowNo,
    expiresInHours: z.number().int().min(1, 'a code lasts at least an hour').max(24 * 90, 'a code lasts at most 90 days').default(24 * 7),
  })
  .strict();

export type EnrolmentCodeState = 'usable' | 'used' | 'expired' | 'revoked';
/** A code as listed: never the code itself, which is shown once when it is made. */
export interface EnrolmentCodeRow {
  id: number;
  windowNo: string;
  createdAt: number;
  createdBy: string | null;
  expiresAt: number;
  usedAt: number | null;
  usedBy: string | null;
  revokedAt: number | null;
  state: EnrolmentCodeState;
}
export interface NewEnrolmentCode extends EnrolmentCodeRow {
  /** Typed at the window once; the centre keeps only its hash. */
  code: string;
}

// ---------------------------------------------------------------- lists

// One line of plain text: the windows show these and send some back (a badge at sign-in), refusing control characters there.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u001F\u007F]/;
const oneLine = (what: string) => `${what} holds a control character (a tab, a line break or the like); keep it to one line of plain text`;
const Text = (max: number, what: string) =>
  z
    .string()
    .trim()
    .min(1, `${what} is needed`)
    .max(max, `${what} has at most ${max} characters`)
    .refine((v) => !CONTROL.test(v), oneLine(what));
const OptionalText = (max: number, what: string) =>
  z
    .string()
    .trim()
    .max(max, `${what} has at most ${max} characters`)
    .refine((v) => !CONTROL.test(v), oneLine(what))
    .nullish()
    .transform((v) => (v ? v : null));

/** Photos the windows show: JPEG, PNG or WebP, at most this size once the browser has resized them. */
export const PHOTO_TYPES = ['image/jpeg', 'image/png', 'image/webp'] as const;
export const PHOTO_MAX_BYTES = 200 * 1024;
/** The console resizes a photo to fit this box before upload. */
export const PHOTO_MAX_PIXELS = 480;

export interface StaffRow {
  staffNo: string;
  name: string;
  departmentCode: string | null;
  departmentName: string | null;
  badgeIds: string[];
  active: boolean;
  hasPhoto: boolean;
}
export const StaffBody = z
  .object({
    name: Text(50, 'a name'),
    departmentCode: OptionalText(64, 'a department code'),
    departmentName: OptionalText(100, 'a department name'),
    badgeIds: z.array(Text(64, 'a badge id')).max(20, 'a person has at most 20 badges').default([]),
    active: z.boolean().default(true),
  })
  .strict();
/** The photo as a data: URL (base64); the server checks the bytes, not the label. */
export const StaffPhotoBody = z.object({ dataUrl: z.string().max(4 * 1024 * 1024, 'the photo is far too large') }).strict();

export interface ItemRow {
  itemCode: string;
  itemVersion: string;
  name: string;
  departmentCode: string | null;
  departmentName: string | null;
  active: boolean;
  /** Materials, promised time, fees, where to ask (办事公开, 10.7); null when the item has none. */
  serviceInfo: ServiceInfo | null;
}
export const ItemBody = z
  .object({
    name: Text(200, 'an item name'),
    departmentCode: OptionalText(64, 'a department code'),
    departmentName: OptionalText(100, 'a department name'),
    active: z.boolean().default(true),
    /** Left out: the item keeps what it has; null (or nothing in it): the item has none. */
    serviceInfo: ServiceInfo.nullable().optional(),
  })
  .strict();

export interface ReasonRow {
  code: string;
  labelZh: string;
  labelEn: string;
  sort: number;
}
export const ReasonBody = z
  .object({ labelZh: Text(100, 'a Chinese label'), labelEn: Text(100, 'an English label'), sort: z.number().int().min(-10_000).max(10_000).default(0) })
  .strict();

/** 首问负责: a place staff may send a citizen (a department, a window, or a body outside the centre). */
export interface ReferralTargetRow {
  code: string;
  name: string;
  kind: ReferralKind;
  sort: number;
}
export const ReferralTargetBody = z
  .object({
    name: Text(200, 'a name'),
    kind: z.enum(REFERRAL_KINDS, { error: `the kind is one of ${REFERRAL_KINDS.join(', ')}` }),
    sort: z.number().int().min(-10_000).max(10_000).default(0),
  })
  .strict();

export interface WindowRow {
  windowNo: string;
  departmentCode: string | null;
  departmentName: string | null;
  areaCode: string | null;
  closingTime: string | null;
  ratingWindowSeconds: number | null;
  detailsSeconds: number | null;
  /** Terminals enrolled for this window and not revoked. */
  terminals: number;
}
export const WindowBody = z
  .object({
    departmentCode: OptionalText(64, 'a department code'),
    departmentName: OptionalText(100, 'a department name'),
    areaCode: z.string().trim().regex(/^\d{6,12}$/, 'an area code is 6 to 12 digits').nullish().transform((v) => v ?? null),
    closingTime: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a closing time looks like 17:30').nullish().transform((v) => v ?? null),
    ratingWindowSeconds: z.number().int().min(5, 'the rating window is 5 to 300 seconds').max(300, 'the rating window is 5 to 300 seconds').nullish().transform((v) => v ?? null),
    detailsSeconds: z.number().int().min(10, 'the details screen stays 10 to 600 seconds').max(600, 'the details screen stays 10 to 600 seconds').nullish().transform((v) => v ?? null),
  })
  .strict();

// ---------------------------------------------------------------- exports

const Day = z.string().refine(isCalendarDate, { error: (issue) => `${String(issue.input)} is not a date on the calendar (YYYY-MM-DD)` });

export const CsvExportQuery = z
  .object({ from: Day, to: Day, codes: z.enum(['national', 'provincial']).optional() })
  .strict()
  .refine((q) => q.from <= q.to, { error: '"to" must not be before "from"', path: ['to'] });

export const BULLETIN_PERIODS = ['month', 'bimonth'] as const;
export const BulletinQuery = z
  .object({
    department: z.string().trim().min(1, 'pick a department').max(64),
    period: z.enum(BULLETIN_PERIODS).default('month'),
    /** Any month of the period: YYYY-MM. */
    month: z.string().regex(/^(20\d\d|2100)-(0[1-9]|1[0-2])$/, 'the month looks like 2026-03'),
  })
  .strict();
export type BulletinQuery = z.infer<typeof BulletinQuery>;

export interface BulletinFigures {
  cases: number;
  rated: number;
  unrated: number;
  /** Unrated cases the region's policy gives a default level. */
  defaulted: number;
  good: number;
  poor: number;
  /** good ÷ (rated + defaulted); null when nothing was judged. */
  satisfaction: number | null;
}
export interface Bulletin {
  department: { code: string; name: string | null };
  period: { kind: (typeof BULLETIN_PERIODS)[number]; from: string; to: string };
  totals: BulletinFigures;
  windows: (BulletinFigures & { windowNo: string })[];
  staff: (BulletinFigures & { staffNo: string; staffName: string | null })[];
  unratedPolicy: { level: RatingLevel; afterDays: number } | null;
  /** The follow-up of the poor ratings given in the period, as it stands when the bulletin is made. */
  followUp: BulletinFollowUp;
  generatedAt: number;
}

export interface BulletinFollowUp {
  /** Poor ratings given in the period (each opened a follow-up record). */
  poorRatings: number;
  /** Of those, the citizen was reached by a call-back (回访). */
  calledBack: number;
  /** Found valid or partly valid (核实). */
  valid: number;
  /** Put right: measures recorded (整改), whatever came after. */
  putRight: number;
  /** The citizen was answered (反馈 or 答复) on or before the deadline. */
  answeredOnTime: number;
  /** Not closed by the deadline: still open past it, or closed after it. */
  overdue: number;
}

// ---------------------------------------------------------------- routes

/** Paths under CONSOLE_API. Terminals and lists: admin. Exports: see each line. */
export const IT_ROUTES = {
  terminals: '/it/terminals', // GET: { terminals: TerminalRow[] }
  revokeTerminal: '/it/terminals/:terminalId/revoke', // POST: TerminalRow
  rotateTerminalToken: '/it/terminals/:terminalId/rotate-token', // POST: TerminalRow (the terminal fetches its new token on its next contact)
  alerts: '/it/alerts', // GET AlertQuery: { alerts: IntegrityAlert[] }
  acknowledgeAlert: '/it/alerts/:alertId/acknowledge', // POST AcknowledgeAlertBody: IntegrityAlert
  enrolmentCodes: '/it/enrolment-codes', // GET: { codes: EnrolmentCodeRow[] }; POST NewEnrolmentCodeBody: NewEnrolmentCode
  revokeEnrolmentCode: '/it/enrolment-codes/:codeId/revoke', // POST: EnrolmentCodeRow
  staff: '/lists/staff', // GET: { staff: StaffRow[] }
  staffMember: '/lists/staff/:staffNo', // PUT StaffBody: StaffRow
  staffPhoto: '/lists/staff/:staffNo/photo', // GET: the image; PUT StaffPhotoBody: StaffRow; DELETE: StaffRow
  items: '/lists/items', // GET: { items: ItemRow[] }
  item: '/lists/items/:itemCode/:itemVersion', // PUT ItemBody: ItemRow
  reasons: '/lists/reasons', // GET: { reasons: ReasonRow[] }
  reason: '/lists/reasons/:code', // PUT ReasonBody: ReasonRow; DELETE
  referralTargets: '/lists/referral-targets', // GET: { targets: ReferralTargetRow[] }
  referralTarget: '/lists/referral-targets/:code', // PUT ReferralTargetBody: ReferralTargetRow; DELETE
  windows: '/lists/windows', // GET: { windows: WindowRow[] }
  window: '/lists/windows/:windowNo', // PUT WindowBody: WindowRow
  ratingsCsv: '/exports/ratings.csv', // GET CsvExportQuery: text/csv (admin, supervisor, evaluator)
  bulletin: '/exports/bulletin', // GET BulletinQuery: Bulletin (department users: their own)
} as const;

/** A path with its :params filled in, each encoded. */
export function itPath(route: string, params: Record<string, string | number> = {}): string {
  return route.replace(/:([A-Za-z]+)/g, (_, name: string) => encodeURIComponent(String(params[name] ?? '')));
}
