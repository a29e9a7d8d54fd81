/**
 * The appointment register at the centre (预约服务, 10.4 and annex C): rows read by day,
 * department and window, a new appointment with its phone sealed, the department's opinion,
 * and the outcome written back from the case opened from it (reports/project.ts).
 */
import type { AppointmentChoices, AppointmentMarkBody, AppointmentRow, NewAppointmentBody } from '../../../src/shared/console/appointments-contract';
import type { Sql } from '../db/sql';
import { Refusal } from '../errors';
import { phoneVault } from '../privacy/vault';

export interface AppointmentDbRow {
  id: number | string;
  applicant_kind: AppointmentRow['applicantKind'];
  applicant_name: string;
  phone_masked: string | null;
  item_code: string;
  item_name: string;
  department_code: string | null;
  department_name: string | null;
  window_no: string;
  taken_by: string;
  taken_by_name: string;
  registered_at: number | string;
  agreed_date: string;
  agreed_time: string;
  channel: AppointmentRow['channel'];
  department_opinion: string | null;
  outcome: AppointmentRow['outcome'];
  case_id: string | null;
  served_at: number | string | null;
  marked: AppointmentMarkBody['mark'] | null;
  cancel_reason: AppointmentMarkBody['reason'] | null;
  mark_note: string | null;
  marked_by: string | null;
  marked_by_name: string | null;
  marked_at: number | string | null;
  [key: string]: unknown;
}

export const ROW_COLUMNS = `id, applicant_kind, applicant_name, phone_masked, item_code, item_name, department_code, department_name, window_no,
  taken_by, taken_by_name, registered_at, to_char(agreed_date, 'YYYY-MM-DD') AS agreed_date, agreed_time, channel, department_opinion,
  outcome, case_id, served_at, marked, cancel_reason, mark_note, marked_by, marked_by_name, marked_at`;

/** A row as the console sees it; `showPhone` false (viewers) leaves the phone out even masked. */
export function rowOf(r: AppointmentDbRow, showPhone: boolean): AppointmentRow {
  return {
    id: Number(r.id),
    applicantKind: r.applicant_kind,
    applicantName: r.applicant_name,
    phone: showPhone ? r.phone_masked : null,
    itemCode: r.item_code,
    itemName: r.item_name,
    departmentCode: r.department_code,
    departmentName: r.department_name,
    windowNo: r.window_no,
    takenBy: r.taken_by,
    takenByName: r.taken_by_name,
    registeredAt: Number(r.registered_at),
    agreedDate: r.agreed_date,
    agreedTime: r.agreed_time,
    channel: r.channel,
    departmentOpinion: r.department_opinion,
    outcome: r.outcome,
    caseId: r.case_id,
    servedAt: r.served_at === null ? null : Number(r.served_at),
    mark:
      r.marked === null
        ? null
        : { kind: r.marked, reason: r.cancel_reason ?? null, note: r.mark_note, by: r.marked_by ?? '', byName: r.marked_by_name ?? '', at: Number(r.marked_at) },
  };
}

export interface RegisterFilter {
  day: string;
  department: string | undefined;
  window: string | undefined;
}

export function registerWhere(f: RegisterFilter): { where: string; params: unknown[] } {
  const params: unknown[] = [f.day];
  const conds = ['agreed_date = $1::date'];
  if (f.department !== undefined) {
    params.push(f.department);
    conds.push(`department_code = $${params.length}`);
  }
  if (f.window !== undefined) {
    params.push(f.window);
    conds.push(`window_no = $${params.length}`);
  }
  return { where: `WHERE ${conds.join(' AND ')}`, params };
}

/** The day's register, in the order the citizens come. */
export async function listAppointments(db: Sql, f: RegisterFilter): Promise<AppointmentDbRow[]> {
  const { where, params } = registerWhere(f);
  return db.query<AppointmentDbRow>(`SELECT ${ROW_COLUMNS} FROM appointments ${where} ORDER BY agreed_time, id`, params);
}

export async function loadAppointment(db: Sql, id: number): Promise<AppointmentDbRow | undefined> {
  const [row] = await db.query<AppointmentDbRow>(`SELECT ${ROW_COLUMNS} FROM appointments WHERE id = $1`, [id]);
  return row;
}

/** The items and windows a person may book: a department user's own, everyone else's all. */
export async function choicesFor(db: Sql, department: string | undefined, today: string): Promise<AppointmentChoices> {
  const params = department === undefined ? [] : [department];
  const mine = department === undefined ? '' : 'AND department_code = $1';
  const items = await db.query<{ item_code: string; name: string; department_code: string | null; department_name: string | null }>(
    `SELECT DISTINCT ON (item_code) item_code, name, department_code, department_name FROM service_items WHERE active ${mine} ORDER BY item_code, item_version DESC`,
    params,
  );
  const windows = await db.query<{ window_no: string; department_code: string | null; department_name: string | null }>(
    `SELECT window_no, department_code, department_name FROM windows WHERE true ${mine} ORDER BY length(window_no), window_no`,
    params,
  );
  return {
    items: items.map((i) => ({ itemCode: i.item_code, name: i.name, departmentCode: i.department_code, departmentName: i.department_name })),
    windows: windows.map((w) => ({ windowNo: w.window_no, departmentCode: w.department_code, departmentName: w.department_name })),
    today,
  };
}

export interface Taker {
  username: string;
  displayName: string;
}

/**
 * Registers an appointment. The item and window must be on the centre's lists; the department
 * is the item's (else the window's). `mayBook` says whether the caller may book for that department.
 */
export async function createAppointment(
  db: Sql,
  body: NewAppointmentBody,
  taker: Taker,
  at: number,
  today: string,
  mayBook: (departmentCode: string | null) => void,
): Promise<AppointmentDbRow> {
  if (body.agreedDate < today) {
    throw new Refusal(400, 'invalid-request', `agreedDate: ${body.agreedDate} is already past (today is ${today}); choose today or a later day`).because('appointments.date_past', {
      date: body.agreedDate,
      today,
    });
  }
  const [item] = await db.query<{ name: string; department_code: string | null; department_name: string | null }>(
    'SELECT name, department_code, department_name FROM service_items WHERE item_code = $1 AND active ORDER BY item_version DESC LIMIT 1',
    [body.itemCode],
  );
  if (!item) throw new Refusal(400, 'invalid-request', `itemCode: no service item ${body.itemCode} is on the centre’s list; choose one from the list`).because('appointments.item_unknown', { item: body.itemCode });
  const [window] = await db.query<{ department_code: string | null; department_name: string | null }>('SELECT department_code, department_name FROM windows WHERE window_no = $1', [
    body.windowNo,
  ]);
  if (!window) throw new Refusal(400, 'invalid-request', `windowNo: window ${body.windowNo} is not set up at the centre; choose one from the list`).because('appointments.window_unknown', { window: body.windowNo });
  const departmentCode = item.department_code ?? window.department_code;
  const departmentName = item.department_code !== null ? item.department_name : window.department_name;
  mayBook(departmentCode);
  const phone = phoneVault().seal(body.phone);
  const [row] = await db.query<{ id: number }>(
    `INSERT INTO appointments (applicant_kind, applicant_name, phone_masked, phone_sealed, phone_key, item_code, item_name, department_code, department_name,
       window_no, taken_by, taken_by_name, registered_at, agreed_date, agreed_time, channel, department_opinion, opinion_by, opinion_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14::date, $15, $16, $17, $18, $19) RETURNING id`,
    [
      body.applicantKind, body.applicantName, phone.masked, phone.sealed, phone.key, body.itemCode, item.name, departmentCode, departmentName,
      body.windowNo, taker.username, taker.displayName, at, body.agreedDate, body.agreedTime, body.channel,
      body.departmentOpinion ?? null, body.departmentOpinion === undefined ? null : taker.username, body.departmentOpinion === undefined ? null : at,
    ],
  );
  return (await loadAppointment(db, Number(row!.id)))!;
}

export async function setOpinion(db: Sql, id: number, opinion: string, by: string, at: number): Promise<void> {
  await db.query('UPDATE appointments SET department_opinion = $2, opinion_by = $3, opinion_at = $4 WHERE id = $1', [id, opinion, by, at]);
}

/** The instant the agreed day and time begin at the centre (offset in minutes east of UTC). */
export function agreedInstant(agreedDate: string, agreedTime: string, offsetMinutes: number): number {
  return Date.parse(`${agreedDate}T${agreedTime}:00Z`) - offsetMinutes * 60_000;
}

const MARK_WORDS = { cancelled: 'cancelled', no_show: 'marked no-show' } as const;

/**
 * Marks an appointment cancelled or no-show by hand. Refused with a sentence: one a case was
 * already opened from (served), one already marked, and a no-show before the agreed time.
 * The update is conditional, so a case linked or a mark made meanwhile is never overwritten.
 */
export async function markAppointment(
  db: Sql,
  found: AppointmentDbRow,
  body: AppointmentMarkBody,
  by: Taker,
  now: number,
  offsetMinutes: number,
): Promise<AppointmentDbRow> {
  const id = Number(found.id);
  const refuseIfSettled = (row: AppointmentDbRow) => {
    if (row.case_id !== null) {
      throw new Refusal(409, 'wrong-state', `appointment ${id} was already served at window ${row.window_no} (a case was opened from it), so it cannot be ${MARK_WORDS[body.mark]}`).because('appointments.already_served', {
        id,
        window: row.window_no,
        mark: body.mark,
      });
    }
    if (row.marked !== null) {
      throw new Refusal(
        409,
        'wrong-state',
        `appointment ${id} was already ${MARK_WORDS[row.marked]} by ${row.marked_by_name ?? row.marked_by ?? 'someone'}; reload the register to see it`,
      ).because('appointments.already_marked', { id, marked: row.marked, by: row.marked_by_name ?? row.marked_by ?? '' });
    }
  };
  refuseIfSettled(found);
  if (body.mark === 'no_show' && now < agreedInstant(found.agreed_date, found.agreed_time, offsetMinutes)) {
    throw new Refusal(
      400,
      'invalid-request',
      `appointment ${id} is agreed for ${found.agreed_date} ${found.agreed_time}: a citizen can be marked as not come only once that time has passed`,
    ).because('appointments.too_early_for_no_show', { id, date: found.agreed_date, time: found.agreed_time });
  }
  const cancelled = body.mark === 'cancelled';
  const updated = await db.query<{ id: number }>(
    `UPDATE appointments SET marked = $2, cancel_reason = $3, mark_note = $4, marked_by = $5, marked_by_name = $6, marked_at = $7
     WHERE id = $1 AND case_id IS NULL AND marked IS NULL RETURNING id`,
    [id, body.mark, cancelled ? (body.reason ?? null) : null, cancelled ? (body.note ?? null) : null, by.username, by.displayName, now],
  );
  const row = (await loadAppointment(db, id))!;
  if (updated.length === 0) refuseIfSettled(row);
  return row;
}
