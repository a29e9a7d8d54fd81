/**
 * The kiosk API as the screens see it: named functions, the same in Electron (exposed by
 * the preload) and in the browser shell (over a WebSocket). Every request is parsed with
 * these schemas where it crosses a process boundary.
 */
import { z } from 'zod';
import type { AdminSettings } from './config';
import type { CommandResult, KioskError, KioskEvent, Snapshot, TodayFigures } from './contract';
import type { ReferralTarget } from './domain';
import type { WindowAppointment } from './console/appointments-contract';

/** One of today's appointments at this window, and whether a case was opened here from it. */
export interface WindowAppointmentEntry extends WindowAppointment {
  caseOpened: boolean;
}
import type { SlipSettings } from './slip';

/** Electron IPC channels: requests (invoke) and kiosk events (main -> screens). */
export const IPC_CALL_CHANNEL = 'cordial:call';
export const IPC_EVENT_CHANNEL = 'cordial:event';

export const SCREEN_ROLES = ['citizen', 'staff'] as const;
export type ScreenRole = (typeof SCREEN_ROLES)[number];

const token = z.string().min(16).max(128);
const pin = z.string().regex(/^\d{6,12}$/, 'the admin PIN is 6 to 12 digits');

/** Params of each method. `command` is parsed again, strictly, by the core. */
export const API_PARAMS = {
  execute: z.object({ command: z.unknown() }).strict(),
  snapshot: z.object({}).strict(),
  today: z.object({}).strict(),
  items: z.object({}).strict(),
  reasons: z.object({}).strict(),
  /** Citizen: 意见簿's link for a phone, signed by the centre for this window (shown as a QR code). */
  suggestionLink: z.object({}).strict(),
  /** Staff: where a consultation or transfer may send the citizen (the centre's list). */
  referralTargets: z.object({}).strict(),
  /** Staff: today's appointments booked at this window (预约服务), from the centre's config. */
  appointments: z.object({}).strict(),
  /** Staff: whether and how the 一次告知 slip is printed, and the centre's name on it. */
  slipSettings: z.object({}).strict(),
  /** Staff: send the outbox to the centre now. */
  syncNow: z.object({}).strict(),
  adminStatus: z.object({}).strict(),
  /** IT: exchange the centre's one-time enrolment code for this terminal's credentials. */
  adminEnrol: z.object({ token, code: z.string().trim().min(4).max(64) }).strict(),
  /** The first PIN needs the setup code Cordial showed on this PC at start; a change needs the current PIN. */
  adminSetPin: z.object({ pin, currentPin: z.string().max(12).optional(), setupCode: z.string().max(32).optional() }).strict(),
  adminLogin: z.object({ pin: z.string().max(12) }).strict(),
  adminSettings: z.object({ token }).strict(),
  adminSaveSettings: z.object({ token, settings: z.unknown() }).strict(),
  adminPorts: z.object({ token }).strict(),
  adminDiagnostics: z.object({ token }).strict(),
  /** IT: read the centre CA (PEM) typed on the admin page, before it is saved. */
  adminCheckCertificate: z.object({ token, pem: z.string().max(64 * 1024, 'the CA field is at most 64 KB of PEM text') }).strict(),
  /** IT: the centre's key as recorded at enrolment, and where this window is enrolled. */
  adminCentreTrust: z.object({ token }).strict(),
  adminExportCases: z
    .object({
      token,
      from: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional(),
      to: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional(),
      codes: z.enum(['national', 'provincial']).default('national'),
    })
    .strict(),
} as const;
export type ApiMethod = keyof typeof API_PARAMS;
/** A method's params once parsed. */
export type ApiParams<M extends ApiMethod> = z.infer<(typeof API_PARAMS)[M]>;
export const API_METHODS = Object.keys(API_PARAMS) as ApiMethod[];

/** Methods the citizen screen may call; everything else is for the staff panel. */
export const CITIZEN_METHODS: readonly ApiMethod[] = ['execute', 'snapshot', 'reasons', 'suggestionLink'];

export interface ServiceItem {
  itemCode: string;
  itemVersion: string;
  name: string;
  departmentName: string | null;
}

export interface ReasonCode {
  code: string;
  labelZh: string;
  labelEn: string;
}

export interface SerialPortInfo {
  path: string;
  /** How it was found, and what it is, for people: "USB serial (FTDI)", "/dev/serial/by-id". */
  description: string;
}

export interface Diagnostics {
  version: string;
  electron: string | null;
  node: string;
  dataDir: string;
  databaseBytes: number;
  logFile: string | null;
  terminalId: string;
  outboxPending: number;
  chain: string;
}

/** One certificate of the centre CA field, as the admin page shows it before saving. */
export interface CaCertificateInfo {
  subject: string;
  issuer: string;
  /** ISO 8601, UTC. */
  validFrom: string;
  validTo: string;
  /** Marked as a certificate authority (basicConstraints CA:TRUE). */
  isAuthority: boolean;
  selfSigned: boolean;
  /** Against this window's clock. */
  dates: 'valid' | 'expired' | 'not_yet_valid';
  /** SPKI SHA-256, base64: the authority's own key, not the centre's pin. */
  pin: string;
}

export interface CentreTrustState {
  /** The centre's key recorded at enrolment (pin 'enrolment'); null when none was recorded. */
  recordedPin: string | null;
  /** The centre address this window enrolled with, and when; null before enrolment. */
  enrolledUrl: string | null;
  enrolledAt: number | null;
}

/** The parts of the running kiosk a settings change can restart. */
export type RestartedPart = 'core' | 'keypad' | 'sync';

export interface ApiResults {
  execute: CommandResult;
  snapshot: Snapshot;
  today: TodayFigures;
  items: ServiceItem[];
  reasons: ReasonCode[];
  suggestionLink: { url: string; expiresAt: number };
  referralTargets: ReferralTarget[];
  appointments: WindowAppointmentEntry[];
  slipSettings: SlipSettings;
  syncNow: { sent: number; pending: number };
  adminStatus: { pinSet: boolean };
  adminEnrol: { windowNo: string };
  adminSetPin: { ok: true };
  adminLogin: { token: string };
  adminSettings: AdminSettings;
  /** Which running parts the change restarted: only those whose settings changed. */
  adminSaveSettings: { settings: AdminSettings; restarted: RestartedPart[] };
  adminPorts: SerialPortInfo[];
  adminDiagnostics: Diagnostics;
  adminCheckCertificate: CaCertificateInfo[];
  adminCentreTrust: CentreTrustState;
  adminExportCases: { fileName: string; csv: string; cases: number; misuse: number };
}

export type ApiResponse<M extends ApiMethod> = { ok: true; result: ApiResults[M] } | { ok: false; error: KioskError };

/** A request on the wire (WebSocket), or the argument of the IPC handler. */
export const WireRequest = z
  .object({ id: z.number().int().nonnegative(), method: z.enum(API_METHODS as [ApiMethod, ...ApiMethod[]]), params: z.unknown() })
  .strict();
export type WireRequest = z.infer<typeof WireRequest>;

export type WireMessage =
  | { id: number; ok: true; result: unknown }
  | { id: number; ok: false; error: KioskError }
  | { event: KioskEvent };

/** What a screen calls: `window.cordial` in both shells. One named function per method. */
export type CordialApi = {
  readonly role: ScreenRole;
  onEvent(listener: (event: KioskEvent) => void): () => void;
} & {
  readonly [M in ApiMethod]: (params?: z.input<(typeof API_PARAMS)[M]>) => Promise<ApiResponse<M>>;
};

/** Builds the named functions over one transport call (IPC or WebSocket). */
export function buildApi(
  role: ScreenRole,
  call: (method: ApiMethod, params: unknown) => Promise<unknown>,
  onEvent: (listener: (event: KioskEvent) => void) => () => void,
): CordialApi {
  const api: Record<string, unknown> = { role, onEvent };
  for (const method of API_METHODS) api[method] = (params: unknown = {}) => call(method, params);
  return api as CordialApi;
}

/** Parses a request's params, or says in a sentence what is wrong. */
export function parseParams<M extends ApiMethod>(method: M, params: unknown): { ok: true; params: ApiParams<M> } | { ok: false; error: KioskError } {
  const parsed = API_PARAMS[method].safeParse(params ?? {});
  if (parsed.success) return { ok: true, params: parsed.data as ApiParams<M> };
  const issue = parsed.error.issues[0];
  const field = issue?.path.join('.') || 'params';
  const detail = issue?.message ?? 'malformed';
  return { ok: false, error: { code: 'invalid_command', message: `${method}: ${field}: ${detail}`, reason: 'input_invalid', fields: { field, detail } } };
}
