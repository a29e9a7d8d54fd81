/**
 * Streaming CRK/1 receiver (device-protocol.md §2 "Receiving"). Pure: bytes come in with the
 * time they arrived, frames come out, so every resynchronisation rule is testable offline.
 */
import { crc16CcittFalse } from './crc';
import { FRAME_OVERHEAD, HEADER_LENGTH, MAX_PAYLOAD, SOF1, SOF2, VERSION, type Frame } from './frame';

/** More than this many ms between two bytes of one frame discards the partial frame (§2 step 4). */
export const INTER_BYTE_TIMEOUT_MS = 50;

export interface DecoderCounters {
  bytesIn: number;
  frames: number;
  /** Bytes thrown away: noise, false starts, timed-out partial frames. */
  bytesDropped: number;
  /** AA 55 followed by a VER other than 1 or a LEN over 200. */
  badHeaders: number;
  crcErrors: number;
  timeouts: number;
}

export class FrameDecoder {
  private pending: Uint8Array = new Uint8Array(0);
  private lastByteAt: number | null = null;
  private readonly counters: DecoderCounters = {
    bytesIn: 0,
    frames: 0,
    bytesDropped: 0,
    badHeaders: 0,
    crcErrors: 0,
    timeouts: 0,
  };

  /** Feeds bytes that arrived at `at` (ms) and returns the frames they complete, in order. */
  push(chunk: Uint8Array, at: number): Frame[] {
    if (this.pending.length > 0 && this.lastByteAt !== null && at - this.lastByteAt > INTER_BYTE_TIMEOUT_MS) {
      this.counters.timeouts++;
      this.counters.bytesDropped += this.pending.length;
      this.pending = new Uint8Array(0);
    }
    if (chunk.length === 0) return [];
    this.counters.bytesIn += chunk.length;
    this.lastByteAt = at;
    const buffer = this.pending.length === 0 ? chunk : concat(this.pending, chunk);
    const frames: Frame[] = [];
    let start = 0;
    while (start < buffer.length) {
      const step = this.examine(buffer, start);
      if (step.kind === 'need-more') break;
      if (step.kind === 'frame') {
        frames.push(step.frame);
        this.counters.frames++;
        start += step.frame.payload.length + FRAME_OVERHEAD;
      } else {
        // Not a frame start: drop only this byte, a real frame may begin at the next one.
        this.counters.bytesDropped++;
        start++;
      }
    }
    // Copy: a Node Buffer's slice would be a view into memory the port may reuse.
    this.pending = new Uint8Array(buffer.subarray(start));
    return frames;
  }

  /** Forgets a partial frame, e.g. when the port was reopened; the counters stay. */
  reset(): void {
    this.counters.bytesDropped += this.pending.length;
    this.pending = new Uint8Array(0);
    this.lastByteAt = null;
  }

  /** Bytes held as the start of a frame not yet complete. */
  get pendingBytes(): number {
    return this.pending.length;
  }

  diagnostics(): DecoderCounters {
    return { ...this.counters };
  }

  private examine(buffer: Uint8Array, at: number): { kind: 'need-more' } | { kind: 'drop' } | { kind: 'frame'; frame: Frame } {
    const available = buffer.length - at;
    if (buffer[at] !== SOF1) return { kind: 'drop' };
    if (available < 2) return { kind: 'need-more' };
    if (buffer[at + 1] !== SOF2) return { kind: 'drop' };
    if (available < 3) return { kind: 'need-more' };
    if (buffer[at + 2] !== VERSION) return this.badHeader();
    if (available < HEADER_LENGTH) return { kind: 'need-more' };
    const length = buffer[at + 5] as number;
    if (length > MAX_PAYLOAD) return this.badHeader();
    if (available < length + FRAME_OVERHEAD) return { kind: 'need-more' };
    const crcAt = at + HEADER_LENGTH + length;
    const expected = ((buffer[crcAt] as number) << 8) | (buffer[crcAt + 1] as number);
    if (crc16CcittFalse(buffer, at + 2, crcAt) !== expected) {
      this.counters.crcErrors++;
      return { kind: 'drop' };
    }
    const frame: Frame = {
      seq: buffer[at + 3] as number,
      cmd: buffer[at + 4] as number,
      payload: new Uint8Array(buffer.subarray(at + HEADER_LENGTH, crcAt)),
    };
    return { kind: 'frame', frame };
  }

  private badHeader(): { kind: 'drop' } {
    this.counters.badHeaders++;
    return { kind: 'drop' };
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const joined = new Uint8Array(a.length + b.length);
  joined.set(a);
  joined.set(b, a.length);
  return joined;
}
