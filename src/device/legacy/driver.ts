/**
 * Single-byte keypads (device-protocol.md §8): configured bytes become levels, everything else
 * is ignored, and a second press within the debounce time is the same press.
 */
import { systemClock, type Clock } from '../../shared/clock';
import type { PortName } from '../crk1/link-status';
import type { KeypadHost, KeypadStatus } from '../../shared/keypad';
import type { RatingLevel } from '../../shared/levels';

export const LEGACY_DEBOUNCE_MS = 300;

export interface LegacyDriverOptions {
  host: KeypadHost;
  port: PortName;
  byteMap: ReadonlyMap<number, RatingLevel>;
  debounceMs?: number;
  clock?: Clock;
}

export interface LegacyDiagnostics {
  bytesIn: number;
  presses: number;
  /** Mapped bytes within the debounce time of the press before. */
  debounced: number;
  /** Bytes that are not in the byte map. */
  ignoredBytes: number;
  recordFailures: number;
  lastError: string | null;
}

export class LegacyDriver {
  private readonly clock: Clock;
  private readonly debounceMs: number;
  private readonly deviceSerial: string;
  private lastPressAt = Number.NEGATIVE_INFINITY;
  private up = false;
  private readonly counters: LegacyDiagnostics = {
    bytesIn: 0,
    presses: 0,
    debounced: 0,
    ignoredBytes: 0,
    recordFailures: 0,
    lastError: null,
  };

  constructor(private readonly options: LegacyDriverOptions) {
    this.clock = options.clock ?? systemClock;
    this.debounceMs = options.debounceMs ?? LEGACY_DEBOUNCE_MS;
    this.deviceSerial = `legacy:${options.port.path}`;
  }

  /** With no handshake, an open port is all there is to know (§8). */
  linkUp(): void {
    this.up = true;
    this.report({
      link: 'online',
      serial: this.deviceSerial,
      detail: `single-byte keypad on ${this.options.port.path} (${this.options.port.baudRate} baud): the port is open; this kind of keypad cannot confirm it is there`,
      code: 'legacy_open',
      fields: { port: this.options.port.path, baud: this.options.port.baudRate },
    });
  }

  linkDown(reason: string | null): void {
    this.up = false;
    if (reason !== null) {
      this.report({ link: 'offline', serial: this.deviceSerial, detail: `${reason}; Cordial keeps trying to reconnect`, code: 'port_down', fields: { reason } });
    }
  }

  receive(chunk: Uint8Array): void {
    if (!this.up) return;
    const at = this.clock.now();
    for (const byte of chunk) {
      this.counters.bytesIn++;
      const level = this.options.byteMap.get(byte);
      if (level === undefined) {
        this.counters.ignoredBytes++;
        continue;
      }
      if (at - this.lastPressAt < this.debounceMs) {
        this.counters.debounced++;
        continue;
      }
      this.lastPressAt = at;
      try {
        this.options.host.recordPress({ kind: 'legacy', level, rawByte: byte, deviceSerial: this.deviceSerial, at });
        this.counters.presses++;
      } catch (error) {
        // Nothing to retry with: the keypad cannot resend, so the failure is counted and shown in diagnostics.
        this.counters.recordFailures++;
        this.counters.lastError = error instanceof Error ? error.message : String(error);
      }
    }
  }

  stop(): void {
    this.up = false;
  }

  diagnostics(): LegacyDiagnostics {
    return { ...this.counters };
  }

  private report(status: KeypadStatus): void {
    try {
      this.options.host.setKeypadStatus(status);
    } catch (error) {
      this.counters.lastError = error instanceof Error ? error.message : String(error);
    }
  }
}
