/**
 * The records behind the console tests: real kiosks serve a written-down list of cases,
 * sync them to the centre through the real enrolment and upload, and the test computes
 * the figures it expects from that same list, independently of the centre.
 */
import { createSyncClient } from '../../../src/core/sync';
import { GOOD_LEVELS, POOR_LEVELS, RATING_LEVELS, type RatingLevel } from '../../../src/shared/levels';
import { ManualClock } from '../../support/clock';
import { key, openTestKiosk } from '../../support/kiosk';

export interface ServedCase {
  windowNo: string;
  badge: string;
  staffName: string;
  itemCode: string;
  departmentCode: string;
  /** YYYY-MM-DD, Beijing time. */
  day: string;
  /** null: the citizen did not rate. */
  level: RatingLevel | null;
  reasons?: string[];
  phone?: string;
}

const SJ = { departmentCode: '340104-SJ', itemCode: '340104-SJ-001', badge: 'BADGE-1001', staffName: '王晓梅' };
const RS = { departmentCode: '340104-RS', itemCode: '340104-RS-001', badge: 'BADGE-1002', staffName: '李建国' };
export const DEPARTMENT_NAMES: Record<string, string> = { '340104-SJ': '市场监督管理局', '340104-RS': '人力资源和社会保障局' };

const c = (who: typeof SJ, windowNo: string, day: string, level: RatingLevel | null, details: { reasons?: string[]; phone?: string } = {}): ServedCase => ({ ...who, windowNo, day, level, ...details });

/** What happened at two windows over late February and March 2026. */
export const SCENARIO: { cases: ServedCase[]; misuse: { windowNo: string; day: string }[] } = {
  cases: [
    c(SJ, '1', '2026-02-27', 'very_dissatisfied', { reasons: ['R01'] }),
    c(SJ, '1', '2026-03-02', 'very_satisfied'),
    c(SJ, '1', '2026-03-02', 'very_satisfied'),
    c(SJ, '1', '2026-03-02', 'satisfied'),
    c(SJ, '1', '2026-03-03', 'very_dissatisfied', { reasons: ['R01', 'R06'], phone: '13812345678' }),
    c(SJ, '1', '2026-03-03', 'basically_satisfied'),
    c(SJ, '1', '2026-03-03', null),
    c(SJ, '1', '2026-03-10', 'very_satisfied'),
    c(SJ, '1', '2026-03-10', 'dissatisfied', { reasons: ['R02'] }),
    c(RS, '2', '2026-03-02', 'very_satisfied'),
    c(RS, '2', '2026-03-02', 'satisfied'),
    c(RS, '2', '2026-03-02', null),
    c(RS, '2', '2026-03-16', 'satisfied'),
    c(RS, '2', '2026-03-16', 'very_dissatisfied', { reasons: ['R03'] }),
  ],
  misuse: [{ windowNo: '1', day: '2026-03-10' }],
};

/** 09:00 Beijing on a day, as UTC milliseconds. */
const morningOf = (day: string) => Date.parse(`${day}T01:00:00Z`);

export interface Expected {
  cases: number;
  rated: number;
  unrated: number;
  poor: number;
  good: number;
  misuse: number;
  levels: Record<RatingLevel, number>;
  satisfaction: number | null;
}

/**
 * The figures for the cases that pass `keep`, computed here from the scenario, not asked of
 * the centre. A misuse press with no case belongs to no department or staff member, so any
 * filter leaves it out.
 */
export function expectedFigures(from: string, to: string, keep?: (c: ServedCase) => boolean): Expected {
  const cases = SCENARIO.cases.filter((x) => x.day >= from && x.day <= to && (!keep || keep(x)));
  const levels = Object.fromEntries(RATING_LEVELS.map((l) => [l, cases.filter((x) => x.level === l).length])) as Record<RatingLevel, number>;
  const rated = cases.filter((x) => x.level !== null).length;
  const good = cases.filter((x) => x.level !== null && GOOD_LEVELS.includes(x.level)).length;
  return {
    cases: cases.length,
    rated,
    unrated: cases.length - rated,
    poor: cases.filter((x) => x.level !== null && POOR_LEVELS.includes(x.level)).length,
    good,
    misuse: keep ? 0 : SCENARIO.misuse.filter((m) => m.day >= from && m.day <= to).length,
    levels,
    satisfaction: rated === 0 ? null : good / rated,
  };
}

export const percent = (x: number | null) => (x === null ? '—' : `${(x * 100).toFixed(1)}%`);

function must(result: { ok: boolean; error?: { message: string } }): void {
  if (!result.ok) throw new Error(result.error?.message ?? 'command refused');
}

/** Plays the scenario on one kiosk per window and syncs each to the centre. */
export async function seedCentre(centreUrl: string, adminToken: string): Promise<void> {
  let eventId = 1;
  for (const windowNo of [...new Set(SCENARIO.cases.map((x) => x.windowNo))]) {
    const cases = SCENARIO.cases.filter((x) => x.windowNo === windowNo);
    const clock = new ManualClock(morningOf(cases[0]!.day));
    const { kiosk } = openTestKiosk({ clock, config: { window: { windowNo, departmentCode: null, departmentName: null, areaCode: '340104' } } });
    try {
      let day = '';
      for (const served of cases) {
        if (served.day !== day) {
          if (kiosk.snapshot().phase !== 'closed') must(kiosk.execute({ type: 'signOut' }, 'staff'));
          // The day's misuse presses come an hour before its first case, with no case waiting.
          for (const m of SCENARIO.misuse.filter((m) => m.windowNo === windowNo && m.day === served.day)) {
            clock.advance(morningOf(m.day) - 3_600_000 - clock.now());
            if (kiosk.recordPress(key(3, eventId++, clock.now())).outcome !== 'misuse') throw new Error('the press was not kept as misuse');
            kiosk.flushPresses();
          }
          clock.advance(morningOf(served.day) - clock.now());
          day = served.day;
          must(kiosk.execute({ type: 'signInBadge', badgeId: served.badge }, 'staff'));
        }
        must(kiosk.execute({ type: 'openCase', itemCode: served.itemCode, caseNo: `BJ${eventId}` }, 'staff'));
        must(kiosk.execute({ type: 'finishCase', outcome: 'completed' }, 'staff'));
        if (served.level === null) {
          clock.advance(20_000);
        } else {
          const receipt = kiosk.recordPress(key(RATING_LEVELS.indexOf(served.level) + 1, eventId++, clock.now()));
          if (receipt.outcome !== 'rating') throw new Error('the press was not counted as a rating');
          kiosk.flushPresses();
          if (served.reasons) {
            const ratingId = kiosk.snapshot().lastRating?.id;
            must(kiosk.execute({ type: 'addRatingDetails', ratingId, reasonCodes: served.reasons, callbackPhone: served.phone, callbackConsent: !!served.phone }, 'citizen'));
          }
        }
        clock.advance(10 * 60_000);
      }
      must(kiosk.execute({ type: 'signOut' }, 'staff'));
      await syncToCentre(kiosk, centreUrl, adminToken, windowNo);
    } finally {
      kiosk.close();
    }
  }
}

async function syncToCentre(kiosk: ReturnType<typeof openTestKiosk>['kiosk'], centreUrl: string, adminToken: string, windowNo: string): Promise<void> {
  const response = await fetch(`${centreUrl}/v1/admin/enrolment-codes`, {
    method: 'POST',
    headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ windowNo }),
  });
  const { code } = (await response.json()) as { code: string };
  const enrolled = await createSyncClient({ db: kiosk.db, terminalId: kiosk.terminal.terminalId, centreUrl }).enrol(code);
  if (!enrolled.ok) throw new Error(enrolled.error.message);
  const client = createSyncClient({ db: kiosk.db, terminalId: kiosk.terminal.terminalId, centreUrl, retry: { attempts: 20, baseMs: 50, capMs: 500, maxRetryAfterMs: 5_000 } });
  const synced = await client.syncNow();
  if (!synced.ok) throw new Error(synced.error.message);
}
