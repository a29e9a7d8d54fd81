/**
 * The follow-up ledger (台账) as CSV, with the ledger's filters, read a thousand rows at a
 * time. The callback phone is always masked here, whoever exports: a file travels further
 * than a screen. Cells a spreadsheet would run as a formula are neutralised (csv-cell.ts).
 */
import { csvCell } from '../../../src/shared/csv-cell';
import type { FollowUpQuery } from '../../../src/shared/console/follow-up-contract';
import { isRatingLevel, LEVEL_LABELS, type RatingLevel } from '../../../src/shared/levels';
import { maskPhone } from '../../../src/shared/privacy';
import type { Sql } from '../db/sql';
import { ledgerWhere, ROW_COLUMNS, rowOf, type FollowUpDbRow, type Today } from './records';

const CHUNK = 1000;

const HEADER = [
  '记录编号', '评价编号', '评价等级', '评价时间', '窗口', '工号', '姓名', '部门编码', '部门', '事项', '原因代码',
  '状态', '核实结论', '回访人员', '办结期限', '剩余工作日', '逾期', '办结时间', '超期办结', '回访电话', '来源', '投诉内容', '追评',
];

/** The latest follow-up rating (追评) of each record in the chunk, by record id. */
async function latestFollowUpRatings(db: Sql, ids: number[]): Promise<Map<number, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db.query<{ follow_up_id: number; level: string }>(
    `SELECT DISTINCT ON (follow_up_id) follow_up_id, detail->>'level' AS level FROM follow_up_trail
     WHERE action = 'rate' AND follow_up_id = ANY ($1::bigint[]) ORDER BY follow_up_id, seq DESC`,
    [ids],
  );
  return new Map(rows.filter((r) => isRatingLevel(r.level)).map((r) => [Number(r.follow_up_id), LEVEL_LABELS[r.level as RatingLevel].zh]));
}

const OPENED_BY = { rating: '差评', hand: '人工', complaint: '窗口投诉' } as const;

function line(values: unknown[]): string {
  return `${values.map(csvCell).join(',')}\r\n`;
}

function localTime(at: number | null, offsetMinutes: number): string {
  return at === null ? '' : new Date(at + offsetMinutes * 60_000).toISOString().slice(0, 16).replace('T', ' ');
}

export async function* followUpCsv(db: Sql, query: Omit<FollowUpQuery, 'limit' | 'after'>, department: string | undefined, today: Today): AsyncGenerator<string> {
  yield '\uFEFF' + line(HEADER);
  const { where, params } = ledgerWhere(query, department, today);
  let after: { ratedAt: number; id: number } | null = null;
  for (;;) {
    const p = [...params];
    let w = where;
    if (after) {
      p.push(after.ratedAt, after.id);
      const cond = `(rated_at, id) < ($${p.length - 1}, $${p.length})`;
      w = w ? `${w} AND ${cond}` : `WHERE ${cond}`;
    }
    const rows = await db.query<FollowUpDbRow>(`SELECT ${ROW_COLUMNS} FROM follow_ups ${w} ORDER BY rated_at DESC, id DESC LIMIT ${CHUNK}`, p);
    const rated = await latestFollowUpRatings(db, rows.map((r) => Number(r.id)));
    for (const r of rows) {
      const row = rowOf(r, today);
      yield line([
        row.id,
        row.ratingId,
        row.level === null ? '' : LEVEL_LABELS[row.level].zh,
        localTime(row.ratedAt, today.offsetMinutes),
        row.windowNo,
        row.staffNo,
        row.staffName,
        row.departmentCode,
        row.departmentName,
        row.itemName,
        row.reasonCodes.join(' '),
        row.state,
        row.finding,
        row.assignee,
        row.deadline,
        row.workingDaysLeft,
        row.overdue ? '是' : '否',
        localTime(row.closedAt, today.offsetMinutes),
        row.closedLate ? '是' : '否',
        r.callback_phone === null ? '' : maskPhone(r.callback_phone),
        OPENED_BY[row.openedBy],
        row.complaintSummary,
        rated.get(row.id) ?? '',
      ]);
    }
    if (rows.length < CHUNK) return;
    const last = rows.at(-1)!;
    after = { ratedAt: Number(last.rated_at), id: Number(last.id) };
  }
}
