/**
 * Reports read cases, not raw records. The projector folds each terminal epoch's records,
 * in seq order up to the high-water mark, into the cases table, and remembers how far it
 * got. The high-water mark only moves in the transaction that stored every record below
 * it, so no record is skipped however uploads interleave. It runs shortly after uploads,
 * and at once before any report. Records flagged 'altered' are not counted. Payload
 * fields are named through the sync wire contract; a record the SQL still cannot read is
 * quarantined with an alert, so it never stops the records after it. The console's roll-ups
 * change in the same transaction as the cases they count (figures/rollup.ts).
 */
import { redact } from '../../../src/shared/privacy';
import { checkPayload, payloadField, type PayloadOf, type RecordKind } from '../../../src/shared/sync-wire';
import type { CentreDb, Sql } from '../db/sql';
import { rollupsFollowOffset, withRollups } from '../figures/rollup';
import { storeAlerts, type StoredAlert } from '../ingest/alerts';

const CHUNK = 20_000;

/** Every (kind, field) the projection reads, for the test that holds them to the contract. */
export const PROJECTED_FIELDS: { kind: RecordKind; field: string }[] = [];

function fieldsOf<K extends RecordKind>(kind: K) {
  const text = (field: keyof PayloadOf<K> & string) => {
    PROJECTED_FIELDS.push({ kind, field });
    return `r.payload->>'${payloadField(kind, field)}'`;
  };
  const json = (field: keyof PayloadOf<K> & string) => {
    PROJECTED_FIELDS.push({ kind, field });
    return `r.payload->'${payloadField(kind, field)}'`;
  };
  return { text, json };
}

const opened = fieldsOf('case_opened');
const closed = fieldsOf('case_closed');
const rating = fieldsOf('rating');
const unrated = fieldsOf('case_unrated');
const details = fieldsOf('rating_details');
const suggestion = fieldsOf('suggestion');

const RANGE = `r.terminal_id = $1 AND r.epoch = $2 AND r.seq > $3 AND r.seq <= $4 AND r.integrity IS DISTINCT FROM 'altered' AND r.quarantined IS NULL`;
const CASE_KEYS = ['caseNo', 'ticketNo', 'itemCode', 'itemVersion', 'itemName', 'departmentCode', 'departmentName', 'areaCode', 'staffNo', 'staffName', 'windowNo'] as const;
const caseFields = (f: ReturnType<typeof fieldsOf<'case_opened'>> | ReturnType<typeof fieldsOf<'rating'>>) => CASE_KEYS.map((k) => f.text(k)).join(', ');
const CASE_COLUMNS = 'case_no, ticket_no, item_code, item_version, item_name, department_code, department_name, area_code, staff_no, staff_name, window_no';
const KEEP_CASE_FIELDS = CASE_COLUMNS.split(', ').map((c) => `${c} = coalesce(cases.${c}, excluded.${c})`).join(', ');

const STEPS = [
  `INSERT INTO cases (terminal_id, case_id, ${CASE_COLUMNS}, opened_at, status, appointment_id)
   SELECT DISTINCT ON (${opened.text('caseId')}) r.terminal_id, ${opened.text('caseId')}, ${caseFields(opened)}, (${opened.text('openedAt')})::bigint, 'open', ${opened.text('appointmentId')}
   FROM records r WHERE ${RANGE} AND r.kind = 'case_opened'
   -- One row per case: an INSERT may not meet the same case twice (the latest opening wins, as it would a run later).
   ORDER BY ${opened.text('caseId')}, r.seq DESC
   ON CONFLICT (terminal_id, case_id) DO UPDATE SET ${KEEP_CASE_FIELDS}, opened_at = excluded.opened_at, appointment_id = coalesce(excluded.appointment_id, cases.appointment_id)`,
  // Materials, referral and complaint as the window wrote them (sync wire revision 3); null when the record has none.
  `UPDATE cases c SET closed_at = (${closed.text('at')})::bigint, outcome = ${closed.text('outcome')}, after_hours = (${closed.text('afterHours')})::boolean,
     missing_materials = ${closed.json('missingMaterials')}, referral_code = ${closed.json('referral')}->>'code', referral_name = ${closed.json('referral')}->>'name',
     referral_kind = ${closed.json('referral')}->>'kind', referral_note = ${closed.text('referralNote')}, complaint_summary = ${closed.text('complaintSummary')},
     status = CASE WHEN c.status = 'open' THEN 'awaiting_rating' ELSE c.status END
   FROM records r WHERE ${RANGE} AND r.kind = 'case_closed' AND c.terminal_id = r.terminal_id AND c.case_id = ${closed.text('caseId')}`,
  // 预约服务: the appointment a case was opened from takes the case, and its outcome once finished (sync wire revision 4).
  `UPDATE appointments a SET terminal_id = c.terminal_id, case_id = c.case_id, outcome = c.outcome, served_at = c.closed_at
   FROM records r JOIN cases c ON c.terminal_id = r.terminal_id AND c.case_id = ${closed.text('caseId')}
   WHERE ${RANGE} AND r.kind IN ('case_opened', 'case_closed') AND c.appointment_id IS NOT NULL AND a.id::text = c.appointment_id`,
  `INSERT INTO cases (terminal_id, case_id, ${CASE_COLUMNS}, status, rating_id, level, channel, device_serial, device_event_id, rated_at, rating_type)
   SELECT DISTINCT ON (${rating.text('caseId')}) r.terminal_id, ${rating.text('caseId')}, ${caseFields(rating)}, 'rated', ${rating.text('ratingId')}, ${rating.text('level')}, ${rating.text('channel')},
     ${rating.text('deviceSerial')}, (${rating.text('eventId')})::bigint, (${rating.text('at')})::bigint, coalesce(${rating.text('ratingType')}, 'first')
   FROM records r WHERE ${RANGE} AND r.kind = 'rating'
   -- One row per case, its first rating before any follow-up rating, else the latest.
   ORDER BY ${rating.text('caseId')}, coalesce(${rating.text('ratingType')}, 'first') = 'first' DESC, r.seq DESC
   ON CONFLICT (terminal_id, case_id) DO UPDATE SET ${KEEP_CASE_FIELDS}, status = 'rated', rating_id = excluded.rating_id, level = excluded.level,
     channel = excluded.channel, device_serial = excluded.device_serial, device_event_id = excluded.device_event_id,
     rated_at = excluded.rated_at, rating_type = excluded.rating_type
   -- A follow-up rating (追评) never takes the place of the case's first rating.
   WHERE excluded.rating_type = 'first' OR cases.rating_id IS NULL OR cases.rating_type <> 'first'`,
  `UPDATE cases c SET status = 'unrated', unrated_at = (${unrated.text('at')})::bigint
   FROM records r WHERE ${RANGE} AND r.kind = 'case_unrated' AND c.terminal_id = r.terminal_id AND c.case_id = ${unrated.text('caseId')} AND c.status <> 'rated'`,
  // The phone as ingest sealed it (privacy/seal.ts): masked for display, sealed and hashed beside it.
  `UPDATE cases c SET reason_codes = ${details.json('reasonCodes')}, comment = ${details.text('comment')},
     callback_phone = coalesce(r.phone_masked, ${details.text('callbackPhone')}), phone_sealed = r.phone_sealed, phone_key = r.phone_key
   FROM records r WHERE ${RANGE} AND r.kind = 'rating_details' AND c.terminal_id = r.terminal_id AND c.rating_id = ${details.text('ratingId')}`,
  // 意见簿: one row per suggestion however often its record is projected; the phone as ingest sealed it (sync wire revision 4).
  `INSERT INTO suggestions (source, source_key, terminal_id, window_no, area_code, categories, body, phone_masked, phone_sealed, phone_key, left_at)
   SELECT 'kiosk', 'kiosk:' || r.terminal_id || ':' || (${suggestion.text('suggestionId')}), r.terminal_id, ${suggestion.text('windowNo')}, ${suggestion.text('areaCode')},
     ${suggestion.json('categories')}, ${suggestion.text('text')}, r.phone_masked, r.phone_sealed, r.phone_key, (${suggestion.text('at')})::bigint
   FROM records r WHERE ${RANGE} AND r.kind = 'suggestion'
   ON CONFLICT (source_key) DO NOTHING`,
];

export type QuarantineAlerts = (terminalId: string, alerts: StoredAlert[]) => void;

export class Projector {
  private timer: NodeJS.Timeout | null = null;
  private waitingSince: number | null = null;
  private running: Promise<void> | null = null;
  private again = false;

  constructor(
    private readonly db: CentreDb,
    private readonly delayMs: number,
    /** Told of each quarantine's alert once stored, for the live news. */
    private readonly onAlerts: QuarantineAlerts = () => undefined,
  ) {}

  /**
   * After an upload: project once the uploads pause for `delayMs`, or at the latest ten times
   * that after the first one waiting, so a burst (the nightly sync of every window) is stored
   * first and folded in at once, and the figures never lag far behind.
   */
  soon(): void {
    const now = Date.now();
    this.waitingSince ??= now;
    if (this.timer) clearTimeout(this.timer);
    const at = Math.min(now + this.delayMs, this.waitingSince + this.delayMs * 10);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.waitingSince = null;
      this.run().catch(() => undefined); // the next run retries; reports run it themselves
    }, at - now);
    this.timer.unref();
  }

  /** Brings the cases table up to every held record. */
  run(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      try {
        do {
          this.again = false;
          await rollupsFollowOffset(this.db);
          await this.catchUp();
        } while (this.again);
      } finally {
        this.running = null;
      }
    })();
    return this.running;
  }

  async stop(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.waitingSince = null;
    await this.running?.catch(() => undefined);
  }

  private async catchUp(): Promise<void> {
    for (;;) {
      const behind = await this.db.query<{ terminal_id: string; epoch: number }>(
        'SELECT terminal_id, epoch FROM terminal_epochs WHERE projected_seq < high_water ORDER BY terminal_id, epoch',
      );
      if (behind.length === 0) return;
      for (const e of behind) await projectNext(this.db, e.terminal_id, e.epoch, this.onAlerts);
    }
  }
}

/**
 * The next chunk: up to CHUNK records, however far apart their seqs are (a declared gap of
 * a billion seqs costs one query, not a walk through it).
 */
async function projectNext(db: CentreDb, terminalId: string, epoch: number, onAlerts: QuarantineAlerts): Promise<void> {
  const rows = await db.query<{ projected_seq: number; high_water: number; chunk_end: number | null }>(
    `SELECT projected_seq, high_water,
       (SELECT seq FROM records WHERE terminal_id = $1 AND epoch = $2 AND seq > e.projected_seq ORDER BY seq OFFSET ${CHUNK - 1} LIMIT 1) AS chunk_end
     FROM terminal_epochs e WHERE terminal_id = $1 AND epoch = $2`,
    [terminalId, epoch],
  );
  const row = rows[0];
  if (!row || row.projected_seq >= row.high_water) return;
  await projectRange(db, terminalId, epoch, row.projected_seq, Math.min(row.high_water, row.chunk_end ?? row.high_water), onAlerts);
}

/** Projects (from, to]; when the SQL fails on a record, halves the range until that record is found and quarantined. */
async function projectRange(db: CentreDb, terminalId: string, epoch: number, from: number, to: number, onAlerts: QuarantineAlerts): Promise<void> {
  try {
    await db.transaction((tx) => projectInTransaction(tx, terminalId, epoch, from, to));
    return;
  } catch (err) {
    if (!isDataError(err)) throw err;
    const inside = await db.query<{ seq: number }>(
      'SELECT seq FROM records WHERE terminal_id = $1 AND epoch = $2 AND seq > $3 AND seq <= $4 AND quarantined IS NULL ORDER BY seq LIMIT 2',
      [terminalId, epoch, from, to],
    );
    if (inside.length === 2) {
      const middle = await db.query<{ seq: number }>(
        `SELECT seq FROM records WHERE terminal_id = $1 AND epoch = $2 AND seq > $3 AND seq <= $4 AND quarantined IS NULL ORDER BY seq
         OFFSET (SELECT count(*) / 2 FROM records WHERE terminal_id = $1 AND epoch = $2 AND seq > $3 AND seq <= $4 AND quarantined IS NULL) - 1 LIMIT 1`,
        [terminalId, epoch, from, to],
      );
      const mid = Math.max(middle[0]?.seq ?? inside[0]!.seq, inside[0]!.seq);
      await projectRange(db, terminalId, epoch, from, mid, onAlerts);
      await projectRange(db, terminalId, epoch, mid, to, onAlerts);
      return;
    }
    if (inside.length === 0) throw err;
    onAlerts(terminalId, await quarantine(db, terminalId, epoch, inside[0]!.seq, err));
    await projectRange(db, terminalId, epoch, from, to, onAlerts);
  }
}

async function projectInTransaction(tx: Sql, terminalId: string, epoch: number, from: number, to: number): Promise<void> {
  const rows = await tx.query<{ projected_seq: number }>('SELECT projected_seq FROM terminal_epochs WHERE terminal_id = $1 AND epoch = $2 FOR UPDATE', [terminalId, epoch]);
  // Another projector (another API node) got here first.
  if (rows[0]?.projected_seq !== from) return;
  const range = [terminalId, epoch, from, to];
  await withRollups(tx, range, async () => {
    for (const step of STEPS) await tx.query(step, range);
  });
  await tx.query('UPDATE terminal_epochs SET projected_seq = $3 WHERE terminal_id = $1 AND epoch = $2', [terminalId, epoch, to]);
}

/** Data exceptions (class 22) and constraint violations (class 23) are the record's fault; anything else is the database's. */
function isDataError(err: unknown): boolean {
  const code = (err as { code?: unknown }).code;
  return typeof code === 'string' && (code.startsWith('22') || code.startsWith('23'));
}

async function quarantine(db: CentreDb, terminalId: string, epoch: number, seq: number, err: unknown): Promise<StoredAlert[]> {
  const row = (await db.query<{ kind: string; payload: string }>('SELECT kind, payload::text AS payload FROM records WHERE terminal_id = $1 AND epoch = $2 AND seq = $3', [terminalId, epoch, seq]))[0];
  const checked = row ? checkPayload(row.kind, row.payload) : null;
  const reason = checked && !checked.ok ? checked.problem : `the reports cannot read it (${redact(err instanceof Error ? err.message : String(err)).slice(0, 200)})`;
  await db.query('UPDATE records SET quarantined = $4 WHERE terminal_id = $1 AND epoch = $2 AND seq = $3', [terminalId, epoch, seq, reason]);
  return storeAlerts(db, terminalId, [{ kind: 'quarantined', epoch, seqFrom: seq, seqTo: seq, detail: `record ${epoch}/${seq} (${row?.kind ?? 'unknown'}) was set aside and left out of the reports: ${reason}` }], Date.now());
}
