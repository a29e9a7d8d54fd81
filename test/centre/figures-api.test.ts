/**
 * The console's figures against the records: three real windows sync a week through the
 * centre's HTTP API; overview, ranking and drill-down must equal what the test computes from
 * the kiosks' own outbox records, for any range, department and role, on both backends.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nextBatch } from '../../src/core/outbox/queue';
import { readCredentials } from '../../src/core/sync/credentials';
import { toUploadJson } from '../../src/core/sync/upload-format';
import { CONSOLE_API, CONSOLE_ROUTES, type Drilldown, type Overview, type Ranking, type RankingRow } from '../../src/shared/console/contract';
import { maskPhone } from '../../src/shared/privacy';
import { BACKENDS, openTestDatabase, type TestDatabase } from '../sync/support/backends';
import { gzipJson, upload } from '../sync/support/batches';
import { startCentre, type TestCentre } from '../sync/support/centre';
import type { Terminal } from '../sync/support/terminal';
import { consoleSessionAs, type ConsoleSession } from './support/console-session';
import { expectedFrom, figuresOf, loadWeek, type ExpectedCase, type ExpectedMisuse } from './support/figures-load';

const CENTRE_NOW = Date.UTC(2026, 3, 10);
const WEEK = { from: '2026-03-28', to: '2026-04-03' };
const RANGES = [WEEK, { from: '2026-03-30', to: '2026-03-31' }, { from: '2026-03-01', to: '2026-03-31' }, { from: '2026-03-15', to: '2026-04-30' }, { from: '2026-01-01', to: '2026-06-30' }];

describe.each(BACKENDS)('console figures on %s', (backend) => {
  let database: TestDatabase;
  let centre: TestCentre;
  let terminals: Terminal[];
  let expected: { cases: ExpectedCase[]; misuse: ExpectedMisuse[] };
  let supervisor: ConsoleSession;

  beforeAll(async () => {
    database = await openTestDatabase(backend);
    centre = await startCentre(database.db, { now: () => CENTRE_NOW });
    terminals = await loadWeek(centre, CENTRE_NOW);
    expected = expectedFrom(terminals);
    supervisor = await consoleSessionAs({ app: centre.centre.app, db: database.db }, 'supervisor');
  }, 120_000);
  afterAll(async () => {
    for (const t of terminals ?? []) t.kiosk.close();
    await centre?.close();
    await database?.close();
  });

  const get = async <T>(session: ConsoleSession, route: string, query: Record<string, string | number>) => {
    const url = `${CONSOLE_API}${route}?${new URLSearchParams(Object.entries(query).map(([k, v]) => [k, String(v)]))}`;
    const response = await centre.centre.app.inject({ method: 'GET', url, headers: session.headers });
    return { status: response.statusCode, body: response.json<T>() };
  };
  const ok = async <T>(session: ConsoleSession, route: string, query: Record<string, string | number>) => {
    const answer = await get<T>(session, route, query);
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    return answer.body;
  };
  const within = (range: { from: string; to: string }, department?: string) => ({
    cases: expected.cases.filter((c) => c.day >= range.from && c.day <= range.to && (department === undefined || c.departmentCode === department)),
    misuse: expected.misuse.filter((m) => m.day >= range.from && m.day <= range.to && (department === undefined || m.departmentCode === department)),
  });
  const totalsOf = (o: Overview) => ({ ...o.totals, defaulted: undefined });

  it('loads enough to mean something: every status, every level, misuse, phones, a case closed after midnight', () => {
    expect(expected.cases.length).toBeGreaterThan(200);
    expect(new Set(expected.cases.map((c) => c.status))).toEqual(new Set(['rated', 'unrated']));
    expect(new Set(expected.cases.map((c) => c.level)).size).toBe(6);
    expect(expected.misuse.length).toBeGreaterThan(5);
    expect(expected.cases.some((c) => c.phone)).toBe(true);
    expect(expected.cases.filter((c) => c.day === '2026-03-31' && new Date(c.at).getUTCHours() === 16).length).toBeGreaterThan(0);
  });

  it('overview totals, trend and channels equal the records for a week, two days, a month, across a month and half a year', async () => {
    for (const range of RANGES) {
      const o = await ok<Overview>(supervisor, CONSOLE_ROUTES.overview, { period: 'custom', ...range });
      const { cases, misuse } = within(range);
      expect(totalsOf(o), JSON.stringify(range)).toEqual({ ...figuresOf(cases, misuse), defaulted: undefined });
      const monthly = range.to > '2026-05-01';
      const bucketOf = (day: string) => (monthly ? day.slice(0, 7) : day);
      const buckets = [...new Set([...cases, ...misuse].map((c) => bucketOf(c.day)))].sort();
      expect(o.trend.map((p) => p.bucket)).toEqual(buckets);
      for (const p of o.trend) {
        const f = figuresOf(cases.filter((c) => bucketOf(c.day) === p.bucket), []);
        expect(p).toEqual({ bucket: p.bucket, rated: f.rated, good: f.good, poor: f.poor, satisfaction: f.satisfaction });
      }
      const rated = cases.filter((c) => c.channel);
      expect(Object.fromEntries(o.channels.map((c) => [c.channel, c.rated]))).toEqual(
        Object.fromEntries([...new Set(rated.map((c) => c.channel!))].map((ch) => [ch, rated.filter((c) => c.channel === ch).length])),
      );
      expect(o.unratedPolicy).toBeNull();
    }
  });

  it("a department filter gives that department's figures, and the departments add up to the centre's cases", async () => {
    const departments = [...new Set(expected.cases.map((c) => c.departmentCode))].filter(Boolean);
    expect(departments.length).toBe(3);
    let sum = 0;
    for (const department of departments) {
      const o = await ok<Overview>(supervisor, CONSOLE_ROUTES.overview, { ...WEEK, department });
      const { cases, misuse } = within(WEEK, department);
      expect(totalsOf(o)).toEqual({ ...figuresOf(cases, misuse), defaulted: undefined });
      sum += o.totals.cases;
    }
    expect(sum).toBe(within(WEEK).cases.filter((c) => c.departmentCode).length);
  });

  const keyOf = { staff: (c: ExpectedCase) => c.staffNo, window: (c: ExpectedCase) => c.windowNo, department: (c: ExpectedCase) => c.departmentCode, item: (c: ExpectedCase) => c.itemCode };

  it('rankings per staff, window, department and item equal the records, honour the threshold and sort as asked', async () => {
    const { cases } = within(WEEK);
    for (const dimension of ['staff', 'window', 'department', 'item'] as const) {
      const groups = new Map<string, ExpectedCase[]>();
      for (const c of cases) {
        const k = `${c.departmentCode}|${keyOf[dimension](c)}`;
        groups.set(k, [...(groups.get(k) ?? []), c]);
      }
      const want = [...groups].map(([k, cs]) => {
        const f = figuresOf(cs, []);
        return { key: k.split('|')[1]!, departmentCode: k.split('|')[0] || null, cases: f.cases, rated: f.rated, good: f.good, poor: f.poor, satisfaction: f.satisfaction };
      });
      const counts = want.map((w) => w.rated).sort((a, b) => a - b);
      const minRated = counts[Math.floor(counts.length / 2)]!;
      for (const sort of ['satisfaction', 'volume', 'poor'] as const) {
        const r = await ok<Ranking>(supervisor, CONSOLE_ROUTES.ranking, { ...WEEK, dimension, sort, minRated });
        const pick = (x: RankingRow) => ({ key: x.key, departmentCode: x.departmentCode, cases: x.cases, rated: x.rated, good: x.good, poor: x.poor, satisfaction: x.satisfaction });
        const all = [...r.ranked, ...r.belowThreshold].map(pick);
        const byKey = (a: { key: string; departmentCode: string | null }, b: typeof a) => `${a.departmentCode}|${a.key}`.localeCompare(`${b.departmentCode}|${b.key}`);
        expect([...all].sort(byKey), `${dimension} ${sort}`).toEqual([...want].sort(byKey));
        expect(r.ranked.length).toBeGreaterThan(0);
        expect(r.belowThreshold.length).toBeGreaterThan(0);
        expect(r.ranked.every((x) => x.rated >= minRated && x.rank !== null)).toBe(true);
        expect(r.belowThreshold.every((x) => x.rated < minRated && x.rank === null)).toBe(true);
        const metric = { satisfaction: (x: RankingRow) => x.satisfaction ?? -1, volume: (x: RankingRow) => x.cases, poor: (x: RankingRow) => x.poor }[sort];
        const values = r.ranked.map(metric);
        expect(values).toEqual([...values].sort((a, b) => b - a));
        expect(r.ranked[0]!.rank).toBe(1);
      }
    }
  });

  it('the drill-down pages through exactly the ratings behind a ranking row, newest first, with masked phones', async () => {
    const want = within(WEEK).cases.filter((c) => c.staffNo === '1001' && c.status === 'rated').sort((a, b) => b.at - a.at);
    const seen: Drilldown['rows'] = [];
    let after: string | null = null;
    let pages = 0;
    do {
      const page: Drilldown = await ok<Drilldown>(supervisor, CONSOLE_ROUTES.drilldown, { ...WEEK, dimension: 'staff', key: '1001', limit: 7, ...(after ? { after } : {}) });
      expect(page.rows.length).toBeLessThanOrEqual(7);
      seen.push(...page.rows);
      after = page.next;
      pages++;
    } while (after);
    expect(pages).toBe(Math.ceil(want.length / 7));
    expect(seen.map((r) => r.caseId)).toEqual(want.map((c) => c.caseId));
    expect(seen.map((r) => r.callbackPhone)).toEqual(want.map((c) => (c.phone ? maskPhone(c.phone) : null)));
    expect(seen.some((r) => r.callbackPhone?.includes('****'))).toBe(true);
    expect(seen.every((r) => r.staffNo === '1001' && r.level === want.find((c) => c.caseId === r.caseId)!.level)).toBe(true);

    const poor = await ok<Drilldown>(supervisor, CONSOLE_ROUTES.drilldown, { ...WEEK, dimension: 'window', key: '22', level: 'dissatisfied', limit: 200 });
    expect(poor.rows.map((r) => r.caseId).sort()).toEqual(within(WEEK).cases.filter((c) => c.windowNo === '22' && c.level === 'dissatisfied').map((c) => c.caseId).sort());
    expect(poor.next).toBeNull();
  });

  it('an evaluator sees the same figures and ratings but no phone number', async () => {
    const evaluator = await consoleSessionAs({ app: centre.centre.app, db: database.db }, 'evaluator');
    expect(totalsOf(await ok<Overview>(evaluator, CONSOLE_ROUTES.overview, WEEK))).toEqual(totalsOf(await ok<Overview>(supervisor, CONSOLE_ROUTES.overview, WEEK)));
    const page = await ok<Drilldown>(evaluator, CONSOLE_ROUTES.drilldown, { ...WEEK, dimension: 'department', key: '340104-SJ', limit: 200 });
    expect(page.rows.length).toBe(within(WEEK, '340104-SJ').cases.filter((c) => c.status === 'rated').length);
    expect(page.rows.every((r) => r.callbackPhone === null)).toBe(true);
  });

  it('a department head sees only their department, and is refused another with a sentence', async () => {
    const head = await consoleSessionAs({ app: centre.centre.app, db: database.db }, 'department', '340104-RS');
    const o = await ok<Overview>(head, CONSOLE_ROUTES.overview, WEEK);
    const { cases, misuse } = within(WEEK, '340104-RS');
    expect(totalsOf(o)).toEqual({ ...figuresOf(cases, misuse), defaulted: undefined });
    const r = await ok<Ranking>(head, CONSOLE_ROUTES.ranking, { ...WEEK, dimension: 'staff', minRated: 0 });
    expect([...r.ranked, ...r.belowThreshold].every((x) => x.departmentCode === '340104-RS')).toBe(true);
    expect(await ok(head, CONSOLE_ROUTES.departments, {})).toEqual([{ code: '340104-RS', name: '人力资源和社会保障局' }]);
    for (const [route, query] of [
      [CONSOLE_ROUTES.overview, { ...WEEK, department: '340104-SJ' }],
      [CONSOLE_ROUTES.ranking, { ...WEEK, department: '340104-SJ' }],
      [CONSOLE_ROUTES.drilldown, { ...WEEK, dimension: 'department', key: '340104-SJ' }],
    ] as const) {
      const refused = await get<{ error: { code: string; message: string } }>(head, route, query);
      expect(refused.status).toBe(403);
      expect(refused.body.error.message).toMatch(/own department/);
    }
  });

  it('bad input is a 400 with a sentence, never a 500', async () => {
    for (const [route, query] of [
      [CONSOLE_ROUTES.overview, { from: '2026-04-03', to: '2026-03-28' }],
      [CONSOLE_ROUTES.overview, { from: '2026-02-30', to: '2026-03-28' }],
      [CONSOLE_ROUTES.ranking, { ...WEEK, minRated: -1 }],
      [CONSOLE_ROUTES.drilldown, { ...WEEK, dimension: 'staff', key: '1001', after: 'not-a-position' }],
      [CONSOLE_ROUTES.drilldown, { ...WEEK, dimension: 'staff', key: '1001', after: Buffer.from('[1,2,3]').toString('base64url') }],
    ] as const) {
      const refused = await get<{ error: { code: string; message: string } }>(supervisor, route, query);
      expect(refused.status, JSON.stringify(query)).toBe(400);
      expect(refused.body.error.message.length).toBeGreaterThan(10);
    }
  });

  it('a retried upload of records already held, and a second sync, change no figure', async () => {
    const before = await Promise.all(RANGES.map((range) => ok<Overview>(supervisor, CONSOLE_ROUTES.overview, range)));
    const rankingBefore = await ok<Ranking>(supervisor, CONSOLE_ROUTES.ranking, { ...WEEK, dimension: 'item', minRated: 0 });
    for (const t of terminals) {
      const token = readCredentials(t.kiosk.db)!.token;
      const batch = nextBatch(t.kiosk.db, 1, 0, 500)!;
      const again = await upload(centre.url, token, gzipJson(toUploadJson(batch, CENTRE_NOW)));
      expect(again.status).toBe(200);
      expect(again.body.duplicates).toBe(batch.records.length);
    }
    await centre.centre.projector.run();
    const after = await Promise.all(RANGES.map((range) => ok<Overview>(supervisor, CONSOLE_ROUTES.overview, range)));
    expect(after.map(totalsOf)).toEqual(before.map(totalsOf));
    expect(after.map((o) => o.trend)).toEqual(before.map((o) => o.trend));
    expect(await ok<Ranking>(supervisor, CONSOLE_ROUTES.ranking, { ...WEEK, dimension: 'item', minRated: 0 })).toEqual(rankingBefore);
  });
});
