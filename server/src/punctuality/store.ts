/**
 * What the punctuality report reads: the sign-in, sign-out and pause records of a period
 * (by record time, on the partial index of migration 0016), the windows with their hours and
 * departments, the after-hours cases, and the staff list's names. Records carried again
 * into a new epoch appear twice; they are matched by their session and pause ids, once.
 */
import type { Sql } from '../db/sql';
import type { AfterHoursFact, PauseFact, SessionFact, WindowFact } from './report';

const DAY = 86_400_000;

interface RecordRow extends Record<string, unknown> {
  kind: 'session_started' | 'session_ended' | 'pause_started' | 'pause_ended';
  at: string | number;
  window_no: string;
  staff_no: string;
  staff_name: string | null;
  session_id: string | null;
  pause_id: string | null;
  reason: string | null;
}

/**
 * Sessions and pauses that start in [from, until). Their ends are read up to a day past
 * `until`, so a sign-out after midnight still closes the evening's session.
 */
export async function loadAttendance(db: Sql, from: number, until: number, windowNos: readonly string[]): Promise<{ sessions: SessionFact[]; pauses: PauseFact[] }> {
  const rows = await db.query<RecordRow>(
    `SELECT kind, recorded_at AS at, payload->>'windowNo' AS window_no, payload->>'staffNo' AS staff_no, payload->>'staffName' AS staff_name,
            payload->>'sessionId' AS session_id, payload->>'pauseId' AS pause_id, payload->>'reason' AS reason
       FROM records
      WHERE kind IN ('session_started', 'session_ended', 'pause_started', 'pause_ended')
        AND recorded_at >= $1 AND recorded_at < $2
        AND payload->>'windowNo' = ANY($3::text[])
      ORDER BY recorded_at`,
    [from, until + DAY, windowNos],
  );
  const sessions = new Map<string, SessionFact>();
  const sessionEnds = new Map<string, number>();
  const pauses = new Map<string, PauseFact>();
  const pauseEnds = new Map<string, number>();
  for (const r of rows) {
    const at = Number(r.at);
    if (r.kind === 'session_started' && r.session_id && at < until && !sessions.has(r.session_id)) {
      sessions.set(r.session_id, { sessionId: r.session_id, windowNo: r.window_no, staffNo: r.staff_no, staffName: r.staff_name ?? r.staff_no, startedAt: at, endedAt: null });
    } else if (r.kind === 'session_ended' && r.session_id && !sessionEnds.has(r.session_id)) {
      sessionEnds.set(r.session_id, at);
    } else if (r.kind === 'pause_started' && r.pause_id && r.session_id && at < until && !pauses.has(r.pause_id)) {
      pauses.set(r.pause_id, { pauseId: r.pause_id, sessionId: r.session_id, windowNo: r.window_no, staffNo: r.staff_no, reason: r.reason ?? '', startedAt: at, endedAt: null });
    } else if (r.kind === 'pause_ended' && r.pause_id && !pauseEnds.has(r.pause_id)) {
      pauseEnds.set(r.pause_id, at);
    }
  }
  // A sign-out with no sign-in in the period (the session began before it) closes nothing here.
  for (const s of sessions.values()) s.endedAt = sessionEnds.get(s.sessionId) ?? null;
  for (const p of pauses.values()) p.endedAt = pauseEnds.get(p.pauseId) ?? null;
  // A sign-out just before `from` belongs to a session outside the period; only ends inside count as that day's.
  return { sessions: [...sessions.values()], pauses: [...pauses.values()] };
}

/**
 * Every window the centre knows (list, hours, or enrolled terminal), with its department and
 * hours; only `department`'s when given. A window outside the list belongs to no department.
 */
export async function loadWindows(db: Sql, department: string | null): Promise<WindowFact[]> {
  const rows = await db.query<{ window_no: string; department_code: string | null; department_name: string | null; opens_at: (string | null)[] | null; closes_at: (string | null)[] | null }>(
    `SELECT k.window_no, w.department_code, w.department_name, s.opens_at, s.closes_at
       FROM (SELECT window_no FROM windows UNION SELECT window_no FROM window_schedules UNION SELECT window_no FROM terminals) k
       LEFT JOIN windows w USING (window_no)
       LEFT JOIN window_schedules s USING (window_no)
      WHERE $1::text IS NULL OR w.department_code = $1`,
    [department],
  );
  return rows.map((r) => ({
    windowNo: r.window_no,
    departmentCode: r.department_code,
    departmentName: r.department_name,
    hours: r.opens_at && r.closes_at ? { opensAt: r.opens_at, closesAt: r.closes_at, pauseLimitMinutes: null } : null,
  }));
}

/** Cases closed after hours in [from, until), per staff member and window. */
export async function loadAfterHours(db: Sql, from: number, until: number, windowNos: readonly string[]): Promise<AfterHoursFact[]> {
  const rows = await db.query<{ staff_no: string | null; staff_name: string | null; window_no: string; cases: number | string }>(
    `SELECT staff_no, max(staff_name) AS staff_name, window_no, count(*) AS cases
       FROM cases
      WHERE after_hours AND closed_at >= $1 AND closed_at < $2 AND window_no = ANY($3::text[])
      GROUP BY staff_no, window_no`,
    [from, until, windowNos],
  );
  return rows.map((r) => ({ staffNo: r.staff_no ?? '', staffName: r.staff_name, windowNo: r.window_no, cases: Number(r.cases) }));
}

export async function loadStaffNames(db: Sql): Promise<Map<string, string>> {
  const rows = await db.query<{ staff_no: string; name: string }>('SELECT staff_no, name FROM staff');
  return new Map(rows.map((r) => [r.staff_no, r.name]));
}
