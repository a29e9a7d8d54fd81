/**
 * The standard service phrases (DB34/T 3395-2019, annex A): one table with every sentence
 * of A.1.1, the moment it belongs to, the fill-ins the standard marks XX, and the keypad's
 * built-in voice prompt where the keypad has one (CRK/1 §4). Every phrase is shown on the
 * citizen screen; those with a prompt are also spoken by the keypad.
 */

/**
 * The keypad's built-in voice prompts, exactly as the device protocol numbers and words them
 * (CRK/1 §4). Prompt 6 speaks the opening of A.1.1.10; the screen shows the whole sentence.
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

/** A phrase the keypad can speak itself. */
export type PromptKey = keyof typeof PHRASES;
export const PROMPT_KEYS = Object.keys(PHRASES) as PromptKey[];

/** The XX slots of annex A, by name. */
export const FILL_NAMES = ['materials', 'rule'] as const;
export type FillName = (typeof FILL_NAMES)[number];
export type PhraseFills = Partial<Record<FillName, string>>;

export interface AnnexPhrase {
  /** The clause of annex A (A.1.1.n) this sentence belongs to. */
  moment: string;
  /** The sentence, with `{name}` where the standard has XX. */
  zh: string;
  en: string;
  /** The fill-ins the sentence needs, in the order they appear. */
  fills: readonly FillName[];
  /** The keypad's voice prompt for it, when the keypad has one. */
  prompt: PromptKey | null;
}

function phrase(moment: string, zh: string, en: string, prompt: PromptKey | null = null): AnnexPhrase {
  const fills = [...zh.matchAll(/\{(\w+)\}/g)].map((m) => m[1] as FillName);
  return { moment, zh, en, fills, prompt };
}

/** Every sentence of annex A.1.1, in the standard's order. */
export const ANNEX_A = {
  greeting: phrase('A.1.1.1', PHRASES.greeting.zh, PHRASES.greeting.en, 'greeting'),
  greeting_help: phrase('A.1.1.1', '您好，请问有什么事需要帮忙？', 'Hello, is there anything I can help you with?'),
  right_away: phrase('A.1.1.2', '请稍候，我马上办理。', 'One moment please, I will do it right away.'),
  show_materials: phrase('A.1.1.3', '请您出示{materials}资料（证件）。', 'Please show the {materials} documents (certificates).'),
  materials_incomplete: phrase(
    'A.1.1.4',
    '对不起，根据{rule}规定，这项业务需要提供{materials}资料，请您准备齐全再来。',
    'Sorry, under the {rule} rules this matter needs {materials}. Please come back once you have them all.',
  ),
  please_rate: phrase('A.1.1.5', PHRASES.please_rate.zh, PHRASES.please_rate.en, 'please_rate'),
  will_check: phrase(
    'A.1.1.6',
    '对不起，请稍等，我请示（或了解情况）后再答复您。',
    'Sorry, one moment please. I will ask (or find out) and then answer you.',
  ),
  please_wait: phrase('A.1.1.7', PHRASES.please_wait.zh, PHRASES.please_wait.en, 'please_wait'),
  against_rules: phrase(
    'A.1.1.8',
    '抱歉，你要办理的业务不符合国家相关政策规定，我们不能办理，请谅解。',
    'Sorry, what you ask for does not meet the national rules, so we cannot do it. Thank you for understanding.',
  ),
  phone_call: phrase('A.1.1.9', '对不起，我接一下电话，请稍候。', 'Sorry, I need to take a phone call. One moment please.'),
  sorry_for_wait: phrase('A.1.1.9', PHRASES.sorry_for_wait.zh, PHRASES.sorry_for_wait.en, 'sorry_for_wait'),
  thanks_for_feedback: phrase(
    'A.1.1.10',
    '非常感谢您对我们工作提出宝贵意见，请您留下姓名和电话号码，我们会尽快处理并回复您。',
    'Thank you very much for your valuable feedback. Please leave your name and phone number; we will deal with it and reply soon.',
    'thanks_for_feedback',
  ),
  you_are_welcome: phrase('A.1.1.11', '没关系，这是我们应该做的。', "You're welcome, it is what we are here for."),
  thanks: phrase('A.1.1.12', PHRASES.thanks.zh, PHRASES.thanks.en, 'thanks'),
} as const satisfies Record<string, AnnexPhrase>;

export type PhraseKey = keyof typeof ANNEX_A;
export const PHRASE_KEYS = Object.keys(ANNEX_A) as PhraseKey[];

/** Phrases the core says by itself at its moments; staff may say them again too, except the 一次告知 notice. */
export const CORE_PHRASES = ['greeting', 'please_rate', 'thanks', 'materials_incomplete'] as const satisfies readonly PhraseKey[];

/**
 * Phrases staff reach with one touch. The 一次告知 notice is not among them: its missing
 * materials are only known once the case is finished that way, and it then shows by itself.
 */
export const STAFF_PHRASES = [
  'greeting',
  'greeting_help',
  'right_away',
  'show_materials',
  'please_rate',
  'will_check',
  'please_wait',
  'against_rules',
  'phone_call',
  'sorry_for_wait',
  'thanks_for_feedback',
  'you_are_welcome',
  'thanks',
] as const satisfies readonly PhraseKey[];
export type StaffPhraseKey = (typeof STAFF_PHRASES)[number];

/** The sentence with its XX slots filled. Refuses a missing or blank fill-in, naming it. */
export function fillPhrase(key: PhraseKey, lang: 'zh' | 'en', fills: PhraseFills = {}): string {
  const entry: AnnexPhrase | undefined = ANNEX_A[key];
  if (!entry) throw new Error(`"${String(key)}" is not a phrase of annex A`);
  const missing = entry.fills.filter((name) => !fills[name]?.trim());
  if (missing.length > 0) {
    throw new Error(`The phrase ${entry.moment} "${entry.zh}" needs ${missing.map((m) => `{${m}}`).join(' and ')}; it cannot be shown without it.`);
  }
  return entry[lang].replace(/\{(\w+)\}/g, (_, name: FillName) => (fills[name] ?? '').trim());
}

/** How a list of materials reads inside a sentence: 、 between items in Chinese, commas in English. */
export function joinMaterials(items: readonly string[], lang: 'zh' | 'en'): string {
  const clean = items.map((i) => i.trim()).filter((i) => i.length > 0);
  return clean.join(lang === 'zh' ? '、' : ', ');
}

/** For screens: the filled sentence of a phrase key, or null when the key is unknown or a fill-in is missing. */
export function phraseText(key: string | null | undefined, lang: 'zh' | 'en', fills?: PhraseFills | null): string | null {
  if (!key || !(key in ANNEX_A)) return null;
  try {
    return fillPhrase(key as PhraseKey, lang, fills ?? {});
  } catch {
    return null;
  }
}
