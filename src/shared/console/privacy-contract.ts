/**
 * The privacy side of the console contract: an admin erases one citizen's callback phone
 * everywhere the centre holds it, and reads the record of erasures (docs/data-protection.md).
 * Paths are under CONSOLE_API.
 */
import { z } from 'zod';
import { isPlausiblePhone } from '../privacy';

export const PRIVACY_ROUTES = {
  phoneErasures: '/privacy/phone-erasures', // GET: { erasures: PhoneErasureRow[] }; POST ErasePhoneBody: PhoneErasureRow
} as const;

export const ErasePhoneBody = z.object({
  phone: z
    .string({ error: 'phone must be the number the citizen gave' })
    .transform((p) => p.replace(/[\s-]/g, ''))
    .refine(isPlausiblePhone, { error: 'this is not a mainland mobile or landline number (11 digits starting with 1, or an area code and number)' }),
});
export type ErasePhoneBody = z.input<typeof ErasePhoneBody>;

export interface PhoneErasureRow {
  id: number;
  at: number;
  reason: 'retention' | 'citizen_request';
  /** A console user name, or 'centre' for the retention sweep. */
  by: string;
  /** 138****5678: the number itself is never kept. */
  phoneMasked: string | null;
  followUps: number;
  cases: number;
  records: number;
  /** Appointments whose contact phone it was; null on erasures recorded before this was counted. */
  appointments: number | null;
  /** Windows told to erase it too, and whether each has. */
  terminals: { terminalId: string; delivered: boolean }[];
}
