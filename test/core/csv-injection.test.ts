/**
 * The kiosk's export-cases CSV opened in a spreadsheet: text a person typed that begins
 * like a formula (=, +, -, @, tab, carriage return) must show as text, not run.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exportCasesCsv } from '../../src/core/export/cases-csv';
import { parseCsv } from '../../src/core/store/csv';
import { neutraliseCsvCell } from '../../src/shared/csv-cell';
import { key, openTestKiosk } from '../support/kiosk';
import { tempDir } from '../support/tmp';

const must = (result: { ok: boolean; error?: { message: string } }) => {
  if (!result.ok) throw new Error(result.error?.message ?? 'command refused');
};

describe('CSV cells that a spreadsheet would run', () => {
  it('get an apostrophe in front when they begin with = + - @ tab or CR, and only then', () => {
    for (const start of ['=', '+', '-', '@', '\t', '\r']) expect(neutraliseCsvCell(`${start}1+1`)).toBe(`'${start}1+1`);
    for (const plain of ['王晓梅', 'a=b', 'x-1', ' =1', '']) expect(neutraliseCsvCell(plain)).toBe(plain);
    // A number is a value the kiosk wrote, not text someone typed.
    expect(neutraliseCsvCell(-3)).toBe('-3');
  });

  it("are neutralised in the kiosk's export-cases file, and everything else is left as it was", async () => {
    const { kiosk, clock } = openTestKiosk();
    try {
      const staffName = "=cmd|' /C calc'!A0";
      const caseNo = '+SUM(A1:A9)';
      const ticket = '-2+3';
      const comment = '@HYPERLINK("http://evil.example","click")';
      kiosk.directory.upsertStaff([{ staffNo: '7001', name: staffName, departmentCode: '340104-SJ', departmentName: '市场监督管理局', badgeIds: ['BADGE-7001'] }]);
      must(kiosk.execute({ type: 'signInBadge', badgeId: 'BADGE-7001' }, 'staff'));
      must(kiosk.execute({ type: 'openCase', itemCode: '340104-SJ-001', caseNo, ticketNo: ticket }, 'staff'));
      must(kiosk.execute({ type: 'finishCase', outcome: 'completed' }, 'staff'));
      expect(kiosk.recordPress(key(5, 1, clock.now())).outcome).toBe('rating');
      kiosk.flushPresses();
      const ratingId = kiosk.snapshot().lastRating?.id;
      must(kiosk.execute({ type: 'addRatingDetails', ratingId, reasonCodes: [], comment }, 'citizen'));
      clock.advance(60_000);

      const file = join(tempDir(), 'cases.csv');
      const counts = await exportCasesCsv(kiosk.db, file, { utcOffsetMinutes: 480, direction: 'national' });
      expect(counts.cases).toBe(1);
      const [header, row] = parseCsv(readFileSync(file, 'utf8').replace(/^\uFEFF/, ''));
      const cell = (name: string) => row![header!.indexOf(name)];
      expect(cell('staff_name')).toBe(`'${staffName}`);
      expect(cell('case_no')).toBe(`'${caseNo}`);
      expect(cell('ticket_no')).toBe(`'${ticket}`);
      expect(cell('comment')).toBe(`'${comment}`);
      // Untouched: the item, the level and its national code (非常不满意 = 5).
      expect(cell('item_code')).toBe('340104-SJ-001');
      expect(cell('level')).toBe('very_dissatisfied');
      expect(cell('satisfaction_code')).toBe('5');
      // No cell of the file begins like a formula any more.
      for (const values of [header!, row!]) for (const v of values) expect(v).not.toMatch(/^[=+\-@\t\r]/);
    } finally {
      kiosk.close();
    }
  });
});
