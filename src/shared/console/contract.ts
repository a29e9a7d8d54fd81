/**
 * The one contract between the centre console (server/console, in the browser) and the
 * centre server: every route's path, its query or body schema, and its answer's type. The
 * server parses every request with these schemas; the console builds every request with
 * them. A route or field renamed on one side is a compile error on the other.
 *
 * Sign-in is by named account and an HttpOnly session cookie; every state-changing request
 * carries the session's CSRF token in the `x-cordial-csrf` header. Terminals and scripts
 * keep their bearer tokens on the /v1 API.
 */
import { z } from 'zod';
import { RATING_LEVELS, type RatingLevel } from '../levels';
import { PERIOD_KINDS, isCalendarDate } from './periods';
import type { AuditFacts } from './audit-facts';
import { IT_ROUTES } from './it-contract';
import { FOLLOW_UP_ROUTES } from './follow-up-contract';
import { LIVE_ROUTES } from './live-contract';
import { HALL_ROUTES } from './hall-contract';
import { PUNCTUALITY_ROUTES } from './punctuality-contract';
import { APPOINTMENT_ROUTES } from './appointments-contract';
import { SUGGESTION_ROUTES } from './suggestions-contract';

export * from './it-contract';
export * from './follow-up-contract';
export * from './live-contract';
export * from './hall-contract';
export * from './punctuality-contract';
export * from './appointments-contract';
export * from './suggestions-contract';

export const CONSOLE_API = '/v1/console';
export const SESSION_COOKIE = 'cordial_session';
export const CSRF_HEADER = 'x-cordial-csrf';

// ---------------------------------------------------------------- people and roles

/**
 * admin: users, terminals, lists, settings. supervisor: every department's figures.
 * department: one department's figures only. follow_up: poor-rating follow-up of a
 * department. viewer: figures, read-only. evaluator: third-party evaluator (standard
 * 11.3.3): figures and exports, never personal data.
 */
export const CONSOLE_ROLES = ['admin', 'supervisor', 'department', 'follow_up', 'viewer', 'evaluator'] as const;
export type ConsoleRole = (typeof CONSOLE_ROLES)[number];

/** Roles that see every department; the others are limited to the user's own. */
export const ALL_DEPARTMENT_ROLES: readonly ConsoleRole[] = ['admin', 'supervisor', 'viewer', 'evaluator'];

export const Username = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9._-]{3,32}$/, 'a user name is 3 to 32 letters, digits, dots, dashes or underscores');
export const Password = z.string().min(10, 'a password has at least 10 characters').max(200, 'a password has at most 200 characters');
const DepartmentCode = z.string().trim().min(1).max(64);

export interface ConsoleUser {
  username: string;
  displayName: string;
  role: ConsoleRole;
  /** The department a `department` or `follow_up` user belongs to; null for centre-wide roles. */
  departmentCode: string | null;
  disabled: boolean;
  createdAt: number;
  lastSignInAt: number | null;
}

/** Who is signed in, and the CSRF token their state-changing requests must carry. */
export interface SessionInfo {
  user: ConsoleUser;
  csrfToken: string;
}

export const SignInBody = z.object({ username: z.string().max(64), password: z.string().max(200) }).strict();
/** First start: the one-time setup token the centre printed creates the first admin. */
export const SetupBody = z
  .object({ setupToken: z.string().min(16).max(128), username: Username, displayName: z.string().trim().min(1).max(64), password: Password })
  .strict();
export const NewUserBody = z
  .object({
    username: Username,
    displayName: z.string().trim().min(1).max(64),
    role: z.enum(CONSOLE_ROLES),
    departmentCode: DepartmentCode.nullable().default(null),
    password: Password,
  })
  .strict()
  .refine((u) => !['department', 'follow_up'].includes(u.role) || u.departmentCode !== null, {
    error: 'a department or follow-up user needs a department',
    path: ['departmentCode'],
  });
export const UpdateUserBody = z
  .object({
    displayName: z.string().trim().min(1).max(64).optional(),
    role: z.enum(CONSOLE_ROLES).optional(),
    departmentCode: DepartmentCode.nullable().optional(),
    disabled: z.boolean().optional(),
    /** An admin's reset: the user signs in with it and every session of theirs ends. */
    password: Password.optional(),
  })
  .strict();
export const ChangeOwnPasswordBody = z.object({ currentPassword: z.string().max(200), newPassword: Password }).strict();

export const ACCOUNT_AUDIT_ACTIONS = ['sign_in', 'sign_in_failed', 'sign_out', 'sign_out_everywhere', 'locked_out', 'setup', 'user_created', 'user_changed', 'password_changed'] as const;
/** Changes to the centre's rules (standard 11.3): who changed which rule, and from what to what. */
export const RULE_AUDIT_ACTIONS = [
  'alert_rule_changed',
  'webhook_changed',
  'calendar_changed',
  'window_rules_changed',
  'item_info_changed',
  'wall_token_changed',
  'terminal_token_changed',
  'settings_changed',
] as const;
/** Changes to the lists the centre hands the windows: staff, reason codes, referral targets, the windows, enrolment codes. */
export const LIST_AUDIT_ACTIONS = ['staff_changed', 'reasons_changed', 'referral_targets_changed', 'window_changed', 'enrolment_code_changed'] as const;
/** Changes to who may call the centre: the scripts' API tokens, and a terminal's replacement or new epoch allowed. */
export const ACCESS_AUDIT_ACTIONS = ['api_token_changed', 'terminal_changed'] as const;
export const AUDIT_ACTIONS = [...ACCOUNT_AUDIT_ACTIONS, ...RULE_AUDIT_ACTIONS, ...LIST_AUDIT_ACTIONS, ...ACCESS_AUDIT_ACTIONS] as const;
export type AccountAuditAction = (typeof ACCOUNT_AUDIT_ACTIONS)[number];
export type RuleAuditAction = (typeof RULE_AUDIT_ACTIONS)[number];
export type ListAuditAction = (typeof LIST_AUDIT_ACTIONS)[number];
export type AccessAuditAction = (typeof ACCESS_AUDIT_ACTIONS)[number];
export type AuditAction = (typeof AUDIT_ACTIONS)[number];
export interface AuditEntry {
  id: number;
  at: number;
  action: AuditAction;
  /** Who did it (null for a failed sign-in by an unknown name). */
  actor: string | null;
  /** The user it was done to, where that is someone else; for a rule change, the rule, webhook, item, window or token. */
  subject: string | null;
  /** The English sentence of what happened. */
  detail: string;
  /** A rule, list or access change's facts, for the sentence in the reader's language; null for sign-ins and account changes. */
  facts: AuditFacts | null;
  address: string | null;
}
export const AuditQuery = z
  .object({
    action: z.enum(AUDIT_ACTIONS).optional(),
    user: z.string().max(64).optional(),
    before: z.coerce.number().int().positive().optional(),
    limit: z.coerce.number().int().min(1).max(500).default(100),
  })
  .strict();

// ---------------------------------------------------------------- figures

const Day = z.string().refine(isCalendarDate, { error: (issue) => `${String(issue.input)} is not a date on the calendar (YYYY-MM-DD)` });

/** One query object for every figure: the period and the filter live in the page's URL. */
export const FigureQuery = z
  .object({
    period: z.enum(PERIOD_KINDS).default('month'),
    from: Day,
    to: Day,
    department: DepartmentCode.optional(),
  })
  .strict()
  .refine((q) => q.from <= q.to, { error: '"to" must not be before "from"', path: ['to'] })
  .refine((q) => q.from >= '2000-01-01' && q.to <= '2100-12-31', { error: 'the period must lie between 2000 and 2100', path: ['from'] });
export type FigureQuery = z.infer<typeof FigureQuery>;

export type LevelCounts = Record<RatingLevel, number>;
export const emptyLevelCounts = (): LevelCounts => Object.fromEntries(RATING_LEVELS.map((l) => [l, 0])) as LevelCounts;

export interface FigureTotals {
  /** Cases finished in the period. */
  cases: number;
  rated: number;
  unrated: number;
  /** Unrated cases the region's policy gives a default level; 0 where there is no policy. */
  defaulted: number;
  levels: LevelCounts;
  good: number;
  poor: number;
  /** good ÷ (rated + defaulted); null when nothing was judged. */
  satisfaction: number | null;
  misuse: number;
}

export interface Overview {
  query: FigureQuery;
  totals: FigureTotals;
  /** One point a day (or a month, for ranges over 93 days). */
  trend: { bucket: string; rated: number; good: number; poor: number; satisfaction: number | null }[];
  channels: { channel: string; rated: number }[];
  /** The unrated policy in force, to state beside the figures it changes. */
  unratedPolicy: { level: RatingLevel; afterDays: number } | null;
  /** When the figures were last brought up to the records held. */
  freshAt: number;
}

export const RANKING_DIMENSIONS = ['staff', 'window', 'department', 'item'] as const;
export type RankingDimension = (typeof RANKING_DIMENSIONS)[number];
export const RANKING_SORTS = ['satisfaction', 'volume', 'poor'] as const;

export const RankingQuery = z
  .object({
    period: z.enum(PERIOD_KINDS).default('month'),
    from: Day,
    to: Day,
    department: DepartmentCode.optional(),
    dimension: z.enum(RANKING_DIMENSIONS).default('staff'),
    sort: z.enum(RANKING_SORTS).default('satisfaction'),
    /** Rows with fewer rated cases are listed apart, unranked, so three cases cannot top a ranking. */
    minRated: z.coerce.number().int().min(0).max(100_000).default(30),
  })
  .strict()
  .refine((q) => q.from <= q.to, { error: '"to" must not be before "from"', path: ['to'] });
export type RankingQuery = z.infer<typeof RankingQuery>;

export interface RankingRow {
  rank: number | null;
  key: string;
  name: string;
  departmentCode: string | null;
  departmentName: string | null;
  cases: number;
  rated: number;
  good: number;
  poor: number;
  satisfaction: number | null;
}
export interface Ranking {
  query: RankingQuery;
  ranked: RankingRow[];
  /** Below minRated: shown, not ranked. */
  belowThreshold: RankingRow[];
}

/** The individual ratings behind a ranking row. Phones are masked unless the caller may reveal them. */
export const DrilldownQuery = z
  .object({
    period: z.enum(PERIOD_KINDS).default('month'),
    from: Day,
    to: Day,
    department: DepartmentCode.optional(),
    dimension: z.enum(RANKING_DIMENSIONS),
    key: z.string().min(1).max(64),
    level: z.enum(RATING_LEVELS).optional(),
    /** Keyset paging: the `next` of the previous page. */
    after: z.string().max(200).optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
  })
  .strict();
export type DrilldownQuery = z.infer<typeof DrilldownQuery>;

export interface RatingLine {
  terminalId: string;
  caseId: string;
  caseNo: string | null;
  ratedAt: number;
  level: RatingLevel;
  staffNo: string | null;
  staffName: string | null;
  windowNo: string | null;
  itemName: string | null;
  departmentName: string | null;
  reasonCodes: string[];
  /** Masked (138****5678); evaluators never get it at all (null). */
  callbackPhone: string | null;
}
export interface Drilldown {
  rows: RatingLine[];
  next: string | null;
}

/** Departments the caller may look at, for the filter. */
export interface DepartmentOption {
  code: string;
  name: string;
}

// ---------------------------------------------------------------- errors

/** Every refusal: a stable code and a sentence a person can act on. */
export interface ConsoleRefusal {
  error: { code: string; message: string };
}

// ---------------------------------------------------------------- routes

/** Paths under CONSOLE_API. */
export const CONSOLE_ROUTES = {
  session: '/session', // GET: SessionInfo; POST SignInBody: SessionInfo; DELETE: sign out
  signOutEverywhere: '/session/everywhere', // POST
  setup: '/setup', // GET: { needed: boolean }; POST SetupBody: SessionInfo
  password: '/password', // POST ChangeOwnPasswordBody
  users: '/users', // GET: ConsoleUser[]; POST NewUserBody: ConsoleUser
  user: '/users/:username', // PATCH UpdateUserBody: ConsoleUser
  audit: '/audit', // GET AuditQuery: { entries: AuditEntry[] }
  departments: '/departments', // GET: DepartmentOption[]
  overview: '/figures/overview', // GET FigureQuery: Overview
  ranking: '/figures/ranking', // GET RankingQuery: Ranking
  drilldown: '/figures/ratings', // GET DrilldownQuery: Drilldown
  ...IT_ROUTES, // terminals, enrolment codes, lists, exports: see it-contract.ts
  ...FOLLOW_UP_ROUTES, // the follow-up of poor ratings and the working-day calendar: see follow-up-contract.ts
  ...LIVE_ROUTES, // live events, alert rules and webhooks: see live-contract.ts
  ...HALL_ROUTES, // live hall supervision, window rules, wall tokens: see hall-contract.ts
  ...PUNCTUALITY_ROUTES, // 考勤: punctuality and extended service: see punctuality-contract.ts
  ...APPOINTMENT_ROUTES, // 预约服务: the appointment register of annex C: see appointments-contract.ts
  ...SUGGESTION_ROUTES, // 意见簿: the suggestion book: see suggestions-contract.ts
} as const;
