/** The departments the centre knows: from windows, staff, items, and the figures themselves. */
import type { DepartmentOption } from '../../../src/shared/console/contract';
import type { Sql } from '../db/sql';

export async function knownDepartments(db: Sql): Promise<DepartmentOption[]> {
  const rows = await db.query<{ code: string; name: string | null }>(
    `SELECT code, max(name) AS name FROM (
       SELECT department_code AS code, department_name AS name FROM windows
       UNION ALL SELECT department_code, department_name FROM staff
       UNION ALL SELECT department_code, department_name FROM service_items
       UNION ALL SELECT key, name FROM figures WHERE dimension = 'department' AND grain = 'month'
     ) d WHERE code IS NOT NULL AND code <> '' GROUP BY code ORDER BY code`,
  );
  return rows.map((r) => ({ code: r.code, name: r.name ?? r.code }));
}
