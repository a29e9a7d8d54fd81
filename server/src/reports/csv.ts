/**
 * Ratings as CSV for upward reporting. Column names are the national data standard's where
 * it has the field (projectNo, taskCode, satisfaction, pf, assessTime, …) and descriptive
 * otherwise; settings.export.fieldNames renames any of them. The satisfaction code follows
 * the configured direction (national 1 = 非常满意, provincial 1 = 非常不满意) and the channel
 * code the configured map: both are configuration, never code.
 */
import { LEVEL_LABELS, isRatingLevel, toCode, type CodeDirection } from '../../../src/shared/levels';
import type { ChannelCodeMap, RatingChannel } from '../../../src/shared/channels';
import { csvCell } from '../../../src/shared/csv-cell';
import type { Sql } from '../db/sql';
import { followUpRatingRows } from '../follow-up/rating-export';
import type { CentreSettings } from '../settings';
import { offsetMinutes } from '../settings';
import { rangeMs } from './periods';

export const NATIONAL_FIELD_NAMES = {
  case_no: 'projectNo',
  item_code: 'taskCode',
  item_version: 'taskVersion',
  item_name: 'taskName',
  department_code: 'deptCode',
  department_name: 'deptName',
  area_code: 'areaCode',
  staff_no: 'staffNo',
  staff_name: 'staffName',
  window_no: 'windowNo',
  ticket_no: 'ticketNo',
  channel_code: 'pf',
  satisfaction_code: 'satisfaction',
  level_label: 'satisfactionName',
  reason_codes: 'evaluateDetail',
  comment: 'writingEvaluation',
  rated_at: 'assessTime',
  rating_type: 'assessNumber',
  device_serial: 'deviceSn',
  event_id: 'eventId',
  misuse: 'invalidFlag',
  status: 'evaluateStatus',
  terminal_id: 'terminalId',
  case_id: 'caseId',
  // 一次告知 and 首问负责 (10.1): how the case ended, the materials named, where the citizen was sent, a complaint's summary.
  outcome: 'handleResult',
  missing_materials: 'missingMaterials',
  referral_target: 'referralTarget',
  referral_note: 'referralNote',
  complaint_summary: 'complaintSummary',
} as const;
export type ExportField = keyof typeof NATIONAL_FIELD_NAMES;
const FIELDS = Object.keys(NATIONAL_FIELD_NAMES) as ExportField[];
const PAGE = 5_000;

// Cells a spreadsheet would run as a formula are neutralised (see csv-cell.ts).
function csvLine(values: unknown[]): string {
  return `${values.map(csvCell).join(',')}\r\n`;
}

function localTime(at: unknown, offset: number): string {
  if (at === null || at === undefined) return '';
  return new Date(Number(at) + offset * 60_000).toISOString().slice(0, 19).replace('T', ' ');
}

export function exportHeader(settings: CentreSettings): string {
  return '\uFEFF' + csvLine(FIELDS.map((f) => settings.export.fieldNames[f] ?? NATIONAL_FIELD_NAMES[f]));
}

/** Yields the CSV in pieces: the header, then cases, follow-up ratings and misuse presses page by page. */
export async function* ratingsCsv(db: Sql, settings: CentreSettings, query: { from?: string; to?: string; codes?: CodeDirection }): AsyncGenerator<string> {
  const offset = offsetMinutes(settings.utcOffset);
  const { start, end } = rangeMs(query, offset);
  const direction = query.codes ?? settings.export.satisfactionDirection;
  const channels: ChannelCodeMap = settings.export.channelCodes;
  const line = (row: Record<string, unknown>) => {
    const level = row.level;
    const values: Record<ExportField, unknown> = {
      ...(row as Record<ExportField, unknown>),
      channel_code: row.channel ? channels[row.channel as RatingChannel] : '',
      satisfaction_code: isRatingLevel(level) ? toCode(level, direction) : '',
      level_label: isRatingLevel(level) ? LEVEL_LABELS[level].zh : '',
      reason_codes: Array.isArray(row.reason_codes) ? (row.reason_codes as string[]).join(';') : '',
      missing_materials: Array.isArray(row.missing_materials) ? (row.missing_materials as string[]).join(';') : '',
      referral_target: row.referral_name ?? '',
      rated_at: localTime(row.rated_at, offset),
      rating_type: row.rating_type === 'first' ? 1 : row.rating_type ? 2 : '',
    };
    return csvLine(FIELDS.map((f) => values[f]));
  };
  yield exportHeader(settings);
  const when = 'coalesce(closed_at, rated_at, unrated_at, opened_at)';
  let after = { at: -1, terminal: '', id: '' };
  for (;;) {
    const rows = await db.query<Record<string, unknown>>(
      `SELECT ${when} AS sort_at, terminal_id, case_id, case_no, item_code, item_version, item_name, department_code, department_name, area_code,
         staff_no, staff_name, window_no, ticket_no, channel, level, reason_codes, comment, coalesce(rated_at, unrated_at) AS rated_at, rating_type,
         device_serial, device_event_id AS event_id, 0 AS misuse, status, outcome, missing_materials, referral_name, referral_note, complaint_summary
       FROM cases WHERE ${when} >= $1 AND ${when} < $2 AND status IN ('rated', 'unrated')
         AND (${when}, terminal_id, case_id) > ($3::bigint, $4::text, $5::text)
       ORDER BY ${when}, terminal_id, case_id LIMIT ${PAGE}`,
      [start, end, after.at, after.terminal, after.id],
    );
    for (const r of rows) yield line(r);
    if (rows.length < PAGE) break;
    const last = rows[rows.length - 1]!;
    after = { at: Number(last.sort_at), terminal: String(last.terminal_id), id: String(last.case_id) };
  }
  // Follow-up ratings (追评, assessNumber 2) after the first ratings they follow.
  for await (const r of followUpRatingRows(db, start, end)) yield line(r);
  let afterMisuse = { terminal: '', epoch: 0, seq: 0 };
  for (;;) {
    const rows = await db.query<Record<string, unknown>>(
      `SELECT terminal_id, epoch, seq, payload->>'caseId' AS case_id, payload->>'windowNo' AS window_no, payload->>'areaCode' AS area_code,
         payload->>'channel' AS channel, payload->>'level' AS level, recorded_at AS rated_at, payload->>'deviceSerial' AS device_serial,
         payload->>'eventId' AS event_id, 1 AS misuse, 'misuse:' || (payload->>'cause') AS status
       FROM records WHERE kind = 'misuse' AND payload->>'cause' IS DISTINCT FROM 'repeat_event' AND recorded_at >= $1 AND recorded_at < $2 AND (terminal_id, epoch, seq) > ($3::text, $4::integer, $5::bigint)
       ORDER BY terminal_id, epoch, seq LIMIT ${PAGE}`,
      [start, end, afterMisuse.terminal, afterMisuse.epoch, afterMisuse.seq],
    );
    for (const r of rows) yield line(r);
    if (rows.length < PAGE) break;
    const last = rows[rows.length - 1]!;
    afterMisuse = { terminal: String(last.terminal_id), epoch: Number(last.epoch), seq: Number(last.seq) };
  }
}
