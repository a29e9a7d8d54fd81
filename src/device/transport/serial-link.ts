/**
 * A serial line that stays up for as long as it runs: opens the port, reports bytes, and after
 * an error, a close or an unplug opens it again with capped back-off (CRK/1 §6 step 3).
 */
import { after, systemClock, type Clock } from '../../shared/clock';
import { backoffDelay, DEFAULT_BACKOFF, type Backoff } from './backoff';
import { describePortError } from './port-errors';
import { openSerialPort, type OpenSerialPort, type SerialPortHandle } from './serial-port';

export interface SerialLinkEvents {
  opened(path: string): void;
  data(chunk: Uint8Array): void;
  /** `reason` is a sentence for people, or null when the link itself closed the port on purpose. */
  closed(reason: string | null): void;
}

export interface SerialLinkOptions {
  /** The port to open on each attempt: a fixed path, or the result of a fresh discovery. */
  resolvePath(): Promise<{ path: string } | { problem: string }>;
  baudRate: number;
  events: SerialLinkEvents;
  open?: OpenSerialPort;
  backoff?: Backoff;
  clock?: Clock;
}

export interface SerialLinkDiagnostics {
  path: string | null;
  open: boolean;
  opens: number;
  openFailures: number;
  losses: number;
  bytesIn: number;
  bytesOut: number;
  /** Bytes the driver wanted to send while the port was closed. */
  bytesNotSent: number;
  lastProblem: string | null;
}

export class SerialLink {
  private readonly clock: Clock;
  private readonly open: OpenSerialPort;
  private readonly backoff: Backoff;
  private port: SerialPortHandle | null = null;
  private attempt = 0;
  private running = false;
  private opening: Promise<void> | null = null;
  private cancelRetry = () => {};
  private lastReported: string | null = null;
  private readonly stats: SerialLinkDiagnostics = {
    path: null, open: false, opens: 0, openFailures: 0, losses: 0, bytesIn: 0, bytesOut: 0, bytesNotSent: 0, lastProblem: null,
  };

  constructor(private readonly options: SerialLinkOptions) {
    this.clock = options.clock ?? systemClock;
    this.open = options.open ?? openSerialPort;
    this.backoff = options.backoff ?? DEFAULT_BACKOFF;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.attempt = 0;
    this.opening = this.tryOpen();
  }

  write(bytes: Uint8Array): void {
    if (!this.port) {
      this.stats.bytesNotSent += bytes.length;
      return;
    }
    this.stats.bytesOut += bytes.length;
    this.port.write(bytes);
  }

  /** Closes the port on purpose and opens it again shortly (the device fell silent). */
  reopen(): void {
    const port = this.port;
    if (!this.running || !port) return;
    this.port = null;
    this.stats.open = false;
    this.options.events.closed(null);
    void port.close().then(() => this.scheduleRetry());
  }

  async stop(): Promise<void> {
    this.running = false;
    this.cancelRetry();
    await this.opening;
    const port = this.port;
    this.port = null;
    this.stats.open = false;
    if (port) await port.close();
  }

  diagnostics(): SerialLinkDiagnostics {
    return { ...this.stats };
  }

  private async tryOpen(): Promise<void> {
    const target = await this.options.resolvePath().catch((error: unknown) => ({ problem: String(error) }));
    if (!this.running) return;
    if ('problem' in target) return this.failed(target.problem);
    this.stats.path = target.path;
    let port: SerialPortHandle;
    try {
      port = await this.open(target.path, this.options.baudRate);
    } catch (error) {
      return this.failed(describePortError(target.path, error));
    }
    if (!this.running) {
      await port.close();
      return;
    }
    this.port = port;
    this.attempt = 0;
    this.lastReported = null;
    this.stats.opens++;
    this.stats.open = true;
    port.listen({
      data: (chunk) => {
        this.stats.bytesIn += chunk.length;
        this.options.events.data(chunk);
      },
      closed: (error) => this.lost(port, error),
    });
    this.options.events.opened(target.path);
  }

  private failed(problem: string): void {
    this.stats.openFailures++;
    this.stats.lastProblem = problem;
    // The same failure every few seconds is one piece of news, not many.
    if (problem !== this.lastReported) {
      this.lastReported = problem;
      this.options.events.closed(problem);
    }
    this.scheduleRetry();
  }

  private lost(port: SerialPortHandle, error: Error | null): void {
    if (this.port !== port) return;
    this.port = null;
    this.stats.open = false;
    this.stats.losses++;
    const reason = describePortError(port.path, error ?? Object.assign(new Error('closed'), { disconnected: true }));
    this.stats.lastProblem = reason;
    this.lastReported = reason;
    this.options.events.closed(reason);
    this.scheduleRetry();
  }

  private scheduleRetry(): void {
    if (!this.running) return;
    const delay = backoffDelay(this.attempt++, this.backoff);
    this.cancelRetry();
    this.cancelRetry = after(this.clock, delay, () => {
      this.opening = this.tryOpen();
    });
  }
}
