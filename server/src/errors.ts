/**
 * Errors are values with a code and a sentence a person can act on. A Refusal is what an
 * HTTP caller gets back: a status, a code, a message, and sometimes facts to act on (the
 * high-water mark after a gap).
 */
import type { ConsoleRefusal, RefusalFields, RefusalReason } from '../../src/shared/console/refusals';

export type RefusalCode =
  | 'unauthorized'
  | 'forbidden'
  | 'not-found'
  | 'invalid-request'
  | 'body-not-json'
  | 'body-not-gzip'
  | 'unsupported-encoding'
  | 'unsupported-media-type'
  | 'batch-too-large'
  | 'body-too-large'
  | 'invalid-batch'
  | 'invalid-record'
  | 'timestamp-in-future'
  | 'terminal-mismatch'
  | 'gap'
  | 'seq-regression'
  | 'epoch-not-allowed'
  | 'terminal-enrolled'
  | 'terminal-revoked'
  | 'rate-limited'
  | 'enrolment-code-invalid'
  | 'bundle-invalid'
  | 'bundle-signature-invalid'
  | 'csrf-token-invalid'
  | 'sign-in-failed'
  | 'locked-out'
  | 'already-set-up'
  | 'setup-token-invalid'
  | 'username-taken'
  | 'last-admin'
  | 'photo-not-image'
  | 'photo-too-large'
  | 'badge-taken'
  | 'already-acknowledged'
  | 'code-already-used'
  | 'wrong-state'
  | 'invalid-assignee'
  | 'no-phone'
  | 'already-followed-up'
  | 'already-rated'
  | 'nothing-to-follow-up'
  | 'calendar-file-invalid'
  | 'wall-token-invalid'
  | 'wall-token-revoked';

export class Refusal extends Error {
  override readonly name = 'Refusal';
  constructor(
    readonly status: number,
    readonly code: RefusalCode,
    message: string,
    readonly extra: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }

  /** The reason and figures the console words in its reader's language (src/shared/console/refusals). */
  private said: RefusalReason | null = null;

  /** `throw new Refusal(409, 'wrong-state', '…').because('follow_up.wrong_state', { state })`. */
  because(reason: ConsoleRefusal, fields?: RefusalFields): this {
    this.said = fields === undefined ? { reason } : { reason, fields };
    return this;
  }

  get reason(): RefusalReason | null {
    return this.said;
  }

  body(): Record<string, unknown> {
    return { error: { code: this.code, message: this.message, ...this.said }, ...this.extra };
  }
}

/** 413: for an upload the batch is too large (the kiosk halves it); elsewhere the body is. */
export function tooLarge(url: string | undefined, message: string): Refusal {
  return url === '/v1/batches' ? new Refusal(413, 'batch-too-large', `${message}; send smaller batches`) : new Refusal(413, 'body-too-large', message).because('general.body_too_large');
}

/** Start-up and configuration problems, outside any request. */
export class CentreError extends Error {
  override readonly name = 'CentreError';
  constructor(
    readonly code: 'startup' | 'config',
    message: string,
  ) {
    super(message);
  }
}
