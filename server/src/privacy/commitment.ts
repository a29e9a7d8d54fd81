import { createHmac } from 'node:crypto';

/** The sync wire's phone commitment (PHONE_COMMITMENT in src/shared/sync-wire.ts), as the kiosk computes it. */
export function phoneCommitment(phone: string, salt: string): string {
  return createHmac('sha256', Buffer.from(salt, 'hex')).update(phone, 'utf8').digest('hex');
}
