/**
 * 意见簿 (11.2.2) in the console: suggestions from the windows' touch screens and the centre's
 * mobile page, in one list, worked through new -> answered -> closed with the answer kept. The
 * reply phone is only ever shown masked.
 */
import { z } from 'zod';
import { SUGGESTION_SOURCES, type SuggestionCategory, type SuggestionSource } from '../suggestions';

export const SUGGESTION_STATUSES = ['new', 'answered', 'closed'] as const;
export type SuggestionStatus = (typeof SUGGESTION_STATUSES)[number];
export const SUGGESTION_ANSWER_MAX = 1000;

export const SUGGESTION_ROUTES = {
  suggestions: '/suggestions', // GET SuggestionQuery: SuggestionList
  suggestionAnswer: '/suggestions/:id/answer', // POST SuggestionAnswerBody: SuggestionRow
  suggestionClose: '/suggestions/:id/close', // POST: SuggestionRow
} as const;

export const SuggestionQuery = z
  .object({
    status: z.enum(SUGGESTION_STATUSES, { error: 'status is new, answered or closed' }).optional(),
    source: z.enum(SUGGESTION_SOURCES, { error: 'source is kiosk or mobile' }).optional(),
  })
  .strict();
export type SuggestionQuery = z.infer<typeof SuggestionQuery>;

// eslint-disable-next-line no-control-regex -- matching control characters is the point
const NO_CONTROL = /^[^\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]*$/;
export const SuggestionAnswerBody = z
  .object({
    answer: z
      .string({ error: 'the answer is required' })
      .trim()
      .min(1, { error: 'write the answer given to the citizen' })
      .max(SUGGESTION_ANSWER_MAX, { error: `the answer is at most ${SUGGESTION_ANSWER_MAX} characters` })
      .regex(NO_CONTROL, { error: 'the answer holds control characters; type it again' }),
  })
  .strict();
export type SuggestionAnswerBody = z.infer<typeof SuggestionAnswerBody>;

export interface SuggestionRow {
  id: number;
  source: SuggestionSource;
  windowNo: string | null;
  categories: SuggestionCategory[];
  text: string;
  /** Masked (138****5678), or null when none was left or it was erased. */
  phone: string | null;
  leftAt: number;
  status: SuggestionStatus;
  answer: string | null;
  answeredBy: string | null;
  answeredAt: number | null;
  closedBy: string | null;
  closedAt: number | null;
}

export interface SuggestionList {
  rows: SuggestionRow[];
}
