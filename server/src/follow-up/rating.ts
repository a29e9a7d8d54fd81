/**
 * The citizen's follow-up rating (追评) as pure rules: who may record it, in which states,
 * how many, and how it is read back from the trail that stores it. A follow-up rating is an
 * entry of the record's append-only trail (action 'rate'): who and when are the trail's,
 * the level, the way it was given and the link to the first rating are its detail. It never
 * touches the first rating (cases, follow_ups.level), so the satisfaction figures, which
 * count first ratings, stay as they were.
 *
 * One per opening of the record: after a supervisor reopens a closed record and it is called
 * again, the citizen may rate once more; the earlier follow-up rating stays in the trail.
 */
import {
  FOLLOW_UP_RATING_WAYS,
  RATE_FROM,
  type FollowUpRating,
  type FollowUpRatingWay,
  type FollowUpState,
  type FollowUpTrailEntry,
} from '../../../src/shared/console/follow-up-contract';
import { isRatingLevel } from '../../../src/shared/levels';
import type { Person } from '../accounts/guard';
import { isAssignedOfficer, type RecordFacts, type Refused } from './machine';

/** The national field assessNumber of a follow-up rating (a first rating is 1). */
export const FOLLOW_UP_ASSESS_NUMBER = 2;

type TrailLine = Pick<FollowUpTrailEntry, 'seq' | 'at' | 'by' | 'action' | 'detail'>;

/** The follow-up ratings in a record's trail, oldest first. */
export function ratingsFromTrail(trail: readonly TrailLine[], firstRatingId: string): FollowUpRating[] {
  return trail
    .filter((t) => t.action === 'rate')
    .sort((a, b) => a.seq - b.seq)
    .flatMap((t) => {
      const level = String(t.detail.level);
      const how = String(t.detail.how) as FollowUpRatingWay;
      if (!isRatingLevel(level) || !FOLLOW_UP_RATING_WAYS.includes(how)) return [];
      return [{ seq: t.seq, at: t.at, by: t.by, level, how, note: String(t.detail.note ?? ''), firstRatingId, assessNumber: FOLLOW_UP_ASSESS_NUMBER } as const];
    });
}

/** The follow-up rating of the record's current opening, if given: a 'rate' entry after the last 'reopen'. */
export function ratedThisOpening(trail: readonly TrailLine[]): TrailLine | null {
  let found: TrailLine | null = null;
  for (const t of [...trail].sort((a, b) => a.seq - b.seq)) {
    if (t.action === 'reopen') found = null;
    else if (t.action === 'rate') found = t;
  }
  return found;
}

const STATE_WORDS: Record<FollowUpState, string> = {
  new: 'waiting to be assigned (待分派)',
  assigned: 'waiting for the call (待回访)',
  called: 'called back (已回访)',
  verified: 'checked (核实)',
  rectifying: 'being put right (整改中)',
  answered: 'answered (已反馈)',
  replied: 'replied to (已答复)',
  closed: 'closed (办结)',
};

export type RateRefusal = { status: 403 | 409; code: 'forbidden' | 'wrong-state' | 'already-rated' } & Refused;

/** Why this person may not record a follow-up rating on this record now, or null when they may. */
export function rateRefusal(person: Person, record: RecordFacts, trail: readonly TrailLine[]): RateRefusal | null {
  if (!isAssignedOfficer(person, record)) {
    return record.assignee === null
      ? { status: 403, code: 'forbidden', message: "this record is not assigned yet: the follow-up officer it is assigned to records the citizen's follow-up rating", reason: 'follow_up.rate_not_assigned', fields: {} }
      : {
          status: 403,
          code: 'forbidden',
          message: `only ${record.assignee}, the follow-up officer this record is assigned to, records the citizen's follow-up rating`,
          reason: 'follow_up.rate_not_yours',
          fields: { assignee: record.assignee },
        };
  }
  if (!RATE_FROM.includes(record.state)) {
    return {
      status: 409,
      code: 'wrong-state',
      message:
        record.state === 'closed'
          ? 'this record is closed (办结): a supervisor reopens it before the citizen can rate again'
          : `this record is ${STATE_WORDS[record.state]}: record the call back first, then the citizen's follow-up rating`,
      reason: record.state === 'closed' ? 'follow_up.rate_closed' : 'follow_up.rate_before_call',
      fields: { state: record.state },
    };
  }
  const earlier = ratedThisOpening(trail);
  if (earlier) {
    return {
      status: 409,
      code: 'already-rated',
      message: `the citizen's follow-up rating was recorded already (${String(earlier.detail.level)}, by ${earlier.by}); a record takes one, and another only after a supervisor reopens it`,
      reason: 'follow_up.already_rated',
      fields: { level: String(earlier.detail.level), by: earlier.by },
    };
  }
  return null;
}
