/**
 * Rating levels.
 *
 * Cordial stores one internal level, a word, never a number: specifications disagree on
 * which way the numbers run, and a wrong direction turns praise into complaints. Every
 * numeric code is produced by an explicit map at the edge (export, report, device).
 *
 *   GB/T 39046-2020 (national platform data standard): 1 = 非常满意 … 5 = 非常不满意
 *   provincial report interfaces, `satisfaction`:      1 = 非常不满意 … 5 = 非常满意
 */
export const RATING_LEVELS = [
  'very_satisfied',
  'satisfied',
  'basically_satisfied',
  'dissatisfied',
  'very_dissatisfied',
] as const;

export type RatingLevel = (typeof RATING_LEVELS)[number];

export const LEVEL_LABELS: Record<RatingLevel, { zh: string; en: string }> = {
  very_satisfied: { zh: '非常满意', en: 'Very satisfied' },
  satisfied: { zh: '满意', en: 'Satisfied' },
  basically_satisfied: { zh: '基本满意', en: 'Basically satisfied' },
  dissatisfied: { zh: '不满意', en: 'Dissatisfied' },
  very_dissatisfied: { zh: '非常不满意', en: 'Very dissatisfied' },
};

/** 差评: the two lowest levels. They get reason codes, a callback and a follow-up deadline. */
export const POOR_LEVELS: readonly RatingLevel[] = ['dissatisfied', 'very_dissatisfied'];

/** 好评 in the national rules: the three upper levels. Satisfaction = good / rated. */
export const GOOD_LEVELS: readonly RatingLevel[] = RATING_LEVELS.filter((l) => !POOR_LEVELS.includes(l));

export function isPoor(level: RatingLevel): boolean {
  return POOR_LEVELS.includes(level);
}

/** A level list as an SQL `IN (…)` operand; the words are fixed identifiers, never input. */
export function sqlLevelList(levels: readonly RatingLevel[]): string {
  return `(${levels.map((l) => `'${l}'`).join(', ')})`;
}

export function isGood(level: RatingLevel): boolean {
  return !isPoor(level);
}

export function isRatingLevel(value: unknown): value is RatingLevel {
  return typeof value === 'string' && (RATING_LEVELS as readonly string[]).includes(value);
}

export type CodeDirection = 'national' | 'provincial';

/** GB/T 39046-2020: 1 = 非常满意 … 5 = 非常不满意. */
export function toNationalCode(level: RatingLevel): 1 | 2 | 3 | 4 | 5 {
  return (RATING_LEVELS.indexOf(level) + 1) as 1 | 2 | 3 | 4 | 5;
}

/** Provincial `satisfaction`: 1 = 非常不满意 … 5 = 非常满意. */
export function toProvincialCode(level: RatingLevel): 1 | 2 | 3 | 4 | 5 {
  return (5 - RATING_LEVELS.indexOf(level)) as 1 | 2 | 3 | 4 | 5;
}

export function fromNationalCode(code: number): RatingLevel {
  const level = Number.isInteger(code) ? RATING_LEVELS[code - 1] : undefined;
  if (!level) throw new RangeError(`national rating code must be 1 to 5, got ${String(code)}`);
  return level;
}

export function fromProvincialCode(code: number): RatingLevel {
  const level = Number.isInteger(code) ? RATING_LEVELS[5 - code] : undefined;
  if (!level) throw new RangeError(`provincial satisfaction code must be 1 to 5, got ${String(code)}`);
  return level;
}

export function toCode(level: RatingLevel, direction: CodeDirection): number {
  return direction === 'national' ? toNationalCode(level) : toProvincialCode(level);
}

export function fromCode(code: number, direction: CodeDirection): RatingLevel {
  return direction === 'national' ? fromNationalCode(code) : fromProvincialCode(code);
}
