/**
 * Real kiosks producing real outbox records: a Kiosk on a real SQLite file, a staff member
 * signed in by badge, cases opened and finished, keypad presses, poor ratings with reasons
 * and a callback number. Large backlogs are recorded inside one outer transaction so the
 * test does not wait for thousands of fsyncs; every record still comes from the Kiosk.
 */
import type { Kiosk } from '../../../src/core/kiosk';
import type { ManualClock } from '../../support/clock';
import { key, openTestKiosk } from '../../support/kiosk';

export interface Terminal {
  kiosk: Kiosk;
  clock: ManualClock;
  dataDir: string;
}

export function openTerminal(options: { dataDir?: string; clock?: ManualClock; windowNo?: string } = {}): Terminal {
  return openTestKiosk({ dataDir: options.dataDir, clock: options.clock, config: options.windowNo ? { window: { windowNo: options.windowNo, departmentCode: null, departmentName: null, areaCode: '340104' } } : undefined });
}

export function outboxCount(kiosk: Kiosk): number {
  return kiosk.db.prepare('SELECT count(*) FROM outbox').pluck().get() as number;
}

function head(kiosk: Kiosk): number {
  const text = kiosk.db.prepare("SELECT value FROM meta WHERE key = 'outbox_head'").pluck().get() as string | undefined;
  return text ? (JSON.parse(text) as { seq: number }).seq : 0;
}

let eventIds = 1;

/** One finished and rated case: three records (four with details on a poor rating). */
function ready(kiosk: Kiosk): void {
  const phase = kiosk.snapshot().phase;
  if (phase === 'closed') must(kiosk.execute({ type: 'signInBadge', badgeId: 'BADGE-1001' }, 'staff'));
  if (phase === 'paused') must(kiosk.execute({ type: 'resume' }, 'staff'));
}

export function serveCase(t: Terminal, level: 1 | 2 | 3 | 4 | 5, details?: { reasons: string[]; phone?: string }, advance = true): void {
  const { kiosk, clock } = t;
  ready(kiosk);
  must(kiosk.execute({ type: 'openCase', itemCode: '340104-SJ-001', caseNo: `BJ${eventIds}` }, 'staff'));
  must(kiosk.execute({ type: 'finishCase', outcome: 'completed' }, 'staff'));
  const receipt = kiosk.recordPress(key(level, eventIds++, clock.now()));
  if (receipt.outcome !== 'rating') throw new Error('the press was not counted as a rating');
  // What the kiosk does in the turn after the driver sends the ACK, done here without waiting for it.
  kiosk.flushPresses();
  if (details) {
    const ratingId = kiosk.snapshot().lastRating?.id;
    must(kiosk.execute({ type: 'addRatingDetails', ratingId, reasonCodes: details.reasons, callbackPhone: details.phone, callbackConsent: !!details.phone }, 'citizen'));
  }
  if (advance) clock.advance(30_000);
}

/** A case nobody rated: the rating window passes. */
export function leaveUnrated(t: Terminal): void {
  const { kiosk, clock } = t;
  ready(kiosk);
  must(kiosk.execute({ type: 'openCase', itemCode: '340104-RS-001' }, 'staff'));
  must(kiosk.execute({ type: 'finishCase', outcome: 'completed' }, 'staff'));
  clock.advance(20_000);
}

/**
 * Records until the outbox head reaches `seq` exactly (pauses fill the last one or two).
 * Cases are committed 40 at a time; the clock moves between chunks, outside a transaction,
 * as the kiosk's own timers (checkpoints, the end of a thanks screen) expect.
 */
export function recordUntil(t: Terminal, seq: number): void {
  let i = 0;
  while (head(t.kiosk) < seq) {
    t.kiosk.db.transaction(() => {
      for (let n = 0; n < 40 && head(t.kiosk) < seq; n++, i++) {
        const left = seq - head(t.kiosk);
        if (left >= 4 && i % 7 === 3) serveCase(t, 5, { reasons: ['R01'], phone: '13812345678' }, false);
        else if (left >= 3) serveCase(t, ((i % 3) + 1) as 1 | 2 | 3, undefined, false);
        else if (t.kiosk.snapshot().phase === 'paused') must(t.kiosk.execute({ type: 'resume' }, 'staff'));
        else if (t.kiosk.snapshot().phase === 'closed') must(t.kiosk.execute({ type: 'signInBadge', badgeId: 'BADGE-1001' }, 'staff'));
        else must(t.kiosk.execute({ type: 'pause', reason: 'break' }, 'staff'));
      }
    })();
    t.clock.advance(61_000);
  }
}

function must(result: { ok: boolean; error?: { message: string } }): void {
  if (!result.ok) throw new Error(result.error?.message ?? 'command refused');
}
