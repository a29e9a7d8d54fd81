import { describe, expect, it } from 'vitest';
import { formatCalendarFile, parseCalendarFile } from '../../src/shared/console/calendar-file';

describe('calendar file', () => {
  it('reads holidays and 调休 working days, in either wording, with comments and blank lines, sorted by year', () => {
    const text = '\uFEFF# 国庆 2026\r\n2026-10-01 休\r\n2026-10-02 holiday  # Friday\r\n\r\n2026-10-10 班\n2027-01-01 休\n2026-09-20 WORKDAY\n2026-10-01 休\n';
    expect(parseCalendarFile(text)).toEqual({
      ok: true,
      years: [
        { year: 2026, holidays: ['2026-10-01', '2026-10-02'], workdays: ['2026-09-20', '2026-10-10'] },
        { year: 2027, holidays: ['2027-01-01'], workdays: [] },
      ],
    });
  });

  it('names every wrong line with its number and what to write instead', () => {
    const text = ['2026-10-01 休', '2026-13-01 休', '2026-10-03 休', '2026-10-09 班', '2026-10-05', '2026-10-06 放假', '2026-10-01 班', '10/07/2026 休'].join('\n');
    const result = parseCalendarFile(text);
    expect(result).toEqual({
      ok: false,
      errors: [
        { line: 2, message: '2026-13-01 is not a date on the calendar: write it as YYYY-MM-DD, e.g. 2026-10-01' },
        { line: 3, message: '2026-10-03 is a Saturday, a day off already: list only weekdays as 休, or remove this line' },
        { line: 4, message: '2026-10-09 is a Friday, a working day already: list only Saturdays and Sundays as 班, or remove this line' },
        { line: 5, message: '"2026-10-05" is not a day and a mark: write one day a line, as 2026-10-01 休 or 2026-10-10 班' },
        { line: 6, message: '"放假" is not a mark: write 休 (or holiday) for a weekday off, 班 (or workday) for a weekend day worked' },
        { line: 7, message: '2026-10-01 is a Thursday, a working day already: list only Saturdays and Sundays as 班, or remove this line' },
        { line: 8, message: '10/07/2026 is not a date on the calendar: write it as YYYY-MM-DD, e.g. 2026-10-01' },
      ],
    });
  });

  it('refuses a file that lists no day', () => {
    expect(parseCalendarFile('# nothing yet\n\n')).toEqual({ ok: false, errors: [{ line: 1, message: 'the file lists no day: write one day a line, as 2026-10-01 休 or 2026-10-10 班' }] });
  });

  it('lists at most twenty wrong lines, so a file of another kind does not flood the page', () => {
    const result = parseCalendarFile(Array.from({ length: 50 }, (_, i) => `line ${i}`).join('\n'));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors.map((e) => e.line)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
  });

  it('writes a file that reads back the same days', () => {
    const years = [{ year: 2026, holidays: ['2026-01-01', '2026-01-02'], workdays: ['2026-01-04'] }];
    const text = formatCalendarFile(years);
    expect(text).toBe('# 2026\n2026-01-01 休\n2026-01-02 休\n2026-01-04 班\n');
    expect(parseCalendarFile(text)).toEqual({ ok: true, years });
  });
});
