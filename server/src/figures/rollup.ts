/**
 * The roll-ups behind the console's figures (table `figures`, migration 0004), kept in the
 * projector's transaction: what the touched cases added before a chunk is taken away, what
 * they add after it is put back, and the chunk's misuse presses are added once. A chunk
 * commits with its roll-ups or not at all, so retries, duplicates and replays cannot count a
 * case twice. A case counts on the local day it was closed (see the migration).
 */
import { payloadField } from '../../../src/shared/sync-wire';
import type { Sql } from '../db/sql';
import { loadSettings, offsetMinutes } from '../settings';

export const COUNT_COLUMNS = [
  'cases', 'rated', 'unrated', 'very_satisfied', 'satisfied', 'basically_satisfied', 'dissatisfied', 'very_dissatisfied', 'misuse',
] as const;
const CONTRIBUTION = `day, department_code, department_name, staff_no, staff_name, window_no, item_code, item_name, channel, ${COUNT_COLUMNS.join(', ')}`;

const DELTA_TABLE = `CREATE TEMP TABLE IF NOT EXISTS figure_delta (
  sign integer NOT NULL, day date NOT NULL, department_code text NOT NULL, department_name text, staff_no text, staff_name text,
  window_no text, item_code text, item_name text, channel text, ${COUNT_COLUMNS.map((c) => `${c} integer NOT NULL`).join(', ')}
) ON COMMIT DELETE ROWS`;

/** $1–$4: terminal, epoch, (from, to] seqs, as in the projector. */
const RANGE = `r.terminal_id = $1 AND r.epoch = $2 AND r.seq > $3 AND r.seq <= $4 AND r.integrity IS DISTINCT FROM 'altered' AND r.quarantined IS NULL`;
// Every case-changing kind names its case by the same contract field.
const CASE_ID = `r.payload->>'${payloadField('case_opened', 'caseId')}'`;
const TOUCHED = `(terminal_id, case_id) IN (SELECT r.terminal_id, ${CASE_ID} FROM records r
  WHERE ${RANGE} AND r.kind IN ('case_opened', 'case_closed', 'rating', 'case_unrated'))`;
const caseContribution = (sign: 1 | -1) => `INSERT INTO figure_delta SELECT ${sign}, ${CONTRIBUTION} FROM case_figures WHERE ${TOUCHED}`;

const misuse = (field: 'at' | 'windowNo' | 'channel' | 'caseId' | 'cause') => `r.payload->>'${payloadField('misuse', field)}'`;
// Earlier kiosks sent a keypad's resend as misuse (cause 'repeat_event'): link noise, never counted (migration 0008).
const MISUSE_CONTRIBUTION = `INSERT INTO figure_delta
  SELECT 1, figure_day((${misuse('at')})::bigint, s.utc_offset_minutes), coalesce(c.department_code, w.department_code, ''),
    coalesce(c.department_name, w.department_name), c.staff_no, c.staff_name, ${misuse('windowNo')}, c.item_code, c.item_name, ${misuse('channel')},
    0, 0, 0, 0, 0, 0, 0, 0, 1
  FROM records r JOIN figures_state s ON s.id = 1
  LEFT JOIN cases c ON c.terminal_id = r.terminal_id AND c.case_id = ${misuse('caseId')}
  LEFT JOIN windows w ON w.window_no = ${misuse('windowNo')}
  WHERE ${RANGE} AND r.kind = 'misuse' AND ${misuse('cause')} IS DISTINCT FROM 'repeat_event'`;

const sums = COUNT_COLUMNS.map((c) => `sum(d.sign * d.${c})`).join(', ');
const APPLY_DELTA = `INSERT INTO figures (dimension, grain, bucket, department_code, key, name, ${COUNT_COLUMNS.join(', ')})
  SELECT k.dimension, g.grain, g.bucket, d.department_code, k.key, max(k.name), ${sums}
  FROM figure_delta d
  CROSS JOIN LATERAL (VALUES ('department', d.department_code, d.department_name), ('staff', d.staff_no, d.staff_name),
    ('window', d.window_no, d.window_no), ('item', d.item_code, d.item_name), ('channel', d.channel, d.channel)) k (dimension, key, name)
  CROSS JOIN LATERAL (VALUES ('day', d.day), ('month', date_trunc('month', d.day::timestamp)::date)) g (grain, bucket)
  WHERE k.key IS NOT NULL
  GROUP BY k.dimension, g.grain, g.bucket, d.department_code, k.key
  HAVING ${COUNT_COLUMNS.map((c) => `sum(d.sign * d.${c}) <> 0`).join(' OR ')}
  ON CONFLICT (dimension, grain, bucket, department_code, key) DO UPDATE SET name = coalesce(excluded.name, figures.name),
    ${COUNT_COLUMNS.map((c) => `${c} = figures.${c} + excluded.${c}`).join(', ')}`;

/**
 * Runs the projector's steps for records (from, to] of one terminal epoch with the roll-ups
 * kept in step. Must be called inside the chunk's transaction.
 */
export async function withRollups(tx: Sql, params: readonly unknown[], project: () => Promise<void>): Promise<void> {
  // Holds off a rebuild for an offset change until this chunk has committed.
  await tx.query('SELECT utc_offset_minutes FROM figures_state WHERE id = 1 FOR SHARE');
  await tx.exec(DELTA_TABLE);
  await tx.query(caseContribution(-1), params);
  await project();
  await tx.query(caseContribution(1), params);
  await tx.query(MISUSE_CONTRIBUTION, params);
  await tx.query(APPLY_DELTA);
  await tx.query('DELETE FROM figure_delta');
}

/** When the centre's UTC offset changed since the roll-ups were built, builds them again for the new one. */
export async function rollupsFollowOffset(db: Sql): Promise<void> {
  const wanted = offsetMinutes((await loadSettings(db)).utcOffset);
  const built = (await db.query<{ utc_offset_minutes: number }>('SELECT utc_offset_minutes FROM figures_state WHERE id = 1'))[0];
  if (built?.utc_offset_minutes === wanted) return;
  await db.transaction(async (tx) => {
    const again = (await tx.query<{ utc_offset_minutes: number }>('SELECT utc_offset_minutes FROM figures_state WHERE id = 1 FOR UPDATE'))[0];
    if (again?.utc_offset_minutes === wanted) return;
    await tx.query('SELECT rebuild_figures($1)', [wanted]);
  });
}
