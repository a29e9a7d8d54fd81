/** Typed CRK/1 payloads (device-protocol.md §3, §4): build them for sending, parse and check them on receipt. */
import { KEYPAD_MODES, type KeypadMode } from '../../shared/domain';
import { CMD, encodeFrame, type Frame } from './frame';
import { readAsciiField, writeAsciiField, utf8Truncate } from './text-fields';

export const HELLO_LENGTH = 43;
export const TEXT_MAX_BYTES = 64;
export const FAULT_DETAIL_MAX = 64;
export const PROMPT_IDS = [1, 2, 3, 4, 5, 6] as const;
/** §3.2: a KEY's optional press age counts in 10 ms units and stops at 0xFFFF. */
export const PRESS_AGE_UNIT_MS = 10;
export const PRESS_AGE_MAX_MS = 0xffff * PRESS_AGE_UNIT_MS;

export const FAULT_CODES: Record<number, string> = {
  1: 'a key is stuck',
  2: 'the voice module failed',
  3: 'the display failed',
  4: 'a press was dropped because the keypad queue was full',
  5: 'the keypad storage failed',
};

export interface HelloFeatures {
  voice: boolean;
  display: boolean;
  keyLeds: boolean;
  /** Bit 3: KEY carries the press age (revision 2 devices). Absent on older senders: read as false. */
  pressAge?: boolean;
}

export type Message =
  | { type: 'hello'; protocolVersion: number; keyCount: number; features: HelloFeatures; serial: string; model: string; firmware: string }
  /** `ageMs`: how long ago the key was pressed (§3.2), a multiple of 10 ms; absent or null when the KEY carries none. */
  | { type: 'key'; key: number; eventId: number; ageMs?: number | null }
  | { type: 'heartbeat'; uptimeSeconds: number; waiting: number }
  | { type: 'fault'; code: number; detail: string }
  | { type: 'ack'; ackedSeq: number; status: number }
  | { type: 'query' }
  | { type: 'mode'; mode: KeypadMode }
  | { type: 'prompt'; promptId: number }
  | { type: 'text'; line: number; text: string }
  | { type: 'time'; unixSeconds: number };
export type MessageType = Message['type'];
export type MessageOf<T extends MessageType> = Extract<Message, { type: T }>;

export type ParsedFrame =
  | { ok: true; message: Message }
  | { ok: false; problem: 'unknown_command'; cmd: number }
  | { ok: false; problem: 'bad_payload'; type: MessageType; reason: string };

const TYPE_BY_CMD = new Map<number, MessageType>(Object.entries(CMD).map(([name, cmd]) => [cmd, name as MessageType]));
const MODE_BY_CODE = new Map<number, KeypadMode>(
  Object.entries(KEYPAD_MODES).map(([name, code]) => [code, name as KeypadMode]),
);

export function encodeMessage(seq: number, message: Message): Uint8Array {
  return encodeFrame({ seq, cmd: CMD[message.type], payload: buildPayload(message) });
}

export function buildPayload(message: Message): Uint8Array {
  switch (message.type) {
    case 'hello': {
      const bytes = new Uint8Array(HELLO_LENGTH);
      const f = message.features;
      bytes.set([message.protocolVersion, message.keyCount, (f.voice ? 1 : 0) | (f.display ? 2 : 0) | (f.keyLeds ? 4 : 0) | (f.pressAge ? 8 : 0)]);
      writeAsciiField(bytes, 3, 16, message.serial);
      writeAsciiField(bytes, 19, 16, message.model);
      writeAsciiField(bytes, 35, 8, message.firmware);
      return bytes;
    }
    case 'key': {
      if (message.ageMs == null) return withUint32(Uint8Array.of(message.key, 0, 0, 0, 0), 1, message.eventId);
      const units = Math.min(0xffff, Math.max(0, Math.round(message.ageMs / PRESS_AGE_UNIT_MS)));
      return withUint32(Uint8Array.of(message.key, 0, 0, 0, 0, units >> 8, units & 0xff), 1, message.eventId);
    }
    case 'heartbeat':
      return withUint32(Uint8Array.of(0, 0, 0, 0, message.waiting), 0, message.uptimeSeconds);
    case 'fault':
      return Uint8Array.of(message.code, ...utf8Truncate(message.detail, FAULT_DETAIL_MAX));
    case 'ack':
      return Uint8Array.of(message.ackedSeq, message.status);
    case 'query':
      return new Uint8Array(0);
    case 'mode':
      return Uint8Array.of(KEYPAD_MODES[message.mode]);
    case 'prompt':
      return Uint8Array.of(message.promptId);
    case 'text':
      return Uint8Array.of(message.line, ...utf8Truncate(message.text, TEXT_MAX_BYTES));
    case 'time':
      return withUint32(new Uint8Array(4), 0, message.unixSeconds);
  }
}

/** Interprets a frame that passed the CRC; a known command with a malformed payload is reported, never thrown. */
export function parseFrame(frame: Frame): ParsedFrame {
  const type = TYPE_BY_CMD.get(frame.cmd);
  if (!type) return { ok: false, problem: 'unknown_command', cmd: frame.cmd };
  const p = frame.payload;
  const bad = (reason: string): ParsedFrame => ({ ok: false, problem: 'bad_payload', type, reason });
  const ok = (message: Message): ParsedFrame => ({ ok: true, message });
  switch (type) {
    case 'hello': {
      if (p.length !== HELLO_LENGTH) return bad(`HELLO must be ${HELLO_LENGTH} bytes, got ${p.length}`);
      const keyCount = p[1] as number;
      if (keyCount !== 4 && keyCount !== 5) return bad(`HELLO announces ${keyCount} keys, CRK/1 keypads have 4 or 5`);
      const serial = readAsciiField(p, 3, 16);
      if (serial === null || serial.length === 0) return bad('HELLO carries no readable serial number');
      const flags = p[2] as number;
      return ok({
        type,
        protocolVersion: p[0] as number,
        keyCount,
        features: { voice: (flags & 1) !== 0, display: (flags & 2) !== 0, keyLeds: (flags & 4) !== 0, pressAge: (flags & 8) !== 0 },
        serial,
        model: readAsciiField(p, 19, 16, '?') ?? '',
        firmware: readAsciiField(p, 35, 8, '?') ?? '',
      });
    }
    case 'key': {
      // 5 bytes, or 7 with the press age (§3.2); a host accepts both.
      if (p.length !== 5 && p.length !== 7) return bad(`KEY must be 5 bytes, or 7 with the press age, got ${p.length}`);
      const eventId = readUint32(p, 1);
      if (p[0] === 0) return bad('KEY names key 0');
      if (eventId === 0) return bad('KEY carries event id 0');
      const ageMs = p.length === 7 ? (((p[5] as number) << 8) | (p[6] as number)) * PRESS_AGE_UNIT_MS : null;
      return ok({ type, key: p[0] as number, eventId, ageMs });
    }
    case 'heartbeat':
      if (p.length !== 5) return bad(`HEARTBEAT must be 5 bytes, got ${p.length}`);
      return ok({ type, uptimeSeconds: readUint32(p, 0), waiting: p[4] as number });
    case 'fault':
      if (p.length < 1 || p.length > 1 + FAULT_DETAIL_MAX) return bad(`FAULT must be 1 to 65 bytes, got ${p.length}`);
      if (p[0] === 0) return bad('FAULT code 0');
      return ok({ type, code: p[0] as number, detail: readAsciiField(p, 1, p.length - 1, '?') ?? '' });
    case 'ack':
      if (p.length !== 2) return bad(`ACK must be 2 bytes, got ${p.length}`);
      if ((p[1] as number) > 3) return bad(`ACK status ${p[1]} is not 0 to 3`);
      return ok({ type, ackedSeq: p[0] as number, status: p[1] as number });
    case 'query':
      return p.length === 0 ? ok({ type }) : bad(`QUERY carries no payload, got ${p.length} bytes`);
    case 'mode': {
      const mode = p.length === 1 ? MODE_BY_CODE.get(p[0] as number) : undefined;
      return mode ? ok({ type, mode }) : bad('MODE must be one byte, 0 to 4');
    }
    case 'prompt': {
      const id = p.length === 1 ? (p[0] as number) : 0;
      return (PROMPT_IDS as readonly number[]).includes(id) ? ok({ type, promptId: id }) : bad('PROMPT must be one byte, 1 to 6');
    }
    case 'text': {
      if (p.length < 1 || p.length > 1 + TEXT_MAX_BYTES) return bad(`TEXT must be 1 to 65 bytes, got ${p.length}`);
      if ((p[0] as number) > 3) return bad(`TEXT line ${p[0]} is not 0 to 3`);
      const text = decodeUtf8(p.subarray(1));
      return text === null ? bad('TEXT is not valid UTF-8') : ok({ type, line: p[0] as number, text });
    }
    case 'time':
      return p.length === 4 ? ok({ type, unixSeconds: readUint32(p, 0) }) : bad(`TIME must be 4 bytes, got ${p.length}`);
  }
}

function withUint32(bytes: Uint8Array, at: number, value: number): Uint8Array {
  new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).setUint32(at, value >>> 0, false);
  return bytes;
}

function readUint32(bytes: Uint8Array, at: number): number {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(at, false);
}

function decodeUtf8(bytes: Uint8Array): string | null {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
}
