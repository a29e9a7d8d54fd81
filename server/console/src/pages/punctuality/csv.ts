/**
 * The 考勤 report as a CSV a spreadsheet opens: the windows, then the staff, then the day-by-day
 * list, each block with its own heading row and a blank line between. Every cell goes through
 * the project's formula neutralising (a name or reason beginning with = stays text).
 */
import type { PunctualityReport } from '../../../../../src/shared/console/punctuality-contract';
import { csvCell } from '../../../../../src/shared/csv-cell';
import type { PunctualityStrings } from './strings';

export function punctualityCsv(report: PunctualityReport, p: PunctualityStrings, time: (ms: number) => string): string {
  const reasonName = (r: string) => (r === '' ? p.unnamedReason : r);
  const pauseHeads = report.pauseReasons.map((r) => p.csvPause(reasonName(r)));
  const pauses = (m: Record<string, number>) => report.pauseReasons.map((r) => m[r] ?? 0);
  const rows: unknown[][] = [
    [p.byWindow],
    [p.window, p.department, p.openDays, p.daysSignedIn, p.absentDays, p.late, p.lateMinutes, p.early, p.earlyMinutes, ...pauseHeads, p.afterHours],
    ...report.windows.map((w) => [w.windowNo, w.departmentName ?? w.departmentCode ?? '', w.openDays, w.daysSignedIn, w.absentDays, w.lateDays, w.lateMinutes, w.earlyDays, w.earlyMinutes, ...pauses(w.pauseMinutes), w.afterHoursCases]),
    [],
    [p.byStaff],
    [p.staffNo, p.staffName, p.daysSignedIn, p.late, p.lateMinutes, p.early, p.earlyMinutes, ...pauseHeads, p.afterHours],
    ...report.staff.map((s) => [s.staffNo, s.staffName, s.daysSignedIn, s.lateDays, s.lateMinutes, s.earlyDays, s.earlyMinutes, ...pauses(s.pauseMinutes), s.afterHoursCases]),
    [],
    [p.events],
    [p.date, p.window, p.kind, p.staffNo, p.staffName, p.scheduled, p.actual, p.minutes],
    ...report.events.map((e) => [e.date, e.windowNo, p.kinds[e.kind], e.staffNo ?? '', e.staffName ?? '', e.scheduled, e.at === null ? '' : time(e.at), e.minutes]),
  ];
  // The byte-order mark lets Excel read the Chinese as UTF-8.
  return `\uFEFF${rows.map((r) => r.map(csvCell).join(',')).join('\r\n')}\r\n`;
}
