/** A clock that moves only when the test says so: timing rules checked without waiting. */
import type { Clock } from '../../../src/device/clock';

interface Timer {
  at: number;
  order: number;
  run: () => void;
  cancelled: boolean;
}

export class ManualClock implements Clock {
  private time: number;
  private order = 0;
  private timers: Timer[] = [];

  constructor(start = 1_780_000_000_000) {
    this.time = start;
  }

  now(): number {
    return this.time;
  }

  after(ms: number, run: () => void): () => void {
    const timer: Timer = { at: this.time + Math.max(0, ms), order: this.order++, run, cancelled: false };
    this.timers.push(timer);
    return () => {
      timer.cancelled = true;
    };
  }

  /** Moves time forward, firing due timers in order (timers they set fire too, if due). */
  advance(ms: number): void {
    const end = this.time + ms;
    for (;;) {
      this.timers = this.timers.filter((t) => !t.cancelled);
      const next = this.timers.filter((t) => t.at <= end).sort((a, b) => a.at - b.at || a.order - b.order)[0];
      if (!next) break;
      this.time = next.at;
      next.cancelled = true;
      next.run();
    }
    this.time = end;
  }
}
