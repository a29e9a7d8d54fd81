/**
 * What a change to the lists handed to the windows says in the audit log: a row's fields
 * before → after, a staff member's badges added and taken off, a whole list's counts.
 * Never a photo's bytes, and a badge only by its last characters: a badge signs its holder in
 * at a window.
 */
import type { AuditFacts } from '../../../src/shared/console/audit-facts';
import type { StaffRow } from '../../../src/shared/console/it-contract';
import { fieldChanges } from '../accounts/audit';
import { one, type Sql } from '../db/sql';

/** A badge as the log keeps it: enough of its end to tell two cards apart, too little to make one. */
export function badgeForAudit(badge: string): string {
  const shown = Math.min(4, Math.floor(badge.length / 2));
  return `…${shown > 0 ? badge.slice(-shown) : ''}`;
}

type StaffFields = Pick<StaffRow, 'name' | 'departmentCode' | 'departmentName' | 'badgeIds' | 'active'>;

export function staffFacts(before: StaffFields | undefined, after: StaffFields): AuditFacts {
  const fields = ({ name, departmentCode, departmentName, active }: StaffFields) => ({ name, departmentCode, departmentName, active });
  const was = before?.badgeIds ?? [];
  return {
    kind: 'staff_saved',
    name: after.name,
    added: before === undefined,
    changes: before ? fieldChanges(fields(before), fields(after)) : [],
    badgesAdded: after.badgeIds.filter((b) => !was.includes(b)).map(badgeForAudit),
    badgesRemoved: was.filter((b) => !after.badgeIds.includes(b)).map(badgeForAudit),
  };
}

/** A reason code or referral target saved: added, or its fields before → after. */
export function rowFacts<T extends object>(before: T | undefined, after: T, name: string): AuditFacts {
  return { kind: 'row_saved', name, added: before === undefined, changes: before ? fieldChanges(before, after) : [] };
}

export interface ListCounts {
  added: number;
  changed: number;
  removed: number;
}

type CountRow = { added: number; changed: number; removed: number };
const counted = (r: CountRow | undefined): ListCounts => ({
  added: Number(r?.added ?? 0),
  changed: Number(r?.changed ?? 0),
  removed: Number(r?.removed ?? 0),
});

/**
 * How a whole staff list compares with the staff on the list now: new or back on it, changed
 * (a photo compared in the database, never read out), and taken off. Run before the list is saved.
 */
export async function staffListCounts(db: Sql, list: readonly object[]): Promise<ListCounts> {
  return counted(
    await one<CountRow>(
      db,
      `WITH n AS (SELECT * FROM jsonb_to_recordset($1::jsonb) AS s("staffNo" text, name text, photo text, "departmentCode" text, "departmentName" text, "badgeIds" jsonb))
       SELECT
         (SELECT count(*) FROM n LEFT JOIN staff s ON s.staff_no = n."staffNo" WHERE s.staff_no IS NULL OR NOT s.active)::integer AS added,
         (SELECT count(*) FROM n JOIN staff s ON s.staff_no = n."staffNo" WHERE s.active
            AND (s.name, s.photo, s.department_code, s.department_name, s.badge_ids)
              IS DISTINCT FROM (n.name, n.photo, n."departmentCode", n."departmentName", coalesce(n."badgeIds", '[]'::jsonb)))::integer AS changed,
         (SELECT count(*) FROM staff s WHERE s.active AND s.staff_no NOT IN (SELECT "staffNo" FROM n))::integer AS removed`,
      [JSON.stringify(list)],
    ),
  );
}

export async function reasonListCounts(db: Sql, list: readonly object[]): Promise<ListCounts> {
  return counted(
    await one<CountRow>(
      db,
      `WITH n AS (SELECT * FROM jsonb_to_recordset($1::jsonb) AS r(code text, "labelZh" text, "labelEn" text, sort integer))
       SELECT
         (SELECT count(*) FROM n WHERE n.code NOT IN (SELECT code FROM reason_codes))::integer AS added,
         (SELECT count(*) FROM n JOIN reason_codes r ON r.code = n.code WHERE (r.label_zh, r.label_en, r.sort) IS DISTINCT FROM (n."labelZh", n."labelEn", n.sort))::integer AS changed,
         (SELECT count(*) FROM reason_codes r WHERE r.code NOT IN (SELECT code FROM n))::integer AS removed`,
      [JSON.stringify(list)],
    ),
  );
}

export async function referralTargetListCounts(db: Sql, list: readonly object[]): Promise<ListCounts> {
  return counted(
    await one<CountRow>(
      db,
      `WITH n AS (SELECT * FROM jsonb_to_recordset($1::jsonb) AS t(code text, name text, kind text, sort integer))
       SELECT
         (SELECT count(*) FROM n WHERE n.code NOT IN (SELECT code FROM referral_targets))::integer AS added,
         (SELECT count(*) FROM n JOIN referral_targets t ON t.code = n.code WHERE (t.name, t.kind, t.sort) IS DISTINCT FROM (n.name, n.kind, n.sort))::integer AS changed,
         (SELECT count(*) FROM referral_targets t WHERE t.code NOT IN (SELECT code FROM n))::integer AS removed`,
      [JSON.stringify(list)],
    ),
  );
}

/** A window's own settings as the audit log compares them; undefined for a window the centre has no settings for yet. */
export interface WindowFields {
  departmentCode: string | null;
  departmentName: string | null;
  areaCode: string | null;
  closingTime: string | null;
  ratingWindowSeconds: number | null;
  detailsSeconds: number | null;
}

export async function windowFields(db: Sql, windowNo: string): Promise<WindowFields | undefined> {
  const row = await one<WindowFields & Record<string, unknown>>(
    db,
    `SELECT department_code AS "departmentCode", department_name AS "departmentName", area_code AS "areaCode",
       settings->>'closingTime' AS "closingTime", (settings->>'ratingWindowSeconds')::integer AS "ratingWindowSeconds",
       (settings->>'detailsSeconds')::integer AS "detailsSeconds"
     FROM windows WHERE window_no = $1`,
    [windowNo],
  );
  return row ? { ...row } : undefined;
}

/** What a window's save changed, from its settings read before and after in the same transaction. */
export async function windowFacts(db: Sql, windowNo: string, before: WindowFields | undefined): Promise<AuditFacts> {
  const after = await windowFields(db, windowNo);
  return { kind: 'window_saved', added: before === undefined, changes: fieldChanges(before ?? {}, after ?? {}) };
}
