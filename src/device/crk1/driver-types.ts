/** Options, timing and counters of the CRK/1 driver. */
import type { Clock } from '../../shared/clock';
import type { KeypadHost } from '../../shared/keypad';
import type { DecoderCounters } from './decoder';
import type { Frame } from './frame';
import type { PortName } from './link-status';
import type { Message, ParsedFrame } from './messages';

export interface Crk1Timing {
  /** §6 step 1: QUERY this often until HELLO. */
  queryIntervalMs: number;
  /** §3.3: offline after this long without a valid frame. */
  silenceMs: number;
  /** §4: resend an unacknowledged command after this long … */
  commandRetryMs: number;
  /** … at most this many times. */
  commandResends: number;
  /** How long to wait for a first HELLO before the status says what to check. */
  noAnswerMs: number;
  /** A FAULT with the same SEQ and payload within this time is a retransmission, recorded once. */
  faultRepeatMs: number;
}

export const CRK1_TIMING: Crk1Timing = {
  queryIntervalMs: 1000,
  silenceMs: 6000,
  commandRetryMs: 300,
  commandResends: 3,
  noAnswerMs: 5000,
  faultRepeatMs: 3500,
};

/** Watches the traffic, for the probe's trace and the benchmark's timing. */
export interface Crk1Observer {
  bytesIn?(chunk: Uint8Array): void;
  frameIn?(frame: Frame, parsed: ParsedFrame): void;
  frameOut?(bytes: Uint8Array, message: Message, seq: number): void;
}

export interface Crk1DriverOptions {
  host: KeypadHost;
  port: PortName;
  write(bytes: Uint8Array): void;
  clock?: Clock;
  /** The device fell silent: close and reopen the port (§6 step 3). */
  requestReopen?(): void;
  observer?: Crk1Observer;
  timing?: Partial<Crk1Timing>;
}

export interface Crk1Counters {
  keysAcked: number;
  /** KEY frames whose (serial, event id) the host had recorded before. */
  repeatedKeys: number;
  faultsAcked: number;
  /** KEY or FAULT before HELLO: not acknowledged, the serial is unknown; the device retransmits. */
  beforeHello: number;
  /** The host could not record a press or fault: not acknowledged, the device retransmits. */
  recordFailures: number;
  unknownCommands: number;
  badPayloads: number;
  hellos: number;
  commandsSent: number;
  commandResends: number;
  commandsUnanswered: number;
  /** The device answered ACK status 1 or 2. */
  commandsRefused: number;
  /** Commands from the core while no keypad was online (the next HELLO resends the view). */
  commandsDropped: number;
  /** Exceptions thrown by the host's callbacks while handling a frame. */
  hostErrors: number;
}

export function zeroCounters(): Crk1Counters {
  return {
    keysAcked: 0, repeatedKeys: 0, faultsAcked: 0, beforeHello: 0, recordFailures: 0, unknownCommands: 0,
    badPayloads: 0, hellos: 0, commandsSent: 0, commandResends: 0, commandsUnanswered: 0, commandsRefused: 0,
    commandsDropped: 0, hostErrors: 0,
  };
}

export interface Crk1Diagnostics {
  decoder: DecoderCounters;
  driver: Crk1Counters;
  device: { serial: string; model: string; firmware: string; keyCount: number } | null;
  lastHeartbeat: { uptimeSeconds: number; waiting: number } | null;
  lastError: string | null;
}
