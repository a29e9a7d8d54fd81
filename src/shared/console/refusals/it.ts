/** Refusals of the lists, terminals, enrolment, the hall's rules and wall tokens, figures and periods: `family.reason` names, worded by the console. */
export const IT_REFUSALS = [
  // The lists handed to the windows (名单).
  'it.staff_unknown',
  'it.staff_photo_missing',
  'it.badge_taken',
  'it.photo_unreadable',
  'it.photo_not_image',
  'it.photo_too_large',
  'it.reason_unknown',
  'it.referral_target_unknown',
  // Terminals, their integrity alerts and enrolment codes (窗口与终端).
  'it.terminal_unknown',
  'it.terminal_revoked',
  'it.alert_unknown',
  'it.alert_acknowledged',
  'it.code_unknown',
  'it.code_used',
  // The hall's window hours and wall tokens.
  'hall.window_unknown',
  'hall.hours_half',
  'hall.hours_backwards',
  'hall.wall_token_unknown',
  'hall.wall_token_revoked',
  // Figures: a ranking row's ratings and the dates of a period.
  'figures.cursor_invalid',
  'figures.other_department',
  'figures.not_a_date',
  'figures.range_backwards',
] as const;
export type ItRefusal = (typeof IT_REFUSALS)[number];
