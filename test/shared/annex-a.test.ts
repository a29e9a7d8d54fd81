/**
 * Annex A of DB34/T 3395-2019, sentence by sentence, against Cordial's phrase table.
 * The expected table below is typed from the standard (XX where it leaves a fill-in); the
 * standard's text has half-width commas and question marks where Cordial prints full-width
 * ones, so punctuation width is compared loosely and every character else exactly.
 */
import { describe, expect, it } from 'vitest';
import { ANNEX_A, PHRASES, PHRASE_KEYS, STAFF_PHRASES, fillPhrase, joinMaterials, phraseText, type PhraseKey } from '../../src/shared/phrases';

/** A.1.1.1 – A.1.1.12 as the standard words them; a clause with two sentences lists both. */
const STANDARD: readonly { moment: string; sentences: string[] }[] = [
  { moment: 'A.1.1.1', sentences: ['您好,请问办理什么业务?', '您好,请问有什么事需要帮忙?'] },
  { moment: 'A.1.1.2', sentences: ['请稍候,我马上办理。'] },
  { moment: 'A.1.1.3', sentences: ['请您出示XX资料(证件)。'] },
  { moment: 'A.1.1.4', sentences: ['对不起,根据XX规定,这项业务需要提供XX资料,请您准备齐全再来。'] },
  { moment: 'A.1.1.5', sentences: ['您的业务已办好,请对我们的服务进行评价。'] },
  { moment: 'A.1.1.6', sentences: ['对不起,请稍等,我请示(或了解情况)后再答复您。'] },
  { moment: 'A.1.1.7', sentences: ['请稍候,我马上为您办理。'] },
  { moment: 'A.1.1.8', sentences: ['抱歉,你要办理的业务不符合国家相关政策规定,我们不能办理,请谅解。'] },
  { moment: 'A.1.1.9', sentences: ['对不起,我接一下电话,请稍候。', '对不起,让您久等了。'] },
  { moment: 'A.1.1.10', sentences: ['非常感谢您对我们工作提出宝贵意见,请您留下姓名和电话号码,我们会尽快处理并回复您。'] },
  { moment: 'A.1.1.11', sentences: ['没关系,这是我们应该做的。'] },
  { moment: 'A.1.1.12', sentences: ['感谢您对我们工作的支持,欢迎您再来。'] },
];

/** The keypad's voice prompts as the device protocol numbers them (CRK/1 §4). */
const DEVICE_PROMPTS: Record<number, string> = {
  1: '您好，请问办理什么业务？',
  2: '请稍候，我马上为您办理。',
  3: '您的业务已办好，请对我们的服务进行评价。',
  4: '感谢您对我们工作的支持，欢迎您再来。',
  5: '对不起，让您久等了。',
  6: '非常感谢您对我们工作提出宝贵意见。',
};

const FULL_WIDTH: Record<string, string> = { ',': '，', '?': '？', '(': '（', ')': '）', ':': '：' };
const widen = (s: string) => s.replace(/[,?():]/g, (c) => FULL_WIDTH[c] ?? c);
/** The table's sentence with each named fill-in written as the standard's XX. */
const asStandard = (key: PhraseKey) => ANNEX_A[key].zh.replace(/\{\w+\}/g, 'XX');

describe('annex A.1.1, sentence by sentence', () => {
  for (const { moment, sentences } of STANDARD) {
    it(`${moment}: every sentence is in the table, word for word, in the standard's order`, () => {
      const ours = PHRASE_KEYS.filter((k) => ANNEX_A[k].moment === moment);
      expect(ours.map(asStandard)).toEqual(sentences.map(widen));
      for (const key of ours) {
        expect(ANNEX_A[key].en.trim(), `${key} has an English rendering`).not.toBe('');
        // Each XX of the standard is a named fill-in, and the English names the same ones.
        const xx = ANNEX_A[key].zh.match(/\{\w+\}/g) ?? [];
        expect(ANNEX_A[key].fills).toEqual(xx.map((m) => m.slice(1, -1)));
        expect((ANNEX_A[key].en.match(/\{\w+\}/g) ?? []).sort()).toEqual([...xx].sort());
      }
    });
  }

  it('has no sentence that is not in the standard, and walks the moments in order', () => {
    const moments = PHRASE_KEYS.map((k) => ANNEX_A[k].moment);
    expect(moments).toEqual(STANDARD.flatMap((m) => m.sentences.map(() => m.moment)));
  });

  it('names its fill-ins: the documents of A.1.1.3, the rule and the missing materials of A.1.1.4', () => {
    expect(ANNEX_A.show_materials.fills).toEqual(['materials']);
    expect(ANNEX_A.materials_incomplete.fills).toEqual(['rule', 'materials']);
    expect(PHRASE_KEYS.filter((k) => ANNEX_A[k].fills.length > 0)).toEqual(['show_materials', 'materials_incomplete']);
  });
});

describe('keypad prompts', () => {
  it('keeps ids 1–6 exactly as the device protocol defines them', () => {
    expect(Object.fromEntries(Object.values(PHRASES).map((p) => [p.id, p.zh]))).toEqual(DEVICE_PROMPTS);
  });

  it('ties each prompt to the annex sentence it speaks: the whole sentence, or for prompt 6 its opening', () => {
    const withPrompt = PHRASE_KEYS.filter((k) => ANNEX_A[k].prompt !== null);
    expect(withPrompt.map((k) => PHRASES[ANNEX_A[k].prompt!].id).sort()).toEqual([1, 2, 3, 4, 5, 6]);
    for (const key of withPrompt) {
      const spoken = PHRASES[ANNEX_A[key].prompt!].zh;
      if (key === 'thanks_for_feedback') expect(ANNEX_A[key].zh.startsWith(spoken.slice(0, -1))).toBe(true);
      else expect(ANNEX_A[key].zh).toBe(spoken);
    }
  });

  it('offers staff every sentence but the 一次告知 notice, which only a finished case can fill', () => {
    expect([...STAFF_PHRASES].sort()).toEqual(PHRASE_KEYS.filter((k) => k !== 'materials_incomplete').sort());
  });
});

describe('fillPhrase', () => {
  it('fills the XX slots with what it is given', () => {
    expect(fillPhrase('show_materials', 'zh', { materials: '居住证办理' })).toBe('请您出示居住证办理资料（证件）。');
    expect(fillPhrase('materials_incomplete', 'zh', { rule: '居住证办理', materials: joinMaterials(['户口簿复印件', ' 近期免冠照片 ', ''], 'zh') })).toBe(
      '对不起，根据居住证办理规定，这项业务需要提供户口簿复印件、近期免冠照片资料，请您准备齐全再来。',
    );
    expect(fillPhrase('materials_incomplete', 'en', { rule: 'residence permit', materials: 'a photo' })).toBe(
      'Sorry, under the residence permit rules this matter needs a photo. Please come back once you have them all.',
    );
  });

  it('returns a sentence without slots as written, whatever it is given', () => {
    expect(fillPhrase('phone_call', 'zh')).toBe('对不起，我接一下电话，请稍候。');
    expect(fillPhrase('you_are_welcome', 'zh', { materials: '照片' })).toBe('没关系，这是我们应该做的。');
  });

  it('refuses a missing or blank fill-in, naming the slot and the sentence', () => {
    expect(() => fillPhrase('show_materials', 'zh')).toThrow(/A\.1\.1\.3.*needs \{materials\}/);
    expect(() => fillPhrase('materials_incomplete', 'zh', { materials: '照片' })).toThrow(/needs \{rule\}/);
    expect(() => fillPhrase('materials_incomplete', 'zh', { rule: ' ', materials: '' })).toThrow(/needs \{rule\} and \{materials\}/);
    expect(() => fillPhrase('no_such' as PhraseKey, 'zh')).toThrow(/not a phrase of annex A/);
  });

  it('gives screens nothing rather than a sentence with a hole in it', () => {
    expect(phraseText('show_materials', 'zh', null)).toBeNull();
    expect(phraseText('no_such', 'zh')).toBeNull();
    expect(phraseText(null, 'zh')).toBeNull();
    expect(phraseText('greeting_help', 'en')).toBe('Hello, is there anything I can help you with?');
  });
});
