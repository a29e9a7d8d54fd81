/**
 * The keypad's outgoing KEY and FAULT frames (CRK/1 §3.2): in order, one at a time, repeated
 * with the same SEQ every 300 ms until the host's ACK names it, at most 10 sends in a row.
 */
import { after, type Clock } from '../../shared/clock';
import type { Message } from '../crk1/messages';

export interface QueuedItem {
  message: Extract<Message, { type: 'key' | 'fault' }>;
  seq: number | null;
  sends: number;
  /** When the key was pressed (a KEY): its age goes out with every send. */
  pressedAt?: number;
}

export interface ReliableQueueOptions {
  clock: Clock;
  /** Sends the item (seq null: take a new SEQ) and returns the SEQ used. */
  send(item: QueuedItem): number;
  acknowledged(item: QueuedItem): void;
  retransmitMs: number;
  maxSends: number;
}

export class ReliableQueue {
  readonly items: QueuedItem[] = [];
  private cancelTimer = () => {};
  private running = false;
  /** True after 10 sends without an ACK: it waits for a sign of life from the host. */
  stalled = false;

  constructor(private readonly options: ReliableQueueOptions) {}

  push(message: QueuedItem['message'], pressedAt?: number): void {
    this.items.push({ message, seq: null, sends: 0, ...(pressedAt !== undefined ? { pressedAt } : {}) });
    if (this.items.length === 1) this.sendHead();
  }

  /** Matches an ACK; true when it named the frame in flight. */
  acknowledge(seq: number): boolean {
    const head = this.items[0];
    if (!head || head.seq !== seq || head.sends === 0) return false;
    this.cancelTimer();
    this.items.shift();
    this.options.acknowledged(head);
    this.sendHead();
    return true;
  }

  start(): void {
    this.running = true;
    this.stalled = false;
    this.sendHead();
  }

  stop(): void {
    this.running = false;
    this.cancelTimer();
  }

  /** The host is talking again: a stalled head gets another round of sends. */
  hostAlive(): void {
    if (!this.stalled) return;
    this.stalled = false;
    const head = this.items[0];
    if (head) head.sends = 0;
    this.sendHead();
  }

  /** After a power cycle the SEQ counter restarts, so waiting frames get new SEQs. */
  forgetSeqs(): void {
    for (const item of this.items) {
      item.seq = null;
      item.sends = 0;
    }
  }

  private sendHead(): void {
    this.cancelTimer();
    const head = this.items[0];
    if (!this.running || this.stalled || !head) return;
    if (head.sends >= this.options.maxSends) {
      this.stalled = true;
      return;
    }
    head.seq = this.options.send(head);
    head.sends++;
    this.cancelTimer = after(this.options.clock, this.options.retransmitMs, () => this.sendHead());
  }
}
