/**
 * Schema 6 on a centre that already holds poor ratings: each opens its follow-up record when
 * the centre is upgraded, counted on the shipped calendar in the centre's local time, with
 * the opening in its trail; better ratings open nothing.
 */
import { copyFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { CENTRE_MIGRATIONS_DIR, migrateCentre } from '../../server/src/db/migrate';
import { openPglite } from '../../server/src/db/pglite';
import { tempDir } from '../support/tmp';

it('opens a follow-up record for every poor rating a centre held before schema 6', async () => {
  const files = readdirSync(CENTRE_MIGRATIONS_DIR).filter((n) => n.endsWith('.sql')).sort();
  const dir = tempDir();
  for (const f of files.filter((n) => n < '0006')) copyFileSync(join(CENTRE_MIGRATIONS_DIR, f), join(dir, f));
  const db = await openPglite(undefined);
  try {
    await migrateCentre(db, dir);
    await db.query(`INSERT INTO settings (id, body) VALUES (1, '{"utcOffset":"+08:00","followUp":{"workingDays":15}}')`);
    const rated = (ratingId: string, level: string, at: string) =>
      db.query(
        `INSERT INTO cases (terminal_id, case_id, status, rating_id, level, rated_at, window_no, department_code, department_name, reason_codes, callback_phone)
         VALUES ('T-1', $1, 'rated', $1, $2, $3, '7', '340104-SJ', '市场监督管理局', '["R01"]', '13812345678')`,
        [ratingId, level, Date.parse(`${at}+08:00`)],
      );
    // Thursday 12 February 2026 at 23:00 in Beijing (15:00 UTC, still the 12th).
    await rated('r-poor', 'very_dissatisfied', '2026-02-12T23:00');
    await rated('r-good', 'satisfied', '2026-02-12T10:00');

    for (const f of files) copyFileSync(join(CENTRE_MIGRATIONS_DIR, f), join(dir, f));
    expect(await migrateCentre(db, dir)).toEqual(files.filter((n) => n >= '0006'));
    const records = await db.query('SELECT rating_id, state, opened_by, rated_day, deadline, department_code, reason_codes, callback_phone FROM follow_ups');
    expect(records).toEqual([
      { rating_id: 'r-poor', state: 'new', opened_by: 'rating', rated_day: '2026-02-12', deadline: '2026-03-11', department_code: '340104-SJ', reason_codes: ['R01'], callback_phone: '13812345678' },
    ]);
    expect(await db.query("SELECT seq, by_user, action, to_state FROM follow_up_trail")).toEqual([{ seq: 1, by_user: 'centre', action: 'open', to_state: 'new' }]);
  } finally {
    await db.close();
  }
});
