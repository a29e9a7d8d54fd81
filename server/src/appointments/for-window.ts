/**
 * What a window receives of the appointment register with its config: today's appointments
 * booked at it (the centre's today), masked, in the order they come, with the outcome once
 * a case opened from one is finished. A cancelled one is left out (its window's list drops it
 * at the next pull), unless the window had already opened a case from it; a no-show stays, as
 * the citizen may still come late. A window with none gets nothing, so its config and ETag
 * stay as they were.
 */
import type { WindowAppointment } from '../../../src/shared/console/appointments-contract';
import type { Sql } from '../db/sql';
import { listAppointments } from './store';

export async function appointmentsForWindow(db: Sql, windowNo: string, today: string): Promise<WindowAppointment[]> {
  const rows = await listAppointments(db, { day: today, department: undefined, window: windowNo });
  return rows.filter((r) => r.marked !== 'cancelled' || r.case_id !== null).map((r) => ({
    id: String(r.id),
    date: r.agreed_date,
    applicantKind: r.applicant_kind,
    applicantName: r.applicant_name,
    phone: r.phone_masked,
    itemCode: r.item_code,
    itemName: r.item_name,
    agreedTime: r.agreed_time,
    channel: r.channel,
    departmentOpinion: r.department_opinion,
    outcome: r.outcome,
    noShow: r.marked === 'no_show',
  }));
}
