/**
 * Why the centre refused a console request, as a reason with its figures, beside the English
 * sentence it keeps for the log and for scripts. The console words the reason in the reader's
 * language (server/console/src/refusals/); a refusal without a reason it knows shows the
 * centre's sentence after a lead in the reader's language. Each family of routes lists its own
 * reasons in a file of this folder.
 */
import { ACCOUNT_REFUSALS } from './accounts';
import { FOLLOW_UP_REFUSALS } from './follow-up';
import { GENERAL_REFUSALS } from './general';
import { IT_REFUSALS } from './it';
import { REGISTER_REFUSALS } from './registers';

export type RefusalFields = Record<string, string | number>;

export const CONSOLE_REFUSALS = [...GENERAL_REFUSALS, ...ACCOUNT_REFUSALS, ...FOLLOW_UP_REFUSALS, ...REGISTER_REFUSALS, ...IT_REFUSALS] as const;
export type ConsoleRefusal = (typeof CONSOLE_REFUSALS)[number];

/** What a refusal body's `error` carries besides its code and sentence. */
export interface RefusalReason {
  reason: ConsoleRefusal;
  fields?: RefusalFields;
}
