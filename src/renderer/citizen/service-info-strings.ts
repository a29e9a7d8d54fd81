/** The words of the item's service information on the citizen screen (办事公开), in both languages. */
import type { Bilingual } from '../common/lang';

export const SERVICE_INFO_TEXT = {
  region: { zh: '办事指南', en: 'About this service' },
  materials: { zh: '所需材料', en: 'Materials to bring' },
  original: { zh: '原件', en: 'Original' },
  copy: { zh: '复印件', en: 'Copy' },
  count: { zh: '{n} 份', en: '× {n}' },
  promisedTime: { zh: '承诺时限', en: 'Promised time' },
  onTheSpot: { zh: '即办（当场办结）', en: 'On the spot' },
  workingDays: { zh: '{n} 个工作日', en: '{n} working days' },
  oneWorkingDay: { zh: '1 个工作日', en: '1 working day' },
  fees: { zh: '收费', en: 'Fees' },
  whereToAsk: { zh: '咨询', en: 'Questions' },
} satisfies Record<string, Bilingual>;
