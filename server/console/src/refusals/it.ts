/** The console's words for the refusals of src/shared/console/refusals/it.ts, in Chinese and English. */
import type { RefusalFields } from '../../../../src/shared/console/refusals';
import type { ItRefusal } from '../../../../src/shared/console/refusals/it';
import { formatters, type Language } from '../i18n';
import { fill, type Words } from './words';

/** The centre numbers a week's days 0 Monday … 6 Sunday, as the window-hours form shows them. */
const WEEKDAYS: Record<Language, readonly string[]> = {
  zh: ['周一', '周二', '周三', '周四', '周五', '周六', '周日'],
  en: ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'],
};

const weekday = (fields: RefusalFields, language: Language) => WEEKDAYS[language][Number(fields.day)] ?? (language === 'zh' ? '某一天' : 'One day');

/** Words whose day figure is a weekday number, said by its name. */
const onDay = (words: { zh: string; en: string }): Words => (fields, language) => fill(words[language], { ...fields, day: weekday(fields, language) });

export const IT_WORDS: Record<ItRefusal, Words> = {
  'it.staff_unknown': {
    zh: '人员名单中没有工号 {staffNo}，未做任何更改。请先把此人加入人员名单。',
    en: 'There is no staff member {staffNo}; nothing was changed. Add them to the staff list first.',
  },
  'it.staff_photo_missing': {
    zh: '工号 {staffNo} 还没有照片。可在人员名单中为其上传照片。',
    en: 'Staff member {staffNo} has no photo yet. Upload one on the staff list.',
  },
  'it.badge_taken': {
    zh: '工牌 {badge} 已登记在 {name}（工号 {staffNo}）名下，未做任何更改。请先从其人员记录中去掉这张工牌，再保存。',
    en: 'Badge {badge} belongs to {name} ({staffNo}); nothing was changed. Take it off their record first, then save again.',
  },
  'it.photo_unreadable': {
    zh: '照片没有以图片文件的形式送达中心，未做任何更改。请选择一张 JPEG、PNG 或 WebP 图片重新上传。',
    en: 'The photo did not arrive as an image file; nothing was changed. Choose a JPEG, PNG or WebP picture and upload it again.',
  },
  'it.photo_not_image': {
    zh: '这个文件不是 JPEG、PNG 或 WebP 图片，未做任何更改。请选择这几种格式之一的照片。',
    en: 'This file is not a JPEG, PNG or WebP picture; nothing was changed. Choose a photo in one of those formats.',
  },
  'it.photo_too_large': {
    zh: '这张照片有 {kb} KB，窗口只接收不超过 {maxKb} KB 的照片，未做任何更改。请选择更小的图片，或让管理台自动缩小后再上传。',
    en: 'This photo is {kb} KB; the windows take photos up to {maxKb} KB, so nothing was changed. Choose a smaller picture or let the console shrink it.',
  },
  'it.reason_unknown': {
    zh: '没有差评原因 {code}，可能已被他人删除。请刷新列表。',
    en: 'There is no poor-rating reason {code}; it may have been removed meanwhile. Reload the list.',
  },
  'it.referral_target_unknown': {
    zh: '没有引导去向 {code}，可能已被他人删除。请刷新列表。',
    en: 'There is no referral target {code}; it may have been removed meanwhile. Reload the list.',
  },
  'it.terminal_unknown': {
    zh: '没有已注册的终端 {terminalId}，未做任何更改。请刷新列表。',
    en: 'No terminal {terminalId} is enrolled; nothing was changed. Reload the list.',
  },
  'it.terminal_revoked': {
    zh: '终端 {terminalId} 已被吊销，不能再轮换令牌。被吊销的终端只能用新的注册码重新注册。',
    en: 'Terminal {terminalId} was revoked, so its token cannot be rotated. A revoked terminal gets a token only by enrolling again with a new code.',
  },
  'it.alert_unknown': {
    zh: '没有编号为 {alertId} 的告警。请刷新列表。',
    en: 'There is no alert {alertId}. Reload the list.',
  },
  // The time is said the way the page says its other times, in the reader's language.
  'it.alert_acknowledged': (fields, language) => {
    const at = typeof fields.at === 'number' ? formatters(language).time(fields.at) : String(fields.at ?? '—');
    const words = { zh: '{by} 已于 {at} 确认过这条告警（说明：“{note}”），无需再次确认。', en: '{by} already acknowledged this alert at {at} (note: "{note}"); there is nothing more to do.' };
    return fill(words[language], { ...fields, at });
  },
  'it.code_unknown': {
    zh: '没有编号为 {codeId} 的注册码。请刷新列表。',
    en: 'There is no enrolment code {codeId}. Reload the list.',
  },
  'it.code_used': {
    zh: '这个注册码已被终端 {terminalId} 使用，不能再吊销。如要停用该终端，请吊销终端本身。',
    en: 'This code was already used by terminal {terminalId}, so it cannot be revoked. To stop that terminal, revoke the terminal instead.',
  },
  'hall.window_unknown': {
    zh: '窗口名单中没有窗口 {windowNo}，未做任何更改。请先在“名单”页添加这个窗口。',
    en: 'There is no window {windowNo}; nothing was changed. Add it to the window list on the Lists page first.',
  },
  'hall.hours_half': onDay({
    zh: '{day}只填了开窗或关窗时间中的一个，未做任何更改。请两个都填，或都留空表示当天不开窗。',
    en: '{day}: only one of the opening and closing times is given, so nothing was changed. Give both, or neither for a closed day.',
  }),
  'hall.hours_backwards': onDay({
    zh: '{day}的关窗时间 {closes} 不晚于开窗时间 {opens}，未做任何更改。请改正后再保存。',
    en: '{day}: the window closes at {closes}, which is not after it opens at {opens}, so nothing was changed. Correct the times and save again.',
  }),
  'hall.wall_token_unknown': {
    zh: '没有编号为 {id} 的大屏令牌。请刷新页面查看当前列表。',
    en: 'There is no wall token {id}. Reload the page to see the current list.',
  },
  'hall.wall_token_revoked': {
    zh: '大屏“{name}”的令牌早已吊销，无需再次吊销。',
    en: 'The token of wall "{name}" is already revoked; there is nothing more to do.',
  },
  'figures.cursor_invalid': {
    zh: '无法从这个位置继续加载评价明细。请回到第一页重新查看。',
    en: 'The ratings cannot be read on from this page position. Start again from the first page.',
  },
  'figures.other_department': {
    zh: '您只能查看本部门（{department}）的数据，不能查看 {key}。请改为查看本部门。',
    en: 'You may see only your own department ({department}), not {key}. Look at your own department instead.',
  },
  'figures.not_a_date': {
    zh: '{date} 不是日历上的日期。请按 2026-03-01 这样的格式选择一个日期。',
    en: '{date} is not a date on the calendar. Choose a date written like 2026-03-01.',
  },
  'figures.range_backwards': {
    zh: '结束日期 {to} 早于开始日期 {from}。请调整时间段后再查询。',
    en: 'The end date {to} is before the start date {from}. Change the period and try again.',
  },
};
