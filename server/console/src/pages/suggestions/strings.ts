/** The words of the 意见簿 page, in Chinese (the default) and English; the English table is typed from the Chinese one. */
import type { SuggestionStatus } from '../../../../../src/shared/console/suggestions-contract';
import type { SuggestionSource } from '../../../../../src/shared/suggestions';
import { useStrings } from '../../i18n';

const zh = {
  title: '意见簿',
  lead: '群众在窗口评价器触摸屏或手机上留下的意见建议（DB34/T 3395 11.2.2）。逐条记录答复，答复后关闭。留下的电话只显示掩码。',
  status: '状态',
  allStatuses: '全部',
  statuses: { new: '待处理', answered: '已答复', closed: '已关闭' } as Record<SuggestionStatus, string>,
  sources: { kiosk: '窗口', mobile: '手机' } as Record<SuggestionSource, string>,
  columns: { left: '时间', source: '来源', categories: '类别', text: '内容', phone: '答复电话', status: '状态', answer: '答复' },
  noText: '（未填写内容）',
  noPhone: '—',
  window: (no: string) => `${no} 号窗口（触摸屏）`,
  mobileAt: (no: string | null) => (no ? `手机（扫 ${no} 号窗口二维码）` : '手机'),
  answer: '答复',
  answerLabel: (id: number) => `第 ${id} 条意见的答复`,
  saveAnswer: '保存答复',
  close: '关闭',
  cancel: '取消',
  answeredBy: (who: string, when: string) => `${who} ${when}`,
  empty: '暂无符合条件的意见。',
  loading: '正在读取…',
  needAnswer: '请写下给群众的答复。',
};

const en: typeof zh = {
  title: 'Suggestion book',
  lead: 'Suggestions citizens left on a window’s touch screen or on their phone (DB34/T 3395 11.2.2). Record the answer given to each, then close it. A phone left for a reply is shown masked only.',
  status: 'Status',
  allStatuses: 'All',
  statuses: { new: 'New', answered: 'Answered', closed: 'Closed' },
  sources: { kiosk: 'Window', mobile: 'Phone' },
  columns: { left: 'Left at', source: 'From', categories: 'About', text: 'Suggestion', phone: 'Reply phone', status: 'Status', answer: 'Answer' },
  noText: '(no text)',
  noPhone: '—',
  window: (no: string) => `Window ${no} (touch screen)`,
  mobileAt: (no: string | null) => (no ? `Phone (window ${no}’s code)` : 'Phone'),
  answer: 'Answer',
  answerLabel: (id: number) => `Answer to suggestion ${id}`,
  saveAnswer: 'Save answer',
  close: 'Close',
  cancel: 'Cancel',
  answeredBy: (who: string, when: string) => `${who}, ${when}`,
  empty: 'No suggestions match.',
  loading: 'Loading…',
  needAnswer: 'Write the answer given to the citizen.',
};

const STRINGS = { zh, en };
export type SuggestionStrings = typeof zh;

export function useSuggestionStrings() {
  const frame = useStrings();
  return { ...frame, s: STRINGS[frame.language] };
}
