/**
 * 意见簿 (11.2.2): the suggestion book. A citizen leaves a suggestion at the window's touch
 * screen, not tied to any case: one or more categories from this fixed list, a few lines of
 * text, and, if they want a reply, a phone number handled like a callback phone (kept beside
 * the chain and erased once the centre holds it, docs/data-protection.md).
 */
import { z } from 'zod';

export const SUGGESTION_CATEGORIES = ['service_attitude', 'efficiency', 'environment', 'process_materials', 'other'] as const;
export type SuggestionCategory = (typeof SUGGESTION_CATEGORIES)[number];

export const SUGGESTION_CATEGORY_LABELS: Record<SuggestionCategory, { zh: string; en: string }> = {
  service_attitude: { zh: '服务态度', en: 'Staff attitude' },
  efficiency: { zh: '办事效率', en: 'Speed of service' },
  environment: { zh: '环境设施', en: 'Premises and facilities' },
  process_materials: { zh: '流程材料', en: 'Procedures and documents' },
  other: { zh: '其他', en: 'Other' },
};

/** Where a suggestion was written: the window's touch screen, or the centre's mobile page. */
export const SUGGESTION_SOURCES = ['kiosk', 'mobile'] as const;
export type SuggestionSource = (typeof SUGGESTION_SOURCES)[number];

export const SUGGESTION_TEXT_MAX = 500;

/** Line breaks and tabs are text; other control characters are not (PostgreSQL refuses NUL at the centre). */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const NO_CONTROL = /^[^\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]*$/;

/** The citizen screen's command: `suggestionId` is made once by the screen, so a resend is recorded once. */
export const LeaveSuggestion = z
  .object({
    type: z.literal('leaveSuggestion'),
    suggestionId: z.string().uuid(),
    categories: z.array(z.enum(SUGGESTION_CATEGORIES)).min(1, 'choose at least one category').max(SUGGESTION_CATEGORIES.length),
    text: z.string().trim().max(SUGGESTION_TEXT_MAX, `a suggestion is at most ${SUGGESTION_TEXT_MAX} characters`).regex(NO_CONTROL, 'contains control characters'),
    replyPhone: z.string().trim().max(20).optional(),
    replyConsent: z.boolean().default(false),
  })
  .strict()
  .refine((s) => !s.replyPhone || s.replyConsent, { message: 'a reply number needs the citizen’s consent', path: ['replyConsent'] })
  .refine((s) => s.categories.length === new Set(s.categories).size, { message: 'each category once', path: ['categories'] });
export type LeaveSuggestion = z.infer<typeof LeaveSuggestion>;
