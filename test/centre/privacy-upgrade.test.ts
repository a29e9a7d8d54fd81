/**
 * A centre upgraded from a version that kept callback phones in clear: at its first start
 * every phone it holds (in a record's payload, a case, a follow-up record) is sealed, and
 * only the masked form is left to read; the assigned officer's reveal still opens it. The
 * scan is done once.
 */
import { copyFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { buildCentre } from '../../server/src/app';
import { CENTRE_MIGRATIONS_DIR, migrateCentre } from '../../server/src/db/migrate';
import { openPglite } from '../../server/src/db/pglite';
import { phoneVault } from '../../server/src/privacy/vault';
import { tempDir } from '../support/tmp';

const PHONE = '13812345678';

it('seals the phones an earlier version stored in clear, once, at the first start', async () => {
  const files = readdirSync(CENTRE_MIGRATIONS_DIR).filter((n) => n.endsWith('.sql')).sort();
  const dir = tempDir();
  for (const f of files.filter((n) => n < '0006')) copyFileSync(join(CENTRE_MIGRATIONS_DIR, f), join(dir, f));
  const db = await openPglite(undefined);
  try {
    await migrateCentre(db, dir);
    const payload = { kind: 'rating_details', at: Date.UTC(2026, 1, 12, 2), windowNo: '7', areaCode: null, ratingId: 'r-poor', reasonCodes: ['R01'], comment: null, callbackPhone: PHONE };
    await db.query(
      `INSERT INTO records (terminal_id, epoch, seq, kind, recorded_at, payload, prev_hash, hash, received_at, batch_id)
       VALUES ('T-1', 1, 4, 'rating_details', $1, $2::jsonb, $3, $4, $1, 1)`,
      [payload.at, JSON.stringify(payload), '0'.repeat(64), 'f'.repeat(64)],
    );
    await db.query(
      `INSERT INTO cases (terminal_id, case_id, status, rating_id, level, rated_at, window_no, department_code, reason_codes, callback_phone)
       VALUES ('T-1', 'c-1', 'rated', 'r-poor', 'very_dissatisfied', $1, '7', '340104-SJ', '["R01"]', $2)`,
      [payload.at, PHONE],
    );
    for (const f of files) copyFileSync(join(CENTRE_MIGRATIONS_DIR, f), join(dir, f));
    await migrateCentre(db, dir);
    expect(await db.query('SELECT callback_phone FROM follow_ups')).toEqual([{ callback_phone: PHONE }]);

    const centre = buildCentre(db, { adminToken: 'upgrade-test-admin-token-0123456789', logger: false });
    try {
      await centre.privacy.sweep();
      const everything = await db.query<{ t: string }>(
        `SELECT string_agg(t, E'\\n') AS t FROM (
           SELECT row_to_json(r)::text AS t FROM records r UNION ALL SELECT row_to_json(c)::text FROM cases c UNION ALL SELECT row_to_json(f)::text FROM follow_ups f) x`,
      );
      expect(everything[0]!.t.includes(PHONE), 'a phone is still in clear').toBe(false);
      const record = (await db.query<{ phone: string; masked: string; sealed: string }>("SELECT payload->>'callbackPhone' AS phone, phone_masked AS masked, phone_sealed AS sealed FROM records"))[0]!;
      expect(record).toMatchObject({ phone: '138****5678', masked: '138****5678' });
      const followUp = (await db.query<{ callback_phone: string; phone_sealed: string; phone_key: string }>('SELECT callback_phone, phone_sealed, phone_key FROM follow_ups'))[0]!;
      expect(followUp.callback_phone).toBe('138****5678');
      expect(phoneVault().open(followUp.phone_sealed)).toBe(PHONE);
      expect(followUp.phone_key).toBe(phoneVault().lookup(PHONE));
      expect(phoneVault().open(record.sealed)).toBe(PHONE);
      // Done once: the mark stays, so later starts do not scan every record again.
      expect((await db.query('SELECT 1 FROM phone_sealing_done')).length).toBe(1);
    } finally {
      await centre.close();
    }
  } finally {
    await db.close();
  }
});
