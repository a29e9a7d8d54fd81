/**
 * Why the kiosk refused a command or a call, as a code with its figures. The core keeps an
 * English sentence beside it for the log and the CLI; the screens word the reason in their
 * own language (src/renderer/common/refusal-words.ts). A refusal without a reason is one no
 * person at the window should ever see (a malformed request from a broken client), and the
 * screens show the core's sentence for it.
 */
import { z } from 'zod';
import type { KioskError } from './contract';

export const REFUSAL_REASONS = [
  // Signing in
  'badge_unknown',
  'staff_no_unknown',
  'pin_not_set',
  'pin_wrong',
  'pin_locked',
  'already_signed_in',
  'nobody_signed_in',
  'sign_out_case_open',
  'sign_out_while_rating',
  // The window's work
  'cannot_pause',
  'not_paused',
  'cannot_open_case',
  'no_open_case',
  'item_unknown',
  'referral_unknown',
  'cannot_play_phrase',
  'phrase_needs_case',
  // The citizen's rating and suggestion
  'rating_not_latest',
  'details_closed',
  'reason_unknown',
  'callback_phone_invalid',
  'reply_phone_invalid',
  'citizen_cannot_run_window',
  'staff_cannot_rate',
  // Storage
  'storage_failed',
  // The admin page
  'admin_pin_unset',
  'admin_pin_wrong',
  'admin_current_pin_wrong',
  'setup_code_wrong',
  'admin_locked',
  'admin_session_ended',
  'settings_invalid',
  'serial_port_missing',
  'ca_invalid',
  'ca_none_valid',
  'enrol_needs_address',
  // The centre
  'sync_off',
  'no_phone_link',
  'sync_refused',
  // The connection between a screen and the core
  'input_invalid',
  'screen_not_allowed',
  'call_failed',
  'connection_lost',
] as const;
export const RefusalReason = z.enum(REFUSAL_REASONS);
export type RefusalReason = z.infer<typeof RefusalReason>;

/** The figures a reason's sentence names: strings and numbers only, never a secret. */
export const RefusalFields = z.record(z.string(), z.union([z.string(), z.number()]));
export type RefusalFields = z.infer<typeof RefusalFields>;

/**
 * What went wrong with the disk, for `storage_failed`: the usual causes at a window PC are a
 * full disk and a read-only folder.
 */
export const STORAGE_CAUSES = ['disk_full', 'read_only', 'busy', 'io_error', 'damaged', 'journal_full', 'closed', 'other'] as const;
export type StorageCause = (typeof STORAGE_CAUSES)[number];

/** A refusal with its reason: `refusal('wrong_pin', 'pin_locked', 'too many wrong PINs …', { minutes: 5 })`. */
export function refusal(code: KioskError['code'], reason: RefusalReason, message: string, fields?: RefusalFields): KioskError {
  return fields === undefined ? { code, message, reason } : { code, message, reason, fields };
}
