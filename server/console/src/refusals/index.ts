/**
 * The centre's refusals in the reader's language: each family of routes words its own reasons
 * (one file each here, typed from src/shared/console/refusals), and a reason the console does
 * not know (a newer centre) is left to the centre's own sentence.
 */
import type { RefusalFields } from '../../../../src/shared/console/refusals';
import type { Language } from '../i18n';
import { ACCOUNT_WORDS } from './accounts';
import { FOLLOW_UP_WORDS } from './follow-up';
import { GENERAL_WORDS } from './general';
import { IT_WORDS } from './it';
import { REGISTER_WORDS } from './registers';
import { say, type Words } from './words';

const WORDS: Record<string, Words | undefined> = { ...GENERAL_WORDS, ...ACCOUNT_WORDS, ...FOLLOW_UP_WORDS, ...REGISTER_WORDS, ...IT_WORDS };

/** The refusal in `language`, or null when its reason has no words here. */
export function refusalWords(said: { reason: string; fields: RefusalFields } | null, language: Language): string | null {
  const words = said ? WORDS[said.reason] : undefined;
  return words && said ? say(words, said.fields, language) : null;
}
