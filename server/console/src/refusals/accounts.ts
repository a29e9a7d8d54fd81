/** The console's words for the refusals of src/shared/console/refusals/accounts.ts, in Chinese and English. */
import type { AccountRefusal } from '../../../../src/shared/console/refusals/accounts';
import type { Words } from './words';

export const ACCOUNT_WORDS: Record<AccountRefusal, Words> = {};
