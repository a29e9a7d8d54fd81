/**
 * Reports read cases, not raw records. The projector folds each terminal epoch's records,
 * in seq order up to the high-water mark, into the cases table, and remembers how far it
 * got. The high-water mark only moves in the transaction that stored every record below
 * it, so no record is skipped however uploads interleave. It runs shortly after uploads,
 * and at once before any report. Records flagged 'altered' are not counted.
 */
import type { CentreDb, Sql } from '../db/sql';

const CHUNK = 20_000;
const RANGE = `r.terminal_id = $1 AND r.epoch = $2 AND r.seq > $3 AND r.seq <= $4 AND r.integrity IS DISTINCT FROM 'altered'`;
const CASE_FIELDS = `r.payload->>'caseNo', r.payload->>'ticketNo', r.payload->>'itemCode', r.payload->>'itemVersion', r.payload->>'itemName',
  r.payload->>'departmentCode', r.payload->>'departmentName', r.payload->>'areaCode', r.payload->>'staffNo', r.payload->>'staffName', r.payload->>'windowNo'`;
const CASE_COLUMNS = 'case_no, ticket_no, item_code, item_version, item_name, department_code, department_name, area_code, staff_no, staff_name, window_no';
const KEEP_CASE_FIELDS = CASE_COLUMNS.split(', ').map((c) => `${c} = coalesce(cases.${c}, excluded.${c})`).join(', ');

const STEPS = [
  `INSERT INTO cases (terminal_id, case_id, ${CASE_COLUMNS}, opened_at, status)
   SELECT r.terminal_id, r.payload->>'caseId', ${CASE_FIELDS}, (r.payload->>'openedAt')::bigint, 'open'
   FROM records r WHERE ${RANGE} AND r.kind = 'case_opened'
   ON CONFLICT (terminal_id, case_id) DO UPDATE SET ${KEEP_CASE_FIELDS}, opened_at = excluded.opened_at`,
  `UPDATE cases c SET closed_at = (r.payload->>'at')::bigint, outcome = r.payload->>'outcome', after_hours = (r.payload->>'afterHours')::boolean,
     status = CASE WHEN c.status = 'open' THEN 'awaiting_rating' ELSE c.status END
   FROM records r WHERE ${RANGE} AND r.kind = 'case_closed' AND c.terminal_id = r.terminal_id AND c.case_id = r.payload->>'caseId'`,
  `INSERT INTO cases (terminal_id, case_id, ${CASE_COLUMNS}, status, rating_id, level, channel, device_serial, device_event_id, rated_at, rating_type)
   SELECT r.terminal_id, r.payload->>'caseId', ${CASE_FIELDS}, 'rated', r.payload->>'ratingId', r.payload->>'level', r.payload->>'channel',
     r.payload->>'deviceSerial', (r.payload->>'eventId')::bigint, (r.payload->>'at')::bigint, coalesce(r.payload->>'ratingType', 'first')
   FROM records r WHERE ${RANGE} AND r.kind = 'rating'
   ON CONFLICT (terminal_id, case_id) DO UPDATE SET ${KEEP_CASE_FIELDS}, status = 'rated', rating_id = excluded.rating_id, level = excluded.level,
     channel = excluded.channel, device_serial = excluded.device_serial, device_event_id = excluded.device_event_id,
     rated_at = excluded.rated_at, rating_type = excluded.rating_type`,
  `UPDATE cases c SET status = 'unrated', unrated_at = (r.payload->>'at')::bigint
   FROM records r WHERE ${RANGE} AND r.kind = 'case_unrated' AND c.terminal_id = r.terminal_id AND c.case_id = r.payload->>'caseId' AND c.status <> 'rated'`,
  `UPDATE cases c SET reason_codes = r.payload->'reasonCodes', comment = r.payload->>'comment', callback_phone = r.payload->>'callbackPhone'
   FROM records r WHERE ${RANGE} AND r.kind = 'rating_details' AND c.terminal_id = r.terminal_id AND c.rating_id = r.payload->>'ratingId'`,
];

export class Projector {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private again = false;

  constructor(
    private readonly db: CentreDb,
    private readonly delayMs: number,
  ) {}

  /** After an upload: project a little later, once for many uploads. */
  soon(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.run().catch(() => undefined); // the next run retries; reports run it themselves
    }, this.delayMs);
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
    await this.running?.catch(() => undefined);
  }

  private async catchUp(): Promise<void> {
    for (;;) {
      const behind = await this.db.query<{ terminal_id: string; epoch: number }>(
        'SELECT terminal_id, epoch FROM terminal_epochs WHERE projected_seq < high_water ORDER BY terminal_id, epoch',
      );
      if (behind.length === 0) return;
      for (const e of behind) await this.db.transaction((tx) => projectChunk(tx, e.terminal_id, e.epoch));
    }
  }
}

async function projectChunk(tx: Sql, terminalId: string, epoch: number): Promise<void> {
  const rows = await tx.query<{ projected_seq: number; high_water: number }>(
    'SELECT projected_seq, high_water FROM terminal_epochs WHERE terminal_id = $1 AND epoch = $2 FOR UPDATE',
    [terminalId, epoch],
  );
  const row = rows[0];
  if (!row || row.projected_seq >= row.high_water) return;
  const from = row.projected_seq;
  const to = Math.min(row.high_water, from + CHUNK);
  for (const step of STEPS) await tx.query(step, [terminalId, epoch, from, to]);
  await tx.query('UPDATE terminal_epochs SET projected_seq = $3 WHERE terminal_id = $1 AND epoch = $2', [terminalId, epoch, to]);
}
