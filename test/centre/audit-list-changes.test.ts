/**
 * Who changed the lists the centre hands the windows, on a real PostgreSQL and on PGlite:
 * staff, reason codes, referral targets, the windows' own settings and enrolment codes, at
 * the console or by a script with the admin token. Each change leaves exactly one audit entry
 * naming the person (or the token's name), the row and what changed, in the change's
 * transaction; a refused change leaves none; no entry ever holds a photo's bytes, a whole
 * badge number, an enrolment code or the admin token. Schema 21 takes these actions on a
 * centre upgraded from schema 20.
 */
import { copyFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CENTRE_MIGRATIONS_DIR, migrateCentre } from '../../server/src/db/migrate';
import { auditSentence, type AuditFacts } from '../../src/shared/console/audit-facts';
import { CONSOLE_ROUTES, IT_ROUTES, LIST_AUDIT_ACTIONS, type AuditEntry } from '../../src/shared/console/contract';
import { openTestDatabase, type TestDatabase } from '../sync/support/backends';
import { tempDir } from '../support/tmp';
import { badgeForAudit } from '../../server/src/console-it/list-audit';
import { BACKENDS, openItDatabase, startItCentre, terminalKey, type ItCentre } from './it-helpers';
import type { ConsoleSession } from './support/console-session';

const ADMIN_TOKEN = 'console-test-admin-token-0123456789';
/** A real 1×1 PNG. */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');
const PHOTO = `data:image/png;base64,${PNG.toString('base64')}`;
const BADGE_A = 'CARD-00012345';
const BADGE_B = 'CARD-00067890';

describe.each(BACKENDS)('the audit log of list changes on %s', (backend) => {
  let database: TestDatabase;
  let centre: ItCentre;
  let admin: ConsoleSession;
  /** Every secret a test handed the centre: no audit entry may hold any of them, facts included. */
  const secrets: string[] = [];

  beforeAll(async () => {
    database = await openItDatabase(backend);
  });
  afterAll(async () => {
    await database?.close();
  });
  beforeEach(async () => {
    await database.reset();
    centre = await startItCentre(database.db);
    admin = await centre.as('admin', null, 'wang.admin');
    secrets.length = 0;
    secrets.push(ADMIN_TOKEN, BADGE_A, BADGE_B, PNG.toString('base64'));
  });
  afterEach(async () => {
    const rows = await database.db.query<{ text: string }>("SELECT concat_ws(' ', action, actor, subject, detail, facts::text, address) AS text FROM console_audit");
    for (const row of rows) for (const secret of secrets) expect(row.text).not.toContain(secret);
    await centre.close();
  });

  /** The list-change entries, oldest first. */
  const entries = async () =>
    database.db.query<{ action: string; actor: string | null; subject: string | null; detail: string; address: string | null }>(
      'SELECT action, actor, subject, detail, address FROM console_audit WHERE action = ANY($1::text[]) ORDER BY id',
      [[...LIST_AUDIT_ACTIONS]],
    );
  const factsOf = async () => (await database.db.query<{ facts: AuditFacts }>('SELECT facts FROM console_audit WHERE action = ANY($1::text[]) ORDER BY id', [[...LIST_AUDIT_ACTIONS]])).map((r) => r.facts);
  const entry = (action: string, subject: string | null, detail: string, actor = 'wang.admin') => ({ action, actor, subject, detail, address: '127.0.0.1' });

  it('a staff member: added, changed, photo set and removed, each one entry; badges by their end only; refusals leave none', async () => {
    const staff = (staffNo: string) => ({ params: { staffNo } });
    const body = { name: '张伟', departmentCode: 'D1', departmentName: '市场监管', badgeIds: [BADGE_A] };
    expect((await centre.call(admin, 'PUT', IT_ROUTES.staffMember, { ...staff('4001'), body })).status).toBe(200);
    const changed = { ...body, name: '张卫', departmentName: '税务', badgeIds: [BADGE_B] };
    expect((await centre.call(admin, 'PUT', IT_ROUTES.staffMember, { ...staff('4001'), body: changed })).status).toBe(200);
    expect((await centre.call(admin, 'PUT', IT_ROUTES.staffPhoto, { ...staff('4001'), body: { dataUrl: PHOTO } })).status).toBe(200);
    expect((await centre.call(admin, 'DELETE', IT_ROUTES.staffPhoto, staff('4001'))).status).toBe(200);
    // Taken off the list: one entry saying so.
    expect((await centre.call(admin, 'PUT', IT_ROUTES.staffMember, { ...staff('4001'), body: { ...changed, active: false } })).status).toBe(200);

    // Refused: no photo to remove (nothing changes), a PIN the centre does not take, a badge someone else holds,
    // a picture that is not one, a person not on the list, a supervisor.
    expect((await centre.call(admin, 'DELETE', IT_ROUTES.staffPhoto, staff('4001'))).status).toBe(200);
    const withPin = await centre.call(admin, 'PUT', IT_ROUTES.staffMember, { ...staff('4002'), body: { name: '李娜', pin: '482916' } });
    expect(withPin.status).toBe(400);
    secrets.push('482916');
    expect((await centre.call(admin, 'PUT', IT_ROUTES.staffMember, { ...staff('4003'), body: { name: '赵敏', badgeIds: ['CARD-77'] } })).status).toBe(200);
    expect((await centre.call(admin, 'PUT', IT_ROUTES.staffMember, { ...staff('4004'), body: { name: '钱进', badgeIds: ['CARD-77'] } })).status).toBe(409);
    expect((await centre.call(admin, 'PUT', IT_ROUTES.staffPhoto, { ...staff('4003'), body: { dataUrl: `data:image/png;base64,${Buffer.from('<svg/>').toString('base64')}` } })).status).toBe(400);
    expect((await centre.call(admin, 'PUT', IT_ROUTES.staffPhoto, { ...staff('4999'), body: { dataUrl: PHOTO } })).status).toBe(404);
    const supervisor = await centre.as('supervisor');
    expect((await centre.call(supervisor, 'PUT', IT_ROUTES.staffMember, { ...staff('4001'), body })).status).toBe(403);

    expect(await entries()).toEqual([
      entry('staff_changed', '4001', 'added "张伟"; badges added …2345'),
      entry('staff_changed', '4001', 'Name: 张伟 → 张卫; Department name: 市场监管 → 税务; badges added …7890; badges removed …2345'),
      entry('staff_changed', '4001', 'photo changed'),
      entry('staff_changed', '4001', 'photo removed'),
      entry('staff_changed', '4001', 'On the list: on → off'),
      entry('staff_changed', '4003', 'added "赵敏"; badges added …-77'),
    ]);
    // The page words the same facts in Chinese.
    expect((await factsOf()).map((f) => auditSentence(f, 'zh'))).toEqual([
      '新增“张伟”；新增工牌 …2345',
      '姓名：张伟 → 张卫；部门名称：市场监管 → 税务；新增工牌 …7890；删除工牌 …2345',
      '照片已更换',
      '照片已删除',
      '在岗：开 → 关',
      '新增“赵敏”；新增工牌 …-77',
    ]);
    // What the entries speak of is what the list holds.
    expect(await database.db.query('SELECT name, photo, badge_ids, active FROM staff WHERE staff_no = $1', ['4001'])).toEqual([{ name: '张卫', photo: null, badge_ids: [BADGE_B], active: false }]);
  });

  it('reason codes and referral targets: added, changed and deleted each leave one entry; a bad row or an unknown code leaves none', async () => {
    const reason = (code: string) => ({ params: { code } });
    expect((await centre.call(admin, 'PUT', IT_ROUTES.reason, { ...reason('R1'), body: { labelZh: '材料不齐', labelEn: 'Missing papers', sort: 1 } })).status).toBe(200);
    expect((await centre.call(admin, 'PUT', IT_ROUTES.reason, { ...reason('R1'), body: { labelZh: '材料不全', labelEn: 'Missing papers', sort: 2 } })).status).toBe(200);
    expect((await centre.call(admin, 'PUT', IT_ROUTES.reason, { ...reason('R2'), body: { labelZh: '', labelEn: 'Empty' } })).status).toBe(400);
    expect((await centre.call(admin, 'DELETE', IT_ROUTES.reason, reason('R1'))).status).toBe(200);
    expect((await centre.call(admin, 'DELETE', IT_ROUTES.reason, reason('R1'))).status).toBe(404);

    expect((await centre.call(admin, 'PUT', IT_ROUTES.referralTarget, { ...reason('T1'), body: { name: '不动产登记中心', kind: 'outside' } })).status).toBe(200);
    expect((await centre.call(admin, 'PUT', IT_ROUTES.referralTarget, { ...reason('T1'), body: { name: '不动产登记中心', kind: 'department', sort: 5 } })).status).toBe(200);
    expect((await centre.call(admin, 'PUT', IT_ROUTES.referralTarget, { ...reason('T2'), body: { name: '某处', kind: 'elsewhere' } })).status).toBe(400);
    expect((await centre.call(admin, 'DELETE', IT_ROUTES.referralTarget, reason('T1'))).status).toBe(200);
    expect((await centre.call(admin, 'DELETE', IT_ROUTES.referralTarget, reason('T9'))).status).toBe(404);

    expect(await entries()).toEqual([
      entry('reasons_changed', 'R1', 'added "材料不齐"'),
      entry('reasons_changed', 'R1', 'Chinese label: 材料不齐 → 材料不全; Order: 1 → 2'),
      entry('reasons_changed', 'R1', 'removed "材料不全"'),
      entry('referral_targets_changed', 'T1', 'added "不动产登记中心"'),
      entry('referral_targets_changed', 'T1', 'Kind: outside → department; Order: 0 → 5'),
      entry('referral_targets_changed', 'T1', 'removed "不动产登记中心"'),
    ]);
    expect((await factsOf()).map((f) => auditSentence(f, 'zh'))[1]).toBe('中文名称：材料不齐 → 材料不全；排序：1 → 2');
  });

  it("a window's own settings at the console and by script: one entry each with before → after; a bad closing time leaves none", async () => {
    const window = { params: { windowNo: '7' } };
    expect((await centre.call(admin, 'PUT', IT_ROUTES.window, { ...window, body: { departmentCode: 'D1', departmentName: '市场监管', ratingWindowSeconds: 20 } })).status).toBe(200);
    expect((await centre.call(admin, 'PUT', IT_ROUTES.window, { ...window, body: { departmentCode: 'D1', departmentName: '市场监管', ratingWindowSeconds: 30, closingTime: '17:30' } })).status).toBe(200);
    expect((await centre.call(admin, 'PUT', IT_ROUTES.window, { ...window, body: { closingTime: '25:00' } })).status).toBe(400);

    const script = { departmentCode: 'D2', departmentName: '税务', areaCode: '110105', settings: { closingTime: '17:00' } };
    expect((await centre.v1('PUT', '/v1/admin/windows/7', ADMIN_TOKEN, script)).status).toBe(200);
    expect((await centre.v1('PUT', '/v1/admin/windows/7', ADMIN_TOKEN, { ...script, areaCode: '12' })).status).toBe(400);
    expect((await centre.v1('PUT', '/v1/admin/windows/7', 'not-the-admin-token', script)).status).toBe(401);

    expect(await entries()).toEqual([
      entry('window_changed', '7', 'window added: Department code: — → D1; Department name: — → 市场监管; Rating window (seconds): — → 20'),
      entry('window_changed', '7', 'Closing time: — → 17:30; Rating window (seconds): 20 → 30'),
      entry(
        'window_changed',
        '7',
        "with the centre's admin token: Department code: D1 → D2; Department name: 市场监管 → 税务; Area code: — → 110105; Closing time: 17:30 → 17:00; Rating window (seconds): 30 → —",
        'admin',
      ),
    ]);
    expect(auditSentence((await factsOf())[0]!, 'zh')).toBe('新增窗口：部门编码：— → D1；部门名称：— → 市场监管；评价等待（秒）：— → 20');
  });

  it('enrolment codes: made and revoked each leave one entry with the window and how long it lasts, never the code', async () => {
    const made = await centre.call(admin, 'POST', IT_ROUTES.enrolmentCodes, { body: { windowNo: '3', expiresInHours: 48 } });
    expect(made.status).toBe(201);
    secrets.push(String(made.body.code), String(made.body.code).replace(/-/g, ''));
    const id = Number(made.body.id);
    expect((await centre.call(admin, 'POST', IT_ROUTES.revokeEnrolmentCode, { params: { codeId: id } })).status).toBe(200);
    // Revoking again changes nothing and adds nothing; an unknown code is not found; a window number too long is refused.
    expect((await centre.call(admin, 'POST', IT_ROUTES.revokeEnrolmentCode, { params: { codeId: id } })).status).toBe(200);
    expect((await centre.call(admin, 'POST', IT_ROUTES.revokeEnrolmentCode, { params: { codeId: 999 } })).status).toBe(404);
    expect((await centre.call(admin, 'POST', IT_ROUTES.enrolmentCodes, { body: { windowNo: '3'.repeat(40) } })).status).toBe(400);

    // A script's code, then used by a kiosk: the use is no list change.
    const scripted = await centre.v1('POST', '/v1/admin/enrolment-codes', ADMIN_TOKEN, { windowNo: '5', expiresInHours: 5 });
    expect(scripted.status).toBe(201);
    secrets.push(String(scripted.body.code));
    const enrolled = await centre.v1('POST', '/v1/enrol', null, { code: scripted.body.code, terminalId: 'T-5', publicKey: terminalKey() });
    expect(enrolled.status).toBe(200);
    secrets.push(String(enrolled.body.token));
    expect((await centre.v1('POST', '/v1/admin/enrolment-codes', ADMIN_TOKEN, { windowNo: '' })).status).toBe(400);

    const scriptedId = (await database.db.query<{ id: number }>("SELECT id FROM enrolment_codes WHERE window_no = '5'"))[0]!.id;
    expect(await entries()).toEqual([
      entry('enrolment_code_changed', `#${id}`, 'made for window 3, valid for 2 days'),
      entry('enrolment_code_changed', `#${id}`, 'revoked: the code for window 3 can no longer be used'),
      entry('enrolment_code_changed', `#${Number(scriptedId)}`, "with the centre's admin token: made for window 5, valid for 5 hours", 'admin'),
    ]);
    const facts = await factsOf();
    expect(facts[0]).toEqual({ kind: 'enrolment_code_made', windowNo: '3', expiresInHours: 48, expiresAt: centre.clock.now() + 48 * 3_600_000 });
    expect(facts.map((f) => auditSentence(f, 'zh'))).toEqual(['为窗口 3 生成登记码，2 天内有效', '作废：窗口 3 的登记码不能再用', '使用中心管理令牌：为窗口 5 生成登记码，5 小时内有效']);
  });

  it("a script's whole list is one entry with its counts added, changed and removed; a refused list or token leaves none", async () => {
    const person = (staffNo: string, name: string, extra: object = {}) => ({ staffNo, name, badgeIds: [], ...extra });
    expect((await centre.v1('PUT', '/v1/admin/staff', ADMIN_TOKEN, [person('1', '甲'), person('2', '乙'), person('3', '丙')])).status).toBe(200);
    // 1 unchanged, 2 gets a photo, 3 a badge, 4 is new; nobody leaves.
    expect((await centre.v1('PUT', '/v1/admin/staff', ADMIN_TOKEN, [person('1', '甲'), person('2', '乙', { photo: PHOTO }), person('3', '丙', { badgeIds: [BADGE_A] }), person('4', '丁')])).status).toBe(200);
    // 1 and 2 leave; 3 changes its name; 4 unchanged.
    expect((await centre.v1('PUT', '/v1/admin/staff', ADMIN_TOKEN, [person('3', '丙丙', { badgeIds: [BADGE_A] }), person('4', '丁')])).status).toBe(200);
    expect((await centre.v1('PUT', '/v1/admin/staff', ADMIN_TOKEN, [{ staffNo: '5', name: '' }])).status).toBe(400);
    expect((await centre.v1('PUT', '/v1/admin/staff', 'not-the-admin-token', [person('9', '壬')])).status).toBe(401);

    const reasons = [
      { code: 'R1', labelZh: '材料不齐', labelEn: 'Missing papers' },
      { code: 'R2', labelZh: '系统故障', labelEn: 'System down' },
    ];
    expect((await centre.v1('PUT', '/v1/admin/reasons', ADMIN_TOKEN, reasons)).status).toBe(200);
    expect((await centre.v1('PUT', '/v1/admin/reasons', ADMIN_TOKEN, [{ ...reasons[0], sort: 3 }, { code: 'R3', labelZh: '其他', labelEn: 'Other' }])).status).toBe(200);
    expect((await centre.v1('PUT', '/v1/admin/reasons', ADMIN_TOKEN, [{ code: 'R4', labelZh: '其他' }])).status).toBe(400);

    const targets = [{ code: 'T1', name: '税务局', kind: 'outside' }];
    expect((await centre.v1('PUT', '/v1/admin/referral-targets', ADMIN_TOKEN, targets)).status).toBe(200);
    expect((await centre.v1('PUT', '/v1/admin/referral-targets', ADMIN_TOKEN, [...targets, ...targets])).status).toBe(400);

    const admin_ = (detail: string, action: string) => entry(action, null, `with the centre's admin token: ${detail}`, 'admin');
    expect(await entries()).toEqual([
      admin_('the whole list replaced with 3 rows: 3 added, 0 changed, 0 removed', 'staff_changed'),
      admin_('the whole list replaced with 4 rows: 1 added, 2 changed, 0 removed', 'staff_changed'),
      admin_('the whole list replaced with 2 rows: 0 added, 1 changed, 2 removed', 'staff_changed'),
      admin_('the whole list replaced with 2 rows: 2 added, 0 changed, 0 removed', 'reasons_changed'),
      admin_('the whole list replaced with 2 rows: 1 added, 1 changed, 1 removed', 'reasons_changed'),
      admin_('the whole list replaced with 1 row: 1 added, 0 changed, 0 removed', 'referral_targets_changed'),
    ]);
    expect(auditSentence((await factsOf())[4]!, 'zh')).toBe('使用中心管理令牌：整个名单替换为 2 条：新增 1 条，修改 1 条，移出 1 条');
    expect(await database.db.query('SELECT staff_no FROM staff WHERE active ORDER BY staff_no')).toEqual([{ staff_no: '3' }, { staff_no: '4' }]);
  });

  it("the audit page's filter finds a list's entries by action and by who made them", async () => {
    await centre.call(admin, 'PUT', IT_ROUTES.reason, { params: { code: 'R1' }, body: { labelZh: '材料不齐', labelEn: 'Missing papers' } });
    const other = await centre.as('admin', null, 'li.admin');
    await centre.call(other, 'PUT', IT_ROUTES.staffMember, { params: { staffNo: '4001' }, body: { name: '张伟' } });
    const read = async (query: Record<string, string>) => (await centre.call(admin, 'GET', CONSOLE_ROUTES.audit, { query })).body.entries as AuditEntry[];
    expect((await read({ action: 'staff_changed' })).map((e) => [e.actor, e.subject, e.detail])).toEqual([['li.admin', '4001', 'added "张伟"']]);
    expect((await read({ action: 'reasons_changed', user: 'li.admin' }))).toEqual([]);
    expect((await read({ action: 'reasons_changed', user: 'wang.admin' })).map((e) => e.facts && auditSentence(e.facts, 'zh'))).toEqual(['新增“材料不齐”']);
  });
});

describe.each(BACKENDS)('schema 21 (audit of list changes) on %s', (backend) => {
  it('takes the list changes on a centre upgraded from schema 20, and keeps what it had', async () => {
    const files = readdirSync(CENTRE_MIGRATIONS_DIR).filter((n) => n.endsWith('.sql')).sort();
    const dir = tempDir();
    for (const f of files.filter((n) => n < '0021')) copyFileSync(join(CENTRE_MIGRATIONS_DIR, f), join(dir, f));
    const database = await openTestDatabase(backend);
    const db = database.db;
    try {
      await db.exec('DROP TABLE IF EXISTS centre_migrations');
      await db.exec('DROP SCHEMA public CASCADE; CREATE SCHEMA public');
      await migrateCentre(db, dir);
      const at = Date.parse('2026-03-10T10:00+08:00');
      await db.query("INSERT INTO console_audit (at, action, actor, detail, address) VALUES ($1, 'user_created', 'wang.admin', 'li.na', '10.0.0.5')", [at]);
      await expect(db.query("INSERT INTO console_audit (at, action, actor) VALUES ($1, 'staff_changed', 'wang.admin')", [at])).rejects.toThrow(/console_audit_action_check/);

      for (const f of files) copyFileSync(join(CENTRE_MIGRATIONS_DIR, f), join(dir, f));
      await migrateCentre(db, dir);
      for (const action of LIST_AUDIT_ACTIONS) await db.query("INSERT INTO console_audit (at, action, actor, subject, detail) VALUES ($1, $2, 'wang.admin', '7', 'changed')", [at, action]);
      expect(await db.query('SELECT action FROM console_audit ORDER BY id')).toEqual([{ action: 'user_created' }, ...LIST_AUDIT_ACTIONS.map((action) => ({ action }))]);
    } finally {
      await database.close();
    }
  });
});

describe('a badge in the audit log', () => {
  it('keeps only enough of its end to tell two cards apart', () => {
    expect([BADGE_A, 'CARD-77', 'B1', 'A'].map(badgeForAudit)).toEqual(['…2345', '…-77', '…1', '…']);
  });
});
