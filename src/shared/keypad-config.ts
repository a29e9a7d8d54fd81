/**
 * Keypad settings as IT writes them (settings file, admin screen), checked with zod. Shared:
 * the driver, the core's settings and the admin page all read this one schema.
 */
import { z } from 'zod';
import { RATING_LEVELS, type RatingLevel } from './levels';

export const BAUD_RATES = [9600, 19200, 38400, 57600, 115200] as const;
export type BaudRate = (typeof BAUD_RATES)[number];

/** Byte maps of common single-byte keypads (CRK/1 §8): vendors disagree on codes and direction. */
export const LEGACY_PRESETS = {
  /** '1'…'4' = 非常满意 … 不满意 */
  ascii_1_to_4: { '0x31': 'very_satisfied', '0x32': 'satisfied', '0x33': 'basically_satisfied', '0x34': 'dissatisfied' },
  /** '1'…'5' = 非常满意 … 非常不满意 */
  ascii_1_to_5: {
    '0x31': 'very_satisfied',
    '0x32': 'satisfied',
    '0x33': 'basically_satisfied',
    '0x34': 'dissatisfied',
    '0x35': 'very_dissatisfied',
  },
  /** 0x00…0x03 = 不满意 … 非常满意 */
  binary_0_to_3: { '0x00': 'dissatisfied', '0x01': 'basically_satisfied', '0x02': 'satisfied', '0x03': 'very_satisfied' },
} as const satisfies Record<string, Record<string, RatingLevel>>;
export type LegacyPreset = keyof typeof LEGACY_PRESETS;

/** A byte value as a JSON key: hex "0x31" or decimal "49", as the kiosk's own settings write it. */
const ByteKey = z
  .string()
  .regex(/^(0x[0-9a-fA-F]{2}|\d{1,3})$/, 'byte values are written 0x00 to 0xFF or 0 to 255')
  .refine((key) => byteOf(key) <= 255, 'byte values are written 0x00 to 0xFF or 0 to 255');

const PRESET_NAMES = Object.keys(LEGACY_PRESETS) as [LegacyPreset, ...LegacyPreset[]];

export const LegacyMap = z.union(
  [
    z.enum(PRESET_NAMES),
    z
      .record(ByteKey, z.enum(RATING_LEVELS))
      .refine((map) => Object.keys(map).length > 0, 'the byte map needs at least one byte'),
  ],
  {
    error: `a preset (${PRESET_NAMES.join(', ')}) or a map from byte values (0x00 to 0xFF or 0 to 255) to rating levels (${RATING_LEVELS.join(', ')})`,
  },
);
export type LegacyMap = z.infer<typeof LegacyMap>;

export const KeypadConfig = z
  .object({
    driver: z.enum(['crk1', 'legacy', 'none']).default('crk1'),
    /** Serial port, e.g. /dev/ttyUSB0, /dev/serial/by-id/…, COM3; null: find one. */
    path: z
      .string()
      .trim()
      .nullable()
      .default(null)
      .transform((path) => (path === '' ? null : path)),
    baudRate: z.literal(BAUD_RATES).default(9600),
    legacyMap: LegacyMap.default('ascii_1_to_4'),
    legacyDebounceMs: z.number().int().min(0).max(5000).default(300),
  })
  .strict();
export type KeypadConfig = z.infer<typeof KeypadConfig>;
export type KeypadConfigInput = z.input<typeof KeypadConfig>;

export type KeypadDriverKind = KeypadConfig['driver'];

/** Parses settings into a config, or a message a person can act on. */
export function parseKeypadConfig(input: unknown): { ok: true; config: KeypadConfig } | { ok: false; message: string } {
  const parsed = KeypadConfig.safeParse(input ?? {});
  if (parsed.success) return { ok: true, config: parsed.data };
  const issue = parsed.error.issues[0];
  const where = issue && issue.path.length > 0 ? `keypad.${issue.path.join('.')}: ` : 'keypad: ';
  return { ok: false, message: `${where}${issue?.message ?? 'invalid settings'}` };
}

/** A byte key as written in settings ("0x31" or "49") to its value. */
export function byteOf(key: string): number {
  return key.startsWith('0x') ? parseInt(key.slice(2), 16) : parseInt(key, 10);
}
