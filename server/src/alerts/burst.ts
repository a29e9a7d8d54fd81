/**
 * The burst rule: a window with at least N poor ratings within M minutes. A burst is the
 * span of M minutes that starts at the poor rating which began it, raised once. Ratings
 * that arrive late (a window that was offline) and fall inside or overlap a span already
 * raised add nothing; a poor rating outside every raised span may start a new one.
 */
import type { AlertRules } from '../../../src/shared/console/live-contract';
import type { Sql } from '../db/sql';
import type { AlertCandidate } from './raise';

export interface PoorRating {
  windowNo: string | null;
  ratedAt: number;
}

interface WindowRating extends Record<string, unknown> {
  rated_at: number;
  department_code: string | null;
  department_name: string | null;
}

/** Which spans to raise, given a window's poor ratings in time order and the spans raised before. Pure. */
export function burstsIn(ratedAt: readonly number[], raisedStarts: readonly number[], count: number, spanMs: number): { start: number; ratings: number }[] {
  const starts = [...raisedStarts];
  const found: { start: number; ratings: number }[] = [];
  const covered = (t: number) => starts.some((s) => t >= s && t < s + spanMs);
  for (let i = 0; i < ratedAt.length; i++) {
    const start = ratedAt[i]!;
    if (covered(start)) continue;
    let inside = 0;
    for (let j = i; j < ratedAt.length && ratedAt[j]! < start + spanMs; j++) inside++;
    if (inside < count || starts.some((s) => Math.abs(s - start) < spanMs)) continue;
    starts.push(start);
    found.push({ start, ratings: inside });
  }
  return found;
}

/** Finds new bursts at the windows these poor ratings came from. Runs in the caller's transaction. */
export async function burstCandidates(tx: Sql, rules: AlertRules['poorBurst'], poor: readonly PoorRating[]): Promise<AlertCandidate[]> {
  if (!rules.enabled || poor.length === 0) return [];
  const spanMs = rules.minutes * 60_000;
  const byWindow = new Map<string, number[]>();
  for (const p of poor) if (p.windowNo !== null) byWindow.set(p.windowNo, [...(byWindow.get(p.windowNo) ?? []), p.ratedAt]);
  const candidates: AlertCandidate[] = [];
  for (const [windowNo, times] of [...byWindow].sort(([a], [b]) => a.localeCompare(b))) {
    // Two uploads from one window at once must not both find the same burst.
    await tx.query("SELECT pg_advisory_xact_lock(hashtext('cordial.poor_burst.' || $1))", [windowNo]);
    const from = Math.min(...times) - spanMs;
    const to = Math.max(...times) + spanMs;
    const ratings = await tx.query<WindowRating>(
      `SELECT rated_at, department_code, department_name FROM follow_ups
       WHERE window_no = $1 AND opened_by = 'rating' AND rated_at >= $2 AND rated_at < $3 ORDER BY rated_at, id`,
      [windowNo, from, to],
    );
    const raised = await tx.query<{ burst_start: number }>(
      "SELECT burst_start FROM rule_alerts WHERE rule = 'poor_burst' AND window_no = $1 AND burst_start > $2 AND burst_start < $3",
      [windowNo, from - spanMs, to],
    );
    const rated = ratings.map((r) => Number(r.rated_at));
    for (const burst of burstsIn(rated, raised.map((r) => Number(r.burst_start)), rules.count, spanMs)) {
      const last = [...ratings].reverse().find((r) => Number(r.rated_at) < burst.start + spanMs)!;
      candidates.push({
        rule: 'poor_burst',
        subject: `window:${windowNo}:${burst.start}`,
        departmentCode: last.department_code,
        departmentName: last.department_name,
        windowNo,
        followUpId: null,
        burstStart: burst.start,
        detail: `${burst.ratings} poor ratings at window ${windowNo} within ${rules.minutes} minutes`,
      });
    }
  }
  return candidates;
}
