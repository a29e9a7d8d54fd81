/**
 * Recordings of a serial line: one JSON object per line, {"t": ms since epoch, "dir": "in"|"out",
 * "hex": "AA 55 …"}. "in" is what the keypad sent. They replay through the same decoder.
 */
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { FrameDecoder } from '../crk1/decoder';
import { encodeFrame, fromHex, toHex } from '../crk1/frame';
import { parseFrame } from '../crk1/messages';
import { describeParsed, traceLine } from './trace';

export interface RecordedChunk {
  t: number;
  dir: 'in' | 'out';
  hex: string;
}

export class Recorder {
  constructor(private readonly file: string) {
    writeFileSync(file, '');
  }

  add(t: number, dir: 'in' | 'out', bytes: Uint8Array): void {
    appendFileSync(this.file, `${JSON.stringify({ t, dir, hex: toHex(bytes) } satisfies RecordedChunk)}\n`);
  }
}

export function readRecording(text: string): RecordedChunk[] {
  const chunks: RecordedChunk[] = [];
  text.split('\n').forEach((line, index) => {
    if (!line.trim()) return;
    let value: Partial<RecordedChunk>;
    try {
      value = JSON.parse(line) as Partial<RecordedChunk>;
    } catch {
      throw new Error(`line ${index + 1} of the recording is not JSON`);
    }
    if (typeof value.t !== 'number' || typeof value.hex !== 'string') throw new Error(`line ${index + 1} needs "t" and "hex"`);
    chunks.push({ t: value.t, dir: value.dir === 'out' ? 'out' : 'in', hex: value.hex });
  });
  return chunks;
}

/** Feeds the keypad's side of a recording through the decoder, at its recorded times; returns the trace. */
export function replayRecording(chunks: RecordedChunk[]): { lines: string[]; summary: string } {
  const decoders = { in: new FrameDecoder(), out: new FrameDecoder() };
  const lines: string[] = [];
  for (const chunk of chunks) {
    for (const frame of decoders[chunk.dir].push(fromHex(chunk.hex), chunk.t)) {
      lines.push(traceLine(chunk.t, chunk.dir, frame.seq, describeParsed(parseFrame(frame)), encodeFrame(frame)));
    }
  }
  const d = decoders.in.diagnostics();
  const summary =
    `keypad sent ${d.bytesIn} bytes: ${d.frames} frames, ${d.bytesDropped} bytes dropped, ` +
    `${d.crcErrors} CRC errors, ${d.badHeaders} false starts, ${d.timeouts} timed-out partial frames`;
  return { lines, summary };
}

export function replayFile(file: string): { lines: string[]; summary: string } {
  return replayRecording(readRecording(readFileSync(file, 'utf8')));
}
