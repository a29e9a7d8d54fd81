/**
 * The kiosk's settings, set by IT (admin page, or config.json in the data folder). Shared
 * so the admin page validates with the very schema the core applies.
 */
import { z } from 'zod';
import { RATING_LEVELS } from './levels';
import { KeypadConfig } from './keypad-config';
import { SlipSettings } from './slip';

const Level = z.enum(RATING_LEVELS);

export const KioskConfig = z.object({
  window: z
    .object({
      windowNo: z.string().trim().min(1).max(16).default('1'),
      departmentCode: z.string().max(64).nullable().default(null),
      departmentName: z.string().max(100).nullable().default(null),
      areaCode: z.string().regex(/^\d{6,12}$/, 'area code is 6 to 12 digits').nullable().default(null),
    })
    .prefault({}),
  rating: z
    .object({
      windowSeconds: z.number().int().min(5).max(300).default(15),
      detailsSeconds: z.number().int().min(10).max(600).default(60),
      thanksSeconds: z.number().int().min(1).max(60).default(4),
    })
    .prefault({}),
  /** Local time after which finished cases are flagged as extended service (standard 10.5). */
  closingTime: z
    .string()
    .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'closing time is HH:MM')
    .nullable()
    .default('17:30'),
  /**
   * The closing time on given dates (YYYY-MM-DD -> HH:MM, or null on a day the window does not
   * open), from the window's hours and the centre's calendar, sent with the centre's config.
   * A date listed here overrides closingTime; a case finished on a day the window does not
   * open is extended service too.
   */
  closingTimes: z
    .record(z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date is YYYY-MM-DD'), z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'closing time is HH:MM').nullable())
    .default({}),
  /** Local time as an offset from UTC: China Standard Time by default. */
  utcOffset: z.string().regex(/^[+-]\d{2}:[0-5]\d$/, 'UTC offset looks like +08:00').default('+08:00'),
  language: z.enum(['zh', 'en']).default('zh'),
  /** Which display (1, 2, …, in the system's order) shows the citizen screen; null: the first that is not the primary. */
  citizenDisplay: z.number().int().min(1).max(8).nullable().default(null),
  /** CRK/1 key number -> level. Null: the standard layout for the key count the keypad announces. */
  keyMap: z.record(z.string().regex(/^\d+$/), Level).nullable().default(null),
  /**
   * The standard phrases the window speaks itself when its keypad cannot (no keypad, or one
   * without a voice module): how loud (0 to 100), or not at all.
   */
  speech: z
    .object({
      volume: z.number().int('the volume is a whole number from 0 to 100').min(0).max(100).default(80),
      muted: z.boolean().default(false),
    })
    .prefault({}),
  /** The 一次告知 notice slip: print or not, the printer, the paper, the centre's name on it. */
  slip: SlipSettings.prefault({}),
  /** No keypad until IT names one: a fresh install must not talk to whatever serial port it finds. */
  keypad: KeypadConfig.prefault({ driver: 'none' }),
  /** scrypt hash of the admin PIN; null until IT sets one. */
  adminPinHash: z.string().nullable().default(null),
  centre: z
    .object({
      url: z.url({ protocol: /^https?$/, error: 'centre address must be an http:// or https:// URL' }).nullable().default(null),
      /** Plain http:// to a centre that is not on this computer: only when IT switches it on for this network. */
      allowPlaintext: z.boolean().default(false),
      /** PEM of the authority that issues the centre's certificate (a government network's private CA); null: the system's. */
      caCertificate: z
        .string()
        .trim()
        .max(64 * 1024)
        .regex(/^-----BEGIN CERTIFICATE-----[\s\S]+-----END CERTIFICATE-----$/, 'the CA certificate is PEM text from -----BEGIN CERTIFICATE----- to -----END CERTIFICATE-----')
        .nullable()
        .default(null),
      /**
       * Pin the centre's public key: a SHA-256 of its SPKI, base64 (44 characters), or
       * 'enrolment' to pin the key the centre presents when this window enrols. Null: not pinned.
       */
      pin: z
        .union([z.literal('enrolment'), z.string().regex(/^[A-Za-z0-9+/]{43}=$/, 'a key pin is the SHA-256 of the public key, base64: 44 characters ending in =')])
        .nullable()
        .default(null),
      /** Local time of the nightly sync; a random delay of up to half an hour spreads the windows out. */
      syncAt: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'sync time is HH:MM').default('02:00'),
      /** Records the centre has acknowledged stay on the window this long before they are pruned. */
      keepAcknowledgedDays: z.number().int().min(1).max(3650).default(30),
    })
    .prefault({}),
});
export type KioskConfig = z.infer<typeof KioskConfig>;
export type KioskConfigInput = z.input<typeof KioskConfig>;

/** What the admin page may change: everything but secrets. */
export const AdminSettings = KioskConfig.omit({ adminPinHash: true });
export type AdminSettings = z.infer<typeof AdminSettings>;
