/** The figures staff and citizens see: today's counts at this window, a staff member's month. */
import type { TodayFigures } from '../../shared/contract';
import { GOOD_LEVELS, POOR_LEVELS, sqlLevelList } from '../../shared/levels';
import type { Db } from './database';

const GOOD = sqlLevelList(GOOD_LEVELS);
const POOR = sqlLevelList(POOR_LEVELS);

export class Figures {
  private readonly today;
  private readonly misuse;
  private readonly month;

  constructor(db: Db) {
    // One range scan over today's cases (index on opened_at): fast however many years the file holds.
    this.today = db.prepare(`SELECT count(*) AS cases,
        coalesce(sum(status = 'rated'), 0) AS rated,
        coalesce(sum(status = 'unrated'), 0) AS unrated,
        coalesce(sum(rating_level IN ${GOOD}), 0) AS good,
        coalesce(sum(rating_level IN ${POOR}), 0) AS poor
      FROM cases WHERE opened_at >= ? AND opened_at < ?`);
    // A retransmitted event is kept as misuse for the record, but no one pressed anything.
    this.misuse = db
      .prepare("SELECT count(*) FROM misuse_presses WHERE pressed_at >= ? AND pressed_at < ? AND cause <> 'repeat_event'")
      .pluck();
    this.month = db.prepare(`SELECT coalesce(sum(status = 'rated'), 0) AS rated, coalesce(sum(rating_level IN ${GOOD}), 0) AS good
      FROM cases WHERE staff_no = ? AND opened_at >= ?`);
  }

  todayAt(dayStart: number): TodayFigures {
    const dayEnd = dayStart + 86_400_000;
    const r = this.today.get(dayStart, dayEnd) as { cases: number; rated: number; unrated: number; good: number; poor: number };
    return {
      cases: r.cases,
      rated: r.rated,
      unrated: r.unrated,
      poor: r.poor,
      satisfaction: r.rated > 0 ? r.good / r.rated : null,
      misusePresses: this.misuse.get(dayStart, dayEnd) as number,
    };
  }

  /** good / rated for a staff member since `monthStart`; null before the first rating. */
  monthSatisfaction(staffNo: string, monthStart: number): number | null {
    const r = this.month.get(staffNo, monthStart) as { rated: number; good: number };
    return r.rated > 0 ? r.good / r.rated : null;
  }
}
