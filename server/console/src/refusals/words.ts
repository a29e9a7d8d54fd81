/** How a refusal reason is worded: a sentence per language with `{field}` holes, or a function of the figures. */
import type { RefusalFields } from '../../../../src/shared/console/refusals';
import type { Language } from '../i18n';

export type Words = { zh: string; en: string } | ((fields: RefusalFields, language: Language) => string);

/** "工号 {staffNo} 未登记" + { staffNo: 7 } -> "工号 7 未登记". A hole the figures do not fill stays visible, so a test sees it. */
export function fill(template: string, fields: RefusalFields): string {
  return template.replace(/\{(\w+)\}/g, (hole, name: string) => (name in fields ? String(fields[name]) : hole));
}

export function say(words: Words, fields: RefusalFields, language: Language): string {
  return typeof words === 'function' ? words(fields, language) : fill(words[language], fields);
}
