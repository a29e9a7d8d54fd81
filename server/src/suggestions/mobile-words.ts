/**
 * Every sentence of the citizen's 意见建议 page on a phone, in Chinese and English. The server
 * renders the page in one language; the page's script holds both, so the 中文 / English switch
 * changes the words in place and keeps what the citizen has typed. A refusal reaches the page
 * as a code (and a reason, or the seconds to wait), and the page says it with these words.
 */
import { SUGGESTION_CATEGORIES, SUGGESTION_CATEGORY_LABELS, SUGGESTION_TEXT_MAX, type SuggestionCategory } from '../../../src/shared/suggestions';

export const MOBILE_LANGS = ['zh', 'en'] as const;
export type MobileLang = (typeof MOBILE_LANGS)[number];

/** Why the page cannot take a suggestion, beside the refusal's code: the page words these. */
export const MOBILE_REASONS = [
  'link-expired',
  'link-invalid',
  'key-invalid',
  'category-missing',
  'category-invalid',
  'category-repeated',
  'text-too-long',
  'text-unreadable',
  'phone-not-plausible',
  'consent-missing',
] as const;
export type MobileReason = (typeof MOBILE_REASONS)[number];

/** What the page itself says, beyond the reasons: the refusals without one, and the page's own troubles. */
type Problem = 'page-stale' | 'rate-limited' | 'rate-limited-one' | 'rate-limited-later' | 'too-large' | 'malformed' | 'storage-failed' | 'failed' | 'network';

type Label = 'title' | 'heading' | 'lead' | 'categories' | 'text' | 'phone' | 'consent' | 'submit' | 'sending' | 'sent' | 'sent-call' | 'languages';

export type WordKey = Label | Problem | Exclude<MobileReason, 'key-invalid' | 'category-invalid' | 'category-repeated'> | `cat.${SuggestionCategory}`;

const categoryWords = (lang: MobileLang) => Object.fromEntries(SUGGESTION_CATEGORIES.map((c) => [`cat.${c}`, SUGGESTION_CATEGORY_LABELS[c][lang]])) as Record<`cat.${SuggestionCategory}`, string>;

/** `{window}`, `{max}` and `{seconds}` are filled in where the words are used. */
export const MOBILE_WORDS: Record<MobileLang, Record<WordKey, string>> = {
  zh: {
    title: '意见建议',
    heading: '意见建议',
    lead: '{window} 号窗口 · 请选择意见类别，可写下具体内容。',
    categories: '意见类别',
    text: '意见内容（选填，最多 {max} 字）',
    phone: '答复电话（选填）',
    consent: '我同意工作人员拨打此电话答复我的意见',
    submit: '提交意见',
    sending: '正在提交…',
    sent: '感谢您的宝贵意见，我们会认真研究。',
    'sent-call': '感谢您的宝贵意见，我们会认真研究，并尽快电话答复您。',
    languages: '语言',
    ...categoryWords('zh'),
    'category-missing': '请至少选择一个意见类别。',
    'consent-missing': '留下电话需勾选同意答复。',
    'phone-not-plausible': '请输入11位手机号码或带区号的固定电话。',
    'text-too-long': '意见内容最多 {max} 字，请删减后再提交。',
    'text-unreadable': '意见内容含有无法识别的字符，请重新输入。',
    'page-stale': '页面已过时，请刷新页面后重试。',
    'rate-limited': '提交太频繁，请 {seconds} 秒后再试。',
    'rate-limited-one': '提交太频繁，请 1 秒后再试。',
    'rate-limited-later': '提交太频繁，请稍后再试。',
    'too-large': '提交的内容太多，请删减后再试。',
    malformed: '提交的内容无法识别，请刷新页面后重试。',
    'link-expired': '二维码已过期，请重新扫描窗口屏幕上的二维码。',
    'link-invalid': '二维码无效，请重新扫描窗口屏幕上的二维码。',
    'storage-failed': '服务中心暂时无法保存您的意见，请稍后再试。',
    failed: '提交失败，请稍后再试。',
    network: '网络不通，请检查网络后再试。',
  },
  en: {
    title: 'Suggestions',
    heading: 'Leave a suggestion',
    lead: 'Window {window} · Choose what your suggestion is about; you may add a few words.',
    categories: 'What is it about?',
    text: 'Your suggestion (optional, at most {max} characters)',
    phone: 'Phone number for a reply (optional)',
    consent: 'I agree that staff may call this number to answer my suggestion',
    submit: 'Send suggestion',
    sending: 'Sending…',
    sent: 'Thank you for your suggestion. We will look into it carefully.',
    'sent-call': 'Thank you for your suggestion. We will look into it carefully and call you back soon.',
    languages: 'Language',
    ...categoryWords('en'),
    'category-missing': 'Please choose at least one category.',
    'consent-missing': 'To leave a phone number, tick the box agreeing to be called back.',
    'phone-not-plausible': 'Please enter an 11-digit mobile number, or a landline number with its area code.',
    'text-too-long': 'A suggestion can be at most {max} characters; please shorten it and send it again.',
    'text-unreadable': 'Your text contains characters that cannot be read; please type it again.',
    'page-stale': 'This page is out of date. Please reload it and try again.',
    'rate-limited': 'Too many suggestions have been sent from here just now. Please try again in {seconds} seconds.',
    'rate-limited-one': 'Too many suggestions have been sent from here just now. Please try again in 1 second.',
    'rate-limited-later': 'Too many suggestions have been sent from here just now. Please try again in a little while.',
    'too-large': 'What you sent is too long. Please shorten it and try again.',
    malformed: 'The centre could not read what was sent. Please reload the page and try again.',
    'link-expired': 'This code has expired. Please scan the code on the window’s screen again.',
    'link-invalid': 'This code is not valid. Please scan the code on the window’s screen again.',
    'storage-failed': 'The centre could not save your suggestion just now. Please try again later.',
    failed: 'Your suggestion could not be sent. Please try again later.',
    network: 'The centre cannot be reached. Please check your connection and try again.',
  },
};

/** The reasons that all mean "this page is out of date": the page says one sentence for them. */
export const STALE_REASONS: readonly MobileReason[] = ['key-invalid', 'category-invalid', 'category-repeated'];

export const fill = (words: string, vars: Record<string, string | number>) => words.replace(/\{(\w+)\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole));

/** The words of one key in one language, `{max}` already the suggestion's limit. */
export const wordsOf = (lang: MobileLang, key: WordKey, vars: Record<string, string | number> = {}) => fill(MOBILE_WORDS[lang][key], { max: SUGGESTION_TEXT_MAX, ...vars });

/**
 * The page's language: `?lang=en|zh` when the address says; otherwise whichever of Chinese and
 * English the browser ranks higher in Accept-Language; Chinese when it names neither.
 */
export function mobileLanguage(queryLang: unknown, acceptLanguage: string | undefined): MobileLang {
  const asked = Array.isArray(queryLang) ? queryLang[0] : queryLang;
  if (asked === 'zh' || asked === 'en') return asked;
  let best: { lang: MobileLang; q: number } | null = null;
  for (const part of (acceptLanguage ?? '').split(',')) {
    const [tag = '', ...params] = part.trim().toLowerCase().split(';');
    const primary = tag.trim().split('-')[0];
    if (primary !== 'zh' && primary !== 'en') continue;
    const qParam = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const q = qParam ? Number(qParam.slice(2)) : 1;
    if (!Number.isFinite(q) || q <= 0) continue;
    // Equal weights: the first named wins, as the browser listed it first.
    if (!best || q > best.q) best = { lang: primary, q };
  }
  return best?.lang ?? 'zh';
}
