/**
 * Schema 10 on a centre that already had webhooks at work: the deliveries waiting before
 * the upgrade stay as they were, waiting, a window alert can be delivered beside
 * them, a delivery names exactly one alert, and a window holds at most one open alert per
 * rule. On PostgreSQL and PGlite, which both run the centre.
 */
import { copyFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CENTRE_MIGRATIONS_DIR, migrateCentre } from '../../server/src/db/migrate';
import { BACKENDS, openTestDatabase } from '../sync/support/backends';
import { tempDir } from '../support/tmp';

describe.each(BACKENDS)('schema 10 (window rules) on %s', (backend) => {
  it('keeps the waiting deliveries and takes window alerts beside them, one open per rule and window', async () => {
    const files = readdirSync(CENTRE_MIGRATIONS_DIR).filter((n) => n.endsWith('.sql')).sort();
    const dir = tempDir();
    for (const f of files.filter((n) => n < '0010')) copyFileSync(join(CENTRE_MIGRATIONS_DIR, f), join(dir, f));
    const database = await openTestDatabase(backend);
    const db = database.db;
    try {
      await db.exec('DROP TABLE IF EXISTS centre_migrations');
      await db.exec('DROP SCHEMA public CASCADE; CREATE SCHEMA public');
      await migrateCentre(db, dir);
      const at = Date.parse('2026-03-10T10:00+08:00');
      await db.query("INSERT INTO webhooks (id, url, secret, created_by, created_at) VALUES (1, 'http://127.0.0.1:9/hook', 'a-long-signing-secret', 'admin', $1)", [at]);
      await db.query("INSERT INTO rule_alerts (id, rule, subject, window_no, detail, raised_at) VALUES (5, 'poor_burst', 'window:7:1', '7', '2 poor ratings at window 7 within 30 minutes', $1)", [at]);
      await db.query("INSERT INTO webhook_deliveries (webhook_id, event, rule_alert_id, body, created_at, next_attempt_at) VALUES (1, 'poor_burst', 5, '{}', $1, $1)", [at]);

      for (const f of files) copyFileSync(join(CENTRE_MIGRATIONS_DIR, f), join(dir, f));
      expect((await migrateCentre(db, dir))[0]).toBe('0010_window_rules.sql');
      expect(await db.query('SELECT event, rule_alert_id, window_alert_id, state FROM webhook_deliveries')).toEqual([
        { event: 'poor_burst', rule_alert_id: 5, window_alert_id: null, state: 'pending' },
      ]);

      const open = (rule: string) =>
        db.query<{ id: number }>("INSERT INTO window_alerts (rule, window_no, detail, started_at) VALUES ($1, '7', 'paused', $2) RETURNING id", [rule, at]);
      const [pause] = await open('long_pause');
      await db.query("INSERT INTO webhook_deliveries (webhook_id, event, window_alert_id, body, created_at, next_attempt_at) VALUES (1, 'long_pause', $1, '{}', $2, $2)", [pause!.id, at]);
      await expect(
        db.query("INSERT INTO webhook_deliveries (webhook_id, event, rule_alert_id, window_alert_id, body, created_at) VALUES (1, 'long_pause', 5, $1, '{}', $2)", [pause!.id, at]),
      ).rejects.toThrow(/webhook_deliveries_one_alert|unique/);
      await expect(db.query("INSERT INTO webhook_deliveries (webhook_id, event, window_alert_id, body, created_at) VALUES (1, 'lunch', $1, '{}', $2)", [pause!.id, at])).rejects.toThrow(
        /webhook_deliveries_event_check/,
      );

      // A second open alert of the same rule at the same window is refused; once the first has ended, a new one starts.
      await expect(open('long_pause')).rejects.toThrow(/window_alerts_one_open/);
      expect(await open('long_case')).toHaveLength(1);
      await db.query('UPDATE window_alerts SET ended_at = $2 WHERE id = $1', [pause!.id, at + 60_000]);
      expect(await open('long_pause')).toHaveLength(1);
    } finally {
      await database.close();
    }
  });
});
