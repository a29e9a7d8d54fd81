/**
 * The audit log of sign-ins and account changes: append-only, read by admins newest first.
 * Details are sentences about what changed, never a password.
 */
import type { AuditAction, AuditEntry } from '../../../src/shared/console/contract';
import type { Sql } from '../db/sql';

export interface AuditEvent {
  action: AuditAction;
  actor: string | null;
  subject?: string | null;
  detail?: string;
  address: string | null;
}

export async function writeAudit(db: Sql, at: number, event: AuditEvent): Promise<void> {
  await db.query('INSERT INTO console_audit (at, action, actor, subject, detail, address) VALUES ($1, $2, $3, $4, $5, $6)', [
    at,
    event.action,
    event.actor,
    event.subject ?? null,
    event.detail ?? '',
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
  const rows = await db.query<{ id: number; at: number; action: AuditAction; actor: string | null; subject: string | null; detail: string; address: string | null }>(
    `SELECT id, at, action, actor, subject, detail, address FROM console_audit ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT $${params.length}`,
    params,
  );
  return rows.map((r) => ({ ...r, id: Number(r.id), at: Number(r.at) }));
}

// ---------------------------------------------------------------- changes to the centre's rules

/** A detail is a few lines on the page, not a copy of the rules: longer ones are cut with a count of what was left. */
export const DETAIL_MAX = 600;

export function clipDetail(text: string): string {
  if (text.length <= DETAIL_MAX) return text;
  const cut = text.slice(0, DETAIL_MAX - 40);
  const rest = text.length - cut.length;
  return `${cut}… (${rest} more characters)`;
}

type Leaf = string | number | boolean | null;

function shown(v: unknown): string {
  if (v === undefined || v === null || v === '') return '—';
  if (Array.isArray(v)) {
    if (v.every((x) => x === null || typeof x !== 'object')) return `[${v.map((x) => shown(x)).join(' ')}]`;
    return `${v.length} ${v.length === 1 ? 'entry' : 'entries'}`;
  }
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v as Leaf);
}

function leaves(value: unknown, path: string, into: Map<string, unknown>): void {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) leaves(v, path ? `${path}.${k}` : k, into);
    return;
  }
  into.set(path, value);
}

/**
 * "a.b: before → after" for each field that differs, in the order of the new value; an
 * object's fields by their dotted path, a list of plain values as one field. Only for rules
 * that hold no secret: the caller leaves out what must never be written.
 */
export function changedFields(before: unknown, after: unknown): string[] {
  const was = new Map<string, unknown>();
  const now = new Map<string, unknown>();
  leaves(before, '', was);
  leaves(after, '', now);
  const lines: string[] = [];
  for (const path of new Set([...now.keys(), ...was.keys()])) {
    const a = shown(was.get(path));
    const b = shown(now.get(path));
    if (a !== b) lines.push(`${path || 'value'}: ${a} → ${b}`);
  }
  return lines;
}

/** One sentence of the changed fields, or the given words when nothing changed. */
export function changeSentence(before: unknown, after: unknown, unchanged = 'saved unchanged'): string {
  const lines = changedFields(before, after);
  return clipDetail(lines.length ? lines.join('; ') : unchanged);
}

/** A path segment this long is taken for a key (group bots put theirs in the path: …/hook/<key>). */
const KEY_SEGMENT = 16;

/**
 * A webhook's address as the audit log may keep it: scheme, host, port and path. Whatever
 * could carry a credential (user and password, the query string, the fragment, a path
 * segment long enough to be a key) is left out.
 */
export function webhookAddressForAudit(url: string): string {
  try {
    const u = new URL(url);
    const segments = u.pathname.split('/');
    const path = segments.map((segment) => (segment.length >= KEY_SEGMENT ? '…' : segment)).join('/');
    const hidden = u.username || u.password || u.search || u.hash || path !== u.pathname ? ' (credentials, keys and query left out)' : '';
    return `${u.protocol}//${u.host}${path}${hidden}`;
  } catch {
    return '(an address that does not parse)';
  }
}
