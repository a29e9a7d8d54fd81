/**
 * The appointment register as CSV, one day with the page's filters. The contact phone is
 * masked whoever exports (a file travels further than a screen), and left out for viewers;
 * cells a spreadsheet would run as a formula are neutralised (csv-cell.ts).
 */
import { csvCell } from '../../../src/shared/csv-cell';
import { OUTCOME_LABELS, type CaseOutcome } from '../../../src/shared/domain';
import type { Sql } from '../db/sql';
import { listAppointments, rowOf, type RegisterFilter } from './store';

const HEADER = ['编号', '申请人类别', '申请人', '联系电话', '事项编码', '预约事项', '部门编码', '部门', '窗口', '接待人', '登记时间', '约定日期', '约定时间', '预约方式', '部门意见', '办理结果'];
const KIND = { person: '个人', company: '企业' } as const;
const CHANNEL = { on_site: '现场', phone: '电话', online: '网上' } as const;

function line(values: unknown[]): string {
  return `${values.map(csvCell).join(',')}\r\n`;
}

function localTime(at: number, offsetMinutes: number): string {
  return new Date(at + offsetMinutes * 60_000).toISOString().slice(0, 16).replace('T', ' ');
}

export async function appointmentsCsv(db: Sql, filter: RegisterFilter, showPhone: boolean, offsetMinutes: number): Promise<string> {
  const rows = (await listAppointments(db, filter)).map((r) => rowOf(r, showPhone));
  return (
    '\uFEFF' +
    line(HEADER) +
    rows
      .map((r) =>
        line([
          r.id,
          KIND[r.applicantKind],
          r.applicantName,
          r.phone ?? '',
          r.itemCode,
          r.itemName,
          r.departmentCode ?? '',
          r.departmentName ?? '',
          r.windowNo,
          r.takenByName,
          localTime(r.registeredAt, offsetMinutes),
          r.agreedDate,
          r.agreedTime,
          CHANNEL[r.channel],
          r.departmentOpinion ?? '',
          r.outcome === null ? '' : (OUTCOME_LABELS[r.outcome as CaseOutcome]?.zh ?? r.outcome),
        ]),
      )
      .join('')
  );
}
