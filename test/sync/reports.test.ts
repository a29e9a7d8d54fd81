/**
 * The evaluation the centre builds from real windows' records (PostgreSQL and PGlite):
 * satisfaction per staff, window, department and item by day, month, two months, quarter
 * and year; unrated cases and the default-rating policy; poor ratings with their follow-up
 * deadline in working days; and the CSV for upward reporting.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/core/time';
import { BACKENDS, openTestDatabase, type TestDatabase } from './support/backends';
import { startCentre, type TestCentre } from './support/centre';
import { enrolledClient } from './support/sync';
import { leaveUnrated, openTerminal, serveCase, type Terminal } from './support/terminal';

const CENTRE_NOW = Date.UTC(2026, 4, 20, 2, 0, 0); // 2026-05-20 10:00 in Beijing
const at = (month: number, day: number, hour = 9) => Date.UTC(2026, month - 1, day, hour - 8, 0, 0);

describe.each(BACKENDS)('reports on %s', (backend) => {
  let database: TestDatabase;
  let centre: TestCentre;
  let t: Terminal;
  let readerToken: string;
  let followUpToken: string;

  beforeAll(async () => {
    database = await openTestDatabase(backend);
    centre = await startCentre(database.db, { now: () => CENTRE_NOW });
    t = openTerminal();
    const { kiosk, clock } = t;
    // Monday 2 March: 王晓梅 serves four cases; one is rated poorly with a callback number, one is not rated.
    serveCase(t, 1);
    serveCase(t, 2);
    serveCase(t, 5, { reasons: ['R01', 'R06'], phone: '13812345678' });
    leaveUnrated(t);
    kiosk.execute({ type: 'signOut' }, 'staff');
    // Tuesday 3 March: 李建国 serves one case, rated on the touch screen.
    clock.advance(at(3, 3) - clock.now());
    kiosk.execute({ type: 'signInBadge', badgeId: 'BADGE-1002' }, 'staff');
    kiosk.execute({ type: 'openCase', itemCode: '340104-RS-001' }, 'staff');
    kiosk.execute({ type: 'finishCase', outcome: 'completed' }, 'staff');
    kiosk.execute({ type: 'rateByTouch', level: 'very_satisfied' }, 'citizen');
    clock.advance(10_000);
    kiosk.execute({ type: 'signOut' }, 'staff');
    // 王晓梅 again on 20 April and 6 May.
    clock.advance(at(4, 20) - clock.now());
    serveCase(t, 3);
    clock.advance(at(5, 6) - clock.now());
    serveCase(t, 4);

    const { client } = await enrolledClient(t, centre, { clock: { now: () => CENTRE_NOW, setTimer: systemClock.setTimer } });
    const synced = await client.syncNow();
    if (!synced.ok) throw new Error(synced.error.message);
    readerToken = String((await centre.call('POST', '/v1/admin/api-tokens', { body: { name: 'quality office', roles: ['reports'] } })).body.token);
    followUpToken = String((await centre.call('POST', '/v1/admin/api-tokens', { body: { name: 'follow-up desk', roles: ['follow_up'] } })).body.token);
  });
  afterAll(async () => {
    t?.kiosk.close();
    await centre?.close();
    await database?.close();
  });

  const report = async (query: string, token = readerToken) => {
    const answer = await centre.call('GET', `/v1/reports/satisfaction?${query}`, { token });
    expect(answer.status).toBe(200);
    return answer.body.rows as { period: string; key: string; name: string; cases: number; rated: number; unrated: number; defaulted: number; good: number; poor: number; satisfaction: number | null }[];
  };
  const pick = (rows: Awaited<ReturnType<typeof report>>) => rows.map((r) => [r.period, r.key, r.cases, r.rated, r.unrated, r.good, r.poor, r.satisfaction]);

  it('counts and judges each staff member by month', async () => {
    expect(pick(await report('by=staff&period=month'))).toEqual([
      ['2026-03', '1001', 4, 3, 1, 2, 1, 2 / 3],
      ['2026-03', '1002', 1, 1, 0, 1, 0, 1],
      ['2026-04', '1001', 1, 1, 0, 1, 0, 1],
      ['2026-05', '1001', 1, 1, 0, 0, 1, 0],
    ]);
  });

  it('groups by two months, quarter, year, day, department, window and service item', async () => {
    expect(pick(await report('by=staff&period=bimonth'))).toEqual([
      ['2026-B2', '1001', 5, 4, 1, 3, 1, 3 / 4],
      ['2026-B2', '1002', 1, 1, 0, 1, 0, 1],
      ['2026-B3', '1001', 1, 1, 0, 0, 1, 0],
    ]);
    expect((await report('by=department&period=quarter')).map((r) => [r.period, r.key, r.name, r.cases])).toEqual([
      ['2026-Q1', '340104-RS', '人力资源和社会保障局', 2],
      ['2026-Q1', '340104-SJ', '市场监督管理局', 3],
      ['2026-Q2', '340104-SJ', '市场监督管理局', 2],
    ]);
    expect((await report('by=window&period=year')).map((r) => [r.period, r.key, r.cases, r.rated])).toEqual([['2026', '1', 7, 6]]);
    expect((await report('by=item&period=day&from=2026-03-02&to=2026-03-02')).map((r) => [r.period, r.key, r.cases])).toEqual([
      ['2026-03-02', '340104-RS-001', 1],
      ['2026-03-02', '340104-SJ-001', 3],
    ]);
  });

  it('applies the region\'s default-rating policy to cases left unrated long enough', async () => {
    expect((await report('by=staff&period=month'))[0]).toMatchObject({ unrated: 1, defaulted: 0, satisfaction: 2 / 3 });
    const settings = await centre.call('GET', '/v1/admin/settings');
    await centre.call('PUT', '/v1/admin/settings', { body: { ...settings.body, ratingPolicy: { ...(settings.body.ratingPolicy as object), defaultRating: { level: 'basically_satisfied', afterDays: 7 } } } });
    expect((await report('by=staff&period=month'))[0]).toMatchObject({ unrated: 1, defaulted: 1, good: 3, satisfaction: 3 / 4 });
    await centre.call('PUT', '/v1/admin/settings', { body: settings.body });
  });

  it('lists poor ratings with a deadline in working days, phones masked unless the caller follows up', async () => {
    const answer = await centre.call('GET', '/v1/reports/poor-ratings', { token: readerToken });
    const ratings = answer.body.ratings as { level: string; staffName: string; reasonCodes: string[]; callbackPhone: string | null; followUpDeadline: string; overdue: boolean }[];
    expect(ratings.map((r) => [r.level, r.staffName, r.reasonCodes, r.callbackPhone, r.followUpDeadline, r.overdue])).toEqual([
      ['very_dissatisfied', '王晓梅', ['R01', 'R06'], '138****5678', '2026-03-23', true],
      // Rated Wednesday 6 May: the shipped 2026 calendar works Saturday 9 May (调休), a day sooner than weekdays alone.
      ['dissatisfied', '王晓梅', [], null, '2026-05-26', false],
    ]);
    const followUp = await centre.call('GET', '/v1/reports/poor-ratings', { token: followUpToken });
    expect((followUp.body.ratings as { callbackPhone: string | null }[])[0]!.callbackPhone).toBe('13812345678');

    const settings = await centre.call('GET', '/v1/admin/settings');
    // A holiday on Tuesday 10 March pushes the deadline a day; Sunday 8 March made a working day pulls it back.
    await centre.call('PUT', '/v1/admin/settings', { body: { ...settings.body, followUp: { workingDays: 15, holidays: ['2026-03-10'], workdays: [] } } });
    expect(((await centre.call('GET', '/v1/reports/poor-ratings')).body.ratings as { followUpDeadline: string }[])[0]!.followUpDeadline).toBe('2026-03-24');
    await centre.call('PUT', '/v1/admin/settings', { body: { ...settings.body, followUp: { workingDays: 15, holidays: ['2026-03-10'], workdays: ['2026-03-08'] } } });
    expect(((await centre.call('GET', '/v1/reports/poor-ratings')).body.ratings as { followUpDeadline: string }[])[0]!.followUpDeadline).toBe('2026-03-23');
    await centre.call('PUT', '/v1/admin/settings', { body: { ...settings.body, followUp: { workingDays: 5, holidays: [], workdays: [] } } });
    expect(((await centre.call('GET', '/v1/reports/poor-ratings')).body.ratings as { followUpDeadline: string }[])[0]!.followUpDeadline).toBe('2026-03-09');
    await centre.call('PUT', '/v1/admin/settings', { body: settings.body });
  });

  it('exports CSV with national field names, either satisfaction direction, and the configured channel codes', async () => {
    const csv = async (query: string) => (await centre.call('GET', `/v1/reports/ratings.csv?${query}`, { token: readerToken })).text.replace(/^\uFEFF/, '').trim().split('\r\n').map((l) => l.split(','));
    const national = await csv('codes=national');
    const header = national[0]!;
    expect(header.slice(0, 4)).toEqual(['projectNo', 'taskCode', 'taskVersion', 'taskName']);
    const col = (name: string) => header.indexOf(name);
    const touch = (rows: string[][]) => rows.find((r) => r[col('staffNo')] === '1002')!;
    expect([touch(national)[col('satisfaction')], touch(national)[col('pf')], touch(national)[col('satisfactionName')]]).toEqual(['1', '4', '非常满意']);
    const provincial = await csv('codes=provincial');
    expect(touch(provincial)[col('satisfaction')]).toBe('5');
    expect(national.slice(1).map((r) => r[col('satisfaction')]).sort()).toEqual(['', '1', '1', '2', '3', '4', '5']);
    expect(national.map((r) => r.join(',')).join('\n')).not.toContain('13812345678');

    const settings = await centre.call('GET', '/v1/admin/settings');
    await centre.call('PUT', '/v1/admin/settings', { body: { ...settings.body, export: { satisfactionDirection: 'provincial', channelCodes: { keypad: 5, legacy_keypad: 6, touch: 7 }, fieldNames: { satisfaction_code: 'myd' } } } });
    const configured = await csv('');
    const myd = configured[0]!.indexOf('myd');
    expect(myd).toBeGreaterThan(-1);
    expect([touch(configured)[myd], touch(configured)[col('pf')]]).toEqual(['5', '7']);
    await centre.call('PUT', '/v1/admin/settings', { body: settings.body });
  });

  it('keeps reports from callers without a reports token', async () => {
    expect((await centre.call('GET', '/v1/reports/satisfaction', { token: null })).status).toBe(401);
    expect((await centre.call('GET', '/v1/reports/satisfaction', { token: 'cr_unknown' })).status).toBe(401);
  });
});
