/**
 * The lists the centre distributes to the windows, edited one row at a time from the
 * console (the whole-list PUTs under /v1/admin stay for scripts). Every change lands in
 * the tables the config pull reads, so the windows' ETag changes and they fetch it. Each
 * change is also in the audit log, in the change's transaction; a refused one leaves nothing.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { CONSOLE_API } from '../../../src/shared/console/contract';
import {
  IT_ROUTES,
  ItemBody,
  ReasonBody,
  ReferralTargetBody,
  StaffBody,
  StaffPhotoBody,
  WindowBody,
  type ItemRow,
  type ReasonRow,
  type ReferralTargetRow,
  type StaffRow,
  type WindowRow,
} from '../../../src/shared/console/it-contract';
import type { AuditFacts, AuditMaterial } from '../../../src/shared/console/audit-facts';
import { isEmptyServiceInfo } from '../../../src/shared/service-info';
import { fieldChanges, writeAudit } from '../accounts/audit';
import { consoleGuard, personOf } from '../accounts/guard';
import { one, type Sql } from '../db/sql';
import { Refusal } from '../errors';
import { jsonBody } from '../http/body';
import { parseWith } from '../http/parse';
import type { ConsoleItDeps } from './deps';
import { rowFacts, staffFacts, windowFacts, windowFields } from './list-audit';
import { checkedPhoto, photoBytes, sniffImage } from './photo';

// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u001F\u007F]/;
// A code the windows send back in their records (a case's item, a referral, a reason): they refuse control characters in it.
const key = (max: number, what: string) =>
  z
    .string()
    .trim()
    .min(1, `${what} is needed`)
    .max(max, `${what} has at most ${max} characters`)
    .refine((v) => !CONTROL.test(v), `${what} holds a control character (a tab, a line break or the like), which the windows refuse in their records; type it again without`);
const StaffParams = z.object({ staffNo: key(32, 'a staff number') });
const ItemParams = z.object({ itemCode: key(64, 'an item code'), itemVersion: key(16, 'an item version') });
const ReasonParams = z.object({ code: key(32, 'a reason code') });
const TargetParams = z.object({ code: key(64, 'a target code') });
const TARGET_SELECT = 'SELECT code, name, kind, sort FROM referral_targets';
const WindowParams = z.object({ windowNo: key(16, 'a window number') });

const STAFF_SELECT = `SELECT staff_no AS "staffNo", name, department_code AS "departmentCode", department_name AS "departmentName",
  badge_ids AS "badgeIds", active, photo IS NOT NULL AS "hasPhoto" FROM staff`;
const ITEM_SELECT = `SELECT item_code AS "itemCode", item_version AS "itemVersion", name, department_code AS "departmentCode",
  department_name AS "departmentName", active, service_info AS "serviceInfo" FROM service_items`;
const REASON_SELECT = 'SELECT code, label_zh AS "labelZh", label_en AS "labelEn", sort FROM reason_codes';
// Windows with settings, and windows known only from an enrolled terminal.
const WINDOW_SELECT = `
  SELECT n.window_no AS "windowNo", w.department_code AS "departmentCode", w.department_name AS "departmentName", w.area_code AS "areaCode",
    w.settings->>'closingTime' AS "closingTime", (w.settings->>'ratingWindowSeconds')::integer AS "ratingWindowSeconds",
    (w.settings->>'detailsSeconds')::integer AS "detailsSeconds",
    (SELECT count(*) FROM terminals t WHERE t.window_no = n.window_no AND t.revoked_at IS NULL)::integer AS terminals
  FROM (SELECT window_no FROM windows UNION SELECT window_no FROM terminals) n LEFT JOIN windows w ON w.window_no = n.window_no`;

/** What an item's save changed: its fields before → after, and its materials added and taken away by name. */
function itemChange(before: ItemRow | undefined, after: ItemRow): AuditFacts {
  const fields = ({ serviceInfo, name, departmentCode, departmentName, active }: ItemRow) => ({
    name,
    departmentCode,
    departmentName,
    active,
    promisedTime: serviceInfo?.promisedTime ? (serviceInfo.promisedTime.kind === 'on_the_spot' ? 'on_the_spot' : `working_days:${serviceInfo.promisedTime.days}`) : null,
    fees: serviceInfo?.fees ?? null,
    whereToAsk: serviceInfo?.whereToAsk ?? null,
  });
  const materials = (row: ItemRow | undefined): AuditMaterial[] => (row?.serviceInfo?.materials ?? []).map((m) => ({ name: m.name, form: m.form, count: m.count, notes: m.notes ?? null }));
  const was = materials(before);
  const now = materials(after);
  const missing = (from: AuditMaterial[], other: AuditMaterial[]) => from.filter((m) => !other.some((o) => JSON.stringify(o) === JSON.stringify(m)));
  return {
    kind: 'item_saved',
    name: after.name,
    added: before === undefined,
    changes: before ? fieldChanges(fields(before), fields(after)) : [],
    materialsAdded: missing(now, was),
    materialsRemoved: missing(was, now),
    materialsBefore: was.length,
    materialsAfter: now.length,
  };
}

async function staffRow(db: Sql, staffNo: string): Promise<StaffRow> {
  const row = await one<StaffRow & Record<string, unknown>>(db, `${STAFF_SELECT} WHERE staff_no = $1`, [staffNo]);
  if (!row) throw new Refusal(404, 'not-found', `there is no staff member ${staffNo}; add them to the list first`).because('it.staff_unknown', { staffNo });
  return row;
}

export function registerListRoutes(app: FastifyInstance, deps: ConsoleItDeps): void {
  const { db } = deps;
  const admin = { onRequest: consoleGuard(deps, ['admin']) };
  // A photo above the limit must reach the check that says so, not the framework's body limit.
  const photoSized = { ...admin, bodyLimit: 8 * 1024 * 1024, config: { maxInflatedBytes: 8 * 1024 * 1024 } };
  const at = (route: string) => `${CONSOLE_API}${route}`;
  const changed = (request: { log: { info: (o: object, m: string) => void } }, person: string, what: object) => request.log.info({ by: person, ...what }, 'list row changed from the console');

  app.get(at(IT_ROUTES.staff), admin, async () => ({ staff: await db.query(`${STAFF_SELECT} ORDER BY staff_no`) }));

  app.put(at(IT_ROUTES.staffMember), admin, async (request) => {
    const { staffNo } = parseWith(StaffParams, request.params);
    const body = parseWith(StaffBody, jsonBody(request).value);
    const badges = [...new Set(body.badgeIds)];
    const person = personOf(request).username;
    const saved = await db.transaction(async (tx) => {
      if (body.active && badges.length > 0) {
        const taken = await one<{ staff_no: string; name: string; badge: string }>(
          tx,
          `SELECT s.staff_no, s.name, b.badge FROM staff s CROSS JOIN LATERAL jsonb_array_elements_text(s.badge_ids) AS b(badge)
           WHERE s.active AND s.staff_no <> $1 AND b.badge IN (SELECT jsonb_array_elements_text($2::jsonb)) LIMIT 1`,
          [staffNo, JSON.stringify(badges)],
        );
        if (taken) throw new Refusal(409, 'badge-taken', `badge ${taken.badge} belongs to ${taken.name} (${taken.staff_no}); take it off their record first`).because('it.badge_taken', { badge: taken.badge, name: taken.name, staffNo: taken.staff_no });
      }
      const before = await one<StaffRow & Record<string, unknown>>(tx, `${STAFF_SELECT} WHERE staff_no = $1`, [staffNo]);
      await tx.query(
        `INSERT INTO staff (staff_no, name, department_code, department_name, badge_ids, active) VALUES ($1, $2, $3, $4, $5::jsonb, $6)
         ON CONFLICT (staff_no) DO UPDATE SET name = excluded.name, department_code = excluded.department_code, department_name = excluded.department_name,
           badge_ids = excluded.badge_ids, active = excluded.active`,
        [staffNo, body.name, body.departmentCode, body.departmentName, JSON.stringify(badges), body.active],
      );
      const after = await staffRow(tx, staffNo);
      await writeAudit(tx, deps.options.now(), { action: 'staff_changed', actor: person, subject: staffNo, facts: staffFacts(before, after), address: request.ip });
      return after;
    });
    changed(request, person, { staffNo });
    return saved;
  });

  app.get(at(IT_ROUTES.staffPhoto), admin, async (request, reply) => {
    const { staffNo } = parseWith(StaffParams, request.params);
    const row = await one<{ photo: string | null }>(db, 'SELECT photo FROM staff WHERE staff_no = $1', [staffNo]);
    const photo = row?.photo ? photoBytes(row.photo) : null;
    // Only pictures the browser cannot mistake for a page (an old script-loaded SVG stays unserved).
    const type = photo ? sniffImage(photo.bytes) : null;
    if (!photo || !type) throw new Refusal(404, 'not-found', `staff member ${staffNo} has no photo`).because('it.staff_photo_missing', { staffNo });
    return reply.type(type).header('x-content-type-options', 'nosniff').header('cache-control', 'private, no-cache').send(photo.bytes);
  });

  app.put(at(IT_ROUTES.staffPhoto), photoSized, async (request) => {
    const { staffNo } = parseWith(StaffParams, request.params);
    const { dataUrl } = parseWith(StaffPhotoBody, jsonBody(request).value);
    const photo = checkedPhoto(dataUrl);
    const person = personOf(request).username;
    await db.transaction(async (tx) => {
      const rows = await tx.query('UPDATE staff SET photo = $2 WHERE staff_no = $1 RETURNING staff_no', [staffNo, photo.dataUrl]);
      if (rows.length === 0) throw new Refusal(404, 'not-found', `there is no staff member ${staffNo}; add them to the list first`).because('it.staff_unknown', { staffNo });
      await writeAudit(tx, deps.options.now(), { action: 'staff_changed', actor: person, subject: staffNo, facts: { kind: 'staff_photo', set: true }, address: request.ip });
    });
    changed(request, person, { staffNo, photo: photo.type, bytes: photo.bytes });
    return staffRow(db, staffNo);
  });

  app.delete(at(IT_ROUTES.staffPhoto), admin, async (request) => {
    const { staffNo } = parseWith(StaffParams, request.params);
    const person = personOf(request).username;
    await db.transaction(async (tx) => {
      // Removing a photo that is not there changes nothing and leaves no entry.
      const rows = await tx.query('UPDATE staff SET photo = NULL WHERE staff_no = $1 AND photo IS NOT NULL RETURNING staff_no', [staffNo]);
      if (rows.length > 0) await writeAudit(tx, deps.options.now(), { action: 'staff_changed', actor: person, subject: staffNo, facts: { kind: 'staff_photo', set: false }, address: request.ip });
    });
    return staffRow(db, staffNo);
  });

  app.get(at(IT_ROUTES.items), admin, async () => ({ items: await db.query(`${ITEM_SELECT} ORDER BY item_code, item_version`) }));

  app.put(at(IT_ROUTES.item), admin, async (request) => {
    const { itemCode, itemVersion } = parseWith(ItemParams, request.params);
    const body = parseWith(ItemBody, jsonBody(request).value);
    const person = personOf(request).username;
    const item = await db.transaction(async (tx) => {
      const before = await one<ItemRow & Record<string, unknown>>(tx, `${ITEM_SELECT} WHERE item_code = $1 AND item_version = $2`, [itemCode, itemVersion]);
      await tx.query(
        `INSERT INTO service_items (item_code, item_version, name, department_code, department_name, active, service_info) VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb)
         ON CONFLICT (item_code, item_version) DO UPDATE SET name = excluded.name, department_code = excluded.department_code,
           department_name = excluded.department_name, active = excluded.active,
           service_info = CASE WHEN $8 THEN excluded.service_info ELSE service_items.service_info END`,
        [itemCode, itemVersion, body.name, body.departmentCode, body.departmentName, body.active, body.serviceInfo && !isEmptyServiceInfo(body.serviceInfo) ? JSON.stringify(body.serviceInfo) : null, body.serviceInfo !== undefined],
      );
      const after = (await one<ItemRow & Record<string, unknown>>(tx, `${ITEM_SELECT} WHERE item_code = $1 AND item_version = $2`, [itemCode, itemVersion]))!;
      await writeAudit(tx, deps.options.now(), {
        action: 'item_info_changed',
        actor: person,
        subject: `${itemCode} v${itemVersion}`,
        facts: itemChange(before, after),
        address: request.ip,
      });
      return after;
    });
    changed(request, person, { itemCode, itemVersion });
    return item;
  });

  app.get(at(IT_ROUTES.reasons), admin, async () => ({ reasons: await db.query(`${REASON_SELECT} ORDER BY sort, code`) }));

  app.put(at(IT_ROUTES.reason), admin, async (request) => {
    const { code } = parseWith(ReasonParams, request.params);
    const body = parseWith(ReasonBody, jsonBody(request).value);
    const person = personOf(request).username;
    const saved = await db.transaction(async (tx) => {
      const before = await one<ReasonRow & Record<string, unknown>>(tx, `${REASON_SELECT} WHERE code = $1`, [code]);
      await tx.query(
        `INSERT INTO reason_codes (code, label_zh, label_en, sort) VALUES ($1, $2, $3, $4)
         ON CONFLICT (code) DO UPDATE SET label_zh = excluded.label_zh, label_en = excluded.label_en, sort = excluded.sort`,
        [code, body.labelZh, body.labelEn, body.sort],
      );
      const after = (await one<ReasonRow & Record<string, unknown>>(tx, `${REASON_SELECT} WHERE code = $1`, [code]))!;
      const fields = ({ labelZh, labelEn, sort }: ReasonRow) => ({ labelZh, labelEn, sort });
      await writeAudit(tx, deps.options.now(), { action: 'reasons_changed', actor: person, subject: code, facts: rowFacts(before && fields(before), fields(after), after.labelZh), address: request.ip });
      return after;
    });
    changed(request, person, { reason: code });
    return saved;
  });

  app.delete(at(IT_ROUTES.reason), admin, async (request) => {
    const { code } = parseWith(ReasonParams, request.params);
    const person = personOf(request).username;
    await db.transaction(async (tx) => {
      const rows = await tx.query<{ label_zh: string }>('DELETE FROM reason_codes WHERE code = $1 RETURNING label_zh', [code]);
      if (rows.length === 0) throw new Refusal(404, 'not-found', `there is no reason code ${code}; reload the list`).because('it.reason_unknown', { code });
      await writeAudit(tx, deps.options.now(), { action: 'reasons_changed', actor: person, subject: code, facts: { kind: 'row_removed', name: rows[0]!.label_zh }, address: request.ip });
    });
    changed(request, person, { reason: code, deleted: true });
    return { code };
  });

  app.get(at(IT_ROUTES.referralTargets), admin, async () => ({ targets: await db.query(`${TARGET_SELECT} ORDER BY sort, code`) }));

  app.put(at(IT_ROUTES.referralTarget), admin, async (request) => {
    const { code } = parseWith(TargetParams, request.params);
    const body = parseWith(ReferralTargetBody, jsonBody(request).value);
    const person = personOf(request).username;
    const saved = await db.transaction(async (tx) => {
      const before = await one<ReferralTargetRow & Record<string, unknown>>(tx, `${TARGET_SELECT} WHERE code = $1`, [code]);
      await tx.query(
        `INSERT INTO referral_targets (code, name, kind, sort) VALUES ($1, $2, $3, $4)
         ON CONFLICT (code) DO UPDATE SET name = excluded.name, kind = excluded.kind, sort = excluded.sort`,
        [code, body.name, body.kind, body.sort],
      );
      const after = (await one<ReferralTargetRow & Record<string, unknown>>(tx, `${TARGET_SELECT} WHERE code = $1`, [code]))!;
      const fields = ({ name, kind, sort }: ReferralTargetRow) => ({ name, kind, sort });
      await writeAudit(tx, deps.options.now(), { action: 'referral_targets_changed', actor: person, subject: code, facts: rowFacts(before && fields(before), fields(after), after.name), address: request.ip });
      return after;
    });
    changed(request, person, { referralTarget: code });
    return saved;
  });

  app.delete(at(IT_ROUTES.referralTarget), admin, async (request) => {
    const { code } = parseWith(TargetParams, request.params);
    const person = personOf(request).username;
    await db.transaction(async (tx) => {
      const rows = await tx.query<{ name: string }>('DELETE FROM referral_targets WHERE code = $1 RETURNING name', [code]);
      if (rows.length === 0) throw new Refusal(404, 'not-found', `there is no referral target ${code}; reload the list`).because('it.referral_target_unknown', { code });
      await writeAudit(tx, deps.options.now(), { action: 'referral_targets_changed', actor: person, subject: code, facts: { kind: 'row_removed', name: rows[0]!.name }, address: request.ip });
    });
    changed(request, person, { referralTarget: code, deleted: true });
    return { code };
  });

  app.get(at(IT_ROUTES.windows), admin, async () => ({ windows: await db.query(`${WINDOW_SELECT} ORDER BY length(n.window_no), n.window_no`) }));

  app.put(at(IT_ROUTES.window), admin, async (request) => {
    const { windowNo } = parseWith(WindowParams, request.params);
    const body = parseWith(WindowBody, jsonBody(request).value);
    // Settings left empty fall back to the centre's rating policy in the config pull.
    const settings = Object.fromEntries(
      Object.entries({ closingTime: body.closingTime, ratingWindowSeconds: body.ratingWindowSeconds, detailsSeconds: body.detailsSeconds }).filter(([, v]) => v !== null),
    );
    const person = personOf(request).username;
    await db.transaction(async (tx) => {
      const before = await windowFields(tx, windowNo);
      await tx.query(
        `INSERT INTO windows (window_no, department_code, department_name, area_code, settings) VALUES ($1, $2, $3, $4, $5::jsonb)
         ON CONFLICT (window_no) DO UPDATE SET department_code = excluded.department_code, department_name = excluded.department_name,
           area_code = excluded.area_code,
           settings = (windows.settings - 'closingTime' - 'ratingWindowSeconds' - 'detailsSeconds') || excluded.settings`,
        [windowNo, body.departmentCode, body.departmentName, body.areaCode, JSON.stringify(settings)],
      );
      await writeAudit(tx, deps.options.now(), { action: 'window_changed', actor: person, subject: windowNo, facts: await windowFacts(tx, windowNo, before), address: request.ip });
    });
    changed(request, person, { windowNo });
    return (await one<WindowRow & Record<string, unknown>>(db, `${WINDOW_SELECT} WHERE n.window_no = $1`, [windowNo]))!;
  });
}
