/** The words of the staff panel's appointment list (预约服务), in both languages. */
import type { AppointmentChannel, ApplicantKind } from '../../shared/console/appointments-contract';
import type { Bilingual } from '../common/lang';

export const APPOINTMENT_TEXT = {
  title: { zh: '今日预约', en: "Today's appointments" },
  none: { zh: '今天本窗口没有预约。', en: 'No appointments at this window today.' },
  refresh: { zh: '刷新', en: 'Refresh' },
  openFrom: { zh: '按预约接办', en: 'Serve this one' },
  waiting: { zh: '待办理', en: 'Waiting' },
  opened: { zh: '已接办', en: 'Case opened' },
  noShow: { zh: '已标记未到', en: 'Marked: did not come' },
  opinion: { zh: '部门意见：', en: "Department's opinion: " },
  list: { zh: '今日预约列表', en: "List of today's appointments" },
  openLabel: { zh: '按 {name} 的预约接办（{time}）', en: "Open a case for {name}'s appointment ({time})" },
} satisfies Record<string, Bilingual>;

export const APPLICANT_KIND_TEXT: Record<ApplicantKind, Bilingual> = {
  person: { zh: '个人', en: 'Person' },
  company: { zh: '企业', en: 'Company' },
};

export const CHANNEL_TEXT: Record<AppointmentChannel, Bilingual> = {
  on_site: { zh: '现场预约', en: 'Made on site' },
  phone: { zh: '电话预约', en: 'Made by phone' },
  online: { zh: '网上预约', en: 'Made online' },
};
