/**
 * Exports at the console, from records two real kiosks uploaded: the department bulletin's
 * figures equal the ones this test counts itself from the raw records; the CSV reaches an
 * evaluator with formula-looking text neutralised and phone numbers masked; who may see
 * what is enforced.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parseCsv } from '../../src/core/store/csv';
import { createSyncClient } from '../../src/core/sync';
import { IT_ROUTES, type Bulletin, type BulletinFigures } from '../../src/shared/console/contract';
import { isPoor, type RatingLevel } from '../../src/shared/levels';
import type { TestDatabase } from '../sync/support/backends';
import { leaveUnrated, openTerminal, type Terminal } from '../sync/support/terminal';
import { key } from '../support/kiosk';
import { openItDatabase, startItCentre, type ItCentre } from './it-helpers';

const SJ = '340104-SJ';
const must = (result: { ok: boolean; error?: { message: string } }) => {
  if (!result.ok) throw new Error(result.error?.message ?? 'command refused');
};
let eventId = 1;

/** One finished case at the window, rated with the key given (1 = 非常满意 … 5), or left unrated. */
function serve(t: Terminal, badge: string, rating: number | null, comment?: string): void {
  const { kiosk, clock } = t;
  if (kiosk.snapshot().phase === 'closed') must(kiosk.execute({ type: 'signInBadge', badgeId: badge }, 'staff'));
  must(kiosk.execute({ type: 'openCase', itemCode: '340104-SJ-001' }, 'staff'));
  must(kiosk.execute({ type: 'finishCase', outcome: 'completed' }, 'staff'));
  if (rating !== null) {
    expect(kiosk.recordPress(key(rating, eventId++, clock.now())).outcome).toBe('rating');
    kiosk.flushPresses();
    if (comment) must(kiosk.execute({ type: 'addRatingDetails', ratingId: kiosk.snapshot().lastRating?.id, reasonCodes: ['R01'], comment }, 'citizen'));
  }
  clock.advance(rating === null ? 20_000 : 30_000);
}

/** The bulletin counted by hand from the records the centre holds, for one department and [start, end). */
async function countedFromRecords(centre: ItCentre, department: string, start: number, end: number) {
  const records = await centre.db.query<{ kind: string; payload: Record<string, unknown> }>("SELECT kind, payload FROM records WHERE kind IN ('case_opened', 'case_closed', 'rating', 'case_unrated')");
  const opened = new Map<string, Record<string, unknown>>();
  const closedAt = new Map<string, number>();
  const levels = new Map<string, RatingLevel>();
  const unrated = new Set<string>();
  for (const { kind, payload: p } of records) {
    const caseId = String(p.caseId);
    if (kind === 'case_opened') opened.set(caseId, p);
    if (kind === 'case_closed') closedAt.set(caseId, Number(p.at));
    if (kind === 'rating' && p.ratingType === 'first') levels.set(caseId, p.level as RatingLevel);
    if (kind === 'case_unrated') unrated.add(caseId);
  }
  const empty = () => ({ cases: 0, rated: 0, unrated: 0, defaulted: 0, good: 0, poor: 0, satisfaction: null as number | null });
  const totals = empty();
  const windows = new Map<string, BulletinFigures>();
  const staff = new Map<string, BulletinFigures & { staffName: string | null }>();
  for (const [caseId, at] of closedAt) {
    const c = opened.get(caseId)!;
    if (c.departmentCode !== department || at < start || at >= end) continue;
    const w = windows.get(String(c.windowNo)) ?? empty();
    const s = staff.get(String(c.staffNo)) ?? { ...empty(), staffName: String(c.staffName) };
    windows.set(String(c.windowNo), w);
    staff.set(String(c.staffNo), s);
    for (const f of [totals, w, s]) {
      f.cases++;
      const level = levels.get(caseId);
      if (level) {
        f.rated++;
        if (isPoor(level)) f.poor++;
        else f.good++;
      } else if (unrated.has(caseId)) f.unrated++;
    }
  }
  for (const f of [totals, ...windows.values(), ...staff.values()]) f.satisfaction = f.rated > 0 ? f.good / f.rated : null;
  return {
    totals,
    windows: [...windows].map(([windowNo, f]) => ({ windowNo, ...f })).sort((a, b) => a.windowNo.localeCompare(b.windowNo)),
    staff: [...staff].map(([staffNo, f]) => ({ staffNo, ...f })).sort((a, b) => a.staffNo.localeCompare(b.staffNo)),
  };
}

describe('exports', () => {
  let database: TestDatabase;
  let centre: ItCentre;
  const kiosks: Terminal[] = [];
  const STAFF_NAME = '=HYPERLINK("http://evil.example","点我")';
  const COMMENT = '@SUM(1+1) 请回电 13812345678';

  beforeAll(async () => {
    database = await openItDatabase('pglite');
  });
  afterAll(async () => {
    await database?.close();
  });
  beforeEach(async () => {
    await database.reset();
    centre = await startItCentre(database.db);
    // Two windows of one department, a month of work and a few days of the next.
    const admin = await centre.as('admin', null, 'setup');
    const windows: Terminal[] = [];
    for (const windowNo of ['1', '2']) {
      const code = await centre.call(admin, 'POST', IT_ROUTES.enrolmentCodes, { body: { windowNo } });
      const t = openTerminal({ clock: centre.clock, windowNo });
      kiosks.push(t);
      windows.push(t);
      must(await createSyncClient({ db: t.kiosk.db, terminalId: t.kiosk.terminal.terminalId, centreUrl: centre.url, clock: t.clock }).enrol(String(code.body.code)));
    }
    const [a, b] = windows as [Terminal, Terminal];
    b.kiosk.directory.upsertStaff([{ staffNo: '7001', name: STAFF_NAME, departmentCode: SJ, departmentName: '市场监督管理局', badgeIds: ['BADGE-7001'] }]);
    for (const level of [1, 1, 2, 3, 4]) serve(a, 'BADGE-1001', level);
    serve(a, 'BADGE-1001', 5, COMMENT);
    serve(a, 'BADGE-1001', null);
    leaveUnrated(a); // another department's case: not on this bulletin
    for (const level of [1, 2, 5]) serve(b, 'BADGE-7001', level);
    serve(b, 'BADGE-7001', null);
    centre.clock.advance(31 * 86_400_000); // into April
    for (const level of [1, 4]) serve(a, 'BADGE-1001', level);
    for (const t of windows) must(await createSyncClient({ db: t.kiosk.db, terminalId: t.kiosk.terminal.terminalId, centreUrl: centre.url, clock: t.clock, retry: { attempts: 1 } }).syncNow());
  });
  afterEach(async () => {
    for (const t of kiosks.splice(0)) t.kiosk.close();
    await centre.close();
  });

  const local = (y: number, m: number) => Date.UTC(y, m - 1, 1) - 8 * 3_600_000;

  it("gives a department's monthly and two-monthly bulletin the figures counted from the raw records", async () => {
    const head = await centre.as('department', SJ, 'sj-head');
    const march = await centre.call(head, 'GET', IT_ROUTES.bulletin, { query: { department: SJ, period: 'month', month: '2026-03' } });
    expect(march.status).toBe(200);
    const bulletin = march.body as unknown as Bulletin;
    const expected = await countedFromRecords(centre, SJ, local(2026, 3), local(2026, 4));
    expect(expected.totals).toMatchObject({ cases: 11, rated: 9, unrated: 2 });
    expect(bulletin).toMatchObject({ department: { code: SJ, name: '市场监督管理局' }, period: { kind: 'month', from: '2026-03-01', to: '2026-03-31' }, ...expected });

    const evaluator = await centre.as('evaluator');
    const twoMonths = (await centre.call(evaluator, 'GET', IT_ROUTES.bulletin, { query: { department: SJ, period: 'bimonth', month: '2026-04' } })).body as unknown as Bulletin;
    const expectedTwo = await countedFromRecords(centre, SJ, local(2026, 3), local(2026, 5));
    expect(expectedTwo.totals.cases).toBe(13);
    expect(twoMonths).toMatchObject({ period: { kind: 'bimonth', from: '2026-03-01', to: '2026-04-30' }, ...expectedTwo });
  });

  it('lets a department head see only their own bulletin, and refuses bad periods with a sentence', async () => {
    const other = await centre.as('department', '340104-RS', 'rs-head');
    const refused = await centre.call(other, 'GET', IT_ROUTES.bulletin, { query: { department: SJ, month: '2026-03' } });
    expect(refused.status).toBe(403);
    expect(JSON.stringify(refused.body)).toMatch(/only your own department/);
    const followUp = await centre.as('follow_up', SJ);
    expect((await centre.call(followUp, 'GET', IT_ROUTES.bulletin, { query: { department: SJ, month: '2026-03' } })).status).toBe(403);
    const supervisor = await centre.as('supervisor');
    const bad = await centre.call(supervisor, 'GET', IT_ROUTES.bulletin, { query: { department: SJ, month: '2026-13' } });
    expect([bad.status, JSON.stringify(bad.body)]).toEqual([400, expect.stringMatching(/the month looks like 2026-03/)]);
  });

  it('gives an evaluator the CSV with formula-looking text neutralised and phone numbers masked', async () => {
    const evaluator = await centre.as('evaluator');
    const csv = await centre.call(evaluator, 'GET', IT_ROUTES.ratingsCsv, { query: { from: '2026-03-01', to: '2026-03-31', codes: 'provincial' } });
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    const [header, ...rows] = parseCsv(csv.text.replace(/^\uFEFF/, ''));
    const column = (name: string) => rows.map((r) => r[header!.indexOf(name)]);
    expect(column('staffName').filter((n) => n!.includes('HYPERLINK'))).toEqual([`'${STAFF_NAME}`, `'${STAFF_NAME}`, `'${STAFF_NAME}`, `'${STAFF_NAME}`]);
    expect(column('writingEvaluation').filter(Boolean)).toEqual(["'@SUM(1+1) 请回电 138****5678"]);
    // Provincial codes: 5 = 非常满意; the March records only.
    expect(column('satisfaction').filter((c) => c === '5')).toHaveLength(3);
    expect(rows.flat().filter((v) => /^[=+\-@\t\r]/.test(v))).toEqual([]);

    const admin = await centre.as('admin');
    const full = await centre.call(admin, 'GET', IT_ROUTES.ratingsCsv, { query: { from: '2026-03-01', to: '2026-03-31' } });
    // A number typed in a comment is masked on the window, before it is stored or sent: nobody at the centre has it in clear.
    expect(full.text).toContain("'@SUM(1+1) 请回电 138****5678");
    expect(full.text).not.toContain('13812345678');

    const head = await centre.as('department', SJ);
    expect((await centre.call(head, 'GET', IT_ROUTES.ratingsCsv, { query: { from: '2026-03-01', to: '2026-03-31' } })).status).toBe(403);
    const backwards = await centre.call(evaluator, 'GET', IT_ROUTES.ratingsCsv, { query: { from: '2026-03-31', to: '2026-03-01' } });
    expect(backwards.status).toBe(400);
    expect((backwards.body.error as { message: string }).message).toMatch(/"to" must not be before "from"/);
  });
});
