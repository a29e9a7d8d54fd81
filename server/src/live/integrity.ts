/**
 * Integrity alerts as live news: what ingest stored (found again by the key it is stored
 * under, since the batch's result carries the alerts but not their row ids), what a refused
 * batch left behind, and what the projector's quarantine raised (storeAlerts returns those).
 */
import type { LiveEvent } from '../../../src/shared/console/live-contract';
import type { Sql } from '../db/sql';
import type { Alert } from '../ingest/alerts';

export type IntegrityEvent = Extract<LiveEvent, { type: 'integrity_alert' }>;

interface AlertRow extends Record<string, unknown> {
  id: number;
  terminal_id: string;
  window_no: string | null;
  kind: string;
  detected_at: number;
}

function eventOf(r: AlertRow): IntegrityEvent {
  return { type: 'integrity_alert', alertId: Number(r.id), terminalId: r.terminal_id, windowNo: r.window_no, kind: r.kind, detectedAt: Number(r.detected_at) };
}

/** The stored rows behind alerts a batch raised, keyed as integrity_alerts is: (terminal, epoch, first seq, kind). */
export async function integrityEventsOf(db: Sql, terminalId: string, alerts: Pick<Alert, 'epoch' | 'seqFrom' | 'kind'>[]): Promise<IntegrityEvent[]> {
  if (alerts.length === 0) return [];
  const keys = alerts.map((a) => ({ epoch: a.epoch, seqFrom: a.seqFrom, kind: a.kind }));
  const rows = await db.query<AlertRow>(
    `SELECT a.id, a.terminal_id, t.window_no, a.kind, a.detected_at
     FROM jsonb_to_recordset($2::jsonb) AS k(epoch integer, "seqFrom" bigint, kind text)
     JOIN integrity_alerts a ON a.terminal_id = $1 AND a.epoch = k.epoch AND a.seq_from = k."seqFrom" AND a.kind = k.kind
     LEFT JOIN terminals t ON t.terminal_id = a.terminal_id
     ORDER BY a.id`,
    [terminalId, JSON.stringify(keys)],
  );
  return rows.map(eventOf);
}

