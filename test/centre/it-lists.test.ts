/**
 * The lists at the console, one row at a time: a change reaches a real kiosk's next config
 * pull (the ETag changes); a photo that is too big or not a picture is refused with a
 * sentence and nothing is stored; bad rows are refused the same way; only admins edit;
 * the whole-list PUT for scripts keeps working beside it.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createSyncClient } from '../../src/core/sync';
import { IT_ROUTES, PHOTO_MAX_BYTES, type StaffRow, type WindowRow } from '../../src/shared/console/contract';
import type { TestDatabase } from '../sync/support/backends';
import { openTerminal, type Terminal } from '../sync/support/terminal';
import { openItDatabase, startItCentre, type ItCentre } from './it-helpers';

/** A real 1×1 PNG. */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');
const dataUrl = (type: string, bytes: Buffer) => `data:${type};base64,${bytes.toString('base64')}`;

describe('lists edited one row at a time', () => {
  let database: TestDatabase;
  let centre: ItCentre;
  const kiosks: Terminal[] = [];

  beforeAll(async () => {
    database = await openItDatabase('pglite');
  });
  afterAll(async () => {
    await database?.close();
  });
  beforeEach(async () => {
    await database.reset();
    centre = await startItCentre(database.db);
  });
  afterEach(async () => {
    for (const t of kiosks.splice(0)) t.kiosk.close();
    await centre.close();
  });

  const staffRow = async (staffNo: string) => (await database.db.query('SELECT name, photo, badge_ids, active FROM staff WHERE staff_no = $1', [staffNo]))[0];

  it("reaches a real kiosk's next config pull: a new person, a reason, the window's department", async () => {
    const admin = await centre.as('admin');
    const code = await centre.call(admin, 'POST', IT_ROUTES.enrolmentCodes, { body: { windowNo: '4' } });
    const t = openTerminal({ clock: centre.clock, windowNo: '4' });
    kiosks.push(t);
    const client = createSyncClient({ db: t.kiosk.db, terminalId: t.kiosk.terminal.terminalId, centreUrl: centre.url, clock: t.clock, retry: { attempts: 1 } });
    expect((await client.enrol(String(code.body.code))).ok).toBe(true);

    expect((await centre.call(admin, 'PUT', IT_ROUTES.staffMember, { params: { staffNo: '2001' }, body: { name: '周丽', badgeIds: ['B-2001'] } })).status).toBe(200);
    const before = await client.pullConfig();
    expect(before).toMatchObject({ ok: true, changed: true });
    const unchanged = await client.pullConfig();
    expect(unchanged).toMatchObject({ ok: true, changed: false });

    const person = await centre.call(admin, 'PUT', IT_ROUTES.staffMember, {
      params: { staffNo: '2002' },
      body: { name: '陈刚', departmentCode: '340104-SJ', departmentName: '市场监督管理局', badgeIds: ['B-2002'] },
    });
    expect(person.body).toEqual({ staffNo: '2002', name: '陈刚', departmentCode: '340104-SJ', departmentName: '市场监督管理局', badgeIds: ['B-2002'], active: true, hasPhoto: false });
    await centre.call(admin, 'PUT', IT_ROUTES.reason, { params: { code: 'R08' }, body: { labelZh: '窗口无人', labelEn: 'Nobody at the window', sort: 8 } });
    const window = await centre.call(admin, 'PUT', IT_ROUTES.window, { params: { windowNo: '4' }, body: { departmentCode: '340104-SJ', departmentName: '市场监督管理局', areaCode: '340104', ratingWindowSeconds: 20 } });
    expect(window.body).toMatchObject({ windowNo: '4', departmentName: '市场监督管理局', ratingWindowSeconds: 20, closingTime: null, terminals: 1 });

    const after = await client.pullConfig();
    expect(after).toMatchObject({ ok: true, changed: true });
    if (!after.ok || !after.config) throw new Error('no config');
    expect(after.config.staff.map((s) => [s.staffNo, s.name])).toEqual([['2001', '周丽'], ['2002', '陈刚']]);
    expect(after.config.reasons.map((r) => r.code)).toEqual(['R08']);
    expect(after.config.window).toMatchObject({ windowNo: '4', departmentName: '市场监督管理局', rating: { windowSeconds: 20 } });
    // And on the kiosk itself: the new person can sign in by badge.
    expect(t.kiosk.execute({ type: 'signInBadge', badgeId: 'B-2002' }, 'staff')).toMatchObject({ ok: true });
    expect(t.kiosk.snapshot()).toMatchObject({ staff: { staffNo: '2002' } });

    // A person taken off the list stops being offered to the window.
    await centre.call(admin, 'PUT', IT_ROUTES.staffMember, { params: { staffNo: '2001' }, body: { name: '周丽', badgeIds: ['B-2001'], active: false } });
    const dropped = await client.pullConfig();
    if (!dropped.ok || !dropped.config) throw new Error('no config');
    expect(dropped.config.staff.map((s) => s.staffNo)).toEqual(['2002']);
  });

  it('stores a real picture, and refuses with a sentence a photo too big or not a picture, storing nothing', async () => {
    const admin = await centre.as('admin');
    await centre.call(admin, 'PUT', IT_ROUTES.staffMember, { params: { staffNo: '3001' }, body: { name: '孙悦' } });
    const params = { staffNo: '3001' };

    const tooBig = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(PHOTO_MAX_BYTES + 50 * 1024, 7)]);
    const big = await centre.call(admin, 'PUT', IT_ROUTES.staffPhoto, { params, body: { dataUrl: dataUrl('image/jpeg', tooBig) } });
    expect(big.status).toBe(413);
    expect(JSON.stringify(big.body)).toMatch(/this photo is 25\d KB; the windows take photos up to 200 KB/);

    const script = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>');
    for (const [label, bytes] of [['image/jpeg', script], ['image/svg+xml', script], ['image/png', Buffer.from('GIF89a not allowed either')]] as const) {
      const refused = await centre.call(admin, 'PUT', IT_ROUTES.staffPhoto, { params, body: { dataUrl: dataUrl(label, bytes) } });
      expect(refused.status).toBe(400);
      expect(JSON.stringify(refused.body)).toMatch(/not a JPEG, PNG or WebP picture/);
    }
    const notData = await centre.call(admin, 'PUT', IT_ROUTES.staffPhoto, { params, body: { dataUrl: 'https://example.com/photo.jpg' } });
    expect(notData.status).toBe(400);
    expect(JSON.stringify(notData.body)).toMatch(/choose a JPEG, PNG or WebP picture/);
    expect((await staffRow('3001'))!.photo).toBeNull();

    // A PNG labelled as a JPEG is stored as what it is.
    const stored = await centre.call(admin, 'PUT', IT_ROUTES.staffPhoto, { params, body: { dataUrl: dataUrl('image/jpeg', PNG) } });
    expect(stored.body).toMatchObject({ staffNo: '3001', hasPhoto: true });
    expect((await staffRow('3001'))!.photo).toBe(dataUrl('image/png', PNG));
    const served = await fetch(`${centre.url}/v1/console/lists/staff/3001/photo`, { headers: { cookie: admin.headers.cookie } });
    expect(served.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await served.arrayBuffer()).equals(PNG)).toBe(true);
  });

  it('refuses bad rows with a sentence, a badge someone else holds, and any non-admin, changing nothing', async () => {
    const admin = await centre.as('admin');
    await centre.call(admin, 'PUT', IT_ROUTES.staffMember, { params: { staffNo: '4001' }, body: { name: '王芳', badgeIds: ['B-1'] } });

    const taken = await centre.call(admin, 'PUT', IT_ROUTES.staffMember, { params: { staffNo: '4002' }, body: { name: '赵强', badgeIds: ['B-1'] } });
    expect(taken.status).toBe(409);
    expect(JSON.stringify(taken.body)).toContain('badge B-1 belongs to 王芳 (4001)');
    const noName = await centre.call(admin, 'PUT', IT_ROUTES.staffMember, { params: { staffNo: '4002' }, body: { name: '' } });
    expect([noName.status, JSON.stringify(noName.body)]).toEqual([400, expect.stringMatching(/a name is needed/)]);
    const area = await centre.call(admin, 'PUT', IT_ROUTES.window, { params: { windowNo: '9' }, body: { areaCode: 'abc' } });
    expect([area.status, JSON.stringify(area.body)]).toEqual([400, expect.stringMatching(/an area code is 6 to 12 digits/)]);
    const seconds = await centre.call(admin, 'PUT', IT_ROUTES.window, { params: { windowNo: '9' }, body: { ratingWindowSeconds: 3 } });
    expect(seconds.status).toBe(400);
    const unknownField = await centre.call(admin, 'PUT', IT_ROUTES.reason, { params: { code: 'R1' }, body: { labelZh: '慢', labelEn: 'Slow', colour: 'red' } });
    expect(unknownField.status).toBe(400);

    for (const role of ['supervisor', 'evaluator', 'viewer'] as const) {
      const other = await centre.as(role);
      const refused = await centre.call(other, 'PUT', IT_ROUTES.staffMember, { params: { staffNo: '4001' }, body: { name: 'Changed' } });
      expect(refused.status).toBe(403);
      expect((await centre.call(other, 'PUT', IT_ROUTES.staffPhoto, { params: { staffNo: '4001' }, body: { dataUrl: dataUrl('image/png', PNG) } })).status).toBe(403);
    }
    expect(await database.db.query('SELECT staff_no, name, photo FROM staff ORDER BY staff_no')).toEqual([{ staff_no: '4001', name: '王芳', photo: null }]);
    expect(await database.db.query('SELECT * FROM windows')).toEqual([]);
    expect(await database.db.query('SELECT * FROM reason_codes')).toEqual([]);
  });

  it('lists what the console edits, and the whole-list PUT for scripts still works beside it', async () => {
    const admin = await centre.as('admin');
    const script = await centre.v1('PUT', '/v1/admin/staff', 'console-test-admin-token-0123456789', [{ staffNo: '5001', name: '刘洋', badgeIds: ['B-5001'] }]);
    expect(script.body).toEqual({ staff: 1 });
    await centre.call(admin, 'PUT', IT_ROUTES.staffMember, { params: { staffNo: '5002' }, body: { name: '黄磊' } });
    const staff = (await centre.call(admin, 'GET', IT_ROUTES.staff)).body.staff as StaffRow[];
    expect(staff.map((s) => [s.staffNo, s.name, s.badgeIds, s.active])).toEqual([['5001', '刘洋', ['B-5001'], true], ['5002', '黄磊', [], true]]);

    await centre.v1('PUT', '/v1/admin/windows/2', 'console-test-admin-token-0123456789', { departmentCode: 'D', departmentName: 'Dept', settings: { closingTime: '17:30' } });
    const windows = (await centre.call(admin, 'GET', IT_ROUTES.windows)).body.windows as WindowRow[];
    expect(windows).toEqual([expect.objectContaining({ windowNo: '2', departmentCode: 'D', closingTime: '17:30', ratingWindowSeconds: null })]);
    // Editing the window in the console keeps what it does not show.
    await centre.call(admin, 'PUT', IT_ROUTES.window, { params: { windowNo: '2' }, body: { departmentCode: 'D', departmentName: 'Dept', closingTime: '18:00' } });
    expect((await database.db.query("SELECT settings->>'closingTime' AS c FROM windows"))[0]).toEqual({ c: '18:00' });
  });
});
