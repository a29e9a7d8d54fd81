import { describe, expect, it } from 'vitest';
import { FrameDecoder } from '../../src/device/crk1/decoder';
import { encodeFrame, fromHex, toHex } from '../../src/device/crk1/frame';

const KEY = 'AA 55 01 07 02 05 01 00 00 00 2A 38 D2';
const hexOf = (frames: { seq: number; cmd: number; payload: Uint8Array }[]) =>
  frames.map((f) => `${f.seq}/${f.cmd}/${toHex(f.payload)}`);

describe('CRK/1 receiver (§2 Receiving)', () => {
  it('drops noise before a frame and counts it', () => {
    const decoder = new FrameDecoder();
    const frames = decoder.push(fromHex(`00 13 55 AA 00 ${KEY}`), 0);
    expect(hexOf(frames)).toEqual(['7/2/01 00 00 00 2A']);
    expect(decoder.diagnostics()).toMatchObject({ bytesDropped: 5, frames: 1 });
  });

  it('rejects a bad VER by dropping only its AA, then finds a frame starting right after it', () => {
    const decoder = new FrameDecoder();
    // AA 55 02 … is false; the real frame begins at the very next AA.
    const frames = decoder.push(fromHex(`AA 55 02 ${KEY}`), 0);
    expect(frames).toHaveLength(1);
    expect(decoder.diagnostics()).toMatchObject({ badHeaders: 1, bytesDropped: 3 });
  });

  it('rejects LEN over 200 without waiting for 200 bytes', () => {
    const decoder = new FrameDecoder();
    expect(decoder.push(fromHex('AA 55 01 00 02 C9'), 0)).toEqual([]);
    expect(decoder.pendingBytes).toBe(0);
    expect(decoder.push(fromHex(KEY), 1)).toHaveLength(1);
    expect(decoder.diagnostics().badHeaders).toBe(1);
  });

  it('accepts LEN exactly 200', () => {
    const decoder = new FrameDecoder();
    const biggest = encodeFrame({ seq: 5, cmd: 0x60, payload: new Uint8Array(200).fill(0xaa) });
    expect(decoder.push(biggest, 0).map((f) => f.payload.length)).toEqual([200]);
    expect(decoder.diagnostics().bytesDropped).toBe(0);
  });

  it('on a CRC mismatch rehunts inside the bytes it had read, where a real frame starts', () => {
    // A false start announcing 5 payload bytes swallows the real KEY's first bytes; the KEY must still come out.
    const decoder = new FrameDecoder();
    const frames = decoder.push(fromHex(`AA 55 01 00 02 05 ${KEY}`), 0);
    expect(hexOf(frames)).toEqual(['7/2/01 00 00 00 2A']);
    expect(decoder.diagnostics()).toMatchObject({ crcErrors: 1, bytesDropped: 6 });
  });

  it('does not let a corrupted frame produce anything', () => {
    const bytes = fromHex(KEY);
    bytes[8] = 0x01; // event id changed in transit
    const decoder = new FrameDecoder();
    expect(decoder.push(bytes, 0)).toEqual([]);
    expect(decoder.diagnostics().crcErrors).toBe(1);
  });

  it('discards a partial frame after more than 50 ms between two of its bytes', () => {
    const decoder = new FrameDecoder();
    const key = fromHex(KEY);
    expect(decoder.push(key.subarray(0, 7), 1000)).toEqual([]);
    // 51 ms later the rest arrives: the partial frame is stale, and the rest alone is no frame.
    expect(decoder.push(key.subarray(7), 1051)).toEqual([]);
    expect(decoder.diagnostics()).toMatchObject({ timeouts: 1 });
    expect(decoder.push(key, 1060)).toHaveLength(1);
  });

  it('keeps a partial frame when the gap is exactly 50 ms', () => {
    const decoder = new FrameDecoder();
    const key = fromHex(KEY);
    decoder.push(key.subarray(0, 3), 0);
    decoder.push(key.subarray(3, 9), 50);
    expect(decoder.push(key.subarray(9), 100)).toHaveLength(1);
    expect(decoder.diagnostics().timeouts).toBe(0);
  });

  it('a gap between whole frames is not a timeout', () => {
    const decoder = new FrameDecoder();
    expect(decoder.push(fromHex(KEY), 0)).toHaveLength(1);
    expect(decoder.push(fromHex(KEY), 10_000)).toHaveLength(1);
    expect(decoder.diagnostics().timeouts).toBe(0);
  });

  it('holds a trailing AA as a possible frame start', () => {
    const decoder = new FrameDecoder();
    const key = fromHex(KEY);
    expect(decoder.push(Uint8Array.of(0x00, 0xaa), 0)).toEqual([]);
    expect(decoder.pendingBytes).toBe(1);
    expect(decoder.push(key.subarray(1), 1)).toHaveLength(1);
  });

  it('survives a stream of AA 55 false starts of every kind', () => {
    const decoder = new FrameDecoder();
    const junk = fromHex('AA AA 55 AA 55 01 AA 55 FF AA 55 01 01 01 FF AA 55 01 00 02 00 00 00');
    const frames = decoder.push(new Uint8Array([...junk, ...fromHex(KEY)]), 0);
    expect(hexOf(frames)).toEqual(['7/2/01 00 00 00 2A']);
  });
});
