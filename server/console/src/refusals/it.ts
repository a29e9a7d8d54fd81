/** The console's words for the refusals of src/shared/console/refusals/it.ts, in Chinese and English. */
import type { ItRefusal } from '../../../../src/shared/console/refusals/it';
import type { Words } from './words';

export const IT_WORDS: Record<ItRefusal, Words> = {};
