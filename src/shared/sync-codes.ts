/**
 * What a sync status says, as codes: the kiosk's sync errors and its progress words. The
 * core keeps its English sentence beside the code; screens word the code in their language.
 */
export const SYNC_ERROR_CODES = [
  'not_configured',
  'not_enrolled',
  'enrolment_refused',
  'token_refused',
  'centre_unreachable',
  'centre_refused',
  /** The centre refused a record as invalid; sync stops there until someone looks. */
  'record_refused',
  /** The configured centre address is not the one this window enrolled with. */
  'address_changed',
  'clock_wrong',
  /** The centre address is plain http:// on a network where that is not allowed. */
  'plaintext_refused',
  /** The centre's certificate failed the checks (CA, dates, host name, pinned key): nothing was sent. */
  'centre_untrusted',
  'stopped',
  'storage_failed',
] as const;
export type SyncErrorCode = (typeof SYNC_ERROR_CODES)[number];

/** What a run that did not fail says: sending, sent (with `sent`), sent but the config pull failed, a poor rating kept for later. */
export const SYNC_PROGRESS_CODES = ['sending', 'sent', 'sent_config_failed', 'poor_rating_waits'] as const;
export type SyncProgressCode = (typeof SYNC_PROGRESS_CODES)[number];
