/** What went wrong with a sync, as a value: a code for the program, a sentence for people. */
import type { SyncErrorCode } from '../../shared/sync-codes';

export type { SyncErrorCode };

export interface SyncError {
  code: SyncErrorCode;
  message: string;
}

export function syncError(code: SyncErrorCode, message: string): SyncError {
  return { code, message };
}
