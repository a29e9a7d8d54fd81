/**
 * Where the window rules keep their state: the admin's settings (one row), each window's
 * hours (window_schedules, the floor in windows.settings), and the window alerts with when
 * each started and ended. Starting an alert queues it to the webhooks in the same
 * transaction, like the other alerts; at most one alert per (rule, window) is open, so two
 * sweeps, or two API nodes, that find the same condition start it once.
 */
import {
  DEFAULT_WINDOW_RULES,
  EMPTY_WINDOW_SCHEDULE,
  WindowRules,
  type WindowAlert,
  type WindowRuleKind,
  type WindowSchedule,
} from '../../../src/shared/console/hall-contract';
import { queueDeliveries } from '../alerts/raise';
import type { Sql } from '../db/sql';
import type { Condition, WindowHours } from './rules';

export async function loadWindowRules(db: Sql): Promise<WindowRules> {
  const rows = await db.query<{ body: unknown }>('SELECT body FROM window_rules WHERE id = 1');
  const parsed = WindowRules.safeParse(rows[0]?.body);
  // A row of an older shape falls back to the defaults rather than stopping the rules.
  return parsed.success ? parsed.data : structuredClone(DEFAULT_WINDOW_RULES);
}

export async function saveWindowRules(db: Sql, rules: WindowRules, by: string, at: number): Promise<void> {
  await db.query(
    `INSERT INTO window_rules (id, body, updated_by, updated_at) VALUES (1, $1::jsonb, $2, $3)
     ON CONFLICT (id) DO UPDATE SET body = excluded.body, updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
    [JSON.stringify(rules), by, at],
  );
}

/** Whether the centre knows the window: from the window list or an enrolled terminal. */
export async function windowKnown(db: Sql, windowNo: string): Promise<boolean> {
  const rows = await db.query(
    'SELECT 1 FROM windows WHERE window_no = $1 UNION ALL SELECT 1 FROM terminals WHERE window_no = $1 AND revoked_at IS NULL UNION ALL SELECT 1 FROM window_schedules WHERE window_no = $1 LIMIT 1',
    [windowNo],
  );
  return rows.length > 0;
}

/** A window's schedule as the console edits it; a window without hours answers the empty one. */
export async function readWindowSchedule(db: Sql, windowNo: string): Promise<WindowSchedule> {
  const [hours, floor] = await Promise.all([
    db.query<{ opens_at: (string | null)[]; closes_at: (string | null)[]; pause_limit_minutes: number | null }>(
      'SELECT opens_at, closes_at, pause_limit_minutes FROM window_schedules WHERE window_no = $1',
      [windowNo],
    ),
    db.query<{ floor: string | null }>("SELECT settings->>'floor' AS floor FROM windows WHERE window_no = $1", [windowNo]),
  ]);
  const h = hours[0];
  return {
    ...structuredClone(EMPTY_WINDOW_SCHEDULE),
    ...(h ? { opensAt: h.opens_at, closesAt: h.closes_at, pauseLimitMinutes: h.pause_limit_minutes === null ? null : Number(h.pause_limit_minutes) } : {}),
    floor: floor[0]?.floor ?? null,
  };
}

/** Saves a window's hours and floor together; the floor goes where the hall reads it. */
export async function writeWindowSchedule(db: Sql, windowNo: string, schedule: WindowSchedule, by: string, at: number): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.query(
      `INSERT INTO window_schedules (window_no, opens_at, closes_at, pause_limit_minutes, updated_by, updated_at) VALUES ($1, $2::jsonb, $3::jsonb, $4, $5, $6)
       ON CONFLICT (window_no) DO UPDATE SET opens_at = excluded.opens_at, closes_at = excluded.closes_at, pause_limit_minutes = excluded.pause_limit_minutes,
         updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
      [windowNo, JSON.stringify(schedule.opensAt), JSON.stringify(schedule.closesAt), schedule.pauseLimitMinutes, by, at],
    );
    const floor = schedule.floor === null || schedule.floor === '' ? null : schedule.floor;
    await tx.query(
      `INSERT INTO windows (window_no, settings) VALUES ($1, CASE WHEN $2::text IS NULL THEN '{}'::jsonb ELSE jsonb_build_object('floor', $2::text) END)
       ON CONFLICT (window_no) DO UPDATE SET settings = CASE WHEN $2::text IS NULL THEN windows.settings - 'floor' ELSE windows.settings || jsonb_build_object('floor', $2::text) END`,
      [windowNo, floor],
    );
  });
}

/** Every window's hours, for a sweep. */
export async function loadWindowHours(db: Sql): Promise<Map<string, WindowHours>> {
  const rows = await db.query<{ window_no: string; opens_at: (string | null)[]; closes_at: (string | null)[]; pause_limit_minutes: number | null }>(
    'SELECT window_no, opens_at, closes_at, pause_limit_minutes FROM window_schedules ORDER BY window_no',
  );
  return new Map(
    rows.map((r) => [r.window_no, { opensAt: r.opens_at, closesAt: r.closes_at, pauseLimitMinutes: r.pause_limit_minutes === null ? null : Number(r.pause_limit_minutes) }]),
  );
}

const ALERT_COLUMNS = 'id, rule, window_no, department_code, detail, figures, started_at, ended_at';

interface AlertRow extends Record<string, unknown> {
  id: number;
  rule: WindowRuleKind;
  window_no: string;
  department_code: string | null;
  detail: string;
  figures: Record<string, string | number>;
  started_at: number;
  ended_at: number | null;
}

function alertOf(r: AlertRow): WindowAlert {
  return {
    id: Number(r.id),
    rule: r.rule,
    windowNo: r.window_no,
    departmentCode: r.department_code,
    detail: r.detail,
    figures: r.figures,
    startedAt: Number(r.started_at),
    endedAt: r.ended_at === null ? null : Number(r.ended_at),
  };
}

/** The alerts open now, newest first: the hall's ticker (scoped to a department when asked). */
export async function openWindowAlerts(db: Sql, scope: { departmentCode?: string } = {}): Promise<WindowAlert[]> {
  const rows = await db.query<AlertRow>(
    `SELECT ${ALERT_COLUMNS} FROM window_alerts WHERE ended_at IS NULL AND ($1::text IS NULL OR department_code = $1) ORDER BY started_at DESC, id DESC`,
    [scope.departmentCode ?? null],
  );
  return rows.map(alertOf);
}

/** The alert list: open ones only, or the most recent whatever their state. */
export async function listWindowAlerts(db: Sql, q: { open: boolean; departmentCode?: string; limit: number }): Promise<WindowAlert[]> {
  const rows = await db.query<AlertRow>(
    `SELECT ${ALERT_COLUMNS} FROM window_alerts WHERE ($1::boolean IS FALSE OR ended_at IS NULL) AND ($2::text IS NULL OR department_code = $2)
     ORDER BY started_at DESC, id DESC LIMIT $3`,
    [q.open, q.departmentCode ?? null, q.limit],
  );
  return rows.map(alertOf);
}

/** The open alerts of these windows (all windows when none named). */
export async function openAlertsOf(db: Sql, windowNos: readonly string[] | null): Promise<WindowAlert[]> {
  const rows = await db.query<AlertRow>(`SELECT ${ALERT_COLUMNS} FROM window_alerts WHERE ended_at IS NULL AND ($1::text[] IS NULL OR window_no = ANY($1::text[]))`, [windowNos]);
  return rows.map(alertOf);
}

export interface StartCandidate extends Condition {
  windowNo: string;
  departmentCode: string | null;
}

/**
 * Starts the alerts not already open and queues each to the webhooks that take its rule;
 * ends the open ones named. Returns what it started and ended (oldest first), for the
 * caller to publish after the commit.
 */
export async function applyAlertChanges(db: Sql, start: StartCandidate[], endIds: number[], at: number): Promise<{ started: WindowAlert[]; ended: WindowAlert[] }> {
  if (start.length === 0 && endIds.length === 0) return { started: [], ended: [] };
  return db.transaction(async (tx) => {
    const ended =
      endIds.length === 0
        ? []
        : await tx.query<AlertRow>(`UPDATE window_alerts SET ended_at = greatest($2::bigint, started_at) WHERE id = ANY($1::bigint[]) AND ended_at IS NULL RETURNING ${ALERT_COLUMNS}`, [
            endIds,
            at,
          ]);
    const started =
      start.length === 0
        ? []
        : await tx.query<AlertRow>(
            `INSERT INTO window_alerts (rule, window_no, department_code, detail, figures, started_at)
             SELECT c.rule, c."windowNo", c."departmentCode", c.detail, c.figures, $2
             FROM jsonb_to_recordset($1::jsonb) AS c(rule text, "windowNo" text, "departmentCode" text, detail text, figures jsonb)
             ON CONFLICT (rule, window_no) WHERE ended_at IS NULL DO NOTHING
             RETURNING ${ALERT_COLUMNS}`,
            [JSON.stringify(start), at],
          );
    const startedAlerts = started.map(alertOf).sort((a, b) => a.id - b.id);
    await queueDeliveries(tx, 'window', startedAlerts.map((a) => ({ id: a.id, event: a.rule, body: JSON.stringify(a) })), at);
    return { started: startedAlerts, ended: ended.map(alertOf).sort((a, b) => a.id - b.id) };
  });
}
