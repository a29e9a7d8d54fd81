/**
 * A window's closing time comes from its hours at the centre and the centre's calendar: the
 * config a window pulls lists the closing time of each of the next days (Monday's hours on a
 * 调休 Saturday, none on a holiday), and the window flags a case as extended service (10.5)
 * by that day's time, not by one closing time for every day. Centre on PostgreSQL and PGlite,
 * a real kiosk enrolled and pulling its config.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withCentreWindowSettings } from '../../src/core/sync';
import type { KioskConfig } from '../../src/shared/config';
import { HALL_ROUTES, type WindowSchedule } from '../../src/shared/console/hall-contract';
import { ManualClock } from '../support/clock';
import { openTestKiosk } from '../support/kiosk';
import { BACKENDS } from './support/backends';
import type { Terminal } from './support/terminal';
import { startFollowUpCentre, SJ_ITEM, windowKiosk, type FollowUpCentre } from '../centre/support/follow-up';

/** Weekdays 09:00–17:00, Friday to 16:00, closed at weekends. */
const HOURS: WindowSchedule = {
  opensAt: ['09:00', '09:00', '09:00', '09:00', '09:00', null, null],
  closesAt: ['17:00', '17:00', '17:00', '17:00', '16:00', null, null],
  pauseLimitMinutes: null,
  floor: null,
};

/** Local time in Beijing. */
const beijing = (iso: string) => Date.parse(`${iso}+08:00`);

describe.each(BACKENDS)("a window's closing time from its hours at the centre on %s", (backend) => {
  let fc: FollowUpCentre;
  const open: Terminal[] = [];
  let config: KioskConfig;

  beforeAll(async () => {
    // Thursday 12 February 2026, 09:00 in Beijing: the Spring Festival holiday starts on Monday 16th.
    fc = await startFollowUpCentre(backend, new ManualClock(beijing('2026-02-12T09:00:00')));
    await fc.database.db.query("INSERT INTO windows (window_no, department_code, department_name, settings) VALUES ('31', '340104-SJ', '市场监督管理局', '{}')");
    const admin = await fc.as('admin', null, 'hours-admin');
    expect((await fc.call(admin, 'PUT', HALL_ROUTES.windowSchedule, { params: { windowNo: '31' }, body: HOURS })).status).toBe(200);
    const t = await windowKiosk(fc, '31', open);
    expect(await t.client.pullConfig()).toMatchObject({ ok: true });
    config = withCentreWindowSettings(t.kiosk.config, t.client.cachedConfig()!);
  }, 120_000);
  afterAll(async () => {
    for (const t of open) t.kiosk.close();
    await fc?.close();
  });

  it('lists two weeks of closing times by weekday and calendar: Friday earlier, Monday’s hours on a 调休 Saturday, none on holidays and weekends', () => {
    expect(config.closingTimes).toEqual({
      '2026-02-12': '17:00',
      '2026-02-13': '16:00',
      '2026-02-14': '17:00', // 调休: a Saturday worked with Monday's hours
      '2026-02-15': null,
      '2026-02-16': null,
      '2026-02-17': null,
      '2026-02-18': null,
      '2026-02-19': null,
      '2026-02-20': null,
      '2026-02-21': null,
      '2026-02-22': null,
      '2026-02-23': null,
      '2026-02-24': '17:00',
      '2026-02-25': '17:00',
    });
  });

  it("flags extended service by that day's closing time, and every case on a day the window does not open", () => {
    const clock = new ManualClock(beijing('2026-02-12T16:00:00'));
    const t = openTestKiosk({ clock, config: { ...config, closingTime: '17:30' } });
    open.push({ ...t });
    const finishAt = (iso: string) => {
      clock.advance(beijing(iso) - clock.now());
      if (t.kiosk.snapshot().phase === 'closed') expect(t.kiosk.execute({ type: 'signInBadge', badgeId: 'BADGE-1001' }, 'staff')).toMatchObject({ ok: true });
      expect(t.kiosk.execute({ type: 'openCase', itemCode: SJ_ITEM }, 'staff')).toMatchObject({ ok: true });
      expect(t.kiosk.execute({ type: 'finishCase', outcome: 'completed' }, 'staff')).toMatchObject({ ok: true });
      const closed = t.kiosk.db.prepare("SELECT payload FROM outbox WHERE kind = 'case_closed' ORDER BY seq DESC LIMIT 1").pluck().get() as string;
      clock.advance(60_000); // nobody rates: the rating window passes
      return (JSON.parse(closed) as { afterHours: boolean }).afterHours;
    };
    expect(finishAt('2026-02-12T16:30:00')).toBe(false); // Thursday, open to 17:00
    expect(finishAt('2026-02-13T16:30:00')).toBe(true); // Friday closes at 16:00, not at the everyday 17:30
    expect(finishAt('2026-02-16T10:00:00')).toBe(true); // a holiday: the window does not open
    expect(finishAt('2026-03-02T17:00:00')).toBe(false); // beyond the list: the everyday 17:30
  });
});
