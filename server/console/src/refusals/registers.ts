/** The console's words for the refusals of src/shared/console/refusals/registers.ts, in Chinese and English. */
import type { RegisterRefusal } from '../../../../src/shared/console/refusals/registers';
import type { Words } from './words';

export const REGISTER_WORDS: Record<RegisterRefusal, Words> = {};
