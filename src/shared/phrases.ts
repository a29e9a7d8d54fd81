/**
 * The standard service phrases (DB34/T 3395-2019, annex A). The ids are the keypad's
 * built-in voice prompt ids (CRK/1 §4), so a phrase shown on screen and the prompt the
 * keypad plays are always the same sentence.
 */
export const PHRASES = {
  greeting: { id: 1, zh: '您好，请问办理什么业务？', en: 'Hello, how can I help you?' },
  please_wait: { id: 2, zh: '请稍候，我马上为您办理。', en: 'One moment please, I will handle it right away.' },
  please_rate: {
    id: 3,
    zh: '您的业务已办好，请对我们的服务进行评价。',
    en: 'Your matter is done. Please rate our service.',
  },
  thanks: { id: 4, zh: '感谢您对我们工作的支持，欢迎您再来。', en: 'Thank you for your support. Welcome back.' },
  sorry_for_wait: { id: 5, zh: '对不起，让您久等了。', en: 'Sorry to have kept you waiting.' },
  thanks_for_feedback: {
    id: 6,
    zh: '非常感谢您对我们工作提出宝贵意见。',
    en: 'Thank you very much for your valuable feedback.',
  },
} as const;

export type PhraseKey = keyof typeof PHRASES;
export const PHRASE_KEYS = Object.keys(PHRASES) as PhraseKey[];

/** Phrases staff may play on demand; the others belong to moments the core drives. */
export const STAFF_PHRASES = ['greeting', 'please_wait', 'sorry_for_wait'] as const satisfies readonly PhraseKey[];
