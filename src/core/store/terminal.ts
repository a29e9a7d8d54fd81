import { randomBytes } from 'node:crypto';
import type { KioskConfig } from '../config';
import type { Db } from './database';
import type { TerminalContext } from './facts';

export interface TerminalIdentity extends TerminalContext {
  departmentCode: string | null;
  departmentName: string | null;
}

/**
 * The terminal id is generated once, on first start, and never changes: the centre keys
 * every record by it. Window number, department and area follow the configuration.
 */
export function ensureTerminal(db: Db, window: KioskConfig['window'], now: number): TerminalIdentity {
  const existing = db.prepare('SELECT terminal_id FROM terminal WHERE id = 1').pluck().get() as string | undefined;
  const terminalId = existing ?? `T${randomBytes(8).toString('hex').toUpperCase()}`;
  db.prepare(`INSERT INTO terminal (id, terminal_id, window_no, department_code, department_name, area_code, created_at)
      VALUES (1, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (id) DO UPDATE SET window_no = excluded.window_no, department_code = excluded.department_code,
        department_name = excluded.department_name, area_code = excluded.area_code`)
    .run(terminalId, window.windowNo, window.departmentCode, window.departmentName, window.areaCode, now);
  return {
    terminalId,
    windowNo: window.windowNo,
    areaCode: window.areaCode,
    departmentCode: window.departmentCode,
    departmentName: window.departmentName,
  };
}
