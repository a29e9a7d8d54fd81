/** The 意见簿 page's calls to the centre, each built with the contract's schema. */
import type { z } from 'zod';
import { SUGGESTION_ROUTES, SuggestionAnswerBody, SuggestionQuery, type SuggestionList, type SuggestionRow } from '../../../../../src/shared/console/suggestions-contract';
import { build, call } from '../../api';

export const suggestionsApi = {
  list: async (query: z.input<typeof SuggestionQuery>) => call<SuggestionList>('GET', SUGGESTION_ROUTES.suggestions, { query: build(SuggestionQuery, query) }),
  answer: async (id: number, answer: string) =>
    call<SuggestionRow>('POST', SUGGESTION_ROUTES.suggestionAnswer.replace(':id', String(id)), { body: build(SuggestionAnswerBody, { answer }) }),
  close: async (id: number) => call<SuggestionRow>('POST', SUGGESTION_ROUTES.suggestionClose.replace(':id', String(id))),
};
