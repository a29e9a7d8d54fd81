/** The admin's alert rules: one row, the defaults until an admin saves theirs. */
import { AlertRules, DEFAULT_ALERT_RULES } from '../../../src/shared/console/live-contract';
import type { Sql } from '../db/sql';

export async function loadAlertRules(db: Sql): Promise<AlertRules> {
  const rows = await db.query<{ body: unknown }>('SELECT body FROM alert_rules WHERE id = 1');
  const parsed = AlertRules.safeParse(rows[0]?.body);
  // A row from an older shape falls back to the defaults rather than stopping the rules.
  return parsed.success ? parsed.data : structuredClone(DEFAULT_ALERT_RULES);
}

export async function saveAlertRules(db: Sql, rules: AlertRules, by: string, at: number): Promise<void> {
  await db.query(
    `INSERT INTO alert_rules (id, body, updated_by, updated_at) VALUES (1, $1::jsonb, $2, $3)
     ON CONFLICT (id) DO UPDATE SET body = excluded.body, updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
    [JSON.stringify(rules), by, at],
  );
}
