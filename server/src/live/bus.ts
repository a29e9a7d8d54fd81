/**
 * The centre's own news, in this process: what ingest, the follow-up and the alert rules
 * publish after their transaction commits, and what the live route (SSE) passes on to open
 * consoles. Best-effort by design: a console that missed an event reads the page again; no
 * fact lives only here. A subscriber that throws is dropped from that event, not the bus.
 */
import type { LiveEvent } from '../../../src/shared/console/live-contract';

export type LiveListener = (event: LiveEvent, id: number) => void;

export class CentreBus {
  private readonly listeners = new Set<LiveListener>();
  private nextId = 1;

  publish(event: LiveEvent): void {
    const id = this.nextId++;
    for (const listener of this.listeners) {
      try {
        listener(event, id);
      } catch {
        // One broken console connection must not keep the news from the others.
      }
    }
  }

  subscribe(listener: LiveListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get size(): number {
    return this.listeners.size;
  }
}
