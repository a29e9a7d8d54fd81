import { describe, expect, it } from 'vitest';
import { isAfterHours, localIso, parseUtcOffset, startOfLocalDate, startOfLocalDay, startOfLocalMonth } from '../../src/core/time';

const CST = parseUtcOffset('+08:00');

describe('local time (China Standard Time by default)', () => {
  it('starts the day at local midnight, not UTC midnight', () => {
    const at = Date.parse('2026-03-02T00:30:00+08:00'); // still 1 March in UTC
    expect(startOfLocalDay(at, CST)).toBe(Date.parse('2026-03-02T00:00:00+08:00'));
    expect(localIso(at, CST)).toBe('2026-03-02T00:30:00+08:00');
  });

  it('starts the month on the 1st at local midnight', () => {
    expect(startOfLocalMonth(Date.parse('2026-03-31T23:59:00+08:00'), CST)).toBe(Date.parse('2026-03-01T00:00:00+08:00'));
    expect(startOfLocalDate('2026-12-01', CST)).toBe(Date.parse('2026-12-01T00:00:00+08:00'));
  });

  it('flags cases finished at or after closing time as extended service', () => {
    expect(isAfterHours(Date.parse('2026-03-02T17:29:59+08:00'), '17:30', CST)).toBe(false);
    expect(isAfterHours(Date.parse('2026-03-02T17:30:00+08:00'), '17:30', CST)).toBe(true);
    expect(isAfterHours(Date.parse('2026-03-02T17:30:00+08:00'), null, CST)).toBe(false);
  });

  it('takes other offsets, and refuses malformed ones', () => {
    expect(localIso(Date.parse('2026-03-02T10:00:00Z'), parseUtcOffset('-05:30'))).toBe('2026-03-02T04:30:00-05:30');
    expect(() => parseUtcOffset('Asia/Shanghai')).toThrow(/UTC offset must look like \+08:00/);
  });
});
