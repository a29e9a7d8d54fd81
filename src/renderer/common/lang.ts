/** The two screen languages; Chinese is the default everywhere. */
export type Lang = 'zh' | 'en';

export type Bilingual = { zh: string; en: string };

/** The language a page starts in: `?lang=en` in the address (set by the shell), else Chinese. */
export function initialLang(search: string = window.location.search): Lang {
  return new URLSearchParams(search).get('lang') === 'en' ? 'en' : 'zh';
}

export function htmlLang(lang: Lang): string {
  return lang === 'zh' ? 'zh-CN' : 'en';
}

/** "剩余 {n} 秒" + {n: 5} -> "剩余 5 秒". */
export function fill(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (_, name: string) => String(values[name] ?? ''));
}
