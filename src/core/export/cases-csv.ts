/**
 * Cases and their ratings as CSV, with the fields a rating record carries upward (design
 * brief). Levels are exported as the internal word and as the code in the configured
 * direction; the callback phone is never exported from the kiosk.
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { LEVEL_LABELS, isRatingLevel, toCode, type CodeDirection } from '../../shared/levels';
import { DEFAULT_CHANNEL_CODES, type ChannelCodeMap, type RatingChannel } from '../../shared/channels';
import { csvLine } from '../store/csv';
import type { Db } from '../store/database';
import { localIso } from '../time';

export const CASE_CSV_COLUMNS = [
  'case_id', 'case_no', 'item_code', 'item_version', 'item_name', 'department_code', 'department_name', 'area_code',
  'staff_no', 'staff_name', 'window_no', 'ticket_no', 'opened_at', 'closed_at', 'outcome', 'missing_materials', 'after_hours',
  'channel', 'channel_code', 'level', 'level_label', 'satisfaction_code', 'reason_codes', 'comment', 'rated_at', 'rating_type',
  'device_serial', 'event_id', 'misuse', 'misuse_cause', 'status',
] as const;

export interface CaseExportOptions {
  from?: number;
  to?: number;
  utcOffsetMinutes: number;
  direction: CodeDirection;
  channelCodes?: ChannelCodeMap;
}

interface Row {
  [key: string]: string | number | null;
}

export async function exportCasesCsv(db: Db, file: string, options: CaseExportOptions): Promise<{ cases: number; misuse: number }> {
  const from = options.from ?? 0;
  const to = options.to ?? Number.MAX_SAFE_INTEGER;
  const areaCode = db.prepare('SELECT area_code FROM terminal WHERE id = 1').pluck().get() as string | null;
  const out = createWriteStream(file);
  const write = async (line: string) => {
    if (!out.write(line)) await once(out, 'drain');
  };
  const time = (at: unknown) => (typeof at === 'number' ? localIso(at, options.utcOffsetMinutes) : '');
  const codes = options.channelCodes ?? DEFAULT_CHANNEL_CODES;
  const level = (l: unknown) =>
    isRatingLevel(l) ? { level: l, level_label: LEVEL_LABELS[l].zh, satisfaction_code: toCode(l, options.direction) } : {};

  await write('\uFEFF' + csvLine([...CASE_CSV_COLUMNS]));
  let cases = 0;
  const caseRows = db
    .prepare(`SELECT c.*, r.level, r.channel, r.reason_codes, r.comment, r.rated_at, r.device_serial, r.device_event_id
      FROM cases c LEFT JOIN ratings r ON r.case_id = c.id WHERE c.opened_at >= ? AND c.opened_at < ? ORDER BY c.opened_at`)
    .iterate(from, to) as IterableIterator<Row>;
  for (const c of caseRows) {
    const record: Record<string, unknown> = {
      case_id: c.id, case_no: c.case_no, item_code: c.item_code, item_version: c.item_version, item_name: c.item_name,
      department_code: c.department_code, department_name: c.department_name, area_code: areaCode, staff_no: c.staff_no,
      staff_name: c.staff_name, window_no: c.window_no, ticket_no: c.ticket_no, opened_at: time(c.opened_at), closed_at: time(c.closed_at),
      outcome: c.outcome, missing_materials: c.missing_materials ? (JSON.parse(String(c.missing_materials)) as string[]).join('；') : '',
      after_hours: c.after_hours, channel: c.channel, channel_code: c.channel ? codes[c.channel as RatingChannel] : '',
      ...level(c.level), reason_codes: c.reason_codes ? (JSON.parse(String(c.reason_codes)) as string[]).join(';') : '',
      comment: c.comment, rated_at: time(c.rated_at), rating_type: c.level ? 'first' : '', device_serial: c.device_serial,
      event_id: c.device_event_id, misuse: 0, misuse_cause: '', status: c.status,
    };
    await write(csvLine(CASE_CSV_COLUMNS.map((k) => record[k])));
    cases++;
  }
  let misuse = 0;
  // Resends kept by older versions as 'repeat_event' rows are link noise, not misuse (migration 0005).
  const misuseRows = db
    .prepare("SELECT * FROM misuse_presses WHERE pressed_at >= ? AND pressed_at < ? AND cause <> 'repeat_event' ORDER BY pressed_at")
    .iterate(from, to) as IterableIterator<Row>;
  for (const m of misuseRows) {
    const record: Record<string, unknown> = {
      case_id: m.case_id, area_code: areaCode, channel: m.channel, channel_code: codes[m.channel as RatingChannel] ?? '', ...level(m.level),
      rated_at: time(m.pressed_at), device_serial: m.device_serial, event_id: m.device_event_id, misuse: 1, misuse_cause: m.cause, status: 'misuse',
    };
    await write(csvLine(CASE_CSV_COLUMNS.map((k) => record[k])));
    misuse++;
  }
  out.end();
  await once(out, 'finish');
  return { cases, misuse };
}
