import { describe, expect, it } from 'vitest';
import { crc16CcittFalse } from '../../src/device/crk1/crc';
import { FrameDecoder } from '../../src/device/crk1/decoder';
import { fromHex, toHex } from '../../src/device/crk1/frame';
import { encodeMessage, parseFrame } from '../../src/device/crk1/messages';
import { VECTORS } from './support/vectors';

describe('CRK/1 test vectors (§7)', () => {
  it('CRC-16/CCITT-FALSE of "123456789" is the check value 0x29B1', () => {
    expect(crc16CcittFalse(new TextEncoder().encode('123456789'))).toBe(0x29b1);
  });

  for (const vector of VECTORS) {
    it(`encodes ${vector.name} byte for byte`, () => {
      expect(toHex(encodeMessage(vector.seq, vector.message))).toBe(vector.hex);
    });

    it(`decodes ${vector.name} back to the same message`, () => {
      const decoder = new FrameDecoder();
      const frames = decoder.push(fromHex(vector.hex), 0);
      expect(frames).toHaveLength(1);
      const frame = frames[0]!;
      expect(frame.seq).toBe(vector.seq);
      expect(parseFrame(frame)).toEqual({ ok: true, message: vector.message });
      expect(decoder.diagnostics()).toMatchObject({ bytesDropped: 0, crcErrors: 0, badHeaders: 0, timeouts: 0 });
    });
  }

  it('decodes all vectors sent back to back, one byte at a time', () => {
    const decoder = new FrameDecoder();
    const stream = fromHex(VECTORS.map((v) => v.hex).join(' '));
    const messages = Array.from(stream).flatMap((byte, i) => decoder.push(Uint8Array.of(byte), i));
    expect(messages.map((frame) => parseFrame(frame))).toEqual(VECTORS.map((v) => ({ ok: true, message: v.message })));
  });
});
