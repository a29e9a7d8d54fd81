/** CRK/1 frame layout (device-protocol.md §2): AA 55 VER SEQ CMD LEN PAYLOAD CRC16. */
import { crc16CcittFalse } from './crc';

export const SOF1 = 0xaa;
export const SOF2 = 0x55;
export const VERSION = 0x01;
export const MAX_PAYLOAD = 200;
export const HEADER_LENGTH = 6;
/** Header plus CRC: a frame is this many bytes longer than its payload. */
export const FRAME_OVERHEAD = 8;
export const MAX_FRAME = MAX_PAYLOAD + FRAME_OVERHEAD;

export const CMD = {
  hello: 0x01,
  key: 0x02,
  heartbeat: 0x03,
  fault: 0x04,
  query: 0x10,
  mode: 0x11,
  prompt: 0x12,
  text: 0x13,
  time: 0x14,
  ack: 0x7f,
} as const;
export type CommandName = keyof typeof CMD;

export const ACK_STATUS = { ok: 0, unknownCommand: 1, badPayload: 2, busy: 3 } as const;
export type AckStatus = (typeof ACK_STATUS)[keyof typeof ACK_STATUS];

/** A frame that passed header and CRC checks; its payload is not yet interpreted. */
export interface Frame {
  seq: number;
  cmd: number;
  payload: Uint8Array;
}

export function encodeFrame(frame: Frame): Uint8Array {
  const { seq, cmd, payload } = frame;
  if (!Number.isInteger(seq) || seq < 0 || seq > 255) throw new RangeError(`SEQ must be 0 to 255, got ${seq}`);
  if (!Number.isInteger(cmd) || cmd < 0 || cmd > 255) throw new RangeError(`CMD must be 0 to 255, got ${cmd}`);
  if (payload.length > MAX_PAYLOAD) throw new RangeError(`payload is ${payload.length} bytes, at most ${MAX_PAYLOAD}`);
  const bytes = new Uint8Array(payload.length + FRAME_OVERHEAD);
  bytes.set([SOF1, SOF2, VERSION, seq, cmd, payload.length]);
  bytes.set(payload, HEADER_LENGTH);
  const crc = crc16CcittFalse(bytes, 2, HEADER_LENGTH + payload.length);
  bytes[HEADER_LENGTH + payload.length] = crc >> 8;
  bytes[HEADER_LENGTH + payload.length + 1] = crc & 0xff;
  return bytes;
}

/** The sender's frame counter: +1 per new frame, wrapping 255 → 0 (§2 SEQ). */
export class SeqCounter {
  private next = 0;

  take(): number {
    const seq = this.next;
    this.next = (this.next + 1) & 0xff;
    return seq;
  }

  reset(): void {
    this.next = 0;
  }
}

export function toHex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).toUpperCase().padStart(2, '0')).join(' ');
}

export function fromHex(hex: string): Uint8Array {
  const clean = hex.replace(/\s+/g, '');
  if (clean.length % 2 !== 0 || /[^0-9a-fA-F]/.test(clean)) throw new Error(`not a hex byte string: ${hex}`);
  const bytes = new Uint8Array(clean.length / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(clean.slice(i * 2, i * 2 + 2), 16);
  return bytes;
}
