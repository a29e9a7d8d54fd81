import type { Clock } from '../../src/shared/clock';

/** A clock the test moves by hand, for the core and the drivers alike; timers fire, in order, as time passes them. */
export class ManualClock implements Clock {
  private timers = new Map<number, { at: number; fn: () => void }>();
  private nextId = 1;

  constructor(private current = 1_780_000_000_000) {}

  now(): number {
    return this.current;
  }

  setTimer(at: number, fn: () => void): () => void {
    const id = this.nextId++;
    this.timers.set(id, { at, fn });
    return () => this.timers.delete(id);
  }

  /** Moves time forward, firing due timers in order (timers they set fire too, if due). */
  advance(ms: number): void {
    const until = this.current + ms;
    for (;;) {
      // Map order is the order timers were set, so equal times fire first-set first.
      const due = [...this.timers.entries()].filter(([, t]) => t.at <= until).sort((a, b) => a[1].at - b[1].at)[0];
      if (!due) break;
      this.timers.delete(due[0]);
      this.current = Math.max(this.current, due[1].at);
      due[1].fn();
    }
    this.current = until;
  }
}
