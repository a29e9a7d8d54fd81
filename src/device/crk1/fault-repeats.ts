/**
 * FAULT has no event id, so a retransmission is recognised by its SEQ and payload arriving
 * again soon after: acknowledged again, recorded once.
 */
import { toHex, type Frame } from './frame';

export class FaultRepeats {
  private last: { key: string; at: number } | null = null;

  constructor(private readonly windowMs: number) {}

  isRepeat(frame: Frame, at: number): boolean {
    return this.last?.key === keyOf(frame) && at - this.last.at < this.windowMs;
  }

  recorded(frame: Frame, at: number): void {
    this.last = { key: keyOf(frame), at };
  }
}

function keyOf(frame: Frame): string {
  return `${frame.seq}:${toHex(frame.payload)}`;
}
