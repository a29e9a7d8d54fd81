/**
 * 首问负责 (10.1) at the centre, with real kiosks syncing over HTTP: the admin sets the list
 * of places staff may send a citizen, the windows receive it with their config, a transfer
 * keeps where it sent the citizen and a 一次告知 its materials on the centre's case rows and in
 * the cases CSV, and a complaint received at the window opens exactly one follow-up record,
 * however often its batch arrives.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { nextBatch } from '../../src/core/outbox/queue';
import { parseCsv } from '../../src/core/store/csv';
import { readCredentials } from '../../src/core/sync/credentials';
import { toUploadJson } from '../../src/core/sync/upload-format';
import type { FollowUpPage } from '../../src/shared/console/follow-up-contract';
import { IT_ROUTES } from '../../src/shared/console/it-contract';
import { key } from '../support/kiosk';
import { BACKENDS } from '../sync/support/backends';
import { gzipJson, upload } from '../sync/support/batches';
import type { Terminal } from '../sync/support/terminal';
import { GA_ITEM, SJ_ITEM, startFollowUpCentre, windowKiosk, type FollowUpCentre } from './support/follow-up';

const TARGETS = [
  { code: 'GA-HJ', name: '公安局户籍窗口', kind: 'department', sort: 1 },
  { code: 'SBJ', name: '市社保中心（政务中心外）', kind: 'outside', sort: 2 },
];

describe.each(BACKENDS)('referrals and window complaints at the centre on %s', (backend) => {
  let fc: FollowUpCentre;
  const open: Terminal[] = [];
  let press = 1;

  beforeAll(async () => {
    fc = await startFollowUpCentre(backend);
  }, 120_000);
  afterEach(() => {
    for (const t of open.splice(0)) t.kiosk.close();
  });
  afterAll(async () => {
    await fc?.close();
  });

  function must(r: { ok: boolean }): void {
    if (!r.ok) throw new Error(`refused: ${JSON.stringify(r)}`);
  }

  /** One case at the window, finished as given and rated 满意 on the keypad. */
  function serve(t: Terminal, itemCode: string, finish: Record<string, unknown>): void {
    if (t.kiosk.snapshot().phase === 'closed') must(t.kiosk.execute({ type: 'signInBadge', badgeId: 'BADGE-1001' }, 'staff'));
    must(t.kiosk.execute({ type: 'openCase', itemCode, caseNo: `BJ-REF-${press}` }, 'staff'));
    must(t.kiosk.execute({ type: 'finishCase', ...finish }, 'staff'));
    t.kiosk.recordPress(key(2, press++, t.clock.now()));
    t.kiosk.flushPresses();
    t.clock.advance(30_000);
  }

  it('keeps the list the admin sets, refuses a list with a code twice, and sends it to the windows', async () => {
    const twice = await fc.centre.call('PUT', '/v1/admin/referral-targets', { body: [...TARGETS, TARGETS[0]] });
    expect(twice.status).toBe(400);
    expect(twice.body).toMatchObject({ error: { message: 'each referral target code appears once in the list' } });
    const badKind = await fc.centre.call('PUT', '/v1/admin/referral-targets', { body: [{ code: 'X', name: '某处', kind: 'elsewhere' }] });
    expect(JSON.stringify(badKind.body)).toContain('kind is one of department, window, outside');

    expect((await fc.centre.call('PUT', '/v1/admin/referral-targets', { body: TARGETS })).body).toEqual({ targets: 2 });
    expect((await fc.centre.call('GET', '/v1/admin/referral-targets')).body).toEqual({ targets: TARGETS });

    // The console's 名单 page edits it one row at a time, and refuses what it cannot keep with a sentence.
    const admin = await fc.as('admin', null, 'admin-referrals');
    const wrongKind = await fc.call(admin, 'PUT', IT_ROUTES.referralTarget, { params: { code: 'W07' }, body: { name: '7 号窗口', kind: 'desk' } });
    expect([wrongKind.status, JSON.stringify(wrongKind.body)]).toEqual([400, expect.stringContaining('the kind is one of department, window, outside')]);
    const gone = await fc.call(admin, 'DELETE', IT_ROUTES.referralTarget, { params: { code: 'NOPE' } });
    expect([gone.status, JSON.stringify(gone.body)]).toEqual([404, expect.stringContaining('there is no referral target NOPE')]);
    const saved = await fc.call(admin, 'PUT', IT_ROUTES.referralTarget, { params: { code: 'W07' }, body: { name: '7 号综合窗口', kind: 'window', sort: 3 } });
    expect(saved.body).toEqual({ code: 'W07', name: '7 号综合窗口', kind: 'window', sort: 3 });
    const listed = await fc.call<{ targets: { code: string }[] }>(admin, 'GET', IT_ROUTES.referralTargets, {});
    expect(listed.body.targets.map((r) => r.code)).toEqual(['GA-HJ', 'SBJ', 'W07']);

    const t = await windowKiosk(fc, '11', open);
    expect(await t.client.pullConfig()).toMatchObject({ ok: true });
    expect(t.kiosk.directory.referralTargets()).toEqual([
      ...TARGETS.map(({ code, name, kind }) => ({ code, name, kind })),
      { code: 'W07', name: '7 号综合窗口', kind: 'window' },
    ]);
    expect((await fc.call(admin, 'DELETE', IT_ROUTES.referralTarget, { params: { code: 'W07' } })).status).toBe(200);
  });

  it('keeps a transfer’s target and note and a 一次告知’s materials on the case, exports them, and opens one record per complaint', async () => {
    await fc.centre.call('PUT', '/v1/admin/referral-targets', { body: TARGETS });
    const t = await windowKiosk(fc, '12', open);
    expect(await t.client.pullConfig()).toMatchObject({ ok: true });
    serve(t, SJ_ITEM, { outcome: 'transferred', referralTo: 'SBJ', referralNote: '请带身份证原件到社保中心三楼' });
    serve(t, SJ_ITEM, { outcome: 'notified_missing', missingMaterials: ['营业执照副本', '法人身份证复印件'] });
    serve(t, GA_ITEM, { outcome: 'complaint', complaintSummary: '等候两小时无人叫号' });
    serve(t, GA_ITEM, { outcome: 'completed' });

    // The same batch three times at once, again after, then the window's own sync: one record.
    const token = readCredentials(t.kiosk.db)!.token;
    const body = gzipJson(toUploadJson(nextBatch(t.kiosk.db, 1, 0, 500)!, fc.clock.now()));
    const together = await Promise.all([upload(fc.centre.url, token, body), upload(fc.centre.url, token, body), upload(fc.centre.url, token, body)]);
    expect(together.map((a) => a.status)).toEqual([200, 200, 200]);
    expect((await upload(fc.centre.url, token, body)).body).toMatchObject({ stored: 0 });
    expect(await t.client.syncNow()).toMatchObject({ ok: true, pending: 0 });

    const complaints = await fc.database.db.query<{ window_no: string; staff_name: string; item_name: string; department_code: string; level: string | null; rating_id: string | null; complaint_summary: string; opened: number }>(
      `SELECT f.window_no, f.staff_name, f.item_name, f.department_code, f.level, f.rating_id, f.complaint_summary,
         (SELECT count(*)::integer FROM follow_up_trail t WHERE t.follow_up_id = f.id AND t.action = 'open') AS opened
       FROM follow_ups f WHERE f.opened_by = 'complaint'`,
    );
    expect(complaints).toEqual([
      { window_no: '12', staff_name: '王晓梅', item_name: expect.any(String), department_code: '340104-GA', level: null, rating_id: null, complaint_summary: '等候两小时无人叫号', opened: 1 },
    ]);

    // The supervisor's ledger shows it as a window complaint with its summary; its record page opens.
    const supervisor = await fc.as('supervisor', null, 'sup-complaints');
    const ledger = await fc.call<FollowUpPage>(supervisor, 'GET', '/follow-ups', { query: { limit: '50' } });
    const row = ledger.body.rows.find((r) => r.openedBy === 'complaint');
    expect(row).toMatchObject({ level: null, ratingId: null, complaintSummary: '等候两小时无人叫号', windowNo: '12', state: 'new' });
    expect(await fc.record(supervisor, row!.id)).toMatchObject({ complaintSummary: '等候两小时无人叫号', mayRate: false, followUpRatings: [] });
    const ledgerCsv = await fc.call(supervisor, 'GET', '/follow-ups.csv', {});
    expect(ledgerCsv.status).toBe(200);
    expect(ledgerCsv.text).toContain('窗口投诉,等候两小时无人叫号');

    // The cases CSV carries outcome, materials, target and note.
    const csv = await fc.call(supervisor, 'GET', IT_ROUTES.ratingsCsv, { query: { from: '2026-02-12', to: '2026-02-12' } });
    expect(csv.status).toBe(200);
    const [header, ...rows] = parseCsv(csv.text.replace(/^\uFEFF/, ''));
    const col = (r: string[], name: string) => r[header!.indexOf(name)];
    const mine = rows.filter((r) => col(r, 'projectNo')?.startsWith('BJ-REF-'));
    expect(mine.map((r) => [col(r, 'handleResult'), col(r, 'missingMaterials'), col(r, 'referralTarget'), col(r, 'referralNote'), col(r, 'complaintSummary')])).toEqual([
      ['transferred', '', '市社保中心（政务中心外）', '请带身份证原件到社保中心三楼', ''],
      ['notified_missing', '营业执照副本;法人身份证复印件', '', '', ''],
      ['complaint', '', '', '', '等候两小时无人叫号'],
      ['completed', '', '', '', ''],
    ]);
    const kept = await fc.database.db.query<{ referral_code: string | null; referral_kind: string | null; missing_materials: string[] | null }>(
      `SELECT referral_code, referral_kind, missing_materials FROM cases WHERE case_no LIKE 'BJ-REF-%' ORDER BY closed_at`,
    );
    expect(kept).toEqual([
      { referral_code: 'SBJ', referral_kind: 'outside', missing_materials: [] },
      { referral_code: null, referral_kind: null, missing_materials: ['营业执照副本', '法人身份证复印件'] },
      { referral_code: null, referral_kind: null, missing_materials: [] },
      { referral_code: null, referral_kind: null, missing_materials: [] },
    ]);
  });
});
