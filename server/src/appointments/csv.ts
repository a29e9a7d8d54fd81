/**
 * The appointment register as CSV, one day with the page's filters. The contact phone is
 * masked whoever exports (a file travels further than a screen), and left out for viewers;
 * cells a spreadsheet would run as a formula are neutralised (csv-cell.ts). A cancellation or
 * no-show marked by hand comes with why, who and when; one served afterwards keeps its mark
 * beside the outcome.
 */
import { csvCell } from '../../../src/shared/csv-cell';
import { OUTCOME_LABELS, type CaseOutcome } from '../../../src/shared/domain';
import type { Sql } from '../db/sql';
import { listAppointments, rowOf, type RegisterFilter } from './store';

const HEADER = ['编号', '申请人类别', '申请人', '联系电话', '事项编码', '预约事项', '部门编码', '部门', '窗口', '接待人', '登记时间', '约定日期', '约定时间', '预约方式', '部门意见', '办理结果', '标记', '取消原因', '标记说明', '标记人', '标记时间'];
const KIND = { person: '个人', company: '企业' } as const;
const CHANNEL = { on_site: '现场', phone: '电话', online: '网上' } as const;
const MARK = { cancelled: '已取消', no_show: '未到' } as const;
const CANCEL_REASON = { citizen: '群众申请取消', department: '部门取消', other: '其他原因' } as const;

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
          r.outcome === null ? (r.caseId === null ? '' : '办理中') : (OUTCOME_LABELS[r.outcome as CaseOutcome]?.zh ?? r.outcome),
          r.mark === null ? '' : MARK[r.mark.kind],
          r.mark?.reason ? CANCEL_REASON[r.mark.reason] : '',
          r.mark?.note ?? '',
          r.mark?.byName ?? '',
          r.mark === null ? '' : localTime(r.mark.at, offsetMinutes),
        ]),
      )
      .join('')
  );
}
