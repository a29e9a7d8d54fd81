/**
 * Host → device commands awaiting the device's ACK (device-protocol.md §4): one in flight at a
 * time, resent after 300 ms without an answer, at most 3 times, then given up and reported.
 */
import { after, type Clock } from '../../shared/clock';
import { ACK_STATUS } from './frame';
import type { MessageOf } from './messages';

export type DeviceCommand = MessageOf<'mode'> | MessageOf<'prompt'> | MessageOf<'text'> | MessageOf<'time'>;

export interface CommandQueueOptions {
  clock: Clock;
  /** Sends the command; `seq` is null for a first send and the original SEQ for a resend. Returns the SEQ used. */
  send(command: DeviceCommand, seq: number | null): number;
  /** The device answered (status 0, or a refusal: 1 unknown, 2 bad payload). */
  onAnswered(command: DeviceCommand, status: number): void;
  /** No answer after the first send and every resend. */
  onUnanswered(command: DeviceCommand, sends: number): void;
  retryMs?: number;
  maxResends?: number;
}

interface InFlight {
  command: DeviceCommand;
  seq: number;
  sends: number;
  cancelTimer: () => void;
}

export class CommandQueue {
  private readonly waiting: DeviceCommand[] = [];
  private inFlight: InFlight | null = null;
  private readonly retryMs: number;
  private readonly maxResends: number;
  resends = 0;

  constructor(private readonly options: CommandQueueOptions) {
    this.retryMs = options.retryMs ?? 300;
    this.maxResends = options.maxResends ?? 3;
  }

  /** Queues a command; a newer MODE, or TEXT for the same line, replaces one not yet sent. */
  enqueue(command: DeviceCommand): void {
    const superseded = this.waiting.findIndex(
      (queued) =>
        (queued.type === 'mode' && command.type === 'mode') ||
        (queued.type === 'text' && command.type === 'text' && queued.line === command.line),
    );
    if (superseded >= 0) this.waiting.splice(superseded, 1);
    this.waiting.push(command);
    this.sendNext();
  }

  /** Matches an ACK from the device; true when it answered the command in flight. */
  acknowledge(seq: number, status: number): boolean {
    const current = this.inFlight;
    if (!current || current.seq !== seq) return false;
    // Busy: the device asks for patience, so the pending resend stays armed.
    if (status === ACK_STATUS.busy) return true;
    current.cancelTimer();
    this.inFlight = null;
    this.options.onAnswered(current.command, status);
    this.sendNext();
    return true;
  }

  clear(): void {
    this.inFlight?.cancelTimer();
    this.inFlight = null;
    this.waiting.length = 0;
  }

  get pending(): number {
    return this.waiting.length + (this.inFlight ? 1 : 0);
  }

  private sendNext(): void {
    if (this.inFlight) return;
    const command = this.waiting.shift();
    if (!command) return;
    const seq = this.options.send(command, null);
    this.inFlight = { command, seq, sends: 1, cancelTimer: () => {} };
    this.armRetry(this.inFlight);
  }

  private armRetry(flight: InFlight): void {
    flight.cancelTimer = after(this.options.clock, this.retryMs, () => {
      if (this.inFlight !== flight) return;
      if (flight.sends > this.maxResends) {
        this.inFlight = null;
        this.options.onUnanswered(flight.command, flight.sends);
        this.sendNext();
        return;
      }
      this.options.send(flight.command, flight.seq);
      flight.sends++;
      this.resends++;
      this.armRetry(flight);
    });
  }
}
