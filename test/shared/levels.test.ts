import { describe, expect, it } from 'vitest';
import {
  RATING_LEVELS,
  LEVEL_LABELS,
  fromCode,
  fromNationalCode,
  fromProvincialCode,
  isPoor,
  toCode,
  toNationalCode,
  toProvincialCode,
} from '../../src/shared/levels';
import { DEFAULT_CHANNEL_CODES, channelCode } from '../../src/shared/channels';

describe('rating level code maps', () => {
  it('codes 非常满意 as 1 nationally and 5 provincially, and 非常不满意 the other way round', () => {
    expect(LEVEL_LABELS.very_satisfied.zh).toBe('非常满意');
    expect(toNationalCode('very_satisfied')).toBe(1);
    expect(toProvincialCode('very_satisfied')).toBe(5);
    expect(toNationalCode('very_dissatisfied')).toBe(5);
    expect(toProvincialCode('very_dissatisfied')).toBe(1);
    expect(toNationalCode('basically_satisfied')).toBe(3);
    expect(toProvincialCode('basically_satisfied')).toBe(3);
  });

  it('maps every level there and back in both directions', () => {
    for (const level of RATING_LEVELS) {
      expect(fromNationalCode(toNationalCode(level))).toBe(level);
      expect(fromProvincialCode(toProvincialCode(level))).toBe(level);
      for (const direction of ['national', 'provincial'] as const) expect(fromCode(toCode(level, direction), direction)).toBe(level);
    }
  });

  it('never confuses the directions: the same number means opposite levels at the ends', () => {
    expect(fromNationalCode(1)).toBe('very_satisfied');
    expect(fromProvincialCode(1)).toBe('very_dissatisfied');
  });

  it('refuses codes outside 1 to 5 with a clear message', () => {
    for (const bad of [0, 6, 2.5, Number.NaN]) {
      expect(() => fromNationalCode(bad)).toThrow(/national rating code must be 1 to 5/);
      expect(() => fromProvincialCode(bad)).toThrow(/provincial satisfaction code must be 1 to 5/);
    }
  });

  it('counts only 不满意 and 非常不满意 as poor ratings (差评)', () => {
    expect(RATING_LEVELS.filter(isPoor)).toEqual(['dissatisfied', 'very_dissatisfied']);
  });

  it('maps channels to the provincial pf codes by configuration', () => {
    expect(channelCode('touch')).toBe(4);
    expect(channelCode('keypad')).toBe(5);
    expect(channelCode('keypad', { ...DEFAULT_CHANNEL_CODES, keypad: 7 })).toBe(7);
  });
});
