/**
 * The centre's own news, in this process: what ingest, the follow-up and the alert rules
 * publish after their transaction commits, and what the live route (SSE) passes on to open
 * consoles. Best-effort by design: a console that missed an event reads the page again; no
 * fact lives only here. A subscriber that throws is dropped from that event, not the bus.
 *
 * With more than one API node, what this node publishes also goes out to the others
 * (live/relay.ts, through `relayTo`), and what they published comes in through `replay`,
 * which reaches this node's listeners only and never goes out again.
 */
import type { LiveEvent } from '../../../src/shared/console/live-contract';

export type LiveListener = (event: LiveEvent, id: number) => void;

export class CentreBus {
  private readonly listeners = new Set<LiveListener>();
  private readonly outbound = new Set<(event: LiveEvent) => void>();
  private nextId = 1;

  publish(event: LiveEvent): void {
    this.deliver(event);
    for (const send of this.outbound) {
      try {
        send(event);
      } catch {
        // The other nodes are told best-effort; this node's listeners have had it already.
      }
    }
  }

  /** News another API node published: to this node's listeners only. */
  replay(event: LiveEvent): void {
    this.deliver(event);
  }

  /** What this node publishes from now on, also to `send` (the relay to the other nodes). */
  relayTo(send: (event: LiveEvent) => void): () => void {
    this.outbound.add(send);
    return () => this.outbound.delete(send);
  }

  private deliver(event: LiveEvent): void {
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
