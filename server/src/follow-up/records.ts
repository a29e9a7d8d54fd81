/**
 * Follow-up records as the console reads and moves them: the ledger (台账) with its filters
 * and keyset paging, the counts per department, one record's page with its trail, and the
 * actions, each under a row lock so two people acting at once cannot both move a record.
 * A refused action changes nothing: every check runs before the first write.
 */
import {
  type Finding,
  type FollowUpAction,
  type FollowUpDepartmentCounts,
  type FollowUpPage,
  type FollowUpQuery,
  type FollowUpRatingBody,
  type FollowUpRecord,
  type FollowUpRow,
  type FollowUpState,
  type FollowUpTrailEntry,
} from '../../../src/shared/console/follow-up-contract';
import type { RatingLevel } from '../../../src/shared/levels';
import { maskPhone } from '../../../src/shared/privacy';
import type { Person } from '../accounts/guard';
import { one, type Sql } from '../db/sql';
import { Refusal } from '../errors';
import { phoneVault } from '../privacy/vault';
import { addWorkingDays, localDate, workingDaysLeft, type Calendar } from '../reports/working-days';
import { allowedActions, detailOf, mayRevealPhone, nextState, refusalFor, type RecordFacts } from './machine';
import { FOLLOW_UP_ASSESS_NUMBER, rateRefusal, ratingsFromTrail } from './rating';

/** Today on the centre's calendar: what every deadline is judged against. */
export interface Today {
  date: string;
  /** The next working day after today: a record due then is due tomorrow. */
  nextWorkingDay: string;
  calendar: Calendar;
  offsetMinutes: number;
}

export function todayOf(now: number, offsetMinutes: number, calendar: Calendar): Today {
  const date = localDate(now, offsetMinutes);
  return { date, nextWorkingDay: addWorkingDays(date, 1, calendar), calendar, offsetMinutes };
}

export type FollowUpDbRow = {
  id: number;
  rating_id: string | null;
  terminal_id: string;
  case_id: string;
  case_no: string | null;
  level: RatingLevel | null;
  rated_at: number;
  window_no: string | null;
  staff_no: string | null;
  staff_name: string | null;
  department_code: string | null;
  department_name: string | null;
  item_code: string | null;
  item_name: string | null;
  reason_codes: string[];
  comment: string | null;
  callback_phone: string | null;
  phone_sealed: string | null;
  opened_by: 'rating' | 'hand' | 'complaint';
  complaint_summary: string | null;
  state: FollowUpState;
  finding: Finding | null;
  assignee: string | null;
  deadline: string;
  closed_at: number | null;
};

export const ROW_COLUMNS = `id, rating_id, terminal_id, case_id, case_no, level, rated_at, window_no, staff_no, staff_name, department_code, department_name,
  item_code, item_name, reason_codes, comment, callback_phone, phone_sealed, opened_by, complaint_summary, state, finding, assignee, deadline, closed_at`;

export function rowOf(r: FollowUpDbRow, today: Today): FollowUpRow {
  const closedAt = r.closed_at === null ? null : Number(r.closed_at);
  const judgedOn = closedAt === null ? today.date : localDate(closedAt, today.offsetMinutes);
  return {
    id: Number(r.id),
    ratingId: r.rating_id,
    level: r.level,
    ratedAt: Number(r.rated_at),
    windowNo: r.window_no,
    staffNo: r.staff_no,
    staffName: r.staff_name,
    departmentCode: r.department_code,
    departmentName: r.department_name,
    itemName: r.item_name,
    reasonCodes: r.reason_codes,
    state: r.state,
    finding: r.finding,
    assignee: r.assignee,
    deadline: r.deadline,
    workingDaysLeft: workingDaysLeft(judgedOn, r.deadline, today.calendar),
    overdue: closedAt === null && today.date > r.deadline,
    closedAt,
    closedLate: closedAt !== null && judgedOn > r.deadline,
    openedBy: r.opened_by,
    complaintSummary: r.complaint_summary,
  };
}

/** The WHERE of the ledger and its CSV: `department` is already the caller's scope. */
export function ledgerWhere(query: Omit<FollowUpQuery, 'limit' | 'after'>, department: string | undefined, today: Today): { where: string; params: unknown[] } {
  const where: string[] = [];
  const params: unknown[] = [];
  const add = (sql: (n: string) => string, value: unknown) => {
    params.push(value);
    where.push(sql(`$${params.length}`));
  };
  if (department !== undefined) add((n) => `department_code = ${n}`, department);
  if (query.state === 'open') where.push(`state <> 'closed'`);
  else if (query.state !== undefined) add((n) => `state = ${n}`, query.state);
  if (query.overdue === 'true') add((n) => `state <> 'closed' AND deadline < ${n}`, today.date);
  if (query.overdue === 'false') add((n) => `NOT (state <> 'closed' AND deadline < ${n})`, today.date);
  if (query.assignee !== undefined && query.assignee !== '') add((n) => `lower(assignee) = lower(${n})`, query.assignee);
  if (query.from !== undefined) add((n) => `rated_day >= ${n}`, query.from);
  if (query.to !== undefined) add((n) => `rated_day <= ${n}`, query.to);
  return { where: where.length > 0 ? `WHERE ${where.join(' AND ')}` : '', params };
}

function parseAfter(after: string | undefined): { ratedAt: number; id: number } | null {
  if (after === undefined) return null;
  const m = /^(\d{1,16}):(\d{1,16})$/.exec(after);
  if (!m) throw new Refusal(400, 'invalid-request', 'after: pass the `next` of the previous page unchanged').because('follow_up.page_token_invalid');
  return { ratedAt: Number(m[1]), id: Number(m[2]) };
}

/** Newest rating first; `next` continues after the last row shown. */
export async function ledgerPage(db: Sql, query: FollowUpQuery, department: string | undefined, today: Today): Promise<FollowUpPage> {
  const { where, params } = ledgerWhere(query, department, today);
  const after = parseAfter(query.after);
  const pageParams = [...params];
  let pageWhere = where;
  if (after) {
    pageParams.push(after.ratedAt, after.id);
    const cond = `(rated_at, id) < ($${pageParams.length - 1}, $${pageParams.length})`;
    pageWhere = where ? `${where} AND ${cond}` : `WHERE ${cond}`;
  }
  pageParams.push(query.limit + 1);
  const rows = await db.query<FollowUpDbRow>(`SELECT ${ROW_COLUMNS} FROM follow_ups ${pageWhere} ORDER BY rated_at DESC, id DESC LIMIT $${pageParams.length}`, pageParams);
  const total = (await one<{ n: number }>(db, `SELECT count(*)::integer AS n FROM follow_ups ${where}`, params))!.n;
  const shown = rows.slice(0, query.limit);
  const last = shown.at(-1);
  return { rows: shown.map((r) => rowOf(r, today)), next: rows.length > query.limit && last ? `${Number(last.rated_at)}:${Number(last.id)}` : null, total };
}

export async function departmentCounts(db: Sql, department: string | undefined, today: Today): Promise<FollowUpDepartmentCounts[]> {
  const rows = await db.query<{ department_code: string | null; department_name: string | null; open: number; due_tomorrow: number; overdue: number }>(
    `SELECT department_code, max(department_name) AS department_name,
       count(*)::integer AS open,
       (count(*) FILTER (WHERE deadline = $1))::integer AS due_tomorrow,
       (count(*) FILTER (WHERE deadline < $2))::integer AS overdue
     FROM follow_ups WHERE state <> 'closed' ${department !== undefined ? 'AND department_code = $3' : ''}
     GROUP BY department_code ORDER BY department_code NULLS LAST`,
    department !== undefined ? [today.nextWorkingDay, today.date, department] : [today.nextWorkingDay, today.date],
  );
  return rows.map((r) => ({ departmentCode: r.department_code, departmentName: r.department_name, open: r.open, dueTomorrow: r.due_tomorrow, overdue: r.overdue }));
}

/** Whether the person may see records of this department at all (else: not found). */
export function seesDepartment(person: Person, departmentCode: string | null): boolean {
  if (person.role === 'department' || person.role === 'follow_up') return person.departmentCode !== null && person.departmentCode === departmentCode;
  return person.role === 'admin' || person.role === 'supervisor' || person.role === 'viewer';
}

function notFound(id: number): Refusal {
  return new Refusal(404, 'not-found', `there is no follow-up record ${id} you may see`).because('follow_up.record_not_found', { id });
}

/** The record, locked for the rest of the transaction when `lock` is set; 404 when out of the person's sight. */
export async function loadVisible(db: Sql, person: Person, id: number, lock: boolean): Promise<FollowUpDbRow> {
  const row = await one<FollowUpDbRow>(db, `SELECT ${ROW_COLUMNS} FROM follow_ups WHERE id = $1 ${lock ? 'FOR UPDATE' : ''}`, [id]);
  if (!row || !seesDepartment(person, row.department_code)) throw notFound(id);
  return row;
}

function factsOf(row: FollowUpDbRow): RecordFacts {
  return { state: row.state, finding: row.finding, assignee: row.assignee, departmentCode: row.department_code };
}

export async function recordPage(db: Sql, person: Person, id: number, today: Today): Promise<FollowUpRecord> {
  const row = await loadVisible(db, person, id, false);
  const trail = await db.query<{ seq: number; at: number; by_user: string; action: FollowUpTrailEntry['action']; from_state: FollowUpState | null; to_state: FollowUpState; detail: Record<string, string | number> }>(
    'SELECT seq, at, by_user, action, from_state, to_state, detail FROM follow_up_trail WHERE follow_up_id = $1 ORDER BY seq',
    [id],
  );
  const facts = factsOf(row);
  const lines = trail.map((t) => ({ seq: t.seq, at: Number(t.at), by: t.by_user, action: t.action, from: t.from_state, to: t.to_state, detail: t.detail }));
  return {
    ...rowOf(row, today),
    terminalId: row.terminal_id,
    caseId: row.case_id,
    caseNo: row.case_no,
    itemCode: row.item_code,
    comment: row.comment,
    phoneMasked: row.callback_phone === null ? null : maskPhone(row.callback_phone),
    allowedActions: allowedActions(person, facts),
    mayRevealPhone: mayRevealPhone(person, facts) && row.callback_phone !== null,
    mayRate: row.rating_id !== null && rateRefusal(person, facts, lines) === null,
    followUpRatings: row.rating_id === null ? [] : ratingsFromTrail(lines, row.rating_id),
    trail: lines,
  };
}

async function appendTrail(tx: Sql, entry: { id: number; at: number; by: string; action: FollowUpTrailEntry['action']; from: FollowUpState | null; to: FollowUpState; detail: Record<string, string | number> }): Promise<void> {
  await tx.query(
    `INSERT INTO follow_up_trail (follow_up_id, seq, at, by_user, action, from_state, to_state, detail)
     SELECT $1, coalesce(max(seq), 0) + 1, $2, $3, $4, $5, $6, $7::jsonb FROM follow_up_trail WHERE follow_up_id = $1`,
    [entry.id, entry.at, entry.by, entry.action, entry.from, entry.to, JSON.stringify(entry.detail)],
  );
}

/** An active follow_up officer of the department, by user name (any case), or a refusal saying who could take it. */
async function officerFor(tx: Sql, username: string, departmentCode: string | null): Promise<string> {
  if (departmentCode === null) {
    throw new Refusal(400, 'invalid-assignee', "this record belongs to no department, so no follow-up officer can take it; set the window's department in the lists first").because(
      'follow_up.no_department',
    );
  }
  const user = await one<{ username: string; role: string; department_code: string | null; disabled: boolean }>(
    tx,
    'SELECT username, role, department_code, disabled FROM console_users WHERE lower(username) = lower($1)',
    [username],
  );
  if (!user || user.role !== 'follow_up' || user.department_code !== departmentCode || user.disabled) {
    throw new Refusal(400, 'invalid-assignee', `${username} is not an active follow-up officer of department ${departmentCode}; pick one from the list of officers`).because(
      'follow_up.assignee_invalid',
      { assignee: username, department: departmentCode },
    );
  }
  return user.username;
}

export interface ActionResult {
  id: number;
  state: FollowUpState;
  departmentCode: string | null;
}

/** Takes one action on one record: lock, check who, check state, write the row and the trail. */
export async function act(tx: Sql, person: Person, id: number, action: FollowUpAction, at: number): Promise<ActionResult> {
  const row = await loadVisible(tx, person, id, true);
  const facts = factsOf(row);
  const refused = refusalFor(person, facts, action.action);
  if (refused) throw new Refusal(403, 'forbidden', refused.message).because(refused.reason, refused.fields);
  const step = nextState(facts, action.action);
  if (!step.ok) throw new Refusal(409, 'wrong-state', step.message, { state: row.state }).because(step.reason, step.fields);

  const set: Record<string, unknown> = { state: step.to, updated_at: at };
  switch (action.action) {
    case 'assign':
      set.assignee = await officerFor(tx, action.assignee, row.department_code);
      break;
    case 'call':
      set.call_result = action.result;
      set.called_at = at;
      break;
    case 'verify':
      set.finding = action.finding;
      break;
    case 'rectify':
      set.rectifying_at = at;
      break;
    case 'answer':
    case 'reply':
      set.answered_at = at;
      break;
    case 'close':
      set.closed_at = at;
      break;
    case 'reopen':
      set.closed_at = null;
      break;
  }
  const columns = Object.keys(set);
  await tx.query(`UPDATE follow_ups SET ${columns.map((c, i) => `${c} = $${i + 2}`).join(', ')} WHERE id = $1`, [id, ...columns.map((c) => set[c])]);
  const detail = detailOf(action);
  if (action.action === 'assign') detail.assignee = set.assignee as string;
  await appendTrail(tx, { id, at, by: person.username, action: action.action, from: row.state, to: step.to, detail });
  return { id, state: step.to, departmentCode: row.department_code };
}

/**
 * Records the citizen's follow-up rating (追评) on the record's trail, beside the first rating
 * and never in its place; the state stays. Under the row lock, so two officers' clicks
 * cannot both record one.
 */
export async function rateRecord(tx: Sql, person: Person, id: number, body: FollowUpRatingBody, at: number): Promise<ActionResult> {
  const row = await loadVisible(tx, person, id, true);
  const trail = await tx.query<{ seq: number; at: number; by_user: string; action: FollowUpTrailEntry['action']; detail: Record<string, string | number> }>(
    'SELECT seq, at, by_user, action, detail FROM follow_up_trail WHERE follow_up_id = $1 ORDER BY seq',
    [id],
  );
  const refused = rateRefusal(
    person,
    factsOf(row),
    trail.map((t) => ({ seq: t.seq, at: Number(t.at), by: t.by_user, action: t.action, detail: t.detail })),
  );
  if (refused) throw new Refusal(refused.status, refused.code, refused.message, { state: row.state }).because(refused.reason, refused.fields);
  if (row.rating_id === null) {
    throw new Refusal(409, 'wrong-state', 'this record began with a complaint at the window, not a rating: there is no first rating for a follow-up rating to follow', { state: row.state }).because(
      'follow_up.rate_complaint',
    );
  }
  await tx.query('UPDATE follow_ups SET updated_at = $2 WHERE id = $1', [id, at]);
  await appendTrail(tx, {
    id,
    at,
    by: person.username,
    action: 'rate',
    from: row.state,
    to: row.state,
    detail: { level: body.level, how: body.how, note: body.note, firstRatingId: row.rating_id, assessNumber: FOLLOW_UP_ASSESS_NUMBER },
  });
  return { id, state: row.state, departmentCode: row.department_code };
}

/** The callback phone for the assigned officer, logged with who and when; the trail says only that it was revealed. */
export async function revealPhone(tx: Sql, person: Person, id: number, at: number, address: string | null): Promise<string> {
  const row = await loadVisible(tx, person, id, true);
  const facts = factsOf(row);
  if (!mayRevealPhone(person, facts)) {
    const closed = row.state === 'closed' && person.role === 'follow_up';
    throw new Refusal(
      403,
      'forbidden',
      closed ? 'this record is closed: its phone is no longer revealed' : 'only the follow-up officer this record is assigned to may see the phone number; everyone else sees it masked',
    ).because(closed ? 'follow_up.phone_closed' : 'follow_up.phone_not_yours');
  }
  if (row.callback_phone === null) throw new Refusal(409, 'no-phone', 'the citizen left no phone number for a callback, or it was erased').because('follow_up.no_phone');
  await tx.query('INSERT INTO follow_up_phone_reveals (follow_up_id, by_user, at, address) VALUES ($1, $2, $3, $4)', [id, person.username, at, address]);
  await appendTrail(tx, { id, at, by: person.username, action: 'reveal_phone', from: row.state, to: row.state, detail: { note: 'phone revealed' } });
  // Sealed at rest (privacy/vault.ts); a row an earlier version wrote and not yet sealed holds it in clear.
  return row.phone_sealed !== null ? phoneVault().open(row.phone_sealed) : row.callback_phone;
}

/**
 * Opens a record by hand for a rated case that is not poor (the kiosk asks reasons of poor
 * ratings only, so the opener's reason says why: a letter, a call to the centre).
 */
export async function openByHand(tx: Sql, person: Person, body: { terminalId: string; caseId: string; reason: string }, at: number): Promise<number> {
  const c = await one<{
    rating_id: string | null;
    status: string;
    level: string | null;
    rated_at: number | null;
    department_code: string | null;
    reason_codes: string[] | null;
    comment: string | null;
  }>(
    tx,
    `SELECT c.rating_id, c.status, c.level, c.rated_at, coalesce(c.department_code, w.department_code) AS department_code, c.reason_codes, c.comment
     FROM cases c LEFT JOIN windows w ON w.window_no = c.window_no WHERE c.terminal_id = $1 AND c.case_id = $2`,
    [body.terminalId, body.caseId],
  );
  const canSee = c && (person.role === 'admin' || person.role === 'supervisor' || (person.departmentCode !== null && person.departmentCode === c.department_code));
  if (!c || !canSee) {
    throw new Refusal(404, 'not-found', `there is no case ${body.caseId} of terminal ${body.terminalId} you may see`).because('follow_up.case_not_found', {
      caseId: body.caseId,
      terminalId: body.terminalId,
    });
  }
  if (c.status !== 'rated' || c.rating_id === null || c.rated_at === null) {
    throw new Refusal(409, 'nothing-to-follow-up', 'this case has no rating (yet) to follow up: only rated cases are opened by hand').because('follow_up.case_not_rated');
  }
  const opened = await one<{ id: number }>(
    tx,
    `INSERT INTO follow_ups (rating_id, terminal_id, case_id, case_no, level, rated_at, rated_day, window_no, staff_no, staff_name,
       department_code, department_name, item_code, item_name, reason_codes, comment, callback_phone, phone_sealed, phone_key, opened_by, opened_at, deadline, updated_at)
     SELECT c.rating_id, c.terminal_id, c.case_id, c.case_no, c.level, c.rated_at, to_char(figure_day(c.rated_at, centre_offset_minutes()), 'YYYY-MM-DD'),
       c.window_no, c.staff_no, c.staff_name, coalesce(c.department_code, w.department_code),
       CASE WHEN c.department_code IS NULL THEN w.department_name ELSE c.department_name END,
       c.item_code, c.item_name, coalesce(c.reason_codes, '[]'), c.comment, c.callback_phone, c.phone_sealed, c.phone_key, 'hand', $3, follow_up_deadline(c.rated_at), $3
     FROM cases c LEFT JOIN windows w ON w.window_no = c.window_no WHERE c.terminal_id = $1 AND c.case_id = $2
     ON CONFLICT (rating_id) DO NOTHING RETURNING id`,
    [body.terminalId, body.caseId, at],
  );
  if (!opened) {
    const existing = await one<{ id: number }>(tx, 'SELECT id FROM follow_ups WHERE rating_id = $1', [c.rating_id]);
    throw new Refusal(409, 'already-followed-up', `this rating is already followed up in record ${existing?.id}`, { followUpId: existing ? Number(existing.id) : null }).because(
      'follow_up.already_followed_up',
      existing ? { record: Number(existing.id) } : {},
    );
  }
  const id = Number(opened.id);
  await appendTrail(tx, { id, at, by: person.username, action: 'open', from: null, to: 'new', detail: { reason: body.reason } });
  return id;
}
