/** The console's words for the refusals of src/shared/console/refusals/follow-up.ts, in Chinese and English. */
import type { FollowUpRefusal } from '../../../../src/shared/console/refusals/follow-up';
import type { Words } from './words';

export const FOLLOW_UP_WORDS: Record<FollowUpRefusal, Words> = {};
