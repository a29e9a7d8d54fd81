/** What went wrong with a sync, as a value: a code for the program, a sentence for people. */
export type SyncErrorCode =
  | 'not_configured'
  | 'not_enrolled'
  | 'enrolment_refused'
  | 'token_refused'
  | 'centre_unreachable'
  | 'centre_refused'
  /** The centre refused a record as invalid; sync stops there until someone looks. */
  | 'record_refused'
  /** The configured centre address is not the one this window enrolled with. */
  | 'address_changed'
  | 'clock_wrong'
  /** The centre address is plain http:// on a network where that is not allowed. */
  | 'plaintext_refused'
  /** The centre's certificate failed the checks (CA, dates, host name, pinned key): nothing was sent. */
  | 'centre_untrusted'
  | 'stopped'
  | 'storage_failed';

export interface SyncError {
  code: SyncErrorCode;
  message: string;
}

export function syncError(code: SyncErrorCode, message: string): SyncError {
  return { code, message };
}
