/**
 * Schema 8 on a centre that already counted keypad resends as misuse: after the upgrade the
 * department's misuse figure holds only the real misuse press, while the resend records stay
 * as received (their terminal's hash chain covers them).
 */
import { copyFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { CENTRE_MIGRATIONS_DIR, migrateCentre } from '../../server/src/db/migrate';
import { openPglite } from '../../server/src/db/pglite';
import { tempDir } from '../support/tmp';

it('leaves the resends an earlier kiosk sent as misuse out of the figures, and keeps the records', async () => {
  const files = readdirSync(CENTRE_MIGRATIONS_DIR).filter((n) => n.endsWith('.sql')).sort();
  const dir = tempDir();
  for (const f of files.filter((n) => n < '0008')) copyFileSync(join(CENTRE_MIGRATIONS_DIR, f), join(dir, f));
  const db = await openPglite(undefined);
  try {
    await migrateCentre(db, dir);
    const at = Date.parse('2026-03-10T10:00+08:00');
    await db.query("INSERT INTO windows (window_no, department_code, department_name) VALUES ('7', '340104-SJ', '市场监督管理局')");
    await db.query("INSERT INTO terminals (terminal_id, window_no, token_hash, public_key, enrolled_at) VALUES ('T-1', '7', 'h', 'k', $1)", [at]);
    await db.query('INSERT INTO terminal_epochs (terminal_id, epoch, high_water, projected_seq, started_at) VALUES ($1, 1, 3, 3, $2)', ['T-1', at]);
    const misuse = (seq: number, cause: string) =>
      db.query(
        `INSERT INTO records (terminal_id, epoch, seq, kind, recorded_at, payload, prev_hash, hash, received_at, batch_id)
         VALUES ('T-1', 1, $1, 'misuse', $2, $3::jsonb, 'p', $4, $2, 1)`,
        [seq, at, JSON.stringify({ pressId: `p${seq}`, at, cause, level: 'satisfied', rawKey: 2, channel: 'keypad', deviceSerial: 'CRK5-1', eventId: 9, caseId: null, windowNo: '7' }), `h${seq}`],
      );
    await misuse(1, 'second_press');
    await misuse(2, 'repeat_event');
    await misuse(3, 'repeat_event');
    await db.query('SELECT rebuild_figures(480)');
    const departmentMisuse = async () =>
      (await db.query<{ misuse: number }>("SELECT misuse FROM figures WHERE dimension = 'department' AND grain = 'day' AND department_code = '340104-SJ'"))[0]?.misuse;
    // Before: the two resends counted as misuse beside the real second press.
    expect(await departmentMisuse()).toBe(3);

    for (const f of files) copyFileSync(join(CENTRE_MIGRATIONS_DIR, f), join(dir, f));
    expect(await migrateCentre(db, dir)).toEqual(files.filter((n) => n >= '0008'));
    expect(await departmentMisuse()).toBe(1);
    expect(await db.query("SELECT seq FROM records WHERE kind = 'misuse' ORDER BY seq")).toEqual([{ seq: 1 }, { seq: 2 }, { seq: 3 }]);
  } finally {
    await db.close();
  }
});
