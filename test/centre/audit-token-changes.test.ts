/**
 * Who changed who may call the centre, on a real PostgreSQL and on PGlite: a script with the
 * admin token making and revoking API tokens, revoking a terminal, allowing its replacement or
 * a new epoch. Each change leaves exactly one audit entry, in the change's transaction, naming
 * the script's token by its name, the API token or terminal, and what changed; a refused
 * change, or one that changes nothing, leaves none; no entry ever holds a token's value or
 * its hash. Schema 21 takes these actions on a centre upgraded from schema 20.
 */
import { copyFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CENTRE_MIGRATIONS_DIR, migrateCentre } from '../../server/src/db/migrate';
import { tokenHash } from '../../server/src/http/tokens';
import { createSyncClient } from '../../src/core/sync';
import { auditSentence, type AuditFacts } from '../../src/shared/console/audit-facts';
import { ACCESS_AUDIT_ACTIONS, CONSOLE_ROUTES, IT_ROUTES, type AuditEntry } from '../../src/shared/console/contract';
import { openTestDatabase, type TestDatabase } from '../sync/support/backends';
import { openTerminal, serveCase, type Terminal } from '../sync/support/terminal';
import { tempDir } from '../support/tmp';
import { BACKENDS, openItDatabase, startItCentre, terminalKey, type ItCentre } from './it-helpers';
import type { ConsoleSession } from './support/console-session';

const ADMIN_TOKEN = 'console-test-admin-token-0123456789';
/** The actions these changes write: the new ones, and a terminal's revocation, which the console's revoke writes too. */
const ACTIONS = [...ACCESS_AUDIT_ACTIONS, 'terminal_token_changed'];

describe.each(BACKENDS)('the audit log of token and terminal changes on %s', (backend) => {
  let database: TestDatabase;
  let centre: ItCentre;
  let admin: ConsoleSession;
  const kiosks: Terminal[] = [];
  /** Every token a test handed out or used: no audit entry may hold one, nor its hash. */
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
    secrets.push(ADMIN_TOKEN, tokenHash(ADMIN_TOKEN));
  });
  afterEach(async () => {
    // Whatever a test did, the whole audit log is free of every token and hash the centre holds or was handed.
    const held = await database.db.query<{ hash: string }>(
      'SELECT token_hash AS hash FROM api_tokens UNION ALL SELECT token_hash FROM terminals UNION ALL SELECT previous_token_hash FROM terminals WHERE previous_token_hash IS NOT NULL',
    );
    const rows = await database.db.query<{ text: string }>("SELECT concat_ws(' ', action, actor, subject, detail, facts::text, address) AS text FROM console_audit");
    for (const row of rows) for (const secret of [...secrets, ...held.map((h) => h.hash)]) expect(row.text).not.toContain(secret);
    for (const t of kiosks.splice(0)) t.kiosk.close();
    await centre.close();
  });

  const entries = async () =>
    database.db.query<{ action: string; actor: string | null; subject: string | null; detail: string; address: string | null }>(
      'SELECT action, actor, subject, detail, address FROM console_audit WHERE action = ANY($1::text[]) ORDER BY id',
      [ACTIONS],
    );
  const factsOf = async () => (await database.db.query<{ facts: AuditFacts }>('SELECT facts FROM console_audit WHERE action = ANY($1::text[]) ORDER BY id', [ACTIONS])).map((r) => r.facts);
  const byScript = (action: string, subject: string, detail: string) => ({ action, actor: 'admin', subject, detail: `with the centre's admin token: ${detail}`, address: '127.0.0.1' });

  it('API tokens: made and revoked each leave one entry with the name and roles, never the token; refusals leave none', async () => {
    const made = await centre.v1('POST', '/v1/admin/api-tokens', ADMIN_TOKEN, { name: 'quality office', roles: ['reports'] });
    expect(made.status).toBe(201);
    const reader = String(made.body.token);
    secrets.push(reader, tokenHash(reader));
    expect((await centre.v1('GET', '/v1/reports/integrity-alerts', reader)).status).toBe(200);
    const desk = await centre.v1('POST', '/v1/admin/api-tokens', ADMIN_TOKEN, { name: 'follow-up desk', roles: ['follow_up', 'reports'] });
    expect(desk.status).toBe(201);
    // A second token of the same name, for a second machine.
    const second = await centre.v1('POST', '/v1/admin/api-tokens', ADMIN_TOKEN, { name: 'quality office', roles: ['reports'] });
    secrets.push(String(desk.body.token), String(second.body.token));

    // Refused: no role, a role a token cannot have, no name, a reader making a token, no token at all.
    expect((await centre.v1('POST', '/v1/admin/api-tokens', ADMIN_TOKEN, { name: 'x', roles: [] })).status).toBe(400);
    expect((await centre.v1('POST', '/v1/admin/api-tokens', ADMIN_TOKEN, { name: 'x', roles: ['admin'] })).status).toBe(400);
    expect((await centre.v1('POST', '/v1/admin/api-tokens', ADMIN_TOKEN, { name: ' ', roles: ['reports'] })).status).toBe(400);
    expect((await centre.v1('POST', '/v1/admin/api-tokens', reader, { name: 'mine', roles: ['reports'] })).status).toBe(403);
    expect((await centre.v1('POST', '/v1/admin/api-tokens', null, { name: 'mine', roles: ['reports'] })).status).toBe(401);

    // Revoking by name ends both tokens of that name at once; the other name keeps working.
    const revoked = await centre.v1('POST', '/v1/admin/api-tokens/revoke', ADMIN_TOKEN, { name: 'quality office' });
    expect(revoked.status).toBe(200);
    expect(revoked.body.tokens).toBe(2);
    expect((await centre.v1('GET', '/v1/reports/integrity-alerts', reader)).status).toBe(401);
    expect((await centre.v1('GET', '/v1/reports/integrity-alerts', String(second.body.token))).status).toBe(401);
    expect((await centre.v1('GET', '/v1/reports/integrity-alerts', String(desk.body.token))).status).toBe(200);
    // Revoking again, or a name nobody holds, is not found and leaves nothing; a reader cannot revoke.
    const again = await centre.v1('POST', '/v1/admin/api-tokens/revoke', ADMIN_TOKEN, { name: 'quality office' });
    expect(again.status).toBe(404);
    expect(again.body.error).toMatchObject({ code: 'not-found', message: expect.stringContaining('no API token named "quality office" is in use') });
    expect((await centre.v1('POST', '/v1/admin/api-tokens/revoke', ADMIN_TOKEN, { name: 'Quality Office' })).status).toBe(404);
    expect((await centre.v1('POST', '/v1/admin/api-tokens/revoke', ADMIN_TOKEN, {})).status).toBe(400);
    expect((await centre.v1('POST', '/v1/admin/api-tokens/revoke', String(desk.body.token), { name: 'follow-up desk' })).status).toBe(403);

    expect(await entries()).toEqual([
      byScript('api_token_changed', 'quality office', 'API token made, roles: reports'),
      byScript('api_token_changed', 'follow-up desk', 'API token made, roles: follow-up (sees callback phones in full), reports'),
      byScript('api_token_changed', 'quality office', 'API token made, roles: reports'),
      byScript('api_token_changed', 'quality office', 'revoked 2 API tokens of this name: scripts using them are refused from now on'),
    ]);
    // The page words the same facts in Chinese.
    expect((await factsOf()).map((f) => auditSentence(f, 'zh'))).toEqual([
      '使用中心管理令牌：新建接口令牌，权限：读报表',
      '使用中心管理令牌：新建接口令牌，权限：回访（看完整回访电话）、读报表',
      '使用中心管理令牌：新建接口令牌，权限：读报表',
      '使用中心管理令牌：吊销此名称的 2 个接口令牌：使用它们的脚本从此被拒绝',
    ]);
    expect(await database.db.query('SELECT name, revoked_at IS NOT NULL AS revoked FROM api_tokens ORDER BY created_at, name')).toEqual(
      expect.arrayContaining([
        { name: 'quality office', revoked: true },
        { name: 'follow-up desk', revoked: false },
      ]),
    );
  });

  it("a terminal by script: a new epoch allowed, its replacement allowed and its revocation each leave one entry; a repeat or an unknown terminal leaves none", async () => {
    // A real kiosk at window 3, which has uploaded its first epoch.
    const t = openTerminal({ clock: centre.clock, windowNo: '3' });
    kiosks.push(t);
    const code = await centre.call(admin, 'POST', IT_ROUTES.enrolmentCodes, { body: { windowNo: '3' } });
    secrets.push(String(code.body.code));
    const client = createSyncClient({ db: t.kiosk.db, terminalId: t.kiosk.terminal.terminalId, centreUrl: centre.url, clock: t.clock, retry: { attempts: 1 } });
    expect((await client.enrol(String(code.body.code))).ok).toBe(true);
    serveCase(t, 1);
    expect(await client.syncNow()).toMatchObject({ ok: true });
    const kioskId = t.kiosk.terminal.terminalId;
    const terminal = (id: string, action: string) => `/v1/admin/terminals/${id}/${action}`;

    const allowed = await centre.v1('POST', terminal(kioskId, 'allow-epoch'), ADMIN_TOKEN);
    expect(allowed.status).toBe(200);
    expect(allowed.body.epochAllowed).toBe(2);
    // Allowing the same epoch again changes nothing.
    expect((await centre.v1('POST', terminal(kioskId, 'allow-epoch'), ADMIN_TOKEN)).status).toBe(200);
    expect((await centre.v1('POST', terminal(kioskId, 'replace'), ADMIN_TOKEN)).status).toBe(200);
    // Its token stops at once: the next case's upload is refused.
    serveCase(t, 2);
    expect(await client.syncNow()).toMatchObject({ ok: false });
    expect((await centre.v1('POST', terminal(kioskId, 'replace'), ADMIN_TOKEN)).status).toBe(200);
    // Already revoked by the replacement: revoking changes nothing.
    expect((await centre.v1('POST', terminal(kioskId, 'revoke'), ADMIN_TOKEN)).status).toBe(200);

    // A terminal enrolled by hand: revoked, then allowed a replacement.
    const handCode = await centre.v1('POST', '/v1/admin/enrolment-codes', ADMIN_TOKEN, { windowNo: '5' });
    secrets.push(String(handCode.body.code));
    const enrolled = await centre.v1('POST', '/v1/enrol', null, { code: handCode.body.code, terminalId: 'T-5', publicKey: terminalKey() });
    expect(enrolled.status).toBe(200);
    secrets.push(String(enrolled.body.token));
    expect((await centre.v1('GET', '/v1/config', String(enrolled.body.token))).status).toBe(200);
    expect((await centre.v1('POST', terminal('T-5', 'revoke'), ADMIN_TOKEN)).status).toBe(200);
    expect((await centre.v1('GET', '/v1/config', String(enrolled.body.token))).status).toBe(401);
    expect((await centre.v1('POST', terminal('T-5', 'revoke'), ADMIN_TOKEN)).status).toBe(200);
    expect((await centre.v1('POST', terminal('T-5', 'replace'), ADMIN_TOKEN)).status).toBe(200);

    // Refused: an unknown terminal, a caller without the admin token.
    for (const action of ['allow-epoch', 'replace', 'revoke']) {
      const unknown = await centre.v1('POST', terminal('T-404', action), ADMIN_TOKEN);
      expect(unknown.status).toBe(404);
      expect(unknown.body.error).toMatchObject({ code: 'not-found', message: 'no terminal T-404 is enrolled' });
      expect((await centre.v1('POST', terminal('T-5', action), 'not-the-admin-token')).status).toBe(401);
    }

    expect(await entries()).toEqual([
      byScript('terminal_changed', kioskId, "window 3's terminal allowed to start epoch 2 (after a restored database it uploads on in a new epoch, losing no records)"),
      byScript('terminal_changed', kioskId, 'replacement allowed for the terminal of window 3: its old token stops working now, and it may enrol once again with a new code'),
      byScript('terminal_token_changed', 'T-5', 'revoked: the terminal is refused until it enrols again'),
      byScript('terminal_changed', 'T-5', 'replacement allowed for the terminal of window 5: it may enrol once again with a new code'),
    ]);
    expect((await factsOf()).map((f) => auditSentence(f, 'zh'))).toEqual([
      '使用中心管理令牌：允许窗口 3 的终端开始第 2 轮记录（数据库恢复后，从新一轮继续上传，不丢记录）',
      '使用中心管理令牌：允许更换窗口 3 的终端：旧令牌即刻失效，可凭新登记码重新登记一次',
      '使用中心管理令牌：吊销：终端重新登记前被拒绝',
      '使用中心管理令牌：允许更换窗口 5 的终端：可凭新登记码重新登记一次',
    ]);
    // What the entries speak of is what the centre holds.
    expect(await database.db.query('SELECT terminal_id, epoch_allowed, revoked_at IS NOT NULL AS revoked, replace_approved_at IS NOT NULL AS replaceable FROM terminals ORDER BY terminal_id')).toEqual(
      [
        { terminal_id: kioskId, epoch_allowed: 2, revoked: true, replaceable: true },
        { terminal_id: 'T-5', epoch_allowed: null, revoked: true, replaceable: true },
      ].sort((a, b) => (a.terminal_id < b.terminal_id ? -1 : 1)),
    );
  });

  it("the audit page's filter finds token and terminal changes by action and by the script's token name", async () => {
    await centre.v1('POST', '/v1/admin/api-tokens', ADMIN_TOKEN, { name: 'quality office', roles: ['reports'] });
    const handCode = await centre.v1('POST', '/v1/admin/enrolment-codes', ADMIN_TOKEN, { windowNo: '5' });
    await centre.v1('POST', '/v1/enrol', null, { code: handCode.body.code, terminalId: 'T-5', publicKey: terminalKey() });
    await centre.v1('POST', '/v1/admin/terminals/T-5/replace', ADMIN_TOKEN);
    const read = async (query: Record<string, string>) => (await centre.call(admin, 'GET', CONSOLE_ROUTES.audit, { query })).body.entries as AuditEntry[];
    expect((await read({ action: 'api_token_changed' })).map((e) => [e.actor, e.subject, e.detail])).toEqual([
      ['admin', 'quality office', "with the centre's admin token: API token made, roles: reports"],
    ]);
    expect((await read({ action: 'terminal_changed', user: 'admin' })).map((e) => [e.subject, e.facts && auditSentence(e.facts, 'en')])).toEqual([
      ['T-5', "with the centre's admin token: replacement allowed for the terminal of window 5: its old token stops working now, and it may enrol once again with a new code"],
    ]);
    expect(await read({ action: 'terminal_changed', user: 'wang.admin' })).toEqual([]);
    // A supervisor reads no audit log at all.
    const supervisor = await centre.as('supervisor');
    expect((await centre.call(supervisor, 'GET', CONSOLE_ROUTES.audit, { query: { action: 'api_token_changed' } })).status).toBe(403);
  });
});

describe.each(BACKENDS)('schema 21 (audit of token and terminal changes) on %s', (backend) => {
  it('takes the token and terminal changes on a centre upgraded from schema 20, and keeps what it had', async () => {
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
      await expect(db.query("INSERT INTO console_audit (at, action, actor) VALUES ($1, 'api_token_changed', 'admin')", [at])).rejects.toThrow(/console_audit_action_check/);

      for (const f of files) copyFileSync(join(CENTRE_MIGRATIONS_DIR, f), join(dir, f));
      await migrateCentre(db, dir);
      for (const action of ACCESS_AUDIT_ACTIONS) await db.query("INSERT INTO console_audit (at, action, actor, subject, detail) VALUES ($1, $2, 'admin', 'T-1', 'changed')", [at, action]);
      await expect(db.query("INSERT INTO console_audit (at, action, actor) VALUES ($1, 'token_stolen', 'admin')", [at])).rejects.toThrow(/console_audit_action_check/);
      expect(await db.query('SELECT action FROM console_audit ORDER BY id')).toEqual([{ action: 'user_created' }, ...ACCESS_AUDIT_ACTIONS.map((action) => ({ action }))]);
    } finally {
      await database.close();
    }
  });
});
