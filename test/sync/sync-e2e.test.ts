/**
 * A real kiosk syncing to a real centre (PostgreSQL and PGlite): a day's records arrive
 * once each; a window restored from an old copy of its database keeps every record in a
 * new epoch; tampering on the window shows up at the centre; a revoked window stops.
 */
import Database from 'better-sqlite3';
import { copyFileSync, readFileSync } from 'node:fs';
import { gunzipSync, gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { verifyChain } from '../../src/core/outbox/outbox';
import { createSyncClient, withCentreWindowSettings } from '../../src/core/sync';
import { DATABASE_FILE } from '../../src/core/paths';
import { tempDir } from '../support/tmp';
import { BACKENDS, openTestDatabase, type TestDatabase } from './support/backends';
import { startCentre, type TestCentre } from './support/centre';
import { readCredentials } from '../../src/core/sync/credentials';
import { centreRecords, enrolledClient, localRecords } from './support/sync';
import { openTerminal, recordUntil, serveCase, type Terminal } from './support/terminal';

describe.each(BACKENDS)('kiosk to centre on %s', (backend) => {
  let database: TestDatabase;
  let centre: TestCentre;
  const open: Terminal[] = [];

  beforeAll(async () => {
    database = await openTestDatabase(backend);
  });
  afterAll(async () => {
    await database?.close();
  });
  beforeEach(async () => {
    await database.reset();
    centre = await startCentre(database.db);
  });
  afterEach(async () => {
    for (const t of open.splice(0)) t.kiosk.close();
    await centre.close();
  });
  const terminal = (options: Parameters<typeof openTerminal>[0] = {}) => {
    const t = openTerminal(options);
    open.push(t);
    return t;
  };
  const highWater = async (terminalId: string) =>
    (await database.db.query<{ epoch: number; high_water: number }>('SELECT epoch, high_water FROM terminal_epochs WHERE terminal_id = $1 ORDER BY epoch', [terminalId])).map((r) => [r.epoch, r.high_water]);

  it('sends a day once, acknowledges it, shows progress, and sends nothing twice', async () => {
    const t = terminal();
    recordUntil(t, 120);
    const { client, statuses } = await enrolledClient(t, centre, { batchSize: 50 });
    const first = await client.syncNow();
    expect(first).toMatchObject({ ok: true, sent: 120, pending: 0 });
    expect(statuses.some((s) => s.state === 'syncing' && s.progress?.total === 120 && s.progress.sent === 50)).toBe(true);
    expect(t.kiosk.snapshot().sync).toMatchObject({ state: 'idle', pending: 0, progress: null });
    expect(t.kiosk.snapshot().sync.lastSuccessAt).not.toBeNull();
    expect(await highWater(t.kiosk.terminal.terminalId)).toEqual([[1, 120]]);
    const held = await centreRecords(centre, t.kiosk.terminal.terminalId);
    expect(held.map((r) => r.hash)).toEqual(localRecords(t).map((r) => r.hash));

    const again = await client.syncNow();
    expect(again).toMatchObject({ ok: true, sent: 0 });
    serveCase(t, 4);
    expect(await client.syncNow()).toMatchObject({ ok: true, sent: 3, pending: 0 });
    expect(await highWater(t.kiosk.terminal.terminalId)).toEqual([[1, 123]]);
    expect(Number((await database.db.query<{ n: number }>('SELECT count(*)::integer AS n FROM records'))[0]!.n)).toBe(123);
  });

  it('keeps every record when the window goes back to an old copy of its database', async () => {
    const t = terminal();
    const { dataDir, clock } = t;
    const terminalId = t.kiosk.terminal.terminalId;
    recordUntil(t, 20);
    const { client } = await enrolledClient(t, centre);
    expect(await client.syncNow()).toMatchObject({ ok: true });
    recordUntil(t, 30);
    const backup = join(tempDir(), 'backup.db');
    t.kiosk.db.prepare('VACUUM INTO ?').run(backup);
    recordUntil(t, 45);
    expect(await client.syncNow()).toMatchObject({ ok: true });
    const beforeRestore = await centreRecords(centre, terminalId);
    expect(beforeRestore).toHaveLength(45);

    // The disk is replaced; IT restores last week's copy and the window works on.
    t.kiosk.close();
    open.splice(open.indexOf(t), 1);
    copyFileSync(backup, join(dataDir, DATABASE_FILE));
    const restored = terminal({ dataDir, clock });
    recordUntil(restored, 42);
    const afterRestore = localRecords(restored).filter((r) => r.seq > 30);
    expect(afterRestore).toHaveLength(12);
    const sync = await enrolledClientless(restored);
    const result = await sync.syncNow();
    expect(result).toMatchObject({ ok: true, epochsStarted: 1, pending: 0 });

    // The window keeps recording into the new epoch.
    serveCase(restored, 2);
    expect(await sync.syncNow()).toMatchObject({ ok: true, sent: 3, pending: 0 });

    const held = await centreRecords(centre, terminalId);
    expect(held.filter((r) => r.epoch === 1)).toEqual(beforeRestore);
    const epoch2 = held.filter((r) => r.epoch === 2);
    expect(epoch2.map((r) => r.kind)).toEqual(['epoch_started', ...afterRestore.map((r) => r.kind), 'case_opened', 'case_closed', 'rating']);
    expect(epoch2.slice(1, 13).map((r) => JSON.parse(r.payload) as unknown)).toEqual(afterRestore.map((r) => JSON.parse(r.payload) as unknown));
    expect(await highWater(terminalId)).toEqual([[1, 45], [2, 16]]);
    const alerts = await database.db.query<{ kind: string; seq_from: number }>('SELECT kind, seq_from FROM integrity_alerts');
    expect(alerts).toEqual([{ kind: 'seq_regression', seq_from: 31 }]);
    expect(verifyChain(restored.kiosk.db)).toMatchObject({ ok: true });
    expect(localRecords(restored).every((r) => r.acked_at !== null)).toBe(true);

    async function enrolledClientless(t2: Terminal) {
      // The restored copy still holds the enrolment: no new code is needed.
      const { createSyncClient } = await import('../../src/core/sync');
      return createSyncClient({ db: t2.kiosk.db, terminalId, centreUrl: centre.url, retry: { attempts: 5, baseMs: 10, capMs: 50 } });
    }
  });

  it('restored from a copy taken while records were still unsent: the centre’s high-water mark acknowledges nothing it did not compare', async () => {
    const t = terminal();
    const { dataDir, clock } = t;
    const terminalId = t.kiosk.terminal.terminalId;
    const { client } = await enrolledClient(t, centre, { batchSize: 5 });
    // Offline for days: 25 records wait, and a copy of the database is taken.
    recordUntil(t, 25);
    const backup = join(tempDir(), 'backup.db');
    t.kiosk.db.prepare('VACUUM INTO ?').run(backup);
    recordUntil(t, 40);
    expect(await client.syncNow()).toMatchObject({ ok: true, pending: 0 });
    expect(await highWater(terminalId)).toEqual([[1, 40]]);

    // Restored: the window records again over seqs the centre already holds with other content.
    t.kiosk.close();
    open.splice(open.indexOf(t), 1);
    copyFileSync(backup, join(dataDir, DATABASE_FILE));
    const restored = terminal({ dataDir, clock });
    recordUntil(restored, 35);
    const afterRestore = localRecords(restored).filter((r) => r.seq > 25);
    const sync = createSyncClient({ db: restored.kiosk.db, terminalId, centreUrl: centre.url, batchSize: 5, retry: { attempts: 5, baseMs: 10, capMs: 50 } });
    expect(await sync.syncNow()).toMatchObject({ ok: true, epochsStarted: 1, pending: 0 });

    // Every record written after the restore reached the centre, in the new epoch.
    const epoch2 = (await centreRecords(centre, terminalId)).filter((r) => r.epoch === 2);
    expect(epoch2.slice(1, 1 + afterRestore.length).map((r) => JSON.parse(r.payload) as unknown)).toEqual(afterRestore.map((r) => JSON.parse(r.payload) as unknown));
    expect(localRecords(restored).every((r) => r.acked_at !== null)).toBe(true);
  });

  it('raises an integrity alert for a record edited on the window, and one for records deleted', async () => {
    const t = terminal();
    const terminalId = t.kiosk.terminal.terminalId;
    recordUntil(t, 12);
    const { client } = await enrolledClient(t, centre);
    expect(await client.syncNow()).toMatchObject({ ok: true });
    recordUntil(t, 40);
    t.kiosk.close();
    open.splice(0);

    // Someone with the file bypasses Cordial, triggers and all.
    const file = new Database(join(t.dataDir, DATABASE_FILE));
    file.exec('DROP TRIGGER outbox_append_only; DROP TRIGGER outbox_keep_unacked;');
    const edited = file.prepare("SELECT seq FROM outbox WHERE kind = 'rating' AND seq > 12 ORDER BY seq LIMIT 1").pluck().get() as number;
    const payload = JSON.parse(file.prepare('SELECT payload FROM outbox WHERE seq = ?').pluck().get(edited) as string) as { level: string };
    payload.level = payload.level === 'very_satisfied' ? 'satisfied' : 'very_satisfied';
    file.prepare('UPDATE outbox SET payload = ? WHERE seq = ?').run(JSON.stringify(payload), edited);
    file.prepare('DELETE FROM outbox WHERE seq IN (25, 26)').run();
    file.prepare('DELETE FROM outbox WHERE seq IN (39, 40)').run();
    file.close();

    const reopened = terminal({ dataDir: t.dataDir, clock: t.clock });
    const { createSyncClient } = await import('../../src/core/sync');
    const sync = createSyncClient({ db: reopened.kiosk.db, terminalId, centreUrl: centre.url, retry: { attempts: 5, baseMs: 10, capMs: 50 } });
    expect(await sync.syncNow()).toMatchObject({ ok: true, pending: 0 });

    const alerts = await database.db.query<{ kind: string; seq_from: number; seq_to: number }>('SELECT kind, seq_from, seq_to FROM integrity_alerts ORDER BY seq_from');
    expect(alerts).toEqual([
      { kind: 'altered', seq_from: edited, seq_to: edited },
      { kind: 'missing', seq_from: 25, seq_to: 26 },
      { kind: 'missing', seq_from: 39, seq_to: 40 },
    ]);
    expect(await highWater(terminalId)).toEqual([[1, 40]]);
    const listed = await centre.call('GET', `/v1/reports/integrity-alerts?terminalId=${terminalId}`);
    expect((listed.body.alerts as { detail: string }[]).map((a) => a.detail)).toEqual([
      `record 1/${edited} was altered on the terminal after it was written: its content no longer matches its hash`,
      'records 1/25–1/26 were removed from the terminal before reaching the centre',
      'records 1/39–1/40 were removed from the terminal before reaching the centre',
    ]);
    const held = await centreRecords(centre, terminalId);
    expect(held.map((r) => r.seq)).toEqual([...Array.from({ length: 24 }, (_, i) => i + 1), ...Array.from({ length: 12 }, (_, i) => i + 27)]);

    // The window records on; the chain check at the centre stays quiet for honest records.
    serveCase(reopened, 1);
    expect(await sync.syncNow()).toMatchObject({ ok: true });
    expect(await database.db.query('SELECT kind FROM integrity_alerts')).toHaveLength(3);
  });

  it('stops with a clear message when the window\'s token was revoked, and the centre stores nothing more', async () => {
    const t = terminal();
    recordUntil(t, 10);
    const { client } = await enrolledClient(t, centre);
    expect(await client.syncNow()).toMatchObject({ ok: true, sent: 10 });
    await centre.call('POST', `/v1/admin/terminals/${t.kiosk.terminal.terminalId}/revoke`);
    serveCase(t, 1);
    const refused = await client.syncNow();
    expect(refused).toMatchObject({ ok: false, error: { code: 'token_refused' }, pending: 3 });
    expect(refused.ok ? '' : refused.error.message).toMatch(/revoked; enrol the window again/);
    expect(t.kiosk.snapshot().sync).toMatchObject({ state: 'error', pending: 3 });
    expect(await centreRecords(centre, t.kiosk.terminal.terminalId)).toHaveLength(10);
  });

  it('lets a window enrol again at the same centre with a new code, proving itself with its registered key', async () => {
    const t = terminal();
    recordUntil(t, 4);
    const { client } = await enrolledClient(t, centre);
    expect(await client.syncNow()).toMatchObject({ ok: true, sent: 4 });
    const oldToken = readCredentials(t.kiosk.db)!.token;

    const code = await centre.call('POST', '/v1/admin/enrolment-codes', { body: { windowNo: t.kiosk.terminal.windowNo } });
    const again = await client.enrol(String(code.body.code));

    expect(again).toMatchObject({ ok: true });
    expect(readCredentials(t.kiosk.db)!.token).not.toBe(oldToken);
    serveCase(t, 1);
    expect(await client.syncNow()).toMatchObject({ ok: true, sent: 3 });
    // The old token is gone, and the centre says the terminal was replaced.
    expect((await centre.call('GET', '/v1/config', { token: oldToken })).status).toBe(401);
    expect(await database.db.query("SELECT kind FROM integrity_alerts WHERE kind = 'terminal_replaced'")).toHaveLength(1);
  });

  it('applies the centre\'s staff (with photos), items and reasons, works from them offline, and pulls only changes', async () => {
    const t = terminal({ windowNo: '5' });
    const photo = 'data:image/png;base64,iVBORw0KGgo=';
    await centre.call('PUT', '/v1/admin/staff', { body: [{ staffNo: '2001', name: '陈静', photo, departmentCode: '340104-GA', departmentName: '公安局', badgeIds: ['BADGE-2001'] }] });
    await centre.call('PUT', '/v1/admin/items', { body: [{ itemCode: '340104-GA-009', itemVersion: '1', name: '出入境证件办理', departmentCode: '340104-GA', departmentName: '公安局' }] });
    await centre.call('PUT', '/v1/admin/reasons', { body: [{ code: 'R01', labelZh: '服务态度不好', labelEn: 'Unfriendly service', sort: 1 }, { code: 'R20', labelZh: '系统故障', labelEn: 'System down', sort: 2 }] });
    await centre.call('PUT', '/v1/admin/windows/5', { body: { departmentCode: '340104-GA', departmentName: '公安局', areaCode: '340104', settings: { closingTime: '18:00', ratingWindowSeconds: 20 } } });
    const { client } = await enrolledClient(t, centre, { windowNo: '5' });

    expect(await client.pullConfig()).toMatchObject({ ok: true, changed: true });
    expect(t.kiosk.execute({ type: 'signInBadge', badgeId: 'BADGE-1001' }, 'staff')).toMatchObject({ ok: false, error: { code: 'unknown_staff' } });
    expect(t.kiosk.execute({ type: 'signInBadge', badgeId: 'BADGE-2001' }, 'staff')).toMatchObject({ ok: true, snapshot: { staff: { name: '陈静', photo } } });
    expect(t.kiosk.execute({ type: 'openCase', itemCode: '340104-GA-009' }, 'staff')).toMatchObject({ ok: true, snapshot: { case: { itemName: '出入境证件办理' } } });
    expect(t.kiosk.directory.reasons().map((r) => r.code)).toEqual(['R01', 'R20']);
    expect(await client.pullConfig()).toMatchObject({ ok: true, changed: false });

    // Without the centre, the window still has the last config.
    const offline = createSyncClient({ db: t.kiosk.db, terminalId: t.kiosk.terminal.terminalId, centreUrl: centre.url, fetch: () => Promise.reject(new TypeError('fetch failed', { cause: { code: 'ECONNREFUSED' } })) });
    expect(await offline.pullConfig()).toMatchObject({ ok: false, error: { code: 'centre_unreachable' } });
    const cached = offline.cachedConfig()!;
    expect(withCentreWindowSettings(t.kiosk.config, cached)).toMatchObject({ closingTime: '18:00', rating: { windowSeconds: 20 }, window: { windowNo: '5', departmentName: '公安局', areaCode: '340104' } });
  });

  it('carries records by signed file when there is no network, stores them once, and refuses a changed file', async () => {
    const t = terminal();
    recordUntil(t, 30);
    const { client } = await enrolledClient(t, centre);
    const file = join(tempDir(), 'window-1.bundle');
    expect(await client.exportBundle(file)).toMatchObject({ ok: true, records: 30 });
    const bundle = readFileSync(file);
    const send = (body: Buffer) => centre.call('POST', '/v1/admin/bundles', { body, headers: { 'content-encoding': 'gzip' } });

    expect((await send(bundle)).body).toMatchObject({ terminalId: t.kiosk.terminal.terminalId, batches: [{ epoch: 1, highWater: 30, stored: 30, duplicates: 0 }] });
    expect((await send(bundle)).body).toMatchObject({ batches: [{ stored: 0, duplicates: 30 }] });
    const opened = JSON.parse(gunzipSync(bundle).toString()) as { content: string };
    const original = opened.content;
    opened.content = original.replace('\\"level\\":\\"satisfied\\"', '\\"level\\":\\"very_satisfied\\"');
    expect(opened.content).not.toBe(original);
    const changed = await send(gzipSync(JSON.stringify(opened)));
    expect(changed).toMatchObject({ status: 422, body: { error: { code: 'bundle-signature-invalid' } } });
    expect(await centreRecords(centre, t.kiosk.terminal.terminalId)).toHaveLength(30);

    // When the network comes back, the centre already holds everything.
    expect(await client.syncNow()).toMatchObject({ ok: true, sent: 30, pending: 0 });
    expect(await centreRecords(centre, t.kiosk.terminal.terminalId)).toHaveLength(30);
  });
});
