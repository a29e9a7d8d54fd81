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
