/** Domain vocabulary shared by the core, the shells and the centre. */

export const CASE_OUTCOMES = ['completed', 'notified_missing', 'rejected', 'consultation', 'transferred', 'complaint'] as const;
export type CaseOutcome = (typeof CASE_OUTCOMES)[number];

export const OUTCOME_LABELS: Record<CaseOutcome, { zh: string; en: string }> = {
  completed: { zh: '办结', en: 'Completed' },
  notified_missing: { zh: '一次告知', en: 'Missing materials notified' },
  rejected: { zh: '不予受理', en: 'Not accepted' },
  consultation: { zh: '咨询', en: 'Consultation' },
  transferred: { zh: '转办', en: 'Transferred' },
  complaint: { zh: '投诉', en: 'Complaint received' },
};

/**
 * 首问负责 (10.1): a consultation or a transfer records where the citizen was sent, from
 * the list the centre distributes. A transfer must name it; a consultation answered at the
 * window need not.
 */
export const REFERRING_OUTCOMES: readonly CaseOutcome[] = ['consultation', 'transferred'];
export const REFERRAL_KINDS = ['department', 'window', 'outside'] as const;
export type ReferralKind = (typeof REFERRAL_KINDS)[number];
export const REFERRAL_KIND_LABELS: Record<ReferralKind, { zh: string; en: string }> = {
  department: { zh: '部门', en: 'Department' },
  window: { zh: '窗口', en: 'Window' },
  outside: { zh: '外部单位', en: 'Outside body' },
};
/** One place a citizen may be sent, as the centre lists it. */
export interface ReferralTarget {
  code: string;
  name: string;
  kind: ReferralKind;
}

/**
 * Why a press was not counted. Every press is either the case's rating or one of these;
 * misuse presses are kept for ever and never counted.
 */
export const MISUSE_CAUSES = [
  'window_closed', // no staff member signed in
  'window_paused',
  'no_case_waiting', // idle or serving: no rating was invited
  'second_press', // the case was already rated
  'repeat_event', // the device delivered an event id it had delivered before
  'unmapped_key', // the key has no level in the key map
] as const;
export type MisuseCause = (typeof MISUSE_CAUSES)[number];

export const WINDOW_PHASES = ['closed', 'idle', 'paused', 'serving', 'awaiting_rating', 'thanks'] as const;
export type WindowPhase = (typeof WINDOW_PHASES)[number];

export const CASE_STATUSES = ['open', 'awaiting_rating', 'rated', 'unrated'] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

/** Keypad modes (CRK/1 §4 MODE): what the keypad's LEDs and display show. */
export const KEYPAD_MODES = { closed: 0, idle: 1, serving: 2, rating: 3, thanks: 4 } as const;
export type KeypadMode = keyof typeof KEYPAD_MODES;

export const LINK_STATES = ['disabled', 'connecting', 'online', 'offline', 'unresponsive'] as const;
export type LinkState = (typeof LINK_STATES)[number];
