/**
 * Who changed the centre's rules (standard 11.3), on a real PostgreSQL and on PGlite: each
 * change an admin makes at the console, or a script with a token, leaves exactly one audit
 * entry naming the person, what was changed and how (before → after, or counts for an
 * import); a refused change leaves none; no entry ever holds a webhook's signing secret or
 * address query, a wall token or a token of the centre; the audit page's filter finds them.
 * Schema 21 keeps the entries a centre already had, and still refuses an action it does not know.
 */
import { copyFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DETAIL_MAX, clipDetail, fieldChanges, webhookAddressForAudit } from '../../server/src/accounts/audit';
import { auditSentence, subjectName, type AuditFacts } from '../../src/shared/console/audit-facts';
import { CENTRE_MIGRATIONS_DIR, migrateCentre } from '../../server/src/db/migrate';
import { CONSOLE_ROUTES, IT_ROUTES, RULE_AUDIT_ACTIONS, type AuditEntry, type RuleAuditAction } from '../../src/shared/console/contract';
import { FOLLOW_UP_ROUTES } from '../../src/shared/console/follow-up-contract';
import { HALL_ROUTES, type NewWallToken } from '../../src/shared/console/hall-contract';
import { DEFAULT_ALERT_RULES, LIVE_ROUTES } from '../../src/shared/console/live-contract';
import { DEFAULT_WINDOW_RULES } from '../../src/shared/console/hall-contract';
import { openTestDatabase, type TestDatabase } from '../sync/support/backends';
import { tempDir } from '../support/tmp';
import { BACKENDS, openItDatabase, startItCentre, terminalKey, type ItCentre } from './it-helpers';
import type { ConsoleSession } from './support/console-session';

const ADMIN_TOKEN = 'console-test-admin-token-0123456789';
const SIGNING_SECRET = 'whsec-never-in-the-log-0123456789';
const QUERY_KEY = 'query-key-never-in-the-log';

describe.each(BACKENDS)('the audit log of rule changes on %s', (backend) => {
  let database: TestDatabase;
  let centre: ItCentre;
  let admin: ConsoleSession;
  /** Every secret a test handed the centre: no audit entry may hold any of them. */
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
    secrets.push(ADMIN_TOKEN, SIGNING_SECRET, QUERY_KEY);
  });
  afterEach(async () => {
    // Whatever a test did, the whole audit log is free of the secrets it handed over.
    const rows = await database.db.query<{ text: string }>("SELECT concat_ws(' ', action, actor, subject, detail, address) AS text FROM console_audit");
    for (const row of rows) for (const secret of secrets) expect(row.text).not.toContain(secret);
    await centre.close();
  });

  /** The rule-change entries, oldest first. */
  const entries = async (action?: RuleAuditAction) =>
    database.db.query<{ action: string; actor: string | null; subject: string | null; detail: string; address: string | null }>(
      `SELECT action, actor, subject, detail, address FROM console_audit WHERE action = ANY($1::text[]) ORDER BY id`,
      [action ? [action] : [...RULE_AUDIT_ACTIONS]],
    );

  it('alert rules: one entry with the changed field before → after; a refused or forbidden change leaves none', async () => {
    const rules = structuredClone(DEFAULT_ALERT_RULES);
    rules.poorBurst.count = 4;
    rules.overdue.enabled = false;
    expect((await centre.call(admin, 'PUT', LIVE_ROUTES.alertRules, { body: rules })).status).toBe(200);
    expect(await entries()).toEqual([
      { action: 'alert_rule_changed', actor: 'wang.admin', subject: 'poorBurst, overdue', detail: 'Poor ratings bunched · at least: 2 → 4; Overdue · on: on → off', address: '127.0.0.1' },
    ]);

    const refused = await centre.call(admin, 'PUT', LIVE_ROUTES.alertRules, { body: { ...rules, poorBurst: { ...rules.poorBurst, count: 1 } } });
    expect(refused.status).toBe(400);
    const supervisor = await centre.as('supervisor');
    expect((await centre.call(supervisor, 'PUT', LIVE_ROUTES.alertRules, { body: DEFAULT_ALERT_RULES })).status).toBe(403);
    expect(await entries()).toHaveLength(1);
  });

  it('webhooks: added and disabled each leave one entry with the address but never the secret, the credentials, a key in the path or the query', async () => {
    secrets.push('hook-password');
    const url = `https://alerts:hook-password@hooks.example.org/cordial/in?key=${QUERY_KEY}#frag`;
    const made = await centre.call(admin, 'POST', LIVE_ROUTES.webhooks, { body: { url, secret: SIGNING_SECRET, rules: ['overdue'], description: '值班群' } });
    expect(made.status).toBe(201);
    const id = Number(made.body.id);
    // Refused: a secret too short, an address that is no address.
    expect((await centre.call(admin, 'POST', LIVE_ROUTES.webhooks, { body: { url: 'https://hooks.example.org/x', secret: 'short' } })).status).toBe(400);
    expect((await centre.call(admin, 'POST', LIVE_ROUTES.webhooks, { body: { url: 'ftp://hooks.example.org/x', secret: SIGNING_SECRET } })).status).toBe(400);

    // A group bot's address carries its key in the path: the key is left out too.
    const botKey = '0f6c2a9e-41b7-4c3d-9a55-7e21c0d8b3f4';
    secrets.push(botKey);
    const bot = await centre.call(admin, 'POST', LIVE_ROUTES.webhooks, { body: { url: `https://open.example.cn/open-apis/bot/v2/hook/${botKey}`, secret: SIGNING_SECRET } });
    expect(bot.status).toBe(201);

    expect((await centre.call(admin, 'DELETE', LIVE_ROUTES.webhook, { params: { id } })).status).toBe(200);
    // Disabling it again changes nothing and adds nothing; an unknown one is not found.
    expect((await centre.call(admin, 'DELETE', LIVE_ROUTES.webhook, { params: { id } })).status).toBe(200);
    expect((await centre.call(admin, 'DELETE', LIVE_ROUTES.webhook, { params: { id: 999 } })).status).toBe(404);

    expect(await entries()).toEqual([
      {
        action: 'webhook_changed',
        actor: 'wang.admin',
        subject: `#${id}`,
        detail: 'added: https://hooks.example.org/cordial/in (credentials, keys and query left out), alerts Overdue, "值班群"',
        address: '127.0.0.1',
      },
      {
        action: 'webhook_changed',
        actor: 'wang.admin',
        subject: `#${Number(bot.body.id)}`,
        detail: 'added: https://open.example.cn/open-apis/bot/v2/hook/… (credentials, keys and query left out), alerts all',
        address: '127.0.0.1',
      },
      { action: 'webhook_changed', actor: 'wang.admin', subject: `#${id}`, detail: 'disabled: https://hooks.example.org/cordial/in (credentials, keys and query left out)', address: '127.0.0.1' },
    ]);
  });

  it('the calendar: a year set says the days added and taken away; an import says its counts; a wrong day or file leaves none', async () => {
    const year = (y: number) => ({ params: { year: y } });
    const set = await centre.call(admin, 'PUT', FOLLOW_UP_ROUTES.calendar, { ...year(2026), body: { holidays: ['2026-10-01', '2026-10-02'], workdays: ['2026-09-27'] } });
    expect(set.status).toBe(200);
    const again = await centre.call(admin, 'PUT', FOLLOW_UP_ROUTES.calendar, { ...year(2026), body: { holidays: ['2026-10-01', '2026-10-05'], workdays: ['2026-09-27'] } });
    expect(again.status).toBe(200);
    // 2026-10-03 is a Saturday: a day off already, refused with a sentence.
    const refused = await centre.call(admin, 'PUT', FOLLOW_UP_ROUTES.calendar, { ...year(2026), body: { holidays: ['2026-10-03'], workdays: [] } });
    expect(refused.status).toBe(400);
    const badFile = await centre.call(admin, 'POST', FOLLOW_UP_ROUTES.calendarImport, { body: { text: '2027-01-01 休\n2027-13-01 休\n' } });
    expect(badFile.status).toBe(400);
    const imported = await centre.call(admin, 'POST', FOLLOW_UP_ROUTES.calendarImport, {
      body: { text: '# 2027\n2027-01-01 休\n2027-02-08 休\n2027-02-09 休\n2027-02-06 班\n2028-01-03 休\n' },
    });
    expect(imported.status).toBe(200);

    expect(await entries()).toEqual([
      {
        action: 'calendar_changed',
        actor: 'wang.admin',
        subject: '2026',
        detail: 'holidays added 2026-10-01 2026-10-02; working weekend days added 2026-09-27; now 2 holidays and 1 working weekend day',
        address: '127.0.0.1',
      },
      { action: 'calendar_changed', actor: 'wang.admin', subject: '2026', detail: 'holidays added 2026-10-05; holidays removed 2026-10-02; now 2 holidays and 1 working weekend day', address: '127.0.0.1' },
      {
        action: 'calendar_changed',
        actor: 'wang.admin',
        subject: '2027, 2028',
        detail: 'imported from a calendar file: 2027 with 3 holidays and 1 working weekend day; 2028 with 1 holiday and 0 working weekend days',
        address: '127.0.0.1',
      },
    ]);
  });

  it('follow-up working days and the settings a script replaces: before → after, with the token named but never its value', async () => {
    expect((await centre.call(admin, 'PUT', FOLLOW_UP_ROUTES.followUpSettings, { body: { workingDays: 5 } })).status).toBe(200);
    expect((await centre.call(admin, 'PUT', FOLLOW_UP_ROUTES.followUpSettings, { body: { workingDays: 0 } })).status).toBe(400);

    const settings = (await centre.v1('GET', '/v1/admin/settings', ADMIN_TOKEN)).body;
    const changed = { ...settings, privacy: { phoneRetentionDays: 30 } };
    expect((await centre.v1('PUT', '/v1/admin/settings', ADMIN_TOKEN, changed)).status).toBe(200);
    // Refused: a retention of no days, and a wrong token.
    expect((await centre.v1('PUT', '/v1/admin/settings', ADMIN_TOKEN, { ...settings, privacy: { phoneRetentionDays: 0 } })).status).toBe(400);
    expect((await centre.v1('PUT', '/v1/admin/settings', 'not-the-admin-token', changed)).status).toBe(401);

    expect(await entries()).toEqual([
      { action: 'settings_changed', actor: 'wang.admin', subject: 'followUp.workingDays', detail: 'Follow-up deadline (working days): 15 → 5', address: '127.0.0.1' },
      {
        action: 'settings_changed',
        actor: 'admin',
        subject: 'privacy',
        detail: "with the centre's admin token: Callback phone kept (days): 90 → 30",
        address: '127.0.0.1',
      },
    ]);
    // The stored settings are the ones the entry speaks of.
    expect((await centre.v1('GET', '/v1/admin/settings', ADMIN_TOKEN)).body).toMatchObject({ privacy: { phoneRetentionDays: 30 }, followUp: { workingDays: 5 } });
  });

  it("window rules and a window's hours: one entry each with what changed; out-of-range values and unknown windows leave none", async () => {
    const rules = structuredClone(DEFAULT_WINDOW_RULES);
    rules.longPause.defaultLimitMinutes = 45;
    rules.longCase.byItem = { 'ITEM-9': 90 };
    expect((await centre.call(admin, 'PUT', HALL_ROUTES.windowRules, { body: rules })).status).toBe(200);
    expect((await centre.call(admin, 'PUT', HALL_ROUTES.windowRules, { body: { ...rules, keypadOffline: { enabled: true, minutes: 100_000 } } })).status).toBe(400);

    expect((await centre.call(admin, 'PUT', IT_ROUTES.window, { params: { windowNo: '7' }, body: { departmentCode: 'D1', departmentName: '市场监管' } })).status).toBe(200);
    const hours = { opensAt: ['08:30', '08:30', '08:30', '08:30', '08:30', null, null], closesAt: ['17:30', '17:30', '17:30', '17:30', '17:00', null, null], pauseLimitMinutes: 20, floor: '2F' };
    expect((await centre.call(admin, 'PUT', HALL_ROUTES.windowSchedule, { params: { windowNo: '7' }, body: hours })).status).toBe(200);
    // Opening after closing, and a window the centre does not know.
    expect((await centre.call(admin, 'PUT', HALL_ROUTES.windowSchedule, { params: { windowNo: '7' }, body: { ...hours, opensAt: ['18:00', null, null, null, null, null, null] } })).status).toBe(400);
    expect((await centre.call(admin, 'PUT', HALL_ROUTES.windowSchedule, { params: { windowNo: '99' }, body: hours })).status).toBe(404);

    expect(await entries()).toEqual([
      {
        action: 'window_rules_changed',
        actor: 'wang.admin',
        subject: 'longPause, longCase',
        detail: 'Pause too long · default limit (minutes): 30 → 45; Case too long · item ITEM-9 limit (minutes): — → 90',
        address: '127.0.0.1',
      },
      {
        action: 'window_rules_changed',
        actor: 'wang.admin',
        subject: '7',
        detail:
          'hours of window 7: Opens (Monday to Sunday): — — — — — — — → 08:30 08:30 08:30 08:30 08:30 — —; Closes (Monday to Sunday): — — — — — — — → 17:30 17:30 17:30 17:30 17:00 — —; Pause limit (minutes): — → 20; Floor: — → 2F',
        address: '127.0.0.1',
      },
    ]);
  });

  it("a service item's information: its fields and materials before → after; a bad body leaves none; a script's whole list says its counts", async () => {
    const path = { params: { itemCode: 'SX-001', itemVersion: '2' } };
    const material = (name: string, form: 'original' | 'copy' = 'original') => ({ name, form, count: 1 });
    const first = await centre.call(admin, 'PUT', IT_ROUTES.item, {
      ...path,
      body: { name: '营业执照变更', departmentCode: 'D1', departmentName: '市场监管', serviceInfo: { materials: [material('身份证')], promisedTime: { kind: 'on_the_spot' } } },
    });
    expect(first.status).toBe(200);
    const second = await centre.call(admin, 'PUT', IT_ROUTES.item, {
      ...path,
      body: {
        name: '营业执照变更登记',
        departmentCode: 'D1',
        departmentName: '市场监管',
        serviceInfo: { materials: [material('身份证'), material('营业执照', 'copy')], promisedTime: { kind: 'working_days', days: 3 }, fees: '不收费' },
      },
    });
    expect(second.status).toBe(200);
    const refused = await centre.call(admin, 'PUT', IT_ROUTES.item, { ...path, body: { name: '营业执照变更', serviceInfo: { materials: [{ name: '身份证', form: 'scan' }] } } });
    expect(refused.status).toBe(400);
    const viewer = await centre.as('viewer');
    expect((await centre.call(viewer, 'PUT', IT_ROUTES.item, { ...path, body: { name: 'x' } })).status).toBe(403);

    const list = [
      { itemCode: 'SX-001', itemVersion: '2', name: '营业执照变更登记', serviceInfo: { materials: [material('身份证')] } },
      { itemCode: 'SX-002', itemVersion: '1', name: '食品经营许可' },
    ];
    expect((await centre.v1('PUT', '/v1/admin/items', ADMIN_TOKEN, list)).status).toBe(200);

    expect(await entries()).toEqual([
      { action: 'item_info_changed', actor: 'wang.admin', subject: 'SX-001 v2', detail: 'added "营业执照变更"; materials added: 身份证 (original ×1); materials: 0 → 1', address: '127.0.0.1' },
      {
        action: 'item_info_changed',
        actor: 'wang.admin',
        subject: 'SX-001 v2',
        detail: 'Name: 营业执照变更 → 营业执照变更登记; Promised time: on the spot → 3 working days; Fees: — → 不收费; materials added: 营业执照 (copy ×1); materials: 1 → 2',
        address: '127.0.0.1',
      },
      {
        action: 'item_info_changed',
        actor: 'admin',
        subject: null,
        detail: "with the centre's admin token: the whole item list replaced with 2 items, 1 of them with service information; items not listed were made inactive",
        address: '127.0.0.1',
      },
    ]);
  });

  it('wall tokens and terminal tokens: made, revoked and rotated each leave one entry without the token; a refused one leaves none', async () => {
    const made = await centre.call(admin, 'POST', HALL_ROUTES.wallTokens, { body: { name: '一楼大厅' } });
    expect(made.status).toBe(200);
    const wall = made.body as unknown as NewWallToken;
    secrets.push(wall.token, wall.address);
    expect((await centre.call(admin, 'POST', HALL_ROUTES.wallTokens, { body: { name: '' } })).status).toBe(400);
    expect((await centre.call(admin, 'POST', HALL_ROUTES.revokeWallToken, { params: { id: wall.id } })).status).toBe(200);
    expect((await centre.call(admin, 'POST', HALL_ROUTES.revokeWallToken, { params: { id: wall.id } })).status).toBe(409);

    const code = await centre.call(admin, 'POST', IT_ROUTES.enrolmentCodes, { body: { windowNo: '3' } });
    const enrolled = await centre.v1('POST', '/v1/enrol', null, { code: code.body.code, terminalId: 'T-3', publicKey: terminalKey() });
    expect(enrolled.status).toBe(200);
    secrets.push(String(enrolled.body.token));
    expect((await centre.call(admin, 'POST', IT_ROUTES.rotateTerminalToken, { params: { terminalId: 'T-3' } })).status).toBe(200);
    expect((await centre.call(admin, 'POST', IT_ROUTES.revokeTerminal, { params: { terminalId: 'T-3' } })).status).toBe(200);
    // Revoked already: nothing changes, nothing is added; a revoked terminal gets no rotation; an unknown one is not found.
    expect((await centre.call(admin, 'POST', IT_ROUTES.revokeTerminal, { params: { terminalId: 'T-3' } })).status).toBe(200);
    expect((await centre.call(admin, 'POST', IT_ROUTES.rotateTerminalToken, { params: { terminalId: 'T-3' } })).status).toBe(409);
    expect((await centre.call(admin, 'POST', IT_ROUTES.revokeTerminal, { params: { terminalId: 'T-404' } })).status).toBe(404);

    expect(await entries()).toEqual([
      { action: 'wall_token_changed', actor: 'wang.admin', subject: `#${wall.id}`, detail: 'created for the display "一楼大厅"', address: '127.0.0.1' },
      { action: 'wall_token_changed', actor: 'wang.admin', subject: `#${wall.id}`, detail: 'revoked: the display "一楼大厅" stops showing the hall', address: '127.0.0.1' },
      { action: 'terminal_token_changed', actor: 'wang.admin', subject: 'T-3', detail: 'rotation asked for: the terminal takes a new token at its next call', address: '127.0.0.1' },
      { action: 'terminal_token_changed', actor: 'wang.admin', subject: 'T-3', detail: 'revoked: the terminal is refused until it enrols again', address: '127.0.0.1' },
    ]);
  });

  it("the audit page's filter finds the entries of one kind, newest first, and the user filter finds them by who made them", async () => {
    await centre.call(admin, 'PUT', FOLLOW_UP_ROUTES.calendar, { params: { year: 2026 }, body: { holidays: ['2026-10-01'], workdays: [] } });
    const rules = structuredClone(DEFAULT_WINDOW_RULES);
    rules.notOpen.graceMinutes = 15;
    await centre.call(admin, 'PUT', HALL_ROUTES.windowRules, { body: rules });
    const other = await centre.as('admin', null, 'li.admin');
    await centre.call(other, 'PUT', FOLLOW_UP_ROUTES.calendar, { params: { year: 2026 }, body: { holidays: ['2026-10-01', '2026-10-02'], workdays: [] } });

    const read = async (query: Record<string, string>) => (await centre.call(admin, 'GET', CONSOLE_ROUTES.audit, { query })).body.entries as AuditEntry[];
    expect((await read({ action: 'calendar_changed' })).map((e) => [e.actor, e.detail])).toEqual([
      ['li.admin', 'holidays added 2026-10-02; now 2 holidays and 0 working weekend days'],
      ['wang.admin', 'holidays added 2026-10-01; now 1 holiday and 0 working weekend days'],
    ]);
    const windowRules = await read({ action: 'window_rules_changed', user: 'wang.admin' });
    expect(windowRules.map((e) => e.detail)).toEqual(['Window not open · grace (minutes): 10 → 15']);
    // The page words the entry's facts in the reader's language.
    expect(windowRules.map((e) => e.facts && auditSentence(e.facts, 'zh'))).toEqual(['未按时开窗 · 开窗后宽限（分钟）：10 → 15']);
    expect(await read({ action: 'window_rules_changed', user: 'li.admin' })).toEqual([]);
    // An action the log does not know is refused with a sentence, not read as "all".
    const unknown = await centre.call(admin, 'GET', CONSOLE_ROUTES.audit, { query: { action: 'rules_deleted' } });
    expect(unknown.status).toBe(400);
  });
});

describe.each(BACKENDS)('schema 21 (audit of rule changes) on %s', (backend) => {
  it('keeps the sign-ins already logged, takes the rule changes, and still refuses an action it does not know', async () => {
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
      await db.query("INSERT INTO console_audit (at, action, actor, detail, address) VALUES ($1, 'sign_in', 'wang.admin', '', '10.0.0.5')", [at]);
      // Before the upgrade a rule change could not be logged at all.
      await expect(db.query("INSERT INTO console_audit (at, action, actor) VALUES ($1, 'calendar_changed', 'wang.admin')", [at])).rejects.toThrow(/console_audit_action_check/);

      for (const f of files) copyFileSync(join(CENTRE_MIGRATIONS_DIR, f), join(dir, f));
      expect(await migrateCentre(db, dir)).toEqual(files.filter((n) => n >= '0021'));
      for (const action of RULE_AUDIT_ACTIONS) await db.query("INSERT INTO console_audit (at, action, actor, subject, detail) VALUES ($1, $2, 'wang.admin', '2026', 'changed')", [at, action]);
      await expect(db.query("INSERT INTO console_audit (at, action, actor) VALUES ($1, 'rules_deleted', 'wang.admin')", [at])).rejects.toThrow(/console_audit_action_check/);
      expect(await db.query('SELECT action, actor, address FROM console_audit ORDER BY id LIMIT 1')).toEqual([{ action: 'sign_in', actor: 'wang.admin', address: '10.0.0.5' }]);
      expect(await db.query<{ n: number }>('SELECT count(*)::integer AS n FROM console_audit')).toEqual([{ n: 1 + RULE_AUDIT_ACTIONS.length }]);
    } finally {
      await database.close();
    }
  });
});

describe('what an audit entry says', () => {
  it('names each changed field once, a list of plain values as one field, and cuts a long change with a count of the rest', () => {
    expect(fieldChanges({ a: { b: 1, c: [1, null] }, rows: [{ x: 1 }] }, { a: { b: 2, c: [1, null] }, rows: [{ x: 1 }, { x: 2 }], d: 'new' })).toEqual([
      { field: 'a.b', before: '1', after: '2' },
      { field: 'rows', before: '1', after: '2' },
      { field: 'd', before: null, after: 'new' },
    ]);
    expect(auditSentence({ kind: 'fields', changes: fieldChanges({ a: 1 }, { a: 1 }) }, 'zh')).toBe('已保存，没有改动');
    const names = Object.fromEntries(Array.from({ length: 80 }, (_, i) => [`field${i}`, `列名${i}`]));
    const changes = fieldChanges({ export: { fieldNames: {} } }, { export: { fieldNames: names } });
    expect(changes).toHaveLength(31);
    expect(changes[30]).toEqual({ field: '…', before: null, after: '+50' });
    const sentence = clipDetail(auditSentence({ kind: 'fields', changes }, 'en'));
    expect(sentence.length).toBeLessThanOrEqual(DETAIL_MAX + 30);
    expect(sentence).toMatch(/^Export column name · field0: — → 列名0; .*… \(\d+ more characters\)$/);
  });

  it('words the same facts in Chinese and in English', () => {
    const facts: AuditFacts = { kind: 'fields', changes: [{ field: 'longPause.enabled', before: 'true', after: 'false' }], token: 'nightly-sync' };
    expect(auditSentence(facts, 'zh')).toBe('使用接口令牌“nightly-sync”：暂停超时 · 启用：开 → 关');
    expect(auditSentence(facts, 'en')).toBe('with the API token "nightly-sync": Pause too long · on: on → off');
    const unknown: AuditFacts = { kind: 'fields', changes: [{ field: 'someday.newRule', before: '1', after: '2' }] };
    expect(auditSentence(unknown, 'zh')).toBe('someday.newRule：1 → 2');
    // Subjects: the rules named in words, ids as they are.
    expect(subjectName('poorBurst, overdue', 'zh')).toBe('差评集中、已逾期');
    expect(subjectName('followUp.workingDays', 'en')).toBe('Follow-up deadline (working days)');
    expect(subjectName('SX-001 v2', 'zh')).toBe('SX-001 v2');
  });

  it('keeps a webhook address without what could carry a credential, and says when something was left out', () => {
    expect(webhookAddressForAudit('https://hooks.example.org:8443/cordial/in')).toEqual({ address: 'https://hooks.example.org:8443/cordial/in', trimmed: false });
    expect(webhookAddressForAudit('http://u:p@10.0.0.9/in?token=abc#x')).toEqual({ address: 'http://10.0.0.9/in', trimmed: true });
  });
});
