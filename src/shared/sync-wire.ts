/**
 * The sync wire contract, version 1: the upload batch, the offline bundle and the payload
 * of every outbox record kind. The kiosk writes through these types and the centre
 * validates and projects through these schemas, so a field renamed on one side only fails
 * a typecheck or a test instead of a report. The hash recipe is not here: it is
 * canonical-json.ts, unchanged.
 */
import { z } from 'zod';
import type { OutboxHashedFields } from './canonical-json';
import { RATING_CHANNELS } from './channels';
import { CASE_OUTCOMES, MISUSE_CAUSES, REFERRAL_KINDS } from './domain';
import { RATING_LEVELS } from './levels';
import { SUGGESTION_CATEGORIES, SUGGESTION_TEXT_MAX } from './suggestions';
import { compileAccept } from './wire-fast';

export const SYNC_WIRE_VERSION = 1;
/**
 * Revision 2 of wire version 1, additive: a rating_details record may carry its callback
 * phone outside the hash chain, as `personal`, with only a commitment to it in the chained
 * payload, so the window can erase the number once the centre holds it (docs/data-protection.md).
 * A centre of revision 2 takes records of both revisions; the version number itself (in
 * bundles and re-enrolment proofs) is unchanged.
 *
 * Revision 3, additive again: a case_closed record may carry where the citizen was sent
 * (`referral`, `referralNote`, 首问负责) and a complaint's one-line summary
 * (`complaintSummary`, with the new outcome 'complaint'). The fields are optional and written
 * only when they have a value, so records of earlier revisions hash, verify and ingest as
 * before. The revision moves because what a centre must know did: a centre of revision 2
 * verifies a revision 3 record (the hash is over the text as sent) but drops the new fields,
 * and cannot read the outcome 'complaint', so centres are upgraded before their windows.
 *
 * Revision 4, additive: a case_opened record may carry the appointment it was opened from
 * (`appointmentId`, 预约服务 10.4), the id the centre gave the appointment in the register it
 * sent with the window's config. Written only when there is one; the centre writes the case's
 * outcome back on that appointment. A new kind, `suggestion` (意见簿 11.2.2), carries a citizen's
 * suggestion left at the touch screen; its reply phone travels as `personal` against a
 * commitment, exactly like a callback phone.
 */
export const SYNC_WIRE_REVISION = 4;
/**
 * The phone commitment recipe, implemented by the kiosk and the centre alike (each with
 * node:crypto): HMAC-SHA256 keyed with the salt's 32 bytes (given as 64 hex digits) over
 * the phone's UTF-8 text, as 64 lowercase hex digits. Without the salt, which is erased
 * with the phone, it cannot be turned back into the number by trying every number.
 */
export const PHONE_COMMITMENT = 'hmac-sha256(salt, phone)';
export const BUNDLE_FORMAT = `cordial-outbox-bundle/${SYNC_WIRE_VERSION}`;
/** Epochs are PostgreSQL integers at the centre. */
export const MAX_EPOCH = 2_147_483_647;
/** Deepest nesting a payload may have; the deepest real one (reason codes) is 2. */
export const MAX_PAYLOAD_DEPTH = 8;

const HEX64 = /^[0-9a-f]{64}$/;
const time = z.int().min(0);
const id = z.string().min(1).max(128);
const text = (max: number) => z.string().max(max);
const maybe = (max: number) => z.string().max(max).nullable();
const place = { at: time, windowNo: text(16), areaCode: maybe(32) };
const caseFields = {
  caseId: id,
  caseNo: maybe(64),
  ticketNo: maybe(64),
  itemCode: text(64),
  itemVersion: text(16),
  itemName: text(200),
  departmentCode: maybe(64),
  departmentName: maybe(100),
  staffNo: text(32),
  staffName: text(100),
};
const press = {
  level: z.enum(RATING_LEVELS).nullable(),
  rawKey: z.int().nullable(),
  channel: z.enum(RATING_CHANNELS),
  deviceSerial: maybe(64),
  eventId: z.int().min(0).nullable(),
};

/** Every record kind and its payload, as the kiosk hashes it. */
export const PAYLOAD_SCHEMAS = {
  session_started: z.object({ kind: z.literal('session_started'), ...place, sessionId: id, staffNo: text(32), staffName: text(100), method: z.enum(['badge', 'pin']) }),
  session_ended: z.object({ kind: z.literal('session_ended'), ...place, sessionId: id, staffNo: text(32) }),
  pause_started: z.object({ kind: z.literal('pause_started'), ...place, pauseId: id, sessionId: id, staffNo: text(32), reason: text(200) }),
  pause_ended: z.object({ kind: z.literal('pause_ended'), ...place, pauseId: id, staffNo: text(32) }),
  case_opened: z.object({
    kind: z.literal('case_opened'),
    ...place,
    ...caseFields,
    openedAt: time,
    sessionId: id,
    /** Revision 4: the centre's appointment (预约) the case was opened from. */
    appointmentId: id.optional(),
  }),
  case_closed: z.object({
    kind: z.literal('case_closed'),
    ...place,
    caseId: id,
    outcome: z.enum(CASE_OUTCOMES),
    missingMaterials: z.array(text(200)).max(100),
    afterHours: z.boolean(),
    ratingDeadline: time,
    /** Revision 3: where a consultation or transfer sent the citizen, from the centre's list. */
    referral: z.object({ code: text(64), name: text(200), kind: z.enum(REFERRAL_KINDS) }).optional(),
    referralNote: text(200).optional(),
    /** Revision 3: a complaint received at the window, in one line. */
    complaintSummary: text(300).optional(),
  }),
  rating: z.object({
    kind: z.literal('rating'),
    ...place,
    ...caseFields,
    ...press,
    level: z.enum(RATING_LEVELS),
    ratingId: id,
    invitedAt: time,
    ratingType: z.enum(['first', 'follow_up']),
  }),
  case_unrated: z.object({ kind: z.literal('case_unrated'), ...place, caseId: id, invitedAt: time, deadline: time }),
  misuse: z.object({ kind: z.literal('misuse'), ...place, ...press, pressId: id, cause: z.enum(MISUSE_CAUSES), caseId: id.nullable() }),
  rating_details: z.object({
    kind: z.literal('rating_details'),
    ...place,
    ratingId: id,
    reasonCodes: z.array(text(32)).max(20),
    comment: maybe(1000),
    /** In clear only in records written before the commitment (sync wire revision 2); null since. */
    callbackPhone: maybe(32),
    /** Revision 2: what the chain holds of the phone (see phone commitment below); the number travels as the record's `personal`. */
    callbackPhoneCommitment: z.string().regex(HEX64).optional(),
  }),
  /** Revision 4: a citizen's suggestion (意见簿), not tied to a case; the reply phone, if any, travels as `personal`. */
  suggestion: z.object({
    kind: z.literal('suggestion'),
    ...place,
    suggestionId: id,
    categories: z.array(z.enum(SUGGESTION_CATEGORIES)).min(1).max(SUGGESTION_CATEGORIES.length),
    text: text(SUGGESTION_TEXT_MAX),
    callbackPhoneCommitment: z.string().regex(HEX64).optional(),
  }),
  epoch_started: z.object({ previousEpoch: z.int().min(1).max(MAX_EPOCH), divergedAtSeq: z.int().min(1), centreHighWater: z.int().min(0), carried: z.int().min(0) }),
} as const;

export type RecordKind = keyof typeof PAYLOAD_SCHEMAS;
export const RECORD_KINDS = Object.keys(PAYLOAD_SCHEMAS) as RecordKind[];
export type PayloadOf<K extends RecordKind> = z.infer<(typeof PAYLOAD_SCHEMAS)[K]>;
export type OutboxPayload = { [K in RecordKind]: PayloadOf<K> }[RecordKind];

/** The payload times reports bucket by: the centre holds them to the same bounds as recordedAt. */
export const PAYLOAD_TIMES: { [K in RecordKind]: readonly (keyof PayloadOf<K> & string)[] } = {
  session_started: ['at'],
  session_ended: ['at'],
  pause_started: ['at'],
  pause_ended: ['at'],
  case_opened: ['at', 'openedAt'],
  case_closed: ['at', 'ratingDeadline'],
  rating: ['at', 'invitedAt'],
  case_unrated: ['at', 'invitedAt', 'deadline'],
  misuse: ['at'],
  rating_details: ['at'],
  suggestion: ['at'],
  epoch_started: [],
};

/** A payload field name, checked against the contract: the centre's projection names fields only through this. */
export function payloadField<K extends RecordKind>(_kind: K, field: keyof PayloadOf<K> & string): string {
  return field;
}

export function isRecordKind(kind: string): kind is RecordKind {
  return Object.hasOwn(PAYLOAD_SCHEMAS, kind);
}

/** The hashed fields plus the chain: what a record is, wherever it is held. */
export interface ChainedRecord extends OutboxHashedFields {
  prevHash: string;
  hash: string;
}

const HASH = /^[0-9a-f]{64}$/;
const whole = (what: string, min: number, max = Number.MAX_SAFE_INTEGER) =>
  z.number({ error: `${what} must be a whole number` }).int({ error: `${what} must be a whole number` }).min(min, { error: `${what} must be at least ${min}` }).max(max, { error: `${what} must be at most ${max}` });

/** One record as it travels: the payload is the canonical JSON text the kiosk hashed. */
export const WireRecord = z.object({
  seq: whole('seq', 1),
  kind: z.string({ error: 'kind must be a short text' }).min(1, { error: 'kind must be a short text' }).max(64, { error: 'kind must be a short text' }),
  recordedAt: whole('recordedAt', 0),
  payload: z.string({ error: "payload must be the record's JSON text" }).min(1, { error: "payload must be the record's JSON text" }),
  prevHash: z.string({ error: 'prevHash must be 64 lowercase hex digits' }).regex(HASH, { error: 'prevHash must be 64 lowercase hex digits' }),
  hash: z.string({ error: 'hash must be 64 lowercase hex digits' }).regex(HASH, { error: 'hash must be 64 lowercase hex digits' }),
  /** Revision 2, unchained: the callback phone of a rating_details (or, revision 4, suggestion) record and the salt of its commitment. */
  personal: z
    .object({
      callbackPhone: z.string({ error: 'personal.callbackPhone must be the phone number' }).min(1, { error: 'personal.callbackPhone must be the phone number' }).max(32, { error: 'personal.callbackPhone is longer than 32 characters' }),
      salt: z.string({ error: 'personal.salt must be 64 lowercase hex digits' }).regex(HASH, { error: 'personal.salt must be 64 lowercase hex digits' }),
    })
    .optional(),
});
export type WireRecord = z.infer<typeof WireRecord>;

export const MissingRange = z.object({ from: whole('missing.from', 1), to: whole('missing.to', 1) }).refine((m) => m.to >= m.from, { error: 'missing.to must not be before missing.from' });

/** POST /v1/batches: one terminal, one epoch, contiguous records in seq order. */
export const UploadBatchHead = z.object({
  wire: z.literal(SYNC_WIRE_VERSION, { error: `this centre speaks sync wire version ${SYNC_WIRE_VERSION}` }).optional(),
  terminalId: z.string({ error: 'terminalId must be the terminal id (letters, digits, - and _)' }).regex(/^[A-Za-z0-9_-]{1,64}$/, { error: 'terminalId must be the terminal id (letters, digits, - and _)' }),
  epoch: whole('epoch', 1, MAX_EPOCH),
  sentAt: whole('sentAt', 0),
  missing: MissingRange.nullish(),
});
export const UploadBatch = UploadBatchHead.extend({ records: z.array(WireRecord, { error: 'records must be an array' }) });
export type UploadBatch = z.infer<typeof UploadBatch>;

/** The signed text inside an offline bundle. */
export const BundleContent = z.object({ terminalId: z.string(), createdAt: time, batches: z.array(z.unknown()) });
export type BundleContent = Omit<z.infer<typeof BundleContent>, 'batches'> & { batches: UploadBatch[] };

/** The offline bundle file (gzip JSON): the content text and its Ed25519 signature. */
export const OutboxBundle = z.object({ format: z.literal(BUNDLE_FORMAT), terminalId: z.string().min(1).max(64), content: z.string(), signature: z.string() });
export type OutboxBundle = z.infer<typeof OutboxBundle>;

/**
 * What a terminal already enrolled signs with its enrolment key to enrol again (a new
 * token, a new key): proof that the request comes from the terminal, not from whoever
 * holds a code. The signature goes as `proof` (base64) in POST /v1/enrol.
 */
export function reenrolmentText(terminalId: string, publicKey: string, code: string): string {
  return `cordial-reenrol/${SYNC_WIRE_VERSION}\n${terminalId}\n${publicKey}\n${code.trim()}`;
}

export type PayloadCheck = { ok: true; payload: OutboxPayload } | { ok: false; problem: string };

/**
 * Checks one payload text against its kind's schema, after bounding its depth and
 * refusing text no database can store (NUL, lone surrogates), each with its own sentence.
 */
export function checkPayload(kind: string, text: string): PayloadCheck {
  if (!isRecordKind(kind)) return { ok: false, problem: `kind "${kind.slice(0, 64)}" is not a record kind this centre knows (${RECORD_KINDS.join(', ')})` };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, problem: 'payload is not valid JSON text' };
  }
  const unstorable = plainText(text) ? null : findUnstorable(value, 'payload', 0);
  if (unstorable) return { ok: false, problem: unstorable };
  if (FAST_PAYLOAD[kind]?.(value)) return { ok: true, payload: value as OutboxPayload };
  const parsed = PAYLOAD_SCHEMAS[kind].safeParse(value);
  if (parsed.success) return { ok: true, payload: parsed.data as OutboxPayload };
  const issue = parsed.error.issues[0];
  const path = ['payload', ...(issue?.path ?? [])].map(String).join('.');
  return { ok: false, problem: `${path} does not fit a ${kind} record: ${issue?.message ?? 'malformed'}` };
}

/**
 * True when the text cannot hide a NUL, a lone surrogate or deep nesting: no \\u escape,
 * no surrogate at all, and fewer brackets than the depth limit. Kiosk payloads almost
 * always are, and then the walk below is not needed.
 */
function plainText(text: string): boolean {
  let brackets = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x7b || c === 0x5b) {
      if (++brackets >= MAX_PAYLOAD_DEPTH) return false;
    } else if ((c === 0x5c && text.charCodeAt(i + 1) === 0x75) || (c >= 0xd800 && c <= 0xdfff)) return false;
  }
  return true;
}

const FAST_PAYLOAD = Object.fromEntries(RECORD_KINDS.map((k) => [k, compileAccept(PAYLOAD_SCHEMAS[k])])) as Record<RecordKind, ((v: unknown) => boolean) | null>;
/** Accepts a record certainly valid under WireRecord; anything else goes to zod for the sentence. */
export const acceptWireRecord = compileAccept(WireRecord) ?? (() => false);

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function textProblem(s: string, where: string): string | null {
  if (s.includes('\u0000')) return `${where} contains a NUL character (\\u0000), which the centre cannot store`;
  if (LONE_SURROGATE.test(s)) return `${where} contains a lone UTF-16 surrogate, which is not valid Unicode text`;
  return null;
}

function findUnstorable(value: unknown, where: string, depth: number): string | null {
  if (typeof value === 'string') return textProblem(value, where);
  if (value === null || typeof value !== 'object') return null;
  if (depth >= MAX_PAYLOAD_DEPTH) return `${where} is nested more than ${MAX_PAYLOAD_DEPTH} levels deep`;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const problem = findUnstorable(value[i], `${where}[${i}]`, depth + 1);
      if (problem) return problem;
    }
    return null;
  }
  for (const [key, member] of Object.entries(value)) {
    const problem = textProblem(key, `${where} key`) ?? findUnstorable(member, `${where}.${key}`, depth + 1);
    if (problem) return problem;
  }
  return null;
}
