/**
 * Refusals of the follow-up records, the working calendar and the webhooks, as the console says
 * them: every reason reads whole in Chinese and in English with the figures the centre sends,
 * and a state, an action, a finding or a level sent as its code reads as the follow-up pages
 * name it, so the refusal and the ledger speak alike.
 */
import { describe, expect, it } from 'vitest';
import type { RefusalFields } from '../../src/shared/console/refusals';
import { FOLLOW_UP_REFUSALS, type FollowUpRefusal } from '../../src/shared/console/refusals/follow-up';
import { ApiError } from '../../server/console/src/api';
import { STRINGS } from '../../server/console/src/i18n';
import { refusalWords } from '../../server/console/src/refusals';
import { FOLLOW_UP_SENTENCES } from '../../server/console/src/refusals/follow-up';
import { sentence } from '../../server/console/src/session';

const HAN = /[\u4e00-\u9fff]/;
const HOLE = /\{(\w+)\}/g;
const holes = (template: string) => new Set([...template.matchAll(HOLE)].map((m) => m[1]));

/** What the centre sends with each reason (test/centre/follow-up-roles.test.ts and follow-up-deadline.test.ts check the centre sends these names). */
const FIGURES: Record<FollowUpRefusal, RefusalFields> = {
  'follow_up.page_token_invalid': {},
  'follow_up.record_not_found': { id: 42 },
  'follow_up.no_department': {},
  'follow_up.assignee_invalid': { assignee: 'fu-chen', department: '340104-SJ' },
  'follow_up.managers_only': { action: 'assign' },
  'follow_up.not_assigned': { action: 'call' },
  'follow_up.not_your_record': { action: 'call', assignee: 'fu-li' },
  'follow_up.wrong_state': { state: 'assigned', action: 'verify' },
  'follow_up.nothing_to_rectify': { state: 'verified', action: 'rectify' },
  'follow_up.rectify_first': { state: 'verified', action: 'reply', finding: 'partly_valid' },
  'follow_up.rate_not_assigned': {},
  'follow_up.rate_not_yours': { assignee: 'fu-li' },
  'follow_up.rate_closed': { state: 'closed' },
  'follow_up.rate_before_call': { state: 'assigned' },
  'follow_up.already_rated': { level: 'satisfied', by: 'fu-li' },
  'follow_up.rate_complaint': {},
  'follow_up.phone_closed': {},
  'follow_up.phone_not_yours': {},
  'follow_up.no_phone': {},
  'follow_up.case_not_found': { caseId: 'c-7f3a', terminalId: 'T-0021' },
  'follow_up.case_not_rated': {},
  'follow_up.already_followed_up': { record: 17 },
  'follow_up.year_out_of_range': { year: '1999', from: 2000, to: 2100 },
  'follow_up.calendar_file_invalid': { line: 12, more: 2 },
  'follow_up.day_other_year': { day: '2026-12-31', year: 2027 },
  'follow_up.holiday_on_weekend': { day: '2027-02-06' },
  'follow_up.workday_on_weekday': { day: '2027-02-03' },
  'follow_up.day_twice': { day: '2027-10-01' },
  'follow_up.webhook_not_found': { id: 9 },
};

/** Figures sent as codes, said by their labels rather than as they came. */
const CODES = new Set(['state', 'action', 'finding', 'level', 'more']);

const say = (reason: FollowUpRefusal, fields: RefusalFields, language: 'zh' | 'en') => refusalWords({ reason, fields }, language);

describe('follow-up refusals on the console', () => {
  it('words every reason whole in Chinese and in English, with the same holes in both', () => {
    expect(Object.keys(FIGURES).sort()).toEqual([...FOLLOW_UP_REFUSALS].sort());
    for (const reason of FOLLOW_UP_REFUSALS) {
      const zh = say(reason, FIGURES[reason], 'zh');
      const en = say(reason, FIGURES[reason], 'en');
      expect(zh, reason).toMatch(HAN);
      expect(zh, reason).toMatch(/。$/);
      expect(zh, reason).not.toMatch(HOLE);
      expect(en, reason).toMatch(/\.$/);
      expect(en, reason).not.toMatch(HOLE);
      expect(en, reason).not.toMatch(HAN);
      expect(holes(FOLLOW_UP_SENTENCES[reason].zh), reason).toEqual(holes(FOLLOW_UP_SENTENCES[reason].en));
      // A figure the centre sends as it is (a record, an officer, a day) is there for the reader to see.
      for (const [name, value] of Object.entries(FIGURES[reason])) {
        if (CODES.has(name)) continue;
        expect(zh, `${reason} ${name}`).toContain(String(value));
        expect(en, `${reason} ${name}`).toContain(String(value));
      }
      // A code is never shown raw.
      for (const [name, value] of Object.entries(FIGURES[reason])) {
        if (name === 'more' || !CODES.has(name)) continue;
        expect(zh, `${reason} ${name}`).not.toContain(String(value));
      }
    }
  });

  it('names the state and the action of a wrong step as the follow-up pages do, with the states it can be taken from', () => {
    const fields = { state: 'assigned', action: 'verify' };
    expect(say('follow_up.wrong_state', fields, 'zh')).toBe('这条记录当前为“待回访”，不能办理“核实”：只有在“已回访”时才能办理。未做任何更改，请刷新页面查看最新状态。');
    expect(say('follow_up.wrong_state', fields, 'en')).toBe('This record is now "To call", so "Check" cannot be done: only when it is "Called". Nothing was changed; reload the page to see where it stands.');
    // An action taken from more than one state lists them all.
    expect(say('follow_up.wrong_state', { state: 'new', action: 'close' }, 'zh')).toMatch(/只有在“已反馈”或“已答复”时才能办理/);
    expect(say('follow_up.wrong_state', { state: 'new', action: 'close' }, 'en')).toMatch(/only when it is "Answered" or "Replied"\./);
    // A code this console does not know (a newer centre) is shown as it came, not dropped.
    expect(say('follow_up.wrong_state', { state: 'archived', action: 'close' }, 'en')).toContain('"archived"');
  });

  it('says the other figures in the reader’s words: the level, the weekday, how many more lines', () => {
    expect(say('follow_up.already_rated', { level: 'very_satisfied', by: 'fu-li' }, 'zh')).toContain('（非常满意，由 fu-li 记录）');
    expect(say('follow_up.already_rated', { level: 'very_satisfied', by: 'fu-li' }, 'en')).toContain('(Very satisfied, by fu-li)');
    expect(say('follow_up.holiday_on_weekend', { day: '2027-02-06' }, 'zh')).toMatch(/^2027-02-06 是星期六，/);
    expect(say('follow_up.holiday_on_weekend', { day: '2027-02-06' }, 'en')).toMatch(/^2027-02-06 is a Saturday,/);
    expect(say('follow_up.workday_on_weekday', { day: '2027-02-03' }, 'zh')).toMatch(/^2027-02-03 是星期三，/);
    expect(say('follow_up.calendar_file_invalid', { line: 3, more: 0 }, 'zh')).toBe('日历文件第 3 行有误，未导入任何内容。请按预览中的提示改正后再导入。');
    expect(say('follow_up.calendar_file_invalid', { line: 3, more: 1 }, 'en')).toBe('Line 3 of the calendar file is wrong (and 1 more line); nothing was imported. Correct it as the preview says and import again.');
    expect(say('follow_up.calendar_file_invalid', { line: 3, more: 4 }, 'zh')).toContain('（另有 4 行有误）');
    expect(say('follow_up.rectify_first', { state: 'verified', action: 'reply', finding: 'partly_valid' }, 'zh')).toBe('核实结论为“部分属实”，请先“整改”并记录整改措施，再“答复”群众。未做任何更改。');
    expect(say('follow_up.no_phone', {}, 'en')).toContain('"No phone left"');
  });

  it('replaces the old lead and the English sentence in a refusal the page shows', () => {
    const refused = new ApiError(409, 'wrong-state', 'this record is closed (办结); close can be done only when it is answered (已反馈) or replied to (已答复)', null, {
      reason: 'follow_up.wrong_state',
      fields: { state: 'closed', action: 'close' },
    });
    const zh = sentence(STRINGS.zh, refused);
    expect(zh).toBe('这条记录当前为“办结”，不能办理“办结”：只有在“已反馈”或“已答复”时才能办理。未做任何更改，请刷新页面查看最新状态。');
    expect(zh).not.toMatch(/[A-Za-z]/);
    expect(sentence(STRINGS.en, refused)).toBe('This record is now "Closed", so "Close" cannot be done: only when it is "Answered" or "Replied". Nothing was changed; reload the page to see where it stands.');
  });
});
