import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { crc16CcittFalse } from '../../src/device/crk1/crc';
import { FrameDecoder } from '../../src/device/crk1/decoder';
import { encodeFrame, type Frame } from '../../src/device/crk1/frame';

const frameArb: fc.Arbitrary<Frame> = fc.record({
  seq: fc.integer({ min: 0, max: 255 }),
  cmd: fc.integer({ min: 0, max: 255 }),
  // Payloads may hold AA 55 themselves: a receiver in step must not hunt inside a frame.
  payload: fc.uint8Array({ maxLength: 200 }),
});

/** Noise with no 0xAA can never begin a frame, so the decoded frames are known exactly. */
const cleanNoise = fc.uint8Array({ maxLength: 60 }).map((bytes) => bytes.map((b) => (b === 0xaa ? 0xab : b)));

/** An AA 55 start that is false: bad VER, LEN > 200, or a plausible header whose CRC will not match. */
const falseStart = fc.oneof(
  fc.tuple(fc.integer({ min: 0, max: 255 }).filter((v) => v !== 1)).map(([ver]) => Uint8Array.of(0xaa, 0x55, ver)),
  fc.tuple(fc.integer({ min: 201, max: 255 })).map(([len]) => Uint8Array.of(0xaa, 0x55, 0x01, 0x00, 0x02, len)),
  fc
    .tuple(fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 200 }), cleanNoise)
    .map(([seq, len, body]) => Uint8Array.of(0xaa, 0x55, 0x01, seq, 0x02, len, ...body.subarray(0, len))),
  fc.constant(Uint8Array.of(0xaa)),
  fc.constant(Uint8Array.of(0xaa, 0x55)),
);

/** Cuts a byte stream into chunks at random points, each with a time no more than 50 ms after the last. */
function chunked(stream: Uint8Array, cuts: number[], gaps: number[]): { bytes: Uint8Array; at: number }[] {
  const chunks: { bytes: Uint8Array; at: number }[] = [];
  let offset = 0;
  let at = 1_000;
  for (let i = 0; offset < stream.length; i++) {
    const size = cuts.length > 0 ? (cuts[i % cuts.length] as number) : stream.length;
    chunks.push({ bytes: stream.subarray(offset, offset + size), at });
    offset += size;
    at += gaps.length > 0 ? (gaps[i % gaps.length] as number) : 0;
  }
  return chunks;
}

function decodeAll(chunks: { bytes: Uint8Array; at: number }[]): Frame[] {
  const decoder = new FrameDecoder();
  return chunks.flatMap((chunk) => decoder.push(chunk.bytes, chunk.at));
}

function concat(parts: Uint8Array[]): Uint8Array {
  return Uint8Array.from(parts.flatMap((part) => Array.from(part)));
}

/** True if a CRC-valid frame could be read at `at`: the accident the noise must not contain. */
function validFrameAt(stream: Uint8Array, at: number): boolean {
  if (stream[at] !== 0xaa || stream[at + 1] !== 0x55 || stream[at + 2] !== 0x01) return false;
  const len = stream[at + 5];
  if (len === undefined || len > 200 || at + 8 + len > stream.length) return false;
  const crc = crc16CcittFalse(stream, at + 2, at + 6 + len);
  return stream[at + 6 + len] === crc >> 8 && stream[at + 7 + len] === (crc & 0xff);
}

const cuts = fc.array(fc.integer({ min: 1, max: 40 }), { maxLength: 20 });
const gaps = fc.array(fc.integer({ min: 0, max: 50 }), { maxLength: 20 });

describe('CRK/1 receiver properties', () => {
  it('valid frames cut anywhere and mixed with noise decode to exactly those frames', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(cleanNoise, frameArb), { maxLength: 12 }), cleanNoise, cuts, gaps, (pairs, tail, c, g) => {
        const stream = concat([...pairs.flatMap(([noise, frame]) => [noise, encodeFrame(frame)]), tail]);
        expect(decodeAll(chunked(stream, c, g))).toEqual(pairs.map(([, frame]) => frame));
      }),
      { numRuns: 300 },
    );
  });

  it('AA 55 false starts before frames never hide or invent a frame', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(falseStart, cleanNoise, frameArb), { maxLength: 8 }), cuts, gaps, (items, c, g) => {
        const parts: Uint8Array[] = [];
        const starts = new Set<number>();
        const spans: [number, number][] = [];
        let length = 0;
        for (const [fake, noise, frame] of items) {
          const bytes = encodeFrame(frame);
          parts.push(fake, noise);
          length += fake.length + noise.length;
          starts.add(length);
          spans.push([length, length + bytes.length]);
          parts.push(bytes);
          length += bytes.length;
        }
        // Enough plain bytes at the end that every false start is resolved before the stream ends.
        parts.push(new Uint8Array(210).fill(0x00));
        const stream = concat(parts);
        const insideFrame = (i: number) => spans.some(([from, to]) => i > from && i < to);
        for (let i = 0; i < stream.length; i++) {
          fc.pre(starts.has(i) || insideFrame(i) || !validFrameAt(stream, i));
        }
        expect(decodeAll(chunked(stream, c, g))).toEqual(items.map(([, , frame]) => frame));
      }),
      { numRuns: 300 },
    );
  });

  it('arbitrary bytes never throw and every byte is either in a frame, dropped, or pending', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2000 }), cuts, fc.array(fc.integer({ min: 0, max: 200 }), { maxLength: 20 }), (bytes, c, g) => {
        const decoder = new FrameDecoder();
        let framed = 0;
        for (const chunk of chunked(bytes, c, g)) {
          for (const frame of decoder.push(chunk.bytes, chunk.at)) framed += frame.payload.length + 8;
        }
        const counters = decoder.diagnostics();
        expect(counters.bytesIn).toBe(bytes.length);
        expect(framed + counters.bytesDropped + decoder.pendingBytes).toBe(bytes.length);
      }),
      { numRuns: 300 },
    );
  });
});
