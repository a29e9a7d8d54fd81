/** The burst rule's spans, alone: which poor ratings start a burst, and which late ones add nothing. */
import { describe, expect, it } from 'vitest';
import { burstsIn } from '../../server/src/alerts/burst';

const M = 60_000;
const SPAN = 30 * M;

describe('poor-rating bursts', () => {
  it('starts a burst at the first of N poor ratings within the span, once', () => {
    expect(burstsIn([0, 20 * M, 25 * M], [], 2, SPAN)).toEqual([{ start: 0, ratings: 3 }]);
    expect(burstsIn([0, 31 * M], [], 2, SPAN)).toEqual([]);
    // After one burst's span, two more close together are a new burst.
    expect(burstsIn([0, 10 * M, 35 * M, 40 * M], [], 2, SPAN)).toEqual([
      { start: 0, ratings: 2 },
      { start: 35 * M, ratings: 2 },
    ]);
  });

  it('adds nothing for ratings inside or overlapping a burst already raised, however late they arrive', () => {
    // A window that was offline sends a poor rating from five minutes before the raised burst.
    expect(burstsIn([-5 * M, 0, 10 * M], [0], 2, SPAN)).toEqual([]);
    // One inside the span, one after it: the second alone is no burst.
    expect(burstsIn([0, 10 * M, 29 * M, 45 * M], [0], 2, SPAN)).toEqual([]);
    // Well after it, a new burst.
    expect(burstsIn([0, 10 * M, 70 * M, 75 * M], [0], 2, SPAN)).toEqual([{ start: 70 * M, ratings: 2 }]);
  });

  it('needs the count the admin set', () => {
    expect(burstsIn([0, M, 2 * M], [], 4, SPAN)).toEqual([]);
    expect(burstsIn([0, M, 2 * M, 3 * M], [], 4, SPAN)).toEqual([{ start: 0, ratings: 4 }]);
  });
});
