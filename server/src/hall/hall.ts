/**
 * The hall as one answer (hall-contract.ts Hall): every window of the list with its latest
 * status, whether it is stale, the centre's figures today from the windows' own counts, and
 * the live alerts of the window rules. The console serves it to signed-in people and the
 * wall serves the same answer under its wall token, so both call buildHall.
 */
import type { Hall, LiveWindow, WindowAlert } from '../../../src/shared/console/hall-contract';
import type { Sql } from '../db/sql';
import { WINDOWS_META, type HallState } from './state';
import { byWindowNumber } from './order';

export interface HallScope {
  /** Only this department's windows; undefined: every window. */
  departmentCode?: string;
}

/** Where the live alerts of the window rules come from (the rules fill it; none until then). */
export type WindowAlertSource = (scope: HallScope) => Promise<WindowAlert[]>;

export const NO_WINDOW_ALERTS: WindowAlertSource = async () => [];

const DAY = 86_400_000;

function localDay(at: number, offsetMinutes: number): number {
  return Math.floor((at + offsetMinutes * 60_000) / DAY);
}

const byTile = (a: LiveWindow, b: LiveWindow) =>
  (a.departmentCode ?? '\uffff').localeCompare(b.departmentCode ?? '\uffff') ||
  byWindowNumber(a.floor ?? '', b.floor ?? '') ||
  byWindowNumber(a.windowNo, b.windowNo);

export async function buildHall(db: Sql, state: HallState, now: number, scope: HallScope = {}, alerts: WindowAlertSource = NO_WINDOW_ALERTS): Promise<Hall> {
  const filter = scope.departmentCode === undefined ? '' : ' WHERE w.department_code = $1';
  const [windows, photos, offset, windowAlerts] = await Promise.all([
    db.query<{ window_no: string; department_code: string | null; department_name: string | null; floor: string | null }>(
      `${WINDOWS_META}${filter}`,
      scope.departmentCode === undefined ? [] : [scope.departmentCode],
    ),
    db.query<{ staff_no: string }>('SELECT staff_no FROM staff WHERE photo IS NOT NULL'),
    db.query<{ utc_offset_minutes: number }>('SELECT utc_offset_minutes FROM figures_state WHERE id = 1'),
    alerts(scope),
  ]);
  const withPhoto = new Set(photos.map((p) => p.staff_no));
  const latest = state.latest();
  const offsetMinutes = Number(offset[0]?.utc_offset_minutes ?? 480);
  const today = localDay(now, offsetMinutes);
  const totals = { served: 0, rated: 0, poor: 0 };
  const tiles = windows.map((w) => {
    const entry = latest.get(w.window_no);
    const staffNo = entry?.status.staff?.staffNo;
    // Yesterday's counts are not today's: a window that has not reported today adds nothing.
    if (entry && localDay(entry.status.at, offsetMinutes) === today) {
      totals.served += entry.status.today.served;
      totals.rated += entry.status.today.rated;
      totals.poor += entry.status.today.poor;
    }
    return state.liveWindow(
      w.window_no,
      entry,
      { departmentCode: w.department_code, departmentName: w.department_name, floor: w.floor },
      staffNo !== undefined && withPhoto.has(staffNo),
      entry ? state.isStale(entry, now) : false,
    );
  });
  tiles.sort(byTile);
  return {
    windows: tiles,
    today: { ...totals, satisfaction: totals.rated === 0 ? null : (totals.rated - totals.poor) / totals.rated },
    alerts: windowAlerts,
    generatedAt: now,
  };
}
