/**
 * The audit log of sign-ins, account changes and changes to the centre's rules, lists and
 * access (API tokens, terminals): append-only, read by admins newest first. Details are
 * sentences about what changed, never a password, a token, a token's hash or a secret; such a
 * change also keeps its facts, which the console words in the reader's language.
 */
import { auditSentence, type AuditFacts, type FieldChange } from '../../../src/shared/console/audit-facts';
import type { AuditAction, AuditEntry } from '../../../src/shared/console/contract';
import type { Sql } from '../db/sql';

export interface AuditEvent {
  action: AuditAction;
  actor: string | null;
  subject?: string | null;
  /** The English sentence; a rule change gives its facts instead and the sentence is made from them. */
  detail?: string;
  facts?: AuditFacts;
  address: string | null;
}

export async function writeAudit(db: Sql, at: number, event: AuditEvent): Promise<void> {
  const detail = event.detail ?? (event.facts ? clipDetail(auditSentence(event.facts, 'en')) : '');
  await db.query('INSERT INTO console_audit (at, action, actor, subject, detail, facts, address) VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7)', [
    at,
    event.action,
    event.actor,
    event.subject ?? null,
    detail,
    event.facts ? JSON.stringify(event.facts) : null,
    event.address,
  ]);
}

export interface AuditFilter {
  action?: AuditAction;
  /** Entries by or about this user name. */
  user?: string;
  /** Keyset paging: entries older than this id. */
  before?: number;
  limit: number;
}

export async function readAudit(db: Sql, filter: AuditFilter): Promise<AuditEntry[]> {
  const where: string[] = [];
  const params: unknown[] = [];
  if (filter.action) {
    params.push(filter.action);
    where.push(`action = $${params.length}`);
  }
  if (filter.user) {
    params.push(filter.user.toLowerCase());
    where.push(`(lower(actor) = $${params.length} OR lower(subject) = $${params.length})`);
  }
  if (filter.before !== undefined) {
    params.push(filter.before);
    where.push(`id < $${params.length}`);
  }
  params.push(filter.limit);
  const rows = await db.query<{ id: number; at: number; action: AuditAction; actor: string | null; subject: string | null; detail: string; facts: AuditFacts | null; address: string | null }>(
    `SELECT id, at, action, actor, subject, detail, facts, address FROM console_audit ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT $${params.length}`,
    params,
  );
  return rows.map((r) => ({ ...r, id: Number(r.id), at: Number(r.at) }));
}

// ---------------------------------------------------------------- changes to the centre's rules

/** A detail is a few lines on the page, not a copy of the rules: longer ones are cut with a count of what was left. */
export const DETAIL_MAX = 600;
/** Fields named one by one in an entry's facts; a change of more says how many more. */
export const FIELDS_MAX = 30;

export function clipDetail(text: string): string {
  if (text.length <= DETAIL_MAX) return text;
  const cut = text.slice(0, DETAIL_MAX - 40);
  const rest = text.length - cut.length;
  return `${cut}… (${rest} more characters)`;
}

function shown(v: unknown): string | null {
  if (v === undefined || v === null || v === '') return null;
  if (Array.isArray(v)) {
    if (v.every((x) => x === null || typeof x !== 'object')) return v.map((x) => shown(x) ?? '—').join(' ');
    return String(v.length);
  }
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v as string | number | boolean);
}

function leaves(value: unknown, path: string, into: Map<string, unknown>): void {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) leaves(v, path ? `${path}.${k}` : k, into);
    return;
  }
  into.set(path, value);
}

/**
 * Each field that differs, before → after, in the order of the new value: an object's fields
 * by their dotted path, a list of plain values as one field. Only for rules that hold no
 * secret: the caller leaves out what must never be written.
 */
export function fieldChanges(before: unknown, after: unknown): FieldChange[] {
  const was = new Map<string, unknown>();
  const now = new Map<string, unknown>();
  leaves(before, '', was);
  leaves(after, '', now);
  const changes: FieldChange[] = [];
  for (const field of new Set([...now.keys(), ...was.keys()])) {
    const a = shown(was.get(field));
    const b = shown(now.get(field));
    if (a !== b) changes.push({ field: field || 'value', before: a, after: b });
  }
  if (changes.length <= FIELDS_MAX) return changes;
  return [...changes.slice(0, FIELDS_MAX), { field: '…', before: null, after: `+${changes.length - FIELDS_MAX}` }];
}

/** The rules an entry is about: the first part of each changed field, once each. */
export function changedRules(changes: readonly FieldChange[]): string | null {
  return [...new Set(changes.filter((c) => c.field !== '…').map((c) => c.field.split('.')[0]!))].join(', ') || null;
}

/** A path segment this long is taken for a key (group bots put theirs in the path: …/hook/<key>). */
const KEY_SEGMENT = 16;

/**
 * A webhook's address as the audit log may keep it: scheme, host, port and path. Whatever
 * could carry a credential (user and password, the query string, the fragment, a path
 * segment long enough to be a key) is left out.
 */
export function webhookAddressForAudit(url: string): { address: string; trimmed: boolean } {
  try {
    const u = new URL(url);
    const path = u.pathname
      .split('/')
      .map((segment) => (segment.length >= KEY_SEGMENT ? '…' : segment))
      .join('/');
    return { address: `${u.protocol}//${u.host}${path}`, trimmed: Boolean(u.username || u.password || u.search || u.hash || path !== u.pathname) };
  } catch {
    return { address: '?', trimmed: true };
  }
}
