import type { Clock } from '../../src/core/time';

/** A clock the test moves by hand; timers fire as time passes them. */
export class ManualClock implements Clock {
  private timers = new Map<number, { at: number; fn: () => void }>();
  private nextId = 1;

  constructor(private current: number) {}

  now(): number {
    return this.current;
  }

  setTimer(at: number, fn: () => void): () => void {
    const id = this.nextId++;
    this.timers.set(id, { at, fn });
    return () => this.timers.delete(id);
  }

  advance(ms: number): void {
    const until = this.current + ms;
    for (;;) {
      const due = [...this.timers.entries()].filter(([, t]) => t.at <= until).sort((a, b) => a[1].at - b[1].at)[0];
      if (!due) break;
      this.timers.delete(due[0]);
      this.current = Math.max(this.current, due[1].at);
      due[1].fn();
    }
    this.current = until;
  }
}
