/** Decodes what one end wrote, so tests can assert on messages rather than raw bytes. */
import { FrameDecoder } from '../../../src/device/crk1/decoder';
import { parseFrame, type Message } from '../../../src/device/crk1/messages';

export interface LoggedFrame {
  seq: number;
  message: Message | null;
  cmd: number;
}

export class FrameLog {
  readonly frames: LoggedFrame[] = [];
  private readonly decoder = new FrameDecoder();

  constructor(private readonly now: () => number = () => Date.now()) {}

  push(bytes: Uint8Array): void {
    for (const frame of this.decoder.push(bytes, this.now())) {
      const parsed = parseFrame(frame);
      this.frames.push({ seq: frame.seq, cmd: frame.cmd, message: parsed.ok ? parsed.message : null });
    }
  }

  of<T extends Message['type']>(type: T): (LoggedFrame & { message: Extract<Message, { type: T }> })[] {
    return this.frames.filter((f) => f.message?.type === type) as (LoggedFrame & { message: Extract<Message, { type: T }> })[];
  }

  types(): string[] {
    return this.frames.map((f) => f.message?.type ?? `cmd ${f.cmd}`);
  }

  clear(): void {
    this.frames.length = 0;
  }
}
