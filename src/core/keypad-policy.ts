/** What a keypad press means at this window: which key gives which level, and the press the lifecycle is given. */
import { randomUUID } from 'node:crypto';
import { RATING_LEVELS, type RatingLevel } from '../shared/levels';
import type { PressReport } from '../shared/keypad';
import type { KioskConfig } from './config';
import type { Press } from './lifecycle/types';

type KeyMap = KioskConfig['keyMap'];

/** The installation's key map, or the standard layout (CRK/1 §5): key n is the n-th level. */
export function levelForKey(keyMap: KeyMap, key: number, keyCount: number | null): RatingLevel | null {
  if (keyMap) return keyMap[String(key)] ?? null;
  const keys = keyCount === 4 ? 4 : 5;
  return key >= 1 && key <= keys ? (RATING_LEVELS[key - 1] ?? null) : null;
}

/** Which key gives each level, for the citizen screen's key labels. `announcedKeys`: what the keypad said it has. */
export function keysByLevel(keyMap: KeyMap, announcedKeys: number | null): Partial<Record<RatingLevel, number>> {
  const keys: Partial<Record<RatingLevel, number>> = {};
  const count = keyMap ? Math.max(0, ...Object.keys(keyMap).map(Number)) : (announcedKeys ?? 5);
  for (let key = count; key >= 1; key--) {
    const level = levelForKey(keyMap, key, announcedKeys);
    if (level) keys[level] = key;
  }
  return keys;
}

/** The press as the lifecycle sees it. `seenBefore`: the keypad sent this event already (a resend after a lost ACK). */
export function pressOf(report: PressReport, keyMap: KeyMap, seenBefore: (deviceSerial: string, eventId: number) => boolean): Press {
  if (report.kind === 'legacy') {
    return { id: randomUUID(), level: report.level, rawKey: report.rawByte, channel: 'legacy_keypad', deviceSerial: report.deviceSerial, eventId: null, repeat: false };
  }
  return {
    id: randomUUID(),
    level: levelForKey(keyMap, report.key, report.keyCount),
    rawKey: report.key,
    channel: 'keypad',
    deviceSerial: report.deviceSerial,
    eventId: report.eventId,
    repeat: seenBefore(report.deviceSerial, report.eventId),
    ...(report.ageMs != null ? { arrivedAt: report.at } : {}),
  };
}
