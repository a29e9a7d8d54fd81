/**
 * The console's words for the refusals of src/shared/console/refusals/follow-up.ts, in Chinese and English.
 * A state, an action, a finding or a level arrives as its code and is said with the label the
 * follow-up pages show for it (pages/follow-up/strings.ts, levels), so a refusal and the ledger agree.
 */
import { ACTION_FROM, type FollowUpActionName, type FollowUpState } from '../../../../src/shared/console/contract';
import type { RefusalFields } from '../../../../src/shared/console/refusals';
import { FOLLOW_UP_REFUSALS, type FollowUpRefusal } from '../../../../src/shared/console/refusals/follow-up';
import { LEVEL_LABELS, isRatingLevel, type RatingLevel } from '../../../../src/shared/levels';
import type { Language } from '../i18n';
import { STRINGS } from '../pages/follow-up/strings';
import { fill, type Words } from './words';

type Labels = (typeof STRINGS)['zh'];

/** A code's label from one of the pages' tables; a code the console does not know is shown as it came. */
function label(table: Record<string, string>, code: string | number | undefined): string {
  const key = String(code ?? '');
  return Object.hasOwn(table, key) ? table[key]! : key;
}

const stateOf = (fu: Labels, code: string | number | undefined) => label(fu.states, code);
const actionOf = (fu: Labels, code: string | number | undefined) => label(fu.actions, code);

/** The states an action is taken from, as the pages name them: “已反馈”或“已答复” / "Answered" or "Replied". */
function allowedFrom(fu: Labels, action: string | number | undefined, language: Language): string {
  const from: readonly FollowUpState[] = Object.hasOwn(ACTION_FROM, String(action)) ? ACTION_FROM[String(action) as FollowUpActionName] : [];
  return from.map((s) => `${language === 'zh' ? '“' : '"'}${fu.states[s]}${language === 'zh' ? '”' : '"'}`).join(language === 'zh' ? '或' : ' or ');
}

/** 2027-02-06 -> 星期六 / Saturday. */
function weekdayOf(day: string | number | undefined, language: Language): string {
  const date = new Date(`${String(day)}T00:00:00Z`);
  if (Number.isNaN(date.getTime())) return language === 'zh' ? '这一天' : 'that day';
  return language === 'zh' ? `星期${'日一二三四五六'[date.getUTCDay()]}` : date.toLocaleDateString('en-GB', { weekday: 'long', timeZone: 'UTC' });
}

/**
 * Each reason's sentence in both languages. A hole is a figure the centre sends, or a label
 * the console puts in for a code (LABELS below); both languages have the same holes.
 */
export const FOLLOW_UP_SENTENCES: Record<FollowUpRefusal, { zh: string; en: string }> = {
  'follow_up.page_token_invalid': {
    zh: '台账翻页的位置已失效，没有加载更多记录。请刷新页面后重新查询。',
    en: "The ledger's place for the next page is no longer valid; nothing more was loaded. Reload the page and search again.",
  },
  'follow_up.record_not_found': {
    zh: '没有您可查看的回访记录 #{id}，它可能不存在或不属于您的部门。请返回回访台账重新选择。',
    en: 'There is no follow-up record #{id} you may see: it may not exist or may belong to another department. Go back to the ledger and pick one there.',
  },
  'follow_up.no_department': {
    zh: '这条记录不属于任何部门，无法分派给回访专员。请先在名单中设置该窗口所属的部门。',
    en: "This record belongs to no department, so no follow-up officer can take it. Set the window's department in the lists first.",
  },
  'follow_up.assignee_invalid': {
    zh: '{assignee} 不是部门 {department} 的在职回访专员，记录未分派。请从回访专员列表中选择。',
    en: '{assignee} is not an active follow-up officer of department {department}; the record was not assigned. Pick one from the list of officers.',
  },
  'follow_up.managers_only': {
    zh: '只有主管、管理员或本部门负责人可以“{action}”回访记录，未做任何更改。如需办理，请联系他们。',
    en: 'Only a supervisor, an admin or the head of this department may "{action}" a follow-up record; nothing was changed. Ask one of them.',
  },
  'follow_up.not_assigned': {
    zh: '这条记录尚未分派，“{action}”由分派后的回访专员办理，未做任何更改。请先请主管或部门负责人分派。',
    en: 'This record is not assigned yet: its follow-up officer records "{action}" once it is, so nothing was changed. Ask a supervisor or the head of the department to assign it.',
  },
  'follow_up.not_your_record': {
    zh: '这条记录已分派给回访专员 {assignee}，“{action}”只能由其办理，未做任何更改。如需改派，请联系主管或部门负责人。',
    en: 'This record is assigned to {assignee}: only that follow-up officer records "{action}", so nothing was changed. To hand it on, ask a supervisor or the head of the department.',
  },
  'follow_up.wrong_state': {
    zh: '这条记录当前为“{state}”，不能办理“{action}”：只有在{allowed}时才能办理。未做任何更改，请刷新页面查看最新状态。',
    en: 'This record is now "{state}", so "{action}" cannot be done: only when it is {allowed}. Nothing was changed; reload the page to see where it stands.',
  },
  'follow_up.nothing_to_rectify': {
    zh: '核实结论为“{finding}”，无需“{action}”，未做任何更改。请改为“{reply}”群众。',
    en: 'The rating was found "{finding}": there is nothing to "{action}", so nothing was changed. "{reply}" to the citizen instead.',
  },
  'follow_up.rectify_first': {
    zh: '核实结论为“{finding}”，请先“{rectify}”并记录整改措施，再“{action}”群众。未做任何更改。',
    en: 'The rating was found "{finding}": "{rectify}" and record the measures before you "{action}" to the citizen. Nothing was changed.',
  },
  'follow_up.rate_not_assigned': {
    zh: '这条记录尚未分派，群众追评由承办的回访专员记录，未做任何更改。请先请主管或部门负责人分派。',
    en: "This record is not assigned yet: the follow-up officer it is assigned to records the citizen's follow-up rating, so nothing was changed. Ask a supervisor or the head of the department to assign it.",
  },
  'follow_up.rate_not_yours': {
    zh: '群众追评只能由承办这条记录的回访专员 {assignee} 记录，未做任何更改。',
    en: "Only {assignee}, the follow-up officer this record is assigned to, records the citizen's follow-up rating; nothing was changed.",
  },
  'follow_up.rate_closed': {
    zh: '这条记录已“{state}”，未记录追评。群众再次评价前，需由主管重新打开这条记录。',
    en: 'This record is "{state}"; the follow-up rating was not recorded. A supervisor reopens it before the citizen can rate again.',
  },
  'follow_up.rate_before_call': {
    zh: '这条记录当前为“{state}”，未记录追评。请先记录回访，再记录群众追评。',
    en: "This record is now \"{state}\"; the follow-up rating was not recorded. Record the call back first, then the citizen's follow-up rating.",
  },
  'follow_up.already_rated': {
    zh: '本次办理已记录过群众追评（{level}，由 {by} 记录），未再记录。每次办理只记一次追评，主管重新打开记录后才能再记。',
    en: "The citizen's follow-up rating was recorded already ({level}, by {by}), so this one was not. A record takes one; another only after a supervisor reopens it.",
  },
  'follow_up.rate_complaint': {
    zh: '这条记录源自窗口投诉，而不是群众评价，没有首次评价可供追评，未做任何更改。请在回访记录中写明群众的意见。',
    en: "This record began with a complaint at the window, not a rating: there is no first rating for a follow-up rating to follow, so nothing was changed. Write what the citizen said in the call's note instead.",
  },
  'follow_up.phone_closed': {
    zh: '这条记录已办结，不再显示完整号码。如需再次联系群众，请主管重新打开记录。',
    en: 'This record is closed: its phone number is no longer shown in full. To call the citizen again, ask a supervisor to reopen it.',
  },
  'follow_up.phone_not_yours': {
    zh: '只有承办这条记录的回访专员可以查看完整号码，其他人看到的号码已隐去部分数字。',
    en: 'Only the follow-up officer this record is assigned to may see the full phone number; everyone else sees it masked.',
  },
  'follow_up.no_phone': {
    zh: '群众没有留下回访电话，或号码已按规定删除。请在回访结果中选择“{noPhone}”。',
    en: 'The citizen left no phone number for a callback, or it was erased. Record the call\'s result as "{noPhone}".',
  },
  'follow_up.case_not_found': {
    zh: '没有您可查看的办件 {caseId}（终端 {terminalId}），未立案。请核对办件编号和终端后重试。',
    en: 'There is no case {caseId} of terminal {terminalId} you may see; nothing was opened. Check the case and the terminal and try again.',
  },
  'follow_up.case_not_rated': {
    zh: '这个办件还没有评价，未立案：只有已评价的办件可以人工立案。请在群众评价后再试。',
    en: 'This case has no rating (yet), so nothing was opened: only rated cases are opened by hand. Try again once it is rated.',
  },
  'follow_up.already_followed_up': {
    zh: '这条评价已在回访记录 #{record} 中跟进，未重复立案。请在回访台账中打开该记录。',
    en: 'This rating is already followed up in record #{record}, so no second one was opened. Open that record from the ledger.',
  },
  'follow_up.year_out_of_range': {
    zh: '“{year}”不是工作日历可设置的年份。请选择 {from} 至 {to} 年之间的年份。',
    en: '"{year}" is not a year the working calendar keeps. Pick a year from {from} to {to}.',
  },
  'follow_up.calendar_file_invalid': {
    zh: '日历文件第 {line} 行有误{andMore}，未导入任何内容。请按预览中的提示改正后再导入。',
    en: 'Line {line} of the calendar file is wrong{andMore}; nothing was imported. Correct it as the preview says and import again.',
  },
  'follow_up.day_other_year': {
    zh: '{day} 不在 {year} 年内，日历未保存。每一年的日期请在该年的页面上设置。',
    en: "{day} is not in {year}, so the calendar was not saved. Set each year's days on its own page.",
  },
  'follow_up.holiday_on_weekend': {
    zh: '{day} 是{weekday}，本来就休息，日历未保存。只把周一至周五标为“休”。',
    en: '{day} is a {weekday}, a day off already, so the calendar was not saved. Mark only Monday to Friday as holidays.',
  },
  'follow_up.workday_on_weekday': {
    zh: '{day} 是{weekday}，本来就上班，日历未保存。只把周六、周日标为“班”。',
    en: '{day} is a {weekday}, a working day already, so the calendar was not saved. Mark only Saturdays and Sundays as make-up working days.',
  },
  'follow_up.day_twice': {
    zh: '{day} 同时被列为节假日和调休上班日，日历未保存。请删去其中一项。',
    en: '{day} is listed both as a holiday and as a make-up working day, so the calendar was not saved. Remove one of the two.',
  },
  'follow_up.webhook_not_found': {
    zh: '没有编号为 {id} 的外发通知地址，未做任何更改。请刷新列表。',
    en: 'There is no webhook {id}; nothing was changed. Reload the list.',
  },
};

type Labelled = (fu: Labels, fields: RefusalFields, language: Language) => RefusalFields;

const action: Labelled = (fu, f) => ({ action: actionOf(fu, f.action) });

/** The holes a reason fills from codes: its labels, in the reader's language, put in over the codes. */
const LABELS: Partial<Record<FollowUpRefusal, Labelled>> = {
  'follow_up.managers_only': action,
  'follow_up.not_assigned': action,
  'follow_up.not_your_record': action,
  'follow_up.wrong_state': (fu, f, language) => ({ state: stateOf(fu, f.state), action: actionOf(fu, f.action), allowed: allowedFrom(fu, f.action, language) }),
  'follow_up.nothing_to_rectify': (fu, f) => ({ finding: fu.findings.not_valid, action: actionOf(fu, f.action), reply: fu.actions.reply }),
  'follow_up.rectify_first': (fu, f) => ({ finding: label(fu.findings, f.finding), action: actionOf(fu, f.action), rectify: fu.actions.rectify }),
  'follow_up.rate_closed': (fu, f) => ({ state: stateOf(fu, f.state) }),
  'follow_up.rate_before_call': (fu, f) => ({ state: stateOf(fu, f.state) }),
  'follow_up.already_rated': (_fu, f, language) => ({ level: isRatingLevel(String(f.level)) ? LEVEL_LABELS[f.level as RatingLevel][language] : String(f.level ?? '') }),
  'follow_up.no_phone': (fu) => ({ noPhone: fu.results.no_phone }),
  // The record is named whenever the centre found it; a sign stands in for one it could not.
  'follow_up.already_followed_up': (_fu, f) => ({ record: f.record ?? '—' }),
  'follow_up.calendar_file_invalid': (_fu, f, language) => {
    const more = Number(f.more ?? 0);
    if (!(more > 0)) return { andMore: '' };
    return { andMore: language === 'zh' ? `（另有 ${more} 行有误）` : ` (and ${more} more line${more === 1 ? '' : 's'})` };
  },
  'follow_up.holiday_on_weekend': (_fu, f, language) => ({ weekday: weekdayOf(f.day, language) }),
  'follow_up.workday_on_weekday': (_fu, f, language) => ({ weekday: weekdayOf(f.day, language) }),
};

function wordsOf(reason: FollowUpRefusal): Words {
  const labels = LABELS[reason];
  const sentences = FOLLOW_UP_SENTENCES[reason];
  if (!labels) return sentences;
  return (fields, language) => fill(sentences[language], { ...fields, ...labels(STRINGS[language], fields, language) });
}

export const FOLLOW_UP_WORDS = Object.fromEntries(FOLLOW_UP_REFUSALS.map((reason) => [reason, wordsOf(reason)])) as Record<FollowUpRefusal, Words>;
