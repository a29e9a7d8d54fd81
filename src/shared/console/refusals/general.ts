/** Refusals any console route can give: input its contract refuses, a body that is no JSON, one too large. */
export const GENERAL_REFUSALS = ['general.input_invalid', 'general.body_not_json', 'general.body_too_large'] as const;
export type GeneralRefusal = (typeof GENERAL_REFUSALS)[number];
