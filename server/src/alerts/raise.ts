/**
 * Raising a rule's alert: stored once per (rule, subject), and in the same transaction
 * queued to every enabled webhook that takes it, so an alert is never stored without its
 * deliveries or delivered without being stored. The caller publishes what comes back,
 * after the commit.
 */
import type { RuleAlert, RuleKind } from '../../../src/shared/console/live-contract';
import type { Sql } from '../db/sql';

export interface AlertCandidate {
  rule: RuleKind;
  /** What it is about, unique per rule: 'follow_up:12', 'window:7:1767312000000'. */
  subject: string;
  departmentCode: string | null;
  departmentName: string | null;
  windowNo: string | null;
  followUpId: number | null;
  burstStart?: number | null;
  detail: string;
}

interface RuleAlertRow extends Record<string, unknown> {
  id: number;
  rule: RuleKind;
  department_code: string | null;
  department_name: string | null;
  window_no: string | null;
  follow_up_id: number | null;
  detail: string;
  raised_at: number;
}

export const RULE_ALERT_COLUMNS = 'id, rule, department_code, department_name, window_no, follow_up_id, detail, raised_at';

export function ruleAlertOf(r: RuleAlertRow): RuleAlert {
  return {
    id: Number(r.id),
    rule: r.rule,
    departmentCode: r.department_code,
    departmentName: r.department_name,
    windowNo: r.window_no,
    followUpId: r.follow_up_id === null ? null : Number(r.follow_up_id),
    detail: r.detail,
    raisedAt: Number(r.raised_at),
  };
}

/** Stores the candidates not raised before; returns those it stored, oldest first. */
export async function raiseAlerts(tx: Sql, candidates: AlertCandidate[], at: number): Promise<RuleAlert[]> {
  if (candidates.length === 0) return [];
  const rows = await tx.query<RuleAlertRow>(
    `INSERT INTO rule_alerts (rule, subject, department_code, department_name, window_no, follow_up_id, burst_start, detail, raised_at)
     SELECT c.rule, c.subject, c."departmentCode", c."departmentName", c."windowNo", c."followUpId", c."burstStart", c.detail, $2
     FROM json_to_recordset($1::json) AS c(rule text, subject text, "departmentCode" text, "departmentName" text, "windowNo" text,
       "followUpId" bigint, "burstStart" bigint, detail text)
     ON CONFLICT (rule, subject) DO NOTHING
     RETURNING ${RULE_ALERT_COLUMNS}`,
    [JSON.stringify(candidates.map((c) => ({ ...c, burstStart: c.burstStart ?? null }))), at],
  );
  const alerts = rows.map(ruleAlertOf).sort((a, b) => a.id - b.id);
  await queueDeliveries(tx, 'rule', alerts.map((a) => ({ id: a.id, event: a.rule, body: JSON.stringify(a) })), at);
  return alerts;
}

const ALERT_COLUMN = { rule: 'rule_alert_id', integrity: 'integrity_alert_id', window: 'window_alert_id' } as const;

/** Queues each alert to the enabled webhooks that take its event; a repeat is queued once. */
export async function queueDeliveries(tx: Sql, kind: keyof typeof ALERT_COLUMN, alerts: { id: number; event: string; body: string }[], at: number): Promise<number> {
  if (alerts.length === 0) return 0;
  const column = ALERT_COLUMN[kind];
  const rows = await tx.query(
    `INSERT INTO webhook_deliveries (webhook_id, event, ${column}, body, created_at, next_attempt_at)
     SELECT w.id, a.event, a.id, a.body, $2, $2
     FROM json_to_recordset($1::json) AS a(id bigint, event text, body text)
     JOIN webhooks w ON w.disabled_at IS NULL AND (jsonb_array_length(w.rules) = 0 OR w.rules ? a.event)
     ON CONFLICT DO NOTHING
     RETURNING id`,
    [JSON.stringify(alerts), at],
  );
  return rows.length;
}
