/** Keypad settings: the schema is shared (src/shared/keypad-config.ts); the byte map is built here. */
import type { RatingLevel } from '../shared/levels';
import { LEGACY_PRESETS, byteOf, type LegacyMap } from '../shared/keypad-config';

export {
  BAUD_RATES,
  KeypadConfig,
  LEGACY_PRESETS,
  LegacyMap,
  parseKeypadConfig,
  type BaudRate,
  type KeypadConfigInput,
  type KeypadDriverKind,
  type LegacyPreset,
} from '../shared/keypad-config';

export function legacyByteMap(map: LegacyMap): ReadonlyMap<number, RatingLevel> {
  const entries: Record<string, RatingLevel> = typeof map === 'string' ? LEGACY_PRESETS[map] : map;
  return new Map(Object.entries(entries).map(([byte, level]) => [byteOf(byte), level]));
}
