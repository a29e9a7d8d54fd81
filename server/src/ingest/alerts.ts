import type { Sql } from '../db/sql';

export type AlertKind = 'altered' | 'relinked' | 'missing' | 'seq_regression' | 'clock_skew' | 'quarantined' | 'terminal_replaced' | 'epoch_closed' | 'epoch_refused';

export interface Alert {
  kind: AlertKind;
  epoch: number;
  seqFrom: number;
  seqTo: number;
  detail: string;
}

/** An alert as stored, for the live news: only the ones this call added. */
export interface StoredAlert {
  id: number;
  kind: AlertKind;
  epoch: number;
  seqFrom: number;
  detectedAt: number;
}

/** Stores alerts once each: a retried upload finds its alerts already there. Returns the new ones. */
export async function storeAlerts(db: Sql, terminalId: string, alerts: Alert[], at: number): Promise<StoredAlert[]> {
  if (alerts.length === 0) return [];
  const rows = await db.query<{ id: number; kind: AlertKind; epoch: number; seq_from: number; detected_at: number }>(
    `INSERT INTO integrity_alerts (terminal_id, epoch, seq_from, seq_to, kind, detail, detected_at)
     SELECT $1, a.epoch, a."seqFrom", a."seqTo", a.kind, a.detail, $2
     FROM jsonb_to_recordset($3::jsonb) AS a(epoch integer, "seqFrom" bigint, "seqTo" bigint, kind text, detail text)
     ON CONFLICT (terminal_id, epoch, seq_from, kind) DO NOTHING
     RETURNING id, kind, epoch, seq_from, detected_at`,
    [terminalId, at, JSON.stringify(alerts)],
  );
  return rows.map((r) => ({ id: Number(r.id), kind: r.kind, epoch: Number(r.epoch), seqFrom: Number(r.seq_from), detectedAt: Number(r.detected_at) }));
}

/** Consecutive records with the same problem become one alert: "records 1/40–1/55 were altered". */
export function mergeAlerts(alerts: Alert[]): Alert[] {
  const out: Alert[] = [];
  for (const a of alerts) {
    const last = out[out.length - 1];
    if (last && last.kind === a.kind && last.epoch === a.epoch && last.seqTo + 1 === a.seqFrom && a.kind !== 'missing') {
      last.seqTo = a.seqTo;
      last.detail = describeRange(a.kind, a.epoch, last.seqFrom, last.seqTo);
    } else out.push({ ...a });
  }
  return out;
}

export function describeRange(kind: AlertKind, epoch: number, from: number, to: number): string {
  const which = from === to ? `record ${epoch}/${from} was` : `records ${epoch}/${from}–${epoch}/${to} were`;
  switch (kind) {
    case 'altered':
      return `${which} altered on the terminal after it was written: its content no longer matches its hash`;
    case 'relinked':
      return `${which} not chained to the record before: a record was replaced or reordered on the terminal`;
    case 'missing':
      return `${which} removed from the terminal before reaching the centre`;
    case 'seq_regression':
      return `${from === to ? `record ${epoch}/${from}` : `records from ${epoch}/${from}`} on the terminal differ from what the centre holds: its database was restored from an older copy, and it continues in a new epoch`;
    case 'clock_skew':
      return 'the terminal clock is off';
    case 'quarantined':
      return `${which} set aside: the reports cannot read ${from === to ? 'it' : 'them'}`;
    case 'terminal_replaced':
      return 'the terminal was enrolled again';
    case 'epoch_closed':
      return `epoch ${epoch} is closed`;
    case 'epoch_refused':
      return `epoch ${epoch} was refused`;
  }
}
