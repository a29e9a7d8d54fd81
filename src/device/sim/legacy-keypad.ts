/** A cheap single-byte keypad (CRK/1 §8): one byte per press, nothing else, deaf to the host. */
import { LEGACY_PRESETS, type LegacyPreset } from '../config';
import { RATING_LEVELS } from '../../shared/levels';
import { SerialLink } from '../transport/serial-link';

/** Key k is the k-th level (1 非常满意 …), sent as the byte the vendor's map gives that level. */
export function legacyBytesFor(preset: LegacyPreset): Map<number, number> {
  const bytes = new Map<number, number>();
  for (const [hex, level] of Object.entries(LEGACY_PRESETS[preset])) bytes.set(RATING_LEVELS.indexOf(level) + 1, parseInt(hex, 16));
  return new Map([...bytes].sort(([a], [b]) => a - b));
}

export interface AttachedLegacyKeypad {
  press(key: number): string;
  noise(count: number): void;
  stop(): Promise<void>;
}

export function attachLegacyKeypad(path: string, baudRate: number, bytes: ReadonlyMap<number, number>): AttachedLegacyKeypad {
  const link = new SerialLink({
    baudRate,
    backoff: { initialMs: 50, maxMs: 200 },
    resolvePath: async () => ({ path }),
    events: { opened: () => {}, data: () => {}, closed: () => {} },
  });
  link.start();
  return {
    press(key) {
      const byte = bytes.get(key);
      if (byte === undefined) return `this keypad has no key ${key}`;
      link.write(Uint8Array.of(byte));
      return `pressed key ${key}: sent byte 0x${byte.toString(16).padStart(2, '0')}`;
    },
    noise(count) {
      link.write(Uint8Array.from({ length: count }, () => Math.floor(Math.random() * 256)));
    },
    stop: () => link.stop(),
  };
}
