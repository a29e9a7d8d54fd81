/**
 * The individual ratings behind a ranking row, newest first, from the cases table through
 * a per-dimension index, a page at a time. The `next` cursor is the last row's position,
 * so a page costs the same however deep it is.
 */
import type { Drilldown, DrilldownQuery, RatingLine } from '../../../src/shared/console/contract';
import type { RatingLevel } from '../../../src/shared/levels';
import { maskPhone } from '../../../src/shared/privacy';
import type { Sql } from '../db/sql';
import { Refusal } from '../errors';
import { rangeMs } from '../reports/periods';

const KEY_COLUMN = { staff: 'staff_no', window: 'window_no', department: 'department_code', item: 'item_code' } as const;

type Position = [number, string, string];

function encodeCursor(p: Position): string {
  return Buffer.from(JSON.stringify(p)).toString('base64url');
}

function decodeCursor(text: string): Position {
  try {
    const p = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(p) && p.length === 3 && Number.isSafeInteger(p[0]) && typeof p[1] === 'string' && typeof p[2] === 'string') return p as Position;
  } catch {
    // falls through to the refusal
  }
  throw new Refusal(400, 'invalid-request', 'after: this is not a page position the centre gave out; start again from the first page').because('figures.cursor_invalid');
}

export async function drilldownOf(
  db: Sql,
  query: DrilldownQuery,
  scope: { department: string | null; offsetMinutes: number; revealPhones: boolean },
): Promise<Drilldown> {
  const { start, end } = rangeMs({ from: query.from, to: query.to }, scope.offsetMinutes);
  const params: unknown[] = [query.key, start, end];
  const where = [`status = 'rated'`, `${KEY_COLUMN[query.dimension]} = $1`, 'counted_at >= $2', 'counted_at < $3'];
  const add = (sql: (n: number) => string, value: unknown) => {
    params.push(value);
    where.push(sql(params.length));
  };
  if (scope.department !== null) add((n) => `department_code = $${n}`, scope.department);
  if (query.level) add((n) => `level = $${n}`, query.level);
  if (query.after) {
    const [at, terminalId, caseId] = decodeCursor(query.after);
    params.push(at, terminalId, caseId);
    const n = params.length;
    where.push(`(counted_at, terminal_id, case_id) < ($${n - 2}::bigint, $${n - 1}::text, $${n}::text)`);
  }
  params.push(query.limit + 1);
  const rows = await db.query<{
    terminal_id: string; case_id: string; case_no: string | null; rated_at: number | null; counted_at: number; level: RatingLevel;
    staff_no: string | null; staff_name: string | null; window_no: string | null; item_name: string | null; department_name: string | null;
    reason_codes: unknown; callback_phone: string | null;
  }>(
    `SELECT terminal_id, case_id, case_no, rated_at, counted_at, level, staff_no, staff_name, window_no, item_name, department_name, reason_codes, callback_phone
     FROM cases WHERE ${where.join(' AND ')}
     ORDER BY counted_at DESC, terminal_id DESC, case_id DESC LIMIT $${params.length}`,
    params,
  );
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  return {
    rows: page.map(
      (r): RatingLine => ({
        terminalId: r.terminal_id,
        caseId: r.case_id,
        caseNo: r.case_no,
        ratedAt: r.rated_at ?? r.counted_at,
        level: r.level,
        staffNo: r.staff_no,
        staffName: r.staff_name,
        windowNo: r.window_no,
        itemName: r.item_name,
        departmentName: r.department_name,
        reasonCodes: Array.isArray(r.reason_codes) ? r.reason_codes.map(String) : [],
        callbackPhone: scope.revealPhones && r.callback_phone ? maskPhone(r.callback_phone) : null,
      }),
    ),
    next: rows.length > query.limit && last ? encodeCursor([last.counted_at, last.terminal_id, last.case_id]) : null,
  };
}
