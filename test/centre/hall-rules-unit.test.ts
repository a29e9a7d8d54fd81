/**
 * The window rules as pure functions: which conditions hold for a window at a moment, from
 * its latest status, its hours, the rules and the centre's day.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_WINDOW_RULES, type WindowRules } from '../../src/shared/console/hall-contract';
import { alertChanges, centreDayOf, hoursOn, hoursProblem, windowConditions, type CentreDay, type WindowFacts, type WindowHours } from '../../server/src/hall/rules';
import type { ShownStatus } from '../../server/src/hall/state';

const MIN = 60_000;
const OFFSET = 480; // UTC+8
/** 2026-03-02, a Monday, 00:00 in the centre's time zone. */
const MONDAY = Date.UTC(2026, 2, 1, 16, 0);
const at = (day: number, hh: number, mm = 0) => day + hh * 3_600_000 + mm * MIN;

const HOURS: WindowHours = {
  opensAt: ['09:00', '09:00', '08:30', '09:00', '09:00', null, null],
  closesAt: ['17:00', '17:00', '12:00', '17:00', '17:00', null, null],
  pauseLimitMinutes: null,
};

const weekdays = (date: string) => !['Sat', 'Sun'].includes(new Date(`${date}T00:00:00Z`).toUTCString().slice(0, 3));
const dayAt = (now: number, isWorking: (date: string) => boolean = weekdays): CentreDay => centreDayOf(now, OFFSET, isWorking);

function status(now: number, over: Partial<ShownStatus> = {}): ShownStatus {
  return {
    at: now,
    phase: 'idle',
    pause: null,
    staff: { staffNo: 'S1001', name: '王芳', signedInAt: now - 3_600_000 },
    case: null,
    today: { served: 0, rated: 0, poor: 0 },
    keypad: { link: 'online', since: now - 3_600_000 },
    backlog: 0,
    appVersion: '1.0.0',
    ...over,
  };
}

const facts = (s: ShownStatus | null, receivedAt: number | null, over: Partial<WindowFacts> = {}): WindowFacts => ({
  windowNo: '7',
  departmentCode: 'D1',
  status: s,
  receivedAt,
  stale: false,
  ...over,
});

const rulesWith = (change: (r: WindowRules) => void): WindowRules => {
  const r = structuredClone(DEFAULT_WINDOW_RULES);
  change(r);
  return r;
};

const kinds = (f: WindowFacts, now: number, hours: WindowHours | null = HOURS, rules: WindowRules = DEFAULT_WINDOW_RULES, day = dayAt(now)) =>
  windowConditions(f, rules, hours, day, now).map((c) => c.rule);

describe('the centre day and its hours', () => {
  it('reads the local date and its midnight in the centre time zone', () => {
    const day = dayAt(at(MONDAY, 0, 30));
    expect(day).toEqual({ date: '2026-03-02', working: true, midnight: MONDAY });
    expect(dayAt(at(MONDAY, 23, 59)).date).toBe('2026-03-02');
    expect(dayAt(at(MONDAY, 24, 0)).date).toBe('2026-03-03');
  });

  it('uses each weekday its own hours, none on a holiday or an ordinary weekend, and Monday’s on a 调休 Saturday', () => {
    expect(hoursOn(HOURS, dayAt(at(MONDAY, 10)))).toMatchObject({ opens: '09:00', closes: '17:00', opensAt: at(MONDAY, 9) });
    const wednesday = MONDAY + 2 * 86_400_000;
    expect(hoursOn(HOURS, dayAt(at(wednesday, 10)))).toMatchObject({ opens: '08:30', closes: '12:00', opensAt: at(wednesday, 8, 30) });
    expect(hoursOn(HOURS, dayAt(at(MONDAY, 10), () => false))).toBeNull();
    const saturday = MONDAY + 5 * 86_400_000;
    expect(hoursOn(HOURS, dayAt(at(saturday, 10)))).toBeNull();
    expect(hoursOn(HOURS, dayAt(at(saturday, 10), () => true))).toMatchObject({ opens: '09:00', closes: '17:00', opensAt: at(saturday, 9) });
    expect(hoursOn(null, dayAt(at(MONDAY, 10)))).toBeNull();
  });

  it('names the day whose hours are half given or backwards', () => {
    expect(hoursProblem(HOURS)).toBeNull();
    expect(hoursProblem({ opensAt: ['09:00', null, null, null, null, null, null], closesAt: [null, null, null, null, null, null, null] })).toBe(
      'Monday: give both the opening and the closing time, or neither for a closed day',
    );
    expect(hoursProblem({ opensAt: [null, null, '14:00', null, null, null, null], closesAt: [null, null, '12:00', null, null, null, null] })).toBe(
      'Wednesday: the window closes at 12:00, which is not after it opens at 14:00',
    );
  });
});

describe('not_open', () => {
  const empty = status(at(MONDAY, 8), { staff: null, phase: 'closed' });
  it('holds once the grace has passed with nobody signed in, until somebody signs in or the window closes', () => {
    expect(kinds(facts(empty, at(MONDAY, 9, 9)), at(MONDAY, 9, 9))).toEqual([]);
    const late = windowConditions(facts(empty, at(MONDAY, 9, 10)), DEFAULT_WINDOW_RULES, HOURS, dayAt(at(MONDAY, 9, 10)), at(MONDAY, 9, 10));
    expect(late).toEqual([
      {
        rule: 'not_open',
        detail: 'window 7 is not open: nobody signed in by 09:10 (it opens at 09:00)',
        figures: { opensAt: '09:00', graceMinutes: 10, minutesLate: 10 },
      },
    ]);
    expect(kinds(facts(status(at(MONDAY, 9, 20)), at(MONDAY, 9, 20)), at(MONDAY, 9, 20))).toEqual([]);
    expect(kinds(facts(empty, at(MONDAY, 17)), at(MONDAY, 17))).toEqual([]);
  });

  it('counts a sign-in from an earlier day as nobody, and a window that never reported as not open', () => {
    const yesterday = MONDAY - 3_600_000;
    expect(kinds(facts(status(yesterday), yesterday), at(MONDAY, 9, 15), HOURS, rulesWith((r) => (r.terminalSilent.enabled = false)))).toEqual(['not_open']);
    expect(kinds(facts(null, null), at(MONDAY, 9, 11))).toEqual(['not_open', 'terminal_silent']);
  });

  it('holds on no holiday, no ordinary Saturday, for no window without hours, and not when switched off', () => {
    const saturday = MONDAY + 5 * 86_400_000;
    expect(kinds(facts(empty, at(MONDAY, 9, 30)), at(MONDAY, 9, 30), HOURS, DEFAULT_WINDOW_RULES, dayAt(at(MONDAY, 9, 30), () => false))).toEqual([]);
    expect(kinds(facts(empty, at(saturday, 9, 30)), at(saturday, 9, 30))).toEqual([]);
    expect(kinds(facts(empty, at(saturday, 9, 30)), at(saturday, 9, 30), HOURS, DEFAULT_WINDOW_RULES, dayAt(at(saturday, 9, 30), () => true))).toEqual(['not_open']);
    expect(kinds(facts(empty, at(MONDAY, 9, 30)), at(MONDAY, 9, 30), null)).toEqual([]);
    expect(kinds(facts(empty, at(MONDAY, 9, 30)), at(MONDAY, 9, 30), HOURS, rulesWith((r) => (r.notOpen.enabled = false)))).toEqual([]);
  });
});

describe('long_pause', () => {
  const now = at(MONDAY, 11);
  const paused = (minutes: number, kioskAhead = 0) => status(now + kioskAhead, { phase: 'paused', pause: { reason: '午休', since: now + kioskAhead - minutes * MIN } });

  it('holds past the default limit and names the reason, measured on the centre clock whatever the kiosk clock says', () => {
    expect(kinds(facts(paused(30), now), now)).toEqual([]);
    const [alert] = windowConditions(facts(paused(31), now), DEFAULT_WINDOW_RULES, HOURS, dayAt(now), now);
    expect(alert).toEqual({
      rule: 'long_pause',
      detail: 'window 7 has been paused for 31 minutes (limit 30): 午休',
      figures: { reason: '午休', minutes: 31, limitMinutes: 30, since: now - 31 * MIN },
    });
    // The kiosk's clock runs 20 minutes ahead: still 31 minutes of pause.
    expect(windowConditions(facts(paused(31, 20 * MIN), now), DEFAULT_WINDOW_RULES, HOURS, dayAt(now), now)[0]?.figures.minutes).toBe(31);
    // The status arrived 5 minutes ago and the window is still paused: 26 + 5 minutes.
    expect(kinds(facts(status(now - 5 * MIN, { phase: 'paused', pause: { reason: '午休', since: now - 31 * MIN } }), now - 5 * MIN), now)).toEqual(['long_pause']);
  });

  it('uses the window’s own limit, says nothing of a stale window, and nothing when switched off', () => {
    expect(kinds(facts(paused(40), now), now, { ...HOURS, pauseLimitMinutes: 45 })).toEqual([]);
    expect(kinds(facts(paused(46), now), now, { ...HOURS, pauseLimitMinutes: 45 })).toEqual(['long_pause']);
    expect(kinds(facts(paused(40), now, { stale: true }), now, null)).toEqual([]);
    expect(kinds(facts(paused(40), now), now, HOURS, rulesWith((r) => (r.longPause.enabled = false)))).toEqual([]);
  });
});

describe('keypad_offline', () => {
  const now = at(MONDAY, 10);
  it('holds when the link has not been online for longer than the limit while staff are signed in', () => {
    const offline = (minutes: number, over: Partial<ShownStatus> = {}) => status(now, { keypad: { link: 'offline', since: now - minutes * MIN }, ...over });
    expect(kinds(facts(offline(5), now), now)).toEqual([]);
    expect(kinds(facts(offline(6), now), now)).toEqual(['keypad_offline']);
    expect(kinds(facts(offline(6, { keypad: { link: 'unresponsive', since: now - 6 * MIN } }), now), now)).toEqual(['keypad_offline']);
    expect(kinds(facts(offline(60, { staff: null, phase: 'closed' }), now), now, null)).toEqual([]);
    expect(kinds(facts(offline(60, { keypad: { link: 'disabled', since: now - 60 * MIN } }), now), now)).toEqual([]);
  });

  it('counts from when the centre first heard the state when the kiosk cannot say', () => {
    const unknown = status(now, { keypad: { link: 'offline', since: null } });
    expect(kinds(facts(unknown, now, { linkHeardSince: now - 4 * MIN }), now)).toEqual([]);
    expect(kinds(facts(unknown, now, { linkHeardSince: now - 7 * MIN }), now)).toEqual(['keypad_offline']);
  });
});

describe('long_case', () => {
  const now = at(MONDAY, 10);
  const running = (itemCode: string, minutes: number) => status(now, { phase: 'serving', case: { itemCode, itemName: '营业执照变更', openedAt: now - minutes * MIN } });
  it('flags a case past its item’s threshold, or the default for other items', () => {
    const rules = rulesWith((r) => (r.longCase.byItem = { 'SC-01': 20 }));
    expect(kinds(facts(running('SC-01', 20), now), now, HOURS, rules)).toEqual([]);
    const [alert] = windowConditions(facts(running('SC-01', 21), now), rules, HOURS, dayAt(now), now);
    expect(alert).toMatchObject({ rule: 'long_case', detail: 'a case of 营业执照变更 at window 7 has run 21 minutes (limit 20)', figures: { itemCode: 'SC-01', limitMinutes: 20 } });
    expect(kinds(facts(running('RS-02', 59), now), now, HOURS, rules)).toEqual([]);
    expect(kinds(facts(running('RS-02', 61), now), now, HOURS, rules)).toEqual(['long_case']);
  });
});

describe('terminal_silent', () => {
  it('holds after the limit without a status during opening hours, counting from the opening and from when the centre began to listen', () => {
    const lastNight = MONDAY - 2 * 3_600_000;
    const quiet = facts(status(lastNight), lastNight);
    // Last night's sign-in does not open today's window: not_open speaks too, unless switched off.
    expect(kinds(quiet, at(MONDAY, 9, 11))).toEqual(['not_open', 'terminal_silent']);
    const silentOnly = rulesWith((r) => (r.notOpen.enabled = false));
    expect(kinds(quiet, at(MONDAY, 8, 59), HOURS, silentOnly)).toEqual([]);
    expect(kinds(quiet, at(MONDAY, 9, 10), HOURS, silentOnly)).toEqual([]);
    expect(kinds(quiet, at(MONDAY, 9, 11), HOURS, silentOnly)).toEqual(['terminal_silent']);
    expect(kinds({ ...quiet, listeningSince: at(MONDAY, 9, 5) }, at(MONDAY, 9, 11), HOURS, silentOnly)).toEqual([]);
    const heard = facts(status(at(MONDAY, 10)), at(MONDAY, 10));
    expect(kinds(heard, at(MONDAY, 10, 10))).toEqual([]);
    const [alert] = windowConditions(heard, DEFAULT_WINDOW_RULES, HOURS, dayAt(at(MONDAY, 10, 12)), at(MONDAY, 10, 12));
    expect(alert).toEqual({
      rule: 'terminal_silent',
      detail: 'window 7 has sent no status for 12 minutes during opening hours (limit 10)',
      figures: { minutes: 12, limitMinutes: 10, lastHeardAt: at(MONDAY, 10) },
    });
    expect(kinds(heard, at(MONDAY, 17, 30))).toEqual([]);
  });
});

describe('alert changes', () => {
  it('starts what newly holds and ends what no longer does', () => {
    const holding = windowConditions(facts(null, null), DEFAULT_WINDOW_RULES, HOURS, dayAt(at(MONDAY, 9, 30)), at(MONDAY, 9, 30));
    const open = [
      { id: 1, rule: 'terminal_silent' as const },
      { id: 2, rule: 'long_pause' as const },
    ];
    const changes = alertChanges(holding, open);
    expect(changes.start.map((c) => c.rule)).toEqual(['not_open']);
    expect(changes.end).toEqual([{ id: 2, rule: 'long_pause' }]);
  });
});
