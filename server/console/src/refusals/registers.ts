/** The console's words for the refusals of src/shared/console/refusals/registers.ts, in Chinese and English. */
import type { RefusalFields } from '../../../../src/shared/console/refusals';
import type { RegisterRefusal } from '../../../../src/shared/console/refusals/registers';
import { ApiError } from '../api';
import type { Language } from '../i18n';
import type { Words } from './words';

/** A mark code (cancelled, no_show) as the register's outcome column names it, and as the thing that can no longer be done. */
const MARKED: Record<Language, Record<string, string>> = {
  zh: { cancelled: '已取消', no_show: '未到' },
  en: { cancelled: 'Cancelled', no_show: 'Did not come' },
};
const UNDOABLE: Record<Language, Record<string, string>> = {
  zh: { cancelled: '取消', no_show: '标记为未到' },
  en: { cancelled: 'cancelled', no_show: 'marked as not come' },
};
const text = (f: RefusalFields, name: string) => (f[name] === undefined ? '' : String(f[name]));
const label = (table: Record<string, string>, code: string) => table[code] ?? code;

export const REGISTER_WORDS: Record<RegisterRefusal, Words> = {
  'appointments.phone_invalid': {
    zh: '联系电话应为 11 位手机号（以 1 开头）或带区号的座机号，如 0551-62345678。请改正后再登记。',
    en: 'The contact phone must be a mainland mobile (11 digits starting with 1) or a landline with its area code, such as 0551-62345678. Correct it and register again.',
  },
  'appointments.other_department': (f, language) => {
    const own = text(f, 'own');
    const theirs = text(f, 'department');
    return language === 'zh'
      ? `您只能为本部门（${own}）登记和处理预约；这一预约${theirs ? `属于部门 ${theirs}` : '不属于任何部门'}。请交由该部门或督查处理。`
      : `You may register and work appointments only for your own department (${own}); this one belongs to ${theirs || 'no department'}. Leave it to that department or a supervisor.`;
  },
  'appointments.not_found': { zh: '找不到编号为 {id} 的预约。请刷新登记表。', en: 'There is no appointment {id}. Reload the register.' },
  'appointments.date_past': {
    zh: '约定日期 {date} 已经过去（今天是 {today}）。请选择今天或之后的日期。',
    en: 'The agreed date {date} is already past (today is {today}). Choose today or a later day.',
  },
  'appointments.item_unknown': { zh: '中心的事项清单中没有事项 {item}。请从清单中选择事项。', en: 'No service item {item} is on the centre’s list. Choose one from the list.' },
  'appointments.window_unknown': { zh: '中心没有设置 {window} 号窗口。请从清单中选择窗口。', en: 'Window {window} is not set up at the centre. Choose one from the list.' },
  'appointments.already_served': (f, language) => {
    const undone = label(UNDOABLE[language], text(f, 'mark'));
    return language === 'zh'
      ? `预约 ${text(f, 'id')} 已在 ${text(f, 'window')} 号窗口办理（窗口已从该预约办件），不能再${undone}。`
      : `Appointment ${text(f, 'id')} was already served at window ${text(f, 'window')} (a case was opened from it), so it cannot be ${undone}.`;
  },
  'appointments.already_marked': (f, language) => {
    const mark = label(MARKED[language], text(f, 'marked'));
    const by = text(f, 'by');
    return language === 'zh'
      ? `预约 ${text(f, 'id')} 已被${by ? ` ${by} ` : '他人'}标记为「${mark}」。请刷新登记表查看。`
      : `Appointment ${text(f, 'id')} was already marked “${mark}” by ${by || 'someone else'}. Reload the register to see it.`;
  },
  'appointments.too_early_for_no_show': {
    zh: '预约 {id} 约定在 {date} {time}；过了约定时间才能标记申请人未到。',
    en: 'Appointment {id} is agreed for {date} {time}; an applicant can be marked as not come only once that time has passed.',
  },
  'suggestions.not_found': { zh: '找不到编号为 {id} 的意见。请刷新列表。', en: 'There is no suggestion {id}. Reload the list.' },
  'suggestions.closed': { zh: '意见 {id} 已关闭，答复不能再修改。', en: 'Suggestion {id} is closed; its answer can no longer change.' },
  'suggestions.closed_meanwhile': { zh: '意见 {id} 刚刚已被关闭，答复没有保存。请刷新列表。', en: 'Suggestion {id} was closed meanwhile; the answer was not saved. Reload the list.' },
  'suggestions.not_answered': {
    zh: '意见 {id} 尚未答复。请先记录给群众的答复，再关闭。',
    en: 'Suggestion {id} has no answer yet. Record the answer given to the citizen first, then close it.',
  },
  'suggestions.already_closed': { zh: '意见 {id} 已经关闭，无需再关闭。请刷新列表查看。', en: 'Suggestion {id} is already closed; there is nothing more to do. Reload the list to see it.' },
  'privacy.data_key_mismatch': {
    zh: '用当前的数据密钥打不开存储的电话号码：中心使用的 CORDIAL_DATA_KEY 或密钥文件与加密时的不同。请联系信息技术人员恢复正确的密钥。',
    en: 'The stored phone cannot be opened with this data key: the centre runs with a different CORDIAL_DATA_KEY or data-key file than the one it was sealed with. Ask IT to restore the right key.',
  },
  'privacy.phone_invalid': {
    zh: '这不是有效的电话号码：请输入 11 位手机号（以 1 开头），或区号加座机号，如 0551-62345678。没有删除任何数据。',
    en: 'This is not a mainland mobile or landline number: enter 11 digits starting with 1, or an area code and number such as 0551-62345678. Nothing was erased.',
  },
};

/**
 * Builds a request whose `phone` the contract may refuse before it leaves the browser, and gives
 * that refusal `reason`, so the page says what a phone must look like in its reader's language.
 */
export function checkingPhone<T>(reason: 'appointments.phone_invalid' | 'privacy.phone_invalid', build: () => T): T {
  try {
    return build();
  } catch (err) {
    if (err instanceof ApiError && err.said?.reason === 'general.input_invalid' && err.said.fields.field === 'phone') {
      throw new ApiError(err.status, err.code, err.message, err.retryAfter, { reason, fields: {} });
    }
    throw err;
  }
}
