/**
 * The IT pages' refusals carry their reason and figures beside the English sentence, so the
 * console can say them whole in the reader's language: a badge another person holds, a photo
 * too large, a code a terminal already used, a revoked terminal asked for a new token, an
 * alert someone else acknowledged, a wall token revoked twice, half a day of window hours, a
 * page position the centre never gave out. Each refused change leaves the data as it was.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CONSOLE_ROUTES, IT_ROUTES, PHOTO_MAX_BYTES } from '../../src/shared/console/contract';
import { HALL_ROUTES } from '../../src/shared/console/hall-contract';
import type { RefusalFields } from '../../src/shared/console/refusals';
import { refusalWords } from '../../server/console/src/refusals';
import type { TestDatabase } from '../sync/support/backends';
import { count, openItDatabase, startItCentre, terminalKey, type Answer, type ItCentre } from './it-helpers';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** The refusal's reason and figures, as the console reads them from the body. */
function said(answer: Answer): { reason: string; fields: RefusalFields } {
  const error = answer.body.error as { reason?: string; fields?: RefusalFields };
  return { reason: error.reason ?? '(none)', fields: error.fields ?? {} };
}
const message = (answer: Answer) => (answer.body.error as { message: string }).message;

describe('IT refusals carry their reason and figures', () => {
  let database: TestDatabase;
  let centre: ItCentre;

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
    await centre.close();
  });

  it('a badge another person holds, and a photo too large: the figures say whose badge and how large', async () => {
    const admin = await centre.as('admin');
    expect((await centre.call(admin, 'PUT', IT_ROUTES.staffMember, { params: { staffNo: '2001' }, body: { name: '周丽', badgeIds: ['B-2001'] } })).status).toBe(200);
    const taken = await centre.call(admin, 'PUT', IT_ROUTES.staffMember, { params: { staffNo: '2002' }, body: { name: '陈刚', badgeIds: ['B-2001'] } });
    expect(taken.status).toBe(409);
    expect(message(taken)).toBe('badge B-2001 belongs to 周丽 (2001); take it off their record first');
    expect(said(taken)).toEqual({ reason: 'it.badge_taken', fields: { badge: 'B-2001', name: '周丽', staffNo: '2001' } });
    expect(refusalWords(said(taken), 'zh')).toBe('工牌 B-2001 已登记在 周丽（工号 2001）名下，未做任何更改。请先从其人员记录中去掉这张工牌，再保存。');
    expect(await count(database.db, 'staff', "staff_no = '2002'")).toBe(0);

    const big = Buffer.concat([PNG_SIGNATURE, Buffer.alloc(PHOTO_MAX_BYTES + 3000, 7)]);
    const photo = await centre.call(admin, 'PUT', IT_ROUTES.staffPhoto, { params: { staffNo: '2001' }, body: { dataUrl: `data:image/png;base64,${big.toString('base64')}` } });
    expect(photo.status).toBe(413);
    const kb = Math.ceil(big.length / 1024);
    expect(said(photo)).toEqual({ reason: 'it.photo_too_large', fields: { kb, maxKb: PHOTO_MAX_BYTES / 1024 } });
    expect(refusalWords(said(photo), 'en')).toBe(`This photo is ${kb} KB; the windows take photos up to ${PHOTO_MAX_BYTES / 1024} KB, so nothing was changed. Choose a smaller picture or let the console shrink it.`);
    expect(await count(database.db, 'staff', 'photo IS NOT NULL')).toBe(0);

    const gone = await centre.call(admin, 'DELETE', IT_ROUTES.reason, { params: { code: 'R99' } });
    expect(gone.status).toBe(404);
    expect(said(gone)).toEqual({ reason: 'it.reason_unknown', fields: { code: 'R99' } });
  });

  it('a used code, a revoked terminal and an alert acknowledged already name the terminal and who acknowledged when', async () => {
    const admin = await centre.as('admin', null, 'it.zhou');
    const made = await centre.call(admin, 'POST', IT_ROUTES.enrolmentCodes, { body: { windowNo: '4' } });
    const enrolled = await centre.v1('POST', '/v1/enrol', null, { code: made.body.code, terminalId: 'kiosk-4', publicKey: terminalKey() });
    expect(enrolled.status).toBe(200);

    const used = await centre.call(admin, 'POST', IT_ROUTES.revokeEnrolmentCode, { params: { codeId: Number(made.body.id) } });
    expect(used.status).toBe(409);
    expect(said(used)).toEqual({ reason: 'it.code_used', fields: { terminalId: 'kiosk-4' } });
    expect(refusalWords(said(used), 'zh')).toBe('这个注册码已被终端 kiosk-4 使用，不能再吊销。如要停用该终端，请吊销终端本身。');

    await database.db.query(
      "INSERT INTO integrity_alerts (terminal_id, epoch, seq_from, seq_to, kind, detail, detected_at) VALUES ('kiosk-4', 1, 5, 5, 'missing', 'record 5 never arrived', $1)",
      [centre.clock.now()],
    );
    const [alert] = await database.db.query<{ id: number }>('SELECT id FROM integrity_alerts');
    const first = await centre.call(admin, 'POST', IT_ROUTES.acknowledgeAlert, { params: { alertId: Number(alert!.id) }, body: { note: '网线松动，已插好' } });
    expect(first.status).toBe(200);
    const again = await centre.call(admin, 'POST', IT_ROUTES.acknowledgeAlert, { params: { alertId: Number(alert!.id) }, body: { note: '再确认一次' } });
    expect(again.status).toBe(409);
    expect(said(again)).toEqual({ reason: 'it.alert_acknowledged', fields: { by: 'it.zhou', at: centre.clock.now(), note: '网线松动，已插好' } });
    expect(refusalWords(said(again), 'zh')).toMatch(new RegExp(`^it\\.zhou 已于 .+ 确认过这条告警（说明：“网线松动，已插好”），无需再次确认。$`));

    expect((await centre.call(admin, 'POST', IT_ROUTES.revokeTerminal, { params: { terminalId: 'kiosk-4' } })).status).toBe(200);
    const rotate = await centre.call(admin, 'POST', IT_ROUTES.rotateTerminalToken, { params: { terminalId: 'kiosk-4' } });
    expect(rotate.status).toBe(409);
    expect(message(rotate)).toBe('terminal kiosk-4 was revoked; a revoked terminal gets a token only by enrolling again with a new code');
    expect(said(rotate)).toEqual({ reason: 'it.terminal_revoked', fields: { terminalId: 'kiosk-4' } });
    const unknown = await centre.call(admin, 'POST', IT_ROUTES.revokeTerminal, { params: { terminalId: 'kiosk-9' } });
    expect(said(unknown)).toEqual({ reason: 'it.terminal_unknown', fields: { terminalId: 'kiosk-9' } });
  });

  it('window hours half given or backwards name the weekday; a wall token revoked twice names the display', async () => {
    const admin = await centre.as('admin');
    expect((await centre.call(admin, 'PUT', IT_ROUTES.window, { params: { windowNo: '6' }, body: { departmentCode: '340104-SJ', departmentName: '市场监督管理局' } })).status).toBe(200);
    const week = (day: number, opens: string | null, closes: string | null) => ({
      opensAt: Array.from({ length: 7 }, (_, i) => (i === day ? opens : null)),
      closesAt: Array.from({ length: 7 }, (_, i) => (i === day ? closes : null)),
      pauseLimitMinutes: null,
      floor: null,
    });
    const half = await centre.call(admin, 'PUT', HALL_ROUTES.windowSchedule, { params: { windowNo: '6' }, body: week(5, '09:00', null) });
    expect(half.status).toBe(400);
    expect(message(half)).toBe('Saturday: give both the opening and the closing time, or neither for a closed day');
    expect(said(half)).toEqual({ reason: 'hall.hours_half', fields: { day: 5 } });
    expect(refusalWords(said(half), 'zh')).toBe('周六只填了开窗或关窗时间中的一个，未做任何更改。请两个都填，或都留空表示当天不开窗。');
    const backwards = await centre.call(admin, 'PUT', HALL_ROUTES.windowSchedule, { params: { windowNo: '6' }, body: week(2, '14:00', '12:00') });
    expect(said(backwards)).toEqual({ reason: 'hall.hours_backwards', fields: { day: 2, opens: '14:00', closes: '12:00' } });
    expect(refusalWords(said(backwards), 'en')).toBe('Wednesday: the window closes at 12:00, which is not after it opens at 14:00, so nothing was changed. Correct the times and save again.');
    const nowhere = await centre.call(admin, 'PUT', HALL_ROUTES.windowSchedule, { params: { windowNo: '99' }, body: week(0, '09:00', '17:00') });
    expect(nowhere.status).toBe(404);
    expect(said(nowhere)).toEqual({ reason: 'hall.window_unknown', fields: { windowNo: '99' } });
    expect(await count(database.db, 'window_schedules')).toBe(0);

    const wall = await centre.call(admin, 'POST', HALL_ROUTES.wallTokens, { body: { name: '一楼大厅' } });
    const id = Number(wall.body.id);
    expect((await centre.call(admin, 'POST', HALL_ROUTES.revokeWallToken, { params: { id } })).status).toBe(200);
    const twice = await centre.call(admin, 'POST', HALL_ROUTES.revokeWallToken, { params: { id } });
    expect(twice.status).toBe(409);
    expect(said(twice)).toEqual({ reason: 'hall.wall_token_revoked', fields: { name: '一楼大厅' } });
    expect(refusalWords(said(twice), 'zh')).toBe('大屏“一楼大厅”的令牌早已吊销，无需再次吊销。');
  });

  it('a page position the centre never gave out, and a period that ends before it starts', async () => {
    const supervisor = await centre.as('supervisor');
    const base = { from: '2026-03-01', to: '2026-03-31', dimension: 'staff', key: '2001' };
    const cursor = await centre.call(supervisor, 'GET', CONSOLE_ROUTES.drilldown, { query: { ...base, after: 'not-a-position' } });
    expect(cursor.status).toBe(400);
    expect(said(cursor)).toEqual({ reason: 'figures.cursor_invalid', fields: {} });
    const backwards = await centre.call(supervisor, 'GET', CONSOLE_ROUTES.drilldown, { query: { ...base, from: '2026-04-03', to: '2026-03-28' } });
    expect(backwards.status).toBe(400);
    expect(said(backwards)).toEqual({ reason: 'figures.range_backwards', fields: { from: '2026-04-03', to: '2026-03-28' } });
    expect(refusalWords(said(backwards), 'zh')).toBe('结束日期 2026-03-28 早于开始日期 2026-04-03。请调整时间段后再查询。');
  });
});
