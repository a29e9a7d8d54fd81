/** Refusals of the appointment register, the suggestion book and personal data: `family.reason` names, worded by the console. */
export const REGISTER_REFUSALS = [
  // 预约登记. Figures: id (as asked), own / department (department codes), date / today / time (YYYY-MM-DD, HH:MM),
  // item (item code), window (window number), mark / marked (a mark code: cancelled, no_show), by (the staff name who marked it).
  'appointments.phone_invalid',
  'appointments.other_department',
  'appointments.not_found',
  'appointments.date_past',
  'appointments.item_unknown',
  'appointments.window_unknown',
  'appointments.already_served',
  'appointments.already_marked',
  'appointments.too_early_for_no_show',
  // 意见簿. Figure: id (as asked).
  'suggestions.not_found',
  'suggestions.closed',
  'suggestions.closed_meanwhile',
  'suggestions.not_answered',
  'suggestions.already_closed',
  // Personal data: a stored phone the data key does not open; a number given for erasure that is no phone.
  'privacy.data_key_mismatch',
  'privacy.phone_invalid',
] as const;
export type RegisterRefusal = (typeof REGISTER_REFUSALS)[number];
