/**
 * A week of real windows for the figures tests: three kiosks serve a few hundred cases over
 * the turn of a month (staff, items of three departments, every level, unrated cases,
 * poor ratings with callback numbers, misuse presses, a case closed after midnight), then
 * sync to the centre through its HTTP API. The expected figures are computed here from the
 * kiosks' own outbox records, with the rule the centre documents: a case counts on the
 * local day it was closed (else rated, else marked unrated); open cases count nowhere.
 */
import { systemClock } from '../../../src/core/time';
import { isGood, isPoor, RATING_LEVELS, type RatingLevel } from '../../../src/shared/levels';
import { localDate } from '../../../src/shared/console/periods';
import { key } from '../../support/kiosk';
import type { TestCentre } from '../../sync/support/centre';
import { enrolledClient } from '../../sync/support/sync';
import { openTerminal, type Terminal } from '../../sync/support/terminal';

export const FIRST_DAY = Date.UTC(2026, 2, 28, 1, 0, 0); // Saturday 28 March 2026, 09:00 in Beijing
export const DAYS = 7;
const ITEMS = ['340104-SJ-001', '340104-SJ-002', '340104-RS-001', '340104-RS-003', '340104-GA-001', '340104-GA-003', '340104-ZX-001'];
const BADGES = ['BADGE-1001', 'BADGE-1002', 'BADGE-1003'];

/** A small deterministic generator: the same seed gives the same week. */
function random(seed: number) {
  let s = seed >>> 0;
  return (n: number) => {
    s = (Math.imul(s, 1_664_525) + 1_013_904_223) >>> 0;
    return s % n;
  };
}

function must(result: { ok: boolean; error?: { message: string } }): void {
  if (!result.ok) throw new Error(result.error?.message ?? 'command refused');
}

let eventId = 1;

function serveWeek(t: Terminal, seed: number): void {
  const { kiosk, clock } = t;
  const pick = random(seed);
  for (let day = 0; day < DAYS; day++) {
    clock.advance(FIRST_DAY + day * 86_400_000 + pick(3_600_000) - clock.now());
    must(kiosk.execute({ type: 'signInBadge', badgeId: BADGES[(seed + day) % BADGES.length]! }, 'staff'));
    const cases = 10 + pick(8);
    for (let i = 0; i < cases; i++) {
      // Late on the third day, one case is finished after local midnight: it counts on the next day.
      if (day === 2 && i === cases - 1) clock.advance(FIRST_DAY + 3 * 86_400_000 - 9 * 3_600_000 - 30_000 - clock.now());
      must(kiosk.execute({ type: 'openCase', itemCode: ITEMS[pick(ITEMS.length)]!, caseNo: `BJ${seed}-${day}-${i}` }, 'staff'));
      if (pick(9) === 0) {
        kiosk.recordPress(key(1 + pick(5), eventId++, clock.now()));
        kiosk.flushPresses();
      }
      clock.advance(60_000);
      must(kiosk.execute({ type: 'finishCase', outcome: 'completed' }, 'staff'));
      const roll = pick(10);
      if (roll === 0) {
        clock.advance(20_000); // nobody presses: unrated
      } else {
        const level = (roll < 5 ? 1 : roll < 7 ? 2 : roll < 8 ? 3 : roll < 9 ? 4 : 5) as 1 | 2 | 3 | 4 | 5;
        const receipt = kiosk.recordPress(key(level, eventId++, clock.now()));
        if (receipt.outcome !== 'rating') throw new Error('the press was not counted as a rating');
        kiosk.flushPresses();
        if (level >= 4) {
          const ratingId = kiosk.snapshot().lastRating?.id;
          const phone = `138${String(seed).padStart(4, '0')}${String(i).padStart(4, '0')}`;
          must(kiosk.execute({ type: 'addRatingDetails', ratingId, reasonCodes: ['R01'], callbackPhone: phone, callbackConsent: true }, 'citizen'));
          GIVEN_PHONES.set(ratingId!, phone);
        }
        clock.advance(30_000);
      }
      // Now and then someone presses the keypad between cases.
      if (pick(8) === 0) {
        kiosk.recordPress(key(1 + pick(5), eventId++, clock.now()));
        kiosk.flushPresses();
      }
      clock.advance(pick(600_000));
    }
    must(kiosk.execute({ type: 'signOut' }, 'staff'));
  }
}

export interface ExpectedCase {
  terminalId: string;
  caseId: string;
  day: string;
  at: number;
  status: 'awaiting' | 'rated' | 'unrated';
  level: RatingLevel | null;
  channel: string | null;
  ratedAt: number | null;
  staffNo: string;
  windowNo: string;
  itemCode: string;
  departmentCode: string;
  phone: string | null;
}
export interface ExpectedMisuse {
  day: string;
  departmentCode: string;
  windowNo: string;
}

/**
 * The phones citizens gave, by rating: the window chains only a commitment to each and
 * erases the number once the centre holds it (docs/data-protection.md), so the expected
 * figures take it from here.
 */
const GIVEN_PHONES = new Map<string, string>();

/** The cases and misuse presses as the kiosks recorded them, by the centre's documented day rule. */
export function expectedFrom(terminals: Terminal[], offsetMinutes = 480): { cases: ExpectedCase[]; misuse: ExpectedMisuse[] } {
  const cases: ExpectedCase[] = [];
  const misuse: ExpectedMisuse[] = [];
  for (const t of terminals) {
    const rows = t.kiosk.db.prepare('SELECT kind, payload FROM outbox ORDER BY epoch, seq').all() as { kind: string; payload: string }[];
    const byId = new Map<string, Record<string, unknown>>();
    const byRating = new Map<string, Record<string, unknown>>();
    for (const { kind, payload } of rows) {
      const p = JSON.parse(payload) as Record<string, unknown>;
      const c = byId.get(String(p.caseId)) ?? {};
      if (kind === 'case_opened') byId.set(String(p.caseId), { ...p, ...c, openedAt: p.openedAt });
      if (kind === 'case_closed') byId.set(String(p.caseId), { ...c, closedAt: p.at });
      if (kind === 'rating') byId.set(String(p.caseId), { ...c, level: p.level, ratedAt: p.at, channel: p.channel, ratingId: p.ratingId });
      if (kind === 'rating') byRating.set(String(p.ratingId), byId.get(String(p.caseId))!);
      if (kind === 'case_unrated') byId.set(String(p.caseId), { ...c, unratedAt: p.at });
      if (kind === 'rating_details') Object.assign(byRating.get(String(p.ratingId)) ?? {}, { phone: p.callbackPhone ?? (p.callbackPhoneCommitment ? GIVEN_PHONES.get(String(p.ratingId)) : null) });
      if (kind === 'misuse') {
        const owner = p.caseId ? byId.get(String(p.caseId)) : undefined;
        misuse.push({ day: localDate(Number(p.at), offsetMinutes), departmentCode: String(owner?.departmentCode ?? ''), windowNo: String(p.windowNo) });
      }
    }
    for (const [caseId, c] of byId) {
      const status = c.level ? 'rated' : c.unratedAt ? 'unrated' : c.closedAt ? 'awaiting' : null;
      if (!status) continue;
      const at = Number(c.closedAt ?? c.ratedAt ?? c.unratedAt ?? c.openedAt);
      cases.push({
        terminalId: t.kiosk.terminal.terminalId,
        caseId,
        day: localDate(at, offsetMinutes),
        at,
        status,
        level: (c.level as RatingLevel | undefined) ?? null,
        channel: (c.channel as string | undefined) ?? null,
        ratedAt: (c.ratedAt as number | undefined) ?? null,
        staffNo: String(c.staffNo),
        windowNo: String(c.windowNo),
        itemCode: String(c.itemCode),
        departmentCode: String(c.departmentCode ?? ''),
        phone: (c.phone as string | null | undefined) ?? null,
      });
    }
  }
  return { cases, misuse };
}

export interface ExpectedFigures {
  cases: number;
  rated: number;
  unrated: number;
  levels: Record<RatingLevel, number>;
  good: number;
  poor: number;
  satisfaction: number | null;
  misuse: number;
}

/** Totals over the cases and presses given (no unrated policy). */
export function figuresOf(cases: ExpectedCase[], presses: ExpectedMisuse[]): ExpectedFigures {
  const levels = Object.fromEntries(RATING_LEVELS.map((l) => [l, cases.filter((c) => c.level === l).length])) as Record<RatingLevel, number>;
  const rated = cases.filter((c) => c.status === 'rated').length;
  const good = RATING_LEVELS.filter(isGood).reduce((n, l) => n + levels[l], 0);
  return {
    cases: cases.length,
    rated,
    unrated: cases.filter((c) => c.status === 'unrated').length,
    levels,
    good,
    poor: RATING_LEVELS.filter(isPoor).reduce((n, l) => n + levels[l], 0),
    satisfaction: rated > 0 ? good / rated : null,
    misuse: presses.length,
  };
}

/** Three windows, a week each, synced through the centre's HTTP API. */
export async function loadWeek(centre: TestCentre, centreNow: number): Promise<Terminal[]> {
  const terminals = ['21', '22', '23'].map((windowNo) => openTerminal({ windowNo }));
  terminals.forEach((t, i) => serveWeek(t, 11 + i * 7));
  for (const t of terminals) {
    const { client } = await enrolledClient(t, centre, { clock: { now: () => centreNow, setTimer: systemClock.setTimer } });
    const synced = await client.syncNow();
    if (!synced.ok) throw new Error(synced.error.message);
  }
  return terminals;
}
