/** The sync status the staff panel shows (SyncStatus in the kiosk contract), and the run history behind it. */
import type { SyncStatus } from '../../shared/contract';
import { unacknowledgedCount } from '../outbox/queue';
import type { Db } from '../store/database';

export function lastSuccessAt(db: Db): number | null {
  return (db.prepare("SELECT max(finished_at) FROM sync_runs WHERE result = 'ok'").pluck().get() as number | null) ?? null;
}

export function beginRun(db: Db, at: number): number {
  return Number(db.prepare('INSERT INTO sync_runs (started_at) VALUES (?)').run(at).lastInsertRowid);
}

export function endRun(db: Db, id: number, at: number, result: 'ok' | 'error', sent: number, detail: string): void {
  db.prepare('UPDATE sync_runs SET finished_at = ?, result = ?, sent = ?, detail = ? WHERE id = ?').run(at, result, sent, detail, id);
}

/** `code` names what `detail` says (a sync error code, or 'sent' …) so a screen can word it in its own language. */
export function idleStatus(
  db: Db,
  enrolled: boolean,
  detail: string | null,
  code: string | null = null,
  fields?: Record<string, string | number>,
): SyncStatus {
  return {
    state: enrolled ? 'idle' : 'disabled',
    pending: unacknowledgedCount(db),
    lastSuccessAt: lastSuccessAt(db),
    progress: null,
    detail,
    ...(code !== null ? { code } : {}),
    ...(fields ? { fields } : {}),
  };
}
