/**
 * What the punctuality report reads: the sign-in, sign-out and pause records of a period
 * (by record time, on the partial index of migration 0016), the windows with their hours and
 * departments, the after-hours cases, and the staff list's names. Records carried again
 * into a new epoch appear twice; they are matched by their session and pause ids, once.
 */
import type { Sql } from '../db/sql';
import type { AfterHoursFact, PauseFact, SessionFact, WindowFact } from './report';

const DAY = 86_400_000;

interface StartRow extends Record<string, unknown> {
  what: 'session' | 'pause';
  id: string;
  started_at: string | number;
  ended_at: string | number | null;
  window_no: string;
  staff_no: string;
  staff_name: string | null;
  session_id: string | null;
  reason: string | null;
}

/** $1 from, $2 until (starts), $3 until plus a day (ends), $4 the windows or null: exported for the benchmark's EXPLAIN. */
export const ATTENDANCE_SQL = `WITH a AS (
     SELECT kind, recorded_at, payload FROM records
      WHERE kind IN ('session_started', 'session_ended', 'pause_started', 'pause_ended')
        AND recorded_at >= $1 AND recorded_at < $3
        AND ($4::text[] IS NULL OR payload->>'windowNo' = ANY($4::text[]))),
   ends AS (
     SELECT CASE kind WHEN 'session_ended' THEN 'session' ELSE 'pause' END AS what,
            CASE kind WHEN 'session_ended' THEN payload->>'sessionId' ELSE payload->>'pauseId' END AS id, min(recorded_at) AS at
       FROM a WHERE kind IN ('session_ended', 'pause_ended') GROUP BY 1, 2)
   SELECT s.what, s.id, s.recorded_at AS started_at, e.at AS ended_at, s.window_no, s.staff_no, s.staff_name, s.session_id, s.reason
     FROM (SELECT CASE kind WHEN 'session_started' THEN 'session' ELSE 'pause' END AS what,
                  CASE kind WHEN 'session_started' THEN payload->>'sessionId' ELSE payload->>'pauseId' END AS id,
                  recorded_at, payload->>'windowNo' AS window_no, payload->>'staffNo' AS staff_no,
                  CASE kind WHEN 'session_started' THEN payload->>'staffName' END AS staff_name,
                  CASE kind WHEN 'pause_started' THEN payload->>'sessionId' END AS session_id,
                  CASE kind WHEN 'pause_started' THEN payload->>'reason' END AS reason
             FROM a WHERE kind IN ('session_started', 'pause_started') AND recorded_at < $2) s
     LEFT JOIN ends e ON e.what = s.what AND e.id = s.id`;

/**
 * Sessions and pauses that start in [from, until), each with its end paired in the database
 * (one row per session or pause, not per record). Ends are read up to a day past `until`, so
 * a sign-out after midnight still closes the evening's session. `windowNos` null: every
 * window (the report keeps those it knows); a list of nine or more PostgreSQL matches by hash.
 */
export async function loadAttendance(db: Sql, from: number, until: number, windowNos: readonly string[] | null): Promise<{ sessions: SessionFact[]; pauses: PauseFact[] }> {
  const rows = await db.query<StartRow>(ATTENDANCE_SQL, [from, until, until + DAY, windowNos]);
  // A record carried again into a new epoch comes twice: the first of an id counts.
  const sessions = new Map<string, SessionFact>();
  const pauses = new Map<string, PauseFact>();
  for (const r of rows) {
    const startedAt = Number(r.started_at);
    const endedAt = r.ended_at === null ? null : Number(r.ended_at);
    if (r.what === 'session' && !sessions.has(r.id)) {
      sessions.set(r.id, { sessionId: r.id, windowNo: r.window_no, staffNo: r.staff_no, staffName: r.staff_name ?? r.staff_no, startedAt, endedAt });
    } else if (r.what === 'pause' && r.session_id && !pauses.has(r.id)) {
      pauses.set(r.id, { pauseId: r.id, sessionId: r.session_id, windowNo: r.window_no, staffNo: r.staff_no, reason: r.reason ?? '', startedAt, endedAt });
    }
  }
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
export async function loadAfterHours(db: Sql, from: number, until: number, windowNos: readonly string[] | null): Promise<AfterHoursFact[]> {
  const rows = await db.query<{ staff_no: string | null; staff_name: string | null; window_no: string; cases: number | string }>(
    `SELECT staff_no, max(staff_name) AS staff_name, window_no, count(*) AS cases
       FROM cases
      WHERE after_hours AND closed_at >= $1 AND closed_at < $2 AND ($3::text[] IS NULL OR window_no = ANY($3::text[]))
      GROUP BY staff_no, window_no`,
    [from, until, windowNos],
  );
  return rows.map((r) => ({ staffNo: r.staff_no ?? '', staffName: r.staff_name, windowNo: r.window_no, cases: Number(r.cases) }));
}

export async function loadStaffNames(db: Sql): Promise<Map<string, string>> {
  const rows = await db.query<{ staff_no: string; name: string }>('SELECT staff_no, name FROM staff');
  return new Map(rows.map((r) => [r.staff_no, r.name]));
}
