/** Labels of the phrase card and its help, in both languages. */
import type { Bilingual } from '../common/lang';

export const PHRASE_TEXT = {
  spoken: { zh: '评价器播报', en: 'Keypad speaks it' },
  shown: { zh: '屏幕显示', en: 'Shown on screen' },
  needsCase: { zh: '接件后可用：请出示所需材料', en: 'Once a case is open: ask for its documents' },
  byItself: {
    zh: '办结为“一次告知”时，缺件告知语（A.1.1.4）会自动显示在群众屏上，并填入所缺材料。',
    en: 'When a case is finished as 一次告知, the missing-materials notice (A.1.1.4) shows on the citizen screen by itself, with the missing materials filled in.',
  },
  helpTitle: { zh: '服务忌语示例', en: 'Examples of phrases never to use' },
  helpIntro: {
    zh: '以下是窗口服务中不得使用的几类说法的示例；完整清单以标准附录 A.2 为准。',
    en: 'Examples of the kinds of remark never made at the window; annex A.2 of the standard has the full list.',
  },
} satisfies Record<string, Bilingual>;

/**
 * Examples of 服务忌语 of the kinds annex A.2 lists (dismissive, impatient or blaming remarks),
 * written for Cordial, not the standard's own list: the page says so and points to A.2.
 */
export const BANNED_PHRASES: readonly { zh: string; en: string }[] = [
  { zh: '不知道。', en: "I don't know." },
  { zh: '这事不归我管，找别人去。', en: 'Not my business, go ask someone else.' },
  { zh: '急什么，没看我正忙着吗？', en: "What's the hurry, can't you see I'm busy?" },
  { zh: '墙上贴着，自己看。', en: "It's on the wall, read it yourself." },
  { zh: '刚才不是跟你说过了吗？', en: "Didn't I just tell you?" },
  { zh: '下班了，明天再来。', en: "We're closed, come back tomorrow." },
  { zh: '有意见找领导去。', en: 'Complain to my boss if you like.' },
  { zh: '你问我，我问谁？', en: 'You ask me, who do I ask?' },
  { zh: '材料不全，回去吧。', en: 'Your documents are incomplete, go home.' },
  { zh: '规定就是这样，我也没办法。', en: "That's the rule, nothing I can do." },
];
