/**
 * The seam between the keypad drivers (src/device) and the core (src/core).
 * The driver speaks the wire protocol and reports what happened; the core owns every
 * policy: which key means which level, whether a press counts, what the keypad shows.
 */
import type { KeypadMode, LinkState, MisuseCause } from './domain';
import type { RatingLevel } from './levels';
import type { PromptKey } from './phrases';

/** A press as a driver reports it. */
export type PressReport =
  | {
      /** CRK/1 KEY frame: the core maps the key number to a level (configurable key map). */
      kind: 'key';
      key: number;
      /** Number of rating keys the device announced in HELLO (4 or 5), null if unknown. */
      keyCount: number | null;
      deviceSerial: string;
      /** The device's press counter: (deviceSerial, eventId) names a press for ever. */
      eventId: number;
      /** When the frame arrived. */
      at: number;
      /** CRK/1 §3.2: how long before `at` the key was pressed; absent or null when the KEY carries no age. */
      ageMs?: number | null;
    }
  | {
      /** Legacy single-byte keypad: the driver mapped the byte with its configured byte map. */
      kind: 'legacy';
      level: RatingLevel;
      rawByte: number;
      /** A stable name for the keypad, e.g. "legacy:/dev/ttyUSB0". */
      deviceSerial: string;
      at: number;
    };

/** What the core did with a press. Returned only once the press is durably recorded. */
export interface PressReceipt {
  pressId: string;
  /** 'repeat': a resend of a press already recorded; link noise, counted for diagnostics only. */
  outcome: 'rating' | 'misuse' | 'repeat';
  /** Why a press did not count as a rating; null for a rating and a repeat. */
  cause: MisuseCause | null;
  /** True when (deviceSerial, eventId) had been recorded before: acknowledge it, count nothing. */
  repeat: boolean;
}

/** What the keypad should do. Mode/text follow the window state; prompts follow moments. */
export type KeypadCommand =
  | { kind: 'mode'; mode: KeypadMode }
  | { kind: 'prompt'; phrase: PromptKey }
  | { kind: 'text'; line: number; text: string };

/** The state a (re)connected keypad must be brought to (CRK/1 §6 step 2). */
export interface KeypadView {
  mode: KeypadMode;
  text: string;
}

/** Each kind of keypad status line, so a screen can say it in Chinese or English. */
export const KEYPAD_STATUS_CODES = [
  'not_configured',
  'settings_invalid',
  'waiting',
  'no_answer',
  'bad_hello',
  'connected',
  'legacy_open',
  'silent',
  'port_down',
  'unresponsive',
] as const;
export type KeypadStatusCode = (typeof KEYPAD_STATUS_CODES)[number];

export interface KeypadStatus {
  link: LinkState;
  /** Device serial from HELLO, or the legacy keypad's name. */
  serial: string | null;
  /** A sentence for people: why the link is down, what the device said. */
  detail: string | null;
  /** What the sentence says, for screens that word it in their own language; `fields` holds its figures. */
  code?: KeypadStatusCode;
  fields?: Record<string, string | number>;
  /** Rating keys the keypad announced (4 or 5), once it has said. */
  keys?: number | null;
  /** HELLO features bit0: the keypad speaks the standard phrases itself; absent or false, the window speaks them. */
  voice?: boolean;
}

export interface KeypadFault {
  deviceSerial: string;
  code: number;
  detail: string;
  at: number;
}

/** What a driver needs from the core. Implemented by the Kiosk. */
export interface KeypadHost {
  /** Synchronous and durable: when it returns the press is on disk, and the driver may ACK. Throws if not recorded. */
  recordPress(report: PressReport): PressReceipt;
  /**
   * Presses that arrived together, made durable together (one journal write), in order: all
   * recorded when it returns, or none (it throws). Without it the driver records them one by one.
   */
  recordPresses?(reports: readonly PressReport[]): PressReceipt[];
  recordFault(fault: KeypadFault): void;
  setKeypadStatus(status: KeypadStatus): void;
  keypadView(): KeypadView;
  onKeypadCommand(listener: (command: KeypadCommand) => void): () => void;
}
