/**
 * Alert rules on a real PostgreSQL, on a hand-moved clock: real kiosks upload poor ratings;
 * a burst at one window is raised once however many ratings and retries follow; a follow-up
 * record due on the next working day, and then overdue, raises each alert once however
 * many sweeps pass; the admin sets the rules, nobody else; alerts are listed by department.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createSyncClient } from '../../src/core/sync';
import { IT_ROUTES } from '../../src/shared/console/contract';
import { DEFAULT_ALERT_RULES, LIVE_ROUTES, type LiveEvent, type RuleAlert } from '../../src/shared/console/live-contract';
import { key } from '../support/kiosk';
import type { TestDatabase } from '../sync/support/backends';
import { openTerminal, type Terminal } from '../sync/support/terminal';
import { openItDatabase, startItCentre, type ItCentre } from './it-helpers';
import type { ConsoleSession } from './support/console-session';

let eventId = 1;
const MINUTE = 60_000;

/** A finished case rated by a press: key 5 非常不满意, key 4 不满意, key 1 非常满意. */
function serve(t: Terminal, itemCode: string, level: 1 | 4 | 5, after = 0): void {
  const { kiosk, clock } = t;
  const must = (r: { ok: boolean; error?: { message: string } }) => {
    if (!r.ok) throw new Error(r.error?.message ?? 'refused');
  };
  if (kiosk.snapshot().phase === 'closed') must(kiosk.execute({ type: 'signInBadge', badgeId: 'BADGE-1001' }, 'staff'));
  must(kiosk.execute({ type: 'openCase', itemCode }, 'staff'));
  must(kiosk.execute({ type: 'finishCase', outcome: 'completed' }, 'staff'));
  expect(kiosk.recordPress(key(level, eventId++, clock.now())).outcome).toBe('rating');
  kiosk.flushPresses();
  clock.advance(after);
}

describe('alert rules on postgres', () => {
  let database: TestDatabase;
  let centre: ItCentre;
  let admin: ConsoleSession;
  const kiosks: Terminal[] = [];
  const heard: LiveEvent[] = [];

  beforeAll(async () => {
    database = await openItDatabase('postgres');
  });
  afterAll(async () => {
    await database?.close();
  });
  beforeEach(async () => {
    await database.reset();
    centre = await startItCentre(database.db);
    await centre.centre.alerts.idle();
    admin = await centre.as('admin', null, 'it-admin');
    heard.length = 0;
    centre.centre.bus.subscribe((e) => {
      if (e.type === 'rule_alert') heard.push(e);
    });
  });
  afterEach(async () => {
    for (const t of kiosks.splice(0)) t.kiosk.close();
    await centre.close();
  });

  async function windowKiosk(windowNo: string) {
    const t = openTerminal({ clock: centre.clock, windowNo });
    kiosks.push(t);
    const code = await centre.call(admin, 'POST', IT_ROUTES.enrolmentCodes, { body: { windowNo } });
    const client = () => createSyncClient({ db: t.kiosk.db, terminalId: t.kiosk.terminal.terminalId, centreUrl: centre.url, clock: t.clock, retry: { attempts: 1 } });
    expect((await client().enrol(String(code.body.code))).ok).toBe(true);
    return {
      t,
      async sync() {
        expect(await client().syncNow()).toMatchObject({ ok: true });
        await centre.centre.alerts.idle();
      },
    };
  }

  const stored = async (rule: string) =>
    database.db.query<{ id: number; subject: string; window_no: string | null; follow_up_id: number | null; detail: string }>(
      'SELECT id, subject, window_no, follow_up_id, detail FROM rule_alerts WHERE rule = $1 ORDER BY id',
      [rule],
    );

  it('raises a burst of poor ratings at a window once, and a later burst again', async () => {
    const w7 = await windowKiosk('7');
    const w8 = await windowKiosk('8');
    // Window 7: a poor rating, a good one, then a second poor one 20 minutes after the first.
    serve(w7.t, '340104-SJ-001', 5, 10 * MINUTE);
    serve(w7.t, '340104-SJ-001', 1, 10 * MINUTE);
    await w7.sync();
    expect(await stored('poor_burst')).toEqual([]);
    serve(w7.t, '340104-SJ-001', 4, 5 * MINUTE);
    // Window 8: one poor rating only.
    serve(w8.t, '340104-RS-001', 5, MINUTE);
    await w7.sync();
    await w8.sync();

    const first = await stored('poor_burst');
    expect(first).toEqual([expect.objectContaining({ window_no: '7', follow_up_id: null, detail: '2 poor ratings at window 7 within 30 minutes' })]);
    expect(heard).toEqual([expect.objectContaining({ type: 'rule_alert', rule: 'poor_burst', alertId: Number(first[0]!.id), windowNo: '7', departmentCode: '340104-SJ' })]);

    // A third poor rating inside the same half hour, and a retried upload: still one alert.
    serve(w7.t, '340104-SJ-001', 5, 30 * MINUTE);
    await w7.sync();
    await w7.sync();
    expect(await stored('poor_burst')).toHaveLength(1);
    expect(heard).toHaveLength(1);

    // Later that day two more at window 7 within ten minutes: a new burst.
    centre.clock.advance(60 * MINUTE);
    serve(w7.t, '340104-SJ-001', 4, 10 * MINUTE);
    serve(w7.t, '340104-SJ-001', 4);
    await w7.sync();
    const after = await stored('poor_burst');
    expect(after.map((a) => a.window_no)).toEqual(['7', '7']);
    expect(after[1]!.detail).toBe('2 poor ratings at window 7 within 30 minutes');
    expect(heard).toHaveLength(2);

    // The list the console reads: the market department's head sees both, the HR head neither.
    const market = await centre.call(await centre.as('department', '340104-SJ'), 'GET', LIVE_ROUTES.ruleAlerts);
    expect((market.body.alerts as RuleAlert[]).map((a) => [a.rule, a.windowNo, a.departmentName])).toEqual([
      ['poor_burst', '7', '市场监督管理局'],
      ['poor_burst', '7', '市场监督管理局'],
    ]);
    const hr = await centre.call(await centre.as('department', '340104-RS'), 'GET', LIVE_ROUTES.ruleAlerts);
    expect(hr.body.alerts).toEqual([]);
    const other = await centre.call(await centre.as('department', '340104-RS', 'hr-nosy'), 'GET', LIVE_ROUTES.ruleAlerts, { query: { department: '340104-SJ' } });
    expect(other.status).toBe(403);
  });

  it('with the burst rule set to 3 in 10 minutes, or switched off, two poor ratings raise nothing', async () => {
    const rules = { ...DEFAULT_ALERT_RULES, poorBurst: { enabled: true, count: 3, minutes: 10 } };
    const saved = await centre.call(admin, 'PUT', LIVE_ROUTES.alertRules, { body: rules });
    expect(saved.status).toBe(200);
    expect(saved.body).toEqual(rules);
    const w7 = await windowKiosk('7');
    serve(w7.t, '340104-SJ-001', 5, 4 * MINUTE);
    serve(w7.t, '340104-SJ-001', 5, 4 * MINUTE);
    await w7.sync();
    expect(await stored('poor_burst')).toEqual([]);

    await centre.call(admin, 'PUT', LIVE_ROUTES.alertRules, { body: { ...rules, poorBurst: { enabled: false, count: 2, minutes: 30 } } });
    serve(w7.t, '340104-SJ-001', 5, MINUTE);
    await w7.sync();
    expect(await stored('poor_burst')).toEqual([]);
    expect(heard).toEqual([]);
  });

  it('raises due tomorrow on the working day before the deadline and overdue after it, each once however many sweeps', async () => {
    const w7 = await windowKiosk('7');
    serve(w7.t, '340104-SJ-001', 5, MINUTE);
    serve(w7.t, '340104-SJ-001', 5, MINUTE);
    await w7.sync();
    const records = await database.db.query<{ id: number; deadline: string }>('SELECT id, deadline FROM follow_ups ORDER BY id');
    expect(records).toHaveLength(2);
    // Close the second: closed records raise nothing.
    await database.db.query("UPDATE follow_ups SET state = 'closed', closed_at = $2 WHERE id = $1", [records[1]!.id, centre.clock.now()]);
    const deadline = records[0]!.deadline;
    // 10:00 in Beijing on a local date.
    const at = (day: string, plusDays = 0) => Date.parse(`${day}T02:00:00Z`) + plusDays * 24 * 60 * MINUTE;
    const moveTo = (time: number) => centre.clock.advance(time - centre.clock.now());

    expect(await centre.centre.alerts.sweep()).toEqual([]);
    moveTo(at(deadline, -1));
    const due = await centre.centre.alerts.sweep();
    expect(due).toEqual([expect.objectContaining({ rule: 'due_tomorrow', followUpId: Number(records[0]!.id), windowNo: '7', departmentCode: '340104-SJ' })]);
    expect(due[0]!.detail).toBe(`follow-up record ${records[0]!.id} is due on the next working day, ${deadline}, and is not closed`);
    expect(await centre.centre.alerts.sweep()).toEqual([]);
    centre.clock.advance(60 * MINUTE);
    expect(await centre.centre.alerts.sweep()).toEqual([]);

    // The deadline day itself is not overdue yet; the day after is.
    moveTo(at(deadline));
    expect(await centre.centre.alerts.sweep()).toEqual([]);
    moveTo(at(deadline, 1));
    const overdue = await centre.centre.alerts.sweep();
    expect(overdue).toEqual([expect.objectContaining({ rule: 'overdue', followUpId: Number(records[0]!.id) })]);
    expect(overdue[0]!.detail).toBe(`follow-up record ${records[0]!.id} passed its deadline of ${deadline} and is not closed`);
    for (let day = 2; day < 5; day++) {
      moveTo(at(deadline, day));
      expect(await centre.centre.alerts.sweep()).toEqual([]);
    }
    expect((await stored('due_tomorrow')).map((a) => a.follow_up_id)).toEqual([Number(records[0]!.id)]);
    expect((await stored('overdue')).map((a) => a.follow_up_id)).toEqual([Number(records[0]!.id)]);
    // The two poor ratings a minute apart were a burst as well.
    expect(heard.map((e) => (e.type === 'rule_alert' ? e.rule : e.type))).toEqual(['poor_burst', 'due_tomorrow', 'overdue']);
    // A centre started again sweeps at once, and still raises nothing twice.
    await centre.close();
    centre = await startItCentre(database.db, centre.clock);
    await centre.centre.alerts.idle();
    expect(await database.db.query('SELECT rule, count(*)::integer AS n FROM rule_alerts GROUP BY rule ORDER BY rule')).toEqual([
      { rule: 'due_tomorrow', n: 1 },
      { rule: 'overdue', n: 1 },
      { rule: 'poor_burst', n: 1 },
    ]);
  });

  it('only an admin changes the rules; a wrong rule is refused with a sentence and changes nothing', async () => {
    const supervisor = await centre.as('supervisor');
    expect((await centre.call(supervisor, 'GET', LIVE_ROUTES.alertRules)).body).toEqual(DEFAULT_ALERT_RULES);
    const refused = await centre.call(supervisor, 'PUT', LIVE_ROUTES.alertRules, { body: { ...DEFAULT_ALERT_RULES, overdue: { enabled: false } } });
    expect(refused.status).toBe(403);
    const noCsrf = await centre.call(admin, 'PUT', LIVE_ROUTES.alertRules, { body: { ...DEFAULT_ALERT_RULES, overdue: { enabled: false } }, csrf: false });
    expect(noCsrf.status).toBe(403);
    const wrong = await centre.call(admin, 'PUT', LIVE_ROUTES.alertRules, { body: { ...DEFAULT_ALERT_RULES, poorBurst: { enabled: true, count: 1, minutes: 30 } } });
    expect(wrong.status).toBe(400);
    expect(wrong.body).toEqual({
      error: { code: 'invalid-request', message: 'poorBurst.count: at least 2 poor ratings', reason: 'general.input_invalid', fields: { field: 'poorBurst.count', detail: 'at least 2 poor ratings' } },
    });
    expect((await centre.call(admin, 'GET', LIVE_ROUTES.alertRules)).body).toEqual(DEFAULT_ALERT_RULES);
    expect(await database.db.query('SELECT count(*)::integer AS n FROM alert_rules')).toEqual([{ n: 0 }]);
    const evaluator = await centre.as('evaluator');
    expect((await centre.call(evaluator, 'GET', LIVE_ROUTES.ruleAlerts)).status).toBe(403);
  });
});
