/**
 * The window rules of hall supervision as pure functions: from what the centre knows of one
 * window now (its latest status, its hours, the rules, the day) to the conditions that hold.
 * The store starts an alert for a condition that newly holds and ends the open alert of one
 * that no longer does; nothing here reads a clock or a database.
 *
 * Times a kiosk sends (pause.since, case.openedAt, keypad.since) are on the kiosk's clock:
 * each is turned into centre time by its distance from the status's own `at`, so a kiosk
 * whose clock is off by minutes is measured right.
 *
 * A stale window (no news for STATUS_STALE_MS) tells nothing of its pause, case or keypad:
 * those rules do not hold for it, and terminal_silent speaks for it during opening hours.
 */
import type { WindowRuleKind, WindowRules, WindowSchedule } from '../../../src/shared/console/hall-contract';
import type { ShownStatus } from './state';

const MINUTE = 60_000;
const DAY = 86_400_000;

/** A window's hours and pause limit, without the floor (which the window list keeps). */
export type WindowHours = Omit<WindowSchedule, 'floor'>;

/** The centre's day as the rules need it: the local date, whether it is a working day, the centre time of its midnight. */
export interface CentreDay {
  date: string;
  working: boolean;
  /** Centre time (ms) of the local midnight that starts `date`. */
  midnight: number;
}

export interface WindowFacts {
  windowNo: string;
  departmentCode: string | null;
  status: ShownStatus | null;
  /** Centre time the latest status arrived. */
  receivedAt: number | null;
  stale: boolean;
  /** Centre time the centre started listening: no window is silent before it. */
  listeningSince?: number;
  /** Centre time the centre first heard the keypad link in its present state, for a status that does not say since when. */
  linkHeardSince?: number | null;
}

export interface Condition {
  rule: WindowRuleKind;
  detail: string;
  figures: Record<string, string | number>;
}

/** The centre's local day at `now`, given the UTC offset and whether that date is a working day. */
export function centreDayOf(now: number, offsetMinutes: number, isWorking: (date: string) => boolean): CentreDay {
  const local = now + offsetMinutes * MINUTE;
  const midnightLocal = Math.floor(local / DAY) * DAY;
  const date = new Date(midnightLocal).toISOString().slice(0, 10);
  return { date, working: isWorking(date), midnight: midnightLocal - offsetMinutes * MINUTE };
}

/** Minutes after midnight of 'HH:MM'. */
function minutesOf(clock: string): number {
  return Number(clock.slice(0, 2)) * 60 + Number(clock.slice(3, 5));
}

/**
 * Today's opening and closing, as centre times, or null when the window does not open:
 * not a working day, or no hours that weekday. A weekend day declared a working day (调休)
 * keeps Monday's hours.
 */
export function hoursOn(hours: WindowHours | null, day: CentreDay): { opens: string; closes: string; opensAt: number; closesAt: number } | null {
  if (!hours || !day.working) return null;
  const weekday = new Date(`${day.date}T00:00:00Z`).getUTCDay(); // 0 Sunday … 6 Saturday
  const index = weekday === 0 || weekday === 6 ? 0 : weekday - 1;
  const opens = hours.opensAt[index] ?? null;
  const closes = hours.closesAt[index] ?? null;
  if (opens === null || closes === null) return null;
  return { opens, closes, opensAt: day.midnight + minutesOf(opens) * MINUTE, closesAt: day.midnight + minutesOf(closes) * MINUTE };
}

/** The first day (0 Monday … 6 Sunday) whose hours are not whole: one time of the two given, or closing not after opening. */
export type HoursFault = { kind: 'half'; day: number } | { kind: 'backwards'; day: number; opens: string; closes: string };

export function hoursFault(hours: Pick<WindowSchedule, 'opensAt' | 'closesAt'>): HoursFault | null {
  for (let day = 0; day < 7; day += 1) {
    const opens = hours.opensAt[day] ?? null;
    const closes = hours.closesAt[day] ?? null;
    if ((opens === null) !== (closes === null)) return { kind: 'half', day };
    if (opens !== null && closes !== null && minutesOf(closes) <= minutesOf(opens)) return { kind: 'backwards', day, opens, closes };
  }
  return null;
}

/** Whether the hours are whole: both times or neither each day, closing after opening. A sentence naming the day if not. */
export function hoursProblem(hours: Pick<WindowSchedule, 'opensAt' | 'closesAt'>): string | null {
  const fault = hoursFault(hours);
  if (!fault) return null;
  const day = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'][fault.day]!;
  return fault.kind === 'half'
    ? `${day}: give both the opening and the closing time, or neither for a closed day`
    : `${day}: the window closes at ${fault.closes}, which is not after it opens at ${fault.opens}`;
}

const minutesBetween = (from: number, to: number) => Math.floor((to - from) / MINUTE);

/** Every condition that holds for the window now, among the rules switched on. */
export function windowConditions(facts: WindowFacts, rules: WindowRules, hours: WindowHours | null, day: CentreDay, now: number): Condition[] {
  const found: Condition[] = [];
  const { windowNo, status, receivedAt } = facts;
  const today = hoursOn(hours, day);
  const open = today !== null && now >= today.opensAt && now < today.closesAt;
  // A status's own times, moved onto the centre's clock.
  const centreTime = (kioskTime: number) => (receivedAt ?? now) - ((status?.at ?? kioskTime) - kioskTime);
  const fresh = status !== null && receivedAt !== null && !facts.stale ? status : null;
  const staffIn = (s: ShownStatus | null) => s !== null && s.staff !== null && s.phase !== 'closed';

  if (rules.notOpen.enabled && today && open) {
    const due = today.opensAt + rules.notOpen.graceMinutes * MINUTE;
    // A sign-in from an earlier day says nothing of today; a silent kiosk's last word does.
    const signedIn = staffIn(status) && receivedAt !== null && receivedAt >= day.midnight;
    if (now >= due && !signedIn) {
      found.push({
        rule: 'not_open',
        detail: `window ${windowNo} is not open: nobody signed in by ${clockOf(today.opens, rules.notOpen.graceMinutes)} (it opens at ${today.opens})`,
        figures: { opensAt: today.opens, graceMinutes: rules.notOpen.graceMinutes, minutesLate: minutesBetween(today.opensAt, now) },
      });
    }
  }

  if (rules.longPause.enabled && fresh?.phase === 'paused' && fresh.pause) {
    const limit = hours?.pauseLimitMinutes ?? rules.longPause.defaultLimitMinutes;
    const since = centreTime(fresh.pause.since);
    if (now - since > limit * MINUTE) {
      found.push({
        rule: 'long_pause',
        detail: `window ${windowNo} has been paused for ${minutesBetween(since, now)} minutes (limit ${limit}): ${fresh.pause.reason || 'no reason given'}`,
        figures: { reason: fresh.pause.reason, minutes: minutesBetween(since, now), limitMinutes: limit, since },
      });
    }
  }

  if (rules.keypadOffline.enabled && fresh && staffIn(fresh) && fresh.keypad.link !== 'online' && fresh.keypad.link !== 'disabled') {
    const since = fresh.keypad.since !== null ? centreTime(fresh.keypad.since) : (facts.linkHeardSince ?? null);
    if (since !== null && now - since > rules.keypadOffline.minutes * MINUTE) {
      found.push({
        rule: 'keypad_offline',
        detail: `the keypad at window ${windowNo} has been ${fresh.keypad.link} for ${minutesBetween(since, now)} minutes while staff are signed in (limit ${rules.keypadOffline.minutes})`,
        figures: { link: fresh.keypad.link, minutes: minutesBetween(since, now), limitMinutes: rules.keypadOffline.minutes, since },
      });
    }
  }

  if (rules.longCase.enabled && fresh?.case) {
    const limit = rules.longCase.byItem[fresh.case.itemCode] ?? rules.longCase.defaultMinutes;
    const since = centreTime(fresh.case.openedAt);
    if (now - since > limit * MINUTE) {
      found.push({
        rule: 'long_case',
        detail: `a case of ${fresh.case.itemName || fresh.case.itemCode} at window ${windowNo} has run ${minutesBetween(since, now)} minutes (limit ${limit})`,
        figures: { itemCode: fresh.case.itemCode, itemName: fresh.case.itemName, minutes: minutesBetween(since, now), limitMinutes: limit, since },
      });
    }
  }

  if (rules.terminalSilent.enabled && today && open) {
    // Silence counts from the opening at the earliest (the night is not silence), and from when the centre began to listen.
    const heard = Math.max(receivedAt ?? Number.NEGATIVE_INFINITY, today.opensAt, facts.listeningSince ?? Number.NEGATIVE_INFINITY);
    if (now - heard > rules.terminalSilent.minutes * MINUTE) {
      found.push({
        rule: 'terminal_silent',
        detail: `window ${windowNo} has sent no status for ${minutesBetween(heard, now)} minutes during opening hours (limit ${rules.terminalSilent.minutes})`,
        figures: { minutes: minutesBetween(heard, now), limitMinutes: rules.terminalSilent.minutes, ...(receivedAt === null ? {} : { lastHeardAt: receivedAt }) },
      });
    }
  }
  return found;
}

/** 'HH:MM' plus some minutes, within the day. */
function clockOf(clock: string, plusMinutes: number): string {
  const total = Math.min(minutesOf(clock) + plusMinutes, 24 * 60 - 1);
  return `${String(Math.floor(total / 60)).padStart(2, '0')}:${String(total % 60).padStart(2, '0')}`;
}

/** What to do for one window: the conditions to start (not open yet) and the open alerts to end. */
export function alertChanges<A extends { id: number; rule: WindowRuleKind }>(holding: Condition[], open: A[]): { start: Condition[]; end: A[] } {
  const holds = new Set(holding.map((c) => c.rule));
  const running = new Set(open.map((a) => a.rule));
  return { start: holding.filter((c) => !running.has(c.rule)), end: open.filter((a) => !holds.has(a.rule)) };
}
