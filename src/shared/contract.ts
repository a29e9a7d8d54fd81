/**
 * The kiosk API contract: the commands a shell may send to the core, and the state and
 * events the core publishes. Electron IPC, the WebSocket bridge and the CLI are three
 * transports of this one contract; every message is parsed with these schemas where it
 * crosses a process boundary.
 */
import { z } from 'zod';
import { CASE_OUTCOMES, LINK_STATES, MISUSE_CAUSES, WINDOW_PHASES } from './domain';
import { KEYPAD_STATUS_CODES } from './keypad';
import { RATING_LEVELS } from './levels';
import { LeaveSuggestion } from './suggestions';
import { FILL_NAMES, PHRASE_KEYS, PROMPT_KEYS, STAFF_PHRASES, type PromptKey } from './phrases';
import { RefusalFields, RefusalReason } from './refusals';
import { ServiceInfo } from './service-info';

// Control characters have no place in a name or a reason, and PostgreSQL refuses NUL at the centre.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const NO_CONTROL = /^[^\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]*$/;
const text = (max: number) => z.string().trim().min(1).max(max).regex(NO_CONTROL, 'contains control characters');

export const SignInBadge = z.object({ type: z.literal('signInBadge'), badgeId: text(64) }).strict();
export const SignInPin = z
  .object({ type: z.literal('signInPin'), staffNo: text(32), pin: z.string().regex(/^\d{4,12}$/, 'PIN is 4 to 12 digits') })
  .strict();
export const SignOut = z.object({ type: z.literal('signOut') }).strict();
export const OpenCase = z
  .object({
    type: z.literal('openCase'),
    itemCode: text(64),
    itemVersion: text(16).optional(),
    caseNo: text(64).optional(), // 办件编号
    ticketNo: text(32).optional(), // queue ticket
    /** 预约服务: the centre's appointment (sent with the config) the citizen came for. */
    appointmentId: text(128).optional(),
  })
  .strict();
export const FinishCase = z
  .object({
    type: z.literal('finishCase'),
    outcome: z.enum(CASE_OUTCOMES),
    missingMaterials: z.array(text(200)).max(50).optional(),
    /** 首问负责: the code of the referral target (the centre's list) a consultation or transfer sent the citizen to. */
    referralTo: text(64).optional(),
    /** One line on the referral: what the citizen was told to bring or ask. */
    referralNote: text(200).optional(),
    /** 投诉: one line saying what the complaint is about. */
    complaintSummary: text(300).optional(),
  })
  .strict()
  .refine((c) => c.outcome !== 'notified_missing' || (c.missingMaterials?.length ?? 0) > 0, {
    message: '一次告知 needs the list of missing materials',
    path: ['missingMaterials'],
  })
  .refine((c) => c.outcome !== 'transferred' || c.referralTo !== undefined, {
    message: '转办 needs where the citizen was sent: choose a department, window or outside body from the list',
    path: ['referralTo'],
  })
  .refine((c) => (c.referralTo === undefined && c.referralNote === undefined) || c.outcome === 'consultation' || c.outcome === 'transferred', {
    message: 'only a consultation or a transfer sends the citizen somewhere: choose 咨询 or 转办, or leave the referral empty',
    path: ['referralTo'],
  })
  .refine((c) => c.outcome !== 'complaint' || c.complaintSummary !== undefined, {
    message: '投诉 needs a one-line summary of what the complaint is about',
    path: ['complaintSummary'],
  })
  .refine((c) => c.complaintSummary === undefined || c.outcome === 'complaint', {
    message: 'a complaint summary belongs to the 投诉 outcome only',
    path: ['complaintSummary'],
  });
export const Pause = z.object({ type: z.literal('pause'), reason: text(100) }).strict();
export const Resume = z.object({ type: z.literal('resume') }).strict();
export const PlayPhrase = z.object({ type: z.literal('playPhrase'), phrase: z.enum(STAFF_PHRASES) }).strict();
/** The citizen rates on the touch screen (the citizen screen only). */
export const RateByTouch = z.object({ type: z.literal('rateByTouch'), level: z.enum(RATING_LEVELS) }).strict();
/** The citizen adds reasons and a callback number to a poor rating (the citizen screen only). */
export const AddRatingDetails = z
  .object({
    type: z.literal('addRatingDetails'),
    ratingId: z.string().uuid(),
    reasonCodes: z.array(text(32)).max(20),
    comment: z.string().trim().max(500).regex(NO_CONTROL, 'contains control characters').optional(),
    callbackPhone: z.string().trim().max(20).optional(),
    callbackConsent: z.boolean().default(false),
  })
  .strict()
  .refine((d) => !d.callbackPhone || d.callbackConsent, {
    message: 'a callback number needs the citizen’s consent',
    path: ['callbackConsent'],
  });
/**
 * The citizen is still typing a poor rating's reasons or comment (the citizen screen only):
 * keeps the reasons open a little longer, up to a limit (src/core/lifecycle/machine.ts).
 */
export const KeepDetailsOpen = z.object({ type: z.literal('keepDetailsOpen'), ratingId: z.string().uuid() }).strict();

export const Command = z.union([
  SignInBadge,
  SignInPin,
  SignOut,
  OpenCase,
  FinishCase,
  Pause,
  Resume,
  PlayPhrase,
  RateByTouch,
  AddRatingDetails,
  KeepDetailsOpen,
  LeaveSuggestion,
]);
export type Command = z.infer<typeof Command>;
export type CommandType = Command['type'];

/** Which screen may send which command: staff can never rate, the citizen can never run the window. */
export const CITIZEN_COMMANDS: readonly CommandType[] = ['rateByTouch', 'addRatingDetails', 'keepDetailsOpen', 'leaveSuggestion'];
export const STAFF_COMMANDS: readonly CommandType[] = [
  'signInBadge',
  'signInPin',
  'signOut',
  'openCase',
  'finishCase',
  'pause',
  'resume',
  'playPhrase',
];

export const ErrorCode = z.enum([
  'invalid_command',
  'not_allowed_now',
  'unknown_staff',
  'wrong_pin',
  'unknown_item',
  'unknown_rating',
  'details_closed',
  'storage_failed',
  'unauthorised',
  'invalid_settings',
  'unavailable',
]);
export type ErrorCode = z.infer<typeof ErrorCode>;

/**
 * A refusal: a coarse code for programs, an English sentence for the log, and (for anything a
 * person at the window can meet) the reason and figures the screens word in their language.
 */
export const KioskError = z.object({ code: ErrorCode, message: z.string(), reason: RefusalReason.optional(), fields: RefusalFields.optional() });
export type KioskError = z.infer<typeof KioskError>;

export const StaffBadge = z.object({
  staffNo: z.string(),
  name: z.string(),
  photo: z.string().nullable(), // data: URI
  departmentName: z.string().nullable(),
  monthSatisfaction: z.number().min(0).max(1).nullable(),
});

export const Snapshot = z.object({
  at: z.number(),
  phase: z.enum(WINDOW_PHASES),
  window: z.object({ terminalId: z.string(), windowNo: z.string(), departmentName: z.string().nullable() }),
  staff: StaffBadge.nullable(),
  pause: z.object({ reason: z.string(), since: z.number() }).nullable(),
  case: z
    .object({
      id: z.string(),
      itemCode: z.string(),
      itemName: z.string(),
      caseNo: z.string().nullable(),
      ticketNo: z.string().nullable(),
      openedAt: z.number(),
      /** The item's materials, promised time, fees and where to ask (办事公开), as the centre sent them; null when it sent none. */
      serviceInfo: ServiceInfo.nullable().default(null),
    })
    .nullable(),
  /** Present while the citizen is invited to rate. */
  rating: z.object({ deadline: z.number() }).nullable(),
  /** The rating just given, while the thanks screen shows. */
  lastRating: z
    .object({
      id: z.string(),
      level: z.enum(RATING_LEVELS),
      poor: z.boolean(),
      detailsUntil: z.number().nullable(),
    })
    .nullable(),
  phrase: z.enum(PHRASE_KEYS as [string, ...string[]]).nullable(),
  /** The XX fill-ins of the phrase on screen (annex A), when it has any. */
  phraseFills: z.partialRecord(z.enum(FILL_NAMES), z.string()).nullable().optional(),
  keypad: z.object({
    link: z.enum(LINK_STATES),
    serial: z.string().nullable(),
    detail: z.string().nullable(),
    /** What the detail says (KEYPAD_STATUS_CODES) and its figures, for the screen to word in its language. */
    code: z.enum(KEYPAD_STATUS_CODES).optional(),
    fields: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
    keys: z.number().int().nullable().optional(),
    /** The keypad announced a voice module (HELLO features bit0). */
    voice: z.boolean().optional(),
  }),
  /** Who speaks the standard phrases, and the last one the window's own screen is to speak. */
  speech: z.lazy(() => SpeechState).default({ by: 'screen', volume: 80, last: null }),
  /** How the screens should present the window: the language IT chose, and which keypad key gives each level. */
  display: z.object({
    language: z.enum(['zh', 'en']),
    keys: z.partialRecord(z.enum(RATING_LEVELS), z.number().int()),
  }),
  sync: z.lazy(() => SyncStatus),
});
export type Snapshot = z.infer<typeof Snapshot>;

/**
 * 'keypad': a keypad with a voice module is online and speaks the phrases; 'screen': the
 * citizen screen speaks them (no keypad, or one without voice); 'muted': IT switched it off.
 */
export const SPEAKERS = ['keypad', 'screen', 'muted'] as const;
export type Speaker = (typeof SPEAKERS)[number];

export const SpeechState = z.object({
  by: z.enum(SPEAKERS),
  /** 0 to 100, as set in the admin page. */
  volume: z.number().int().min(0).max(100),
  /**
   * The last phrase the screen is to speak. `seq` only grows while the window runs and starts
   * afresh (from the clock) when it restarts: a screen speaks a phrase whose seq it has not
   * seen, and takes the one in its first snapshot as already said, so a screen that
   * reconnects never replays an old one.
   */
  last: z.object({ seq: z.number().int(), phrase: z.enum(PROMPT_KEYS as [PromptKey, ...PromptKey[]]), at: z.number() }).nullable(),
});
export type SpeechState = z.infer<typeof SpeechState>;

export const SyncStatus = z.object({
  state: z.enum(['disabled', 'idle', 'syncing', 'error']),
  /** Outbox records the centre has not acknowledged yet. */
  pending: z.number().int().min(0),
  lastSuccessAt: z.number().nullable(),
  /** While syncing: records sent so far of those to send. */
  progress: z.object({ sent: z.number().int(), total: z.number().int() }).nullable(),
  /** A sentence for people: the last error, or what the last run did. */
  detail: z.string().nullable(),
  /** What the detail says: a sync error code, or 'sending' / 'sent' / 'poor_rating_waits'; `fields` holds its figures. */
  code: z.string().nullable().optional(),
  fields: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
  /** IT allowed plain http:// and the centre is not on this PC: records and the token cross the network unencrypted. */
  unencrypted: z.boolean().optional(),
});
export type SyncStatus = z.infer<typeof SyncStatus>;

export const TodayFigures = z.object({
  cases: z.number(),
  rated: z.number(),
  unrated: z.number(),
  poor: z.number(),
  /** good (非常满意, 满意, 基本满意) / rated; null when nothing is rated yet. */
  satisfaction: z.number().nullable(),
  misusePresses: z.number(),
});
export type TodayFigures = z.infer<typeof TodayFigures>;

export const MisuseCause = z.enum(MISUSE_CAUSES);

export const KioskEvent = z.discriminatedUnion('type', [
  z.object({ type: z.literal('snapshot'), snapshot: Snapshot }),
  z.object({
    type: z.literal('press'),
    /** 'repeat': the keypad resent a press already recorded (link noise, not a citizen's press). */
    outcome: z.enum(['rating', 'misuse', 'repeat']),
    cause: MisuseCause.nullable(),
    /** The key (CRK/1 key number or legacy byte) and the level it maps to, for IT's keypad test. */
    rawKey: z.number().int().nullable(),
    level: z.enum(RATING_LEVELS).nullable(),
    at: z.number(),
  }),
  /** From the transport, not the core: the screen (re)connected and should ask for the state. */
  z.object({ type: z.literal('connection'), connected: z.boolean() }),
]);
export type KioskEvent = z.infer<typeof KioskEvent>;

export type CommandResult = { ok: true; snapshot: Snapshot } | { ok: false; error: KioskError };

const COMMAND_SCHEMAS = {
  signInBadge: SignInBadge,
  signInPin: SignInPin,
  signOut: SignOut,
  openCase: OpenCase,
  finishCase: FinishCase,
  pause: Pause,
  resume: Resume,
  playPhrase: PlayPhrase,
  rateByTouch: RateByTouch,
  addRatingDetails: AddRatingDetails,
  keepDetailsOpen: KeepDetailsOpen,
  leaveSuggestion: LeaveSuggestion,
} satisfies Record<CommandType, z.ZodType>;

/** Parses untrusted input into a command, or a KioskError a person can read. */
export function parseCommand(input: unknown): { ok: true; command: Command } | { ok: false; error: KioskError } {
  const type = typeof input === 'object' && input !== null ? (input as { type?: unknown }).type : undefined;
  const schema = typeof type === 'string' ? COMMAND_SCHEMAS[type as CommandType] : undefined;
  if (!schema) return { ok: false, error: { code: 'invalid_command', message: `unknown command ${JSON.stringify(type ?? null)}` } };
  const parsed = schema.safeParse(input);
  if (parsed.success) return { ok: true, command: parsed.data as Command };
  const first = parsed.error.issues[0];
  const field = first && first.path.length > 0 ? first.path.join('.') : String(type);
  const detail = first?.message ?? 'malformed';
  return { ok: false, error: { code: 'invalid_command', message: `${type}: ${field === type ? '' : `${field}: `}${detail}`, reason: 'input_invalid', fields: { field, detail } } };
}
