/**
 * The CRK/1 host side (device-protocol.md §3, §4, §6): handshake, durable-then-ACK presses,
 * faults, heartbeat watch, and the core's keypad commands with resends. Bytes in and out go
 * through the transport; time through an injectable clock.
 */
import { after, every, systemClock, type Clock } from '../../shared/clock';
import type { KeypadCommand, KeypadStatus, PressReceipt, PressReport } from '../../shared/keypad';
import { CommandQueue, type DeviceCommand } from './command-queue';
import { FrameDecoder } from './decoder';
import { CRK1_TIMING, zeroCounters, type Crk1Counters, type Crk1Diagnostics, type Crk1DriverOptions, type Crk1Timing } from './driver-types';
import { FaultRepeats } from './fault-repeats';
import { ACK_STATUS, SeqCounter, toHex, type Frame } from './frame';
import { deviceCommandFor, resyncCommands } from './keypad-commands';
import * as say from './link-status';
import { encodeMessage, FAULT_CODES, parseFrame, type Message, type MessageOf } from './messages';

type Phase = 'down' | 'connecting' | 'online' | 'unresponsive';
interface ArrivedKey {
  frame: Frame;
  key: MessageOf<'key'>;
  at: number;
}
interface HeldFrame {
  frame: Frame;
  at: number;
}
const HELD_BEFORE_HELLO = 16;
/** CRK/1 §3.4 FAULT code 2. */
const VOICE_MODULE_FAILED = 2;
type Hello = MessageOf<'hello'>;

const noop = () => {};

export class Crk1Driver {
  private readonly clock: Clock;
  private readonly timing: Crk1Timing;
  private readonly decoder = new FrameDecoder();
  private readonly seq = new SeqCounter();
  private readonly queue: CommandQueue;
  private readonly unsubscribe: () => void;
  private phase: Phase = 'down';
  /** Set while the host records a press: its keypad commands wait for the ACK. */
  private heldCommands: KeypadCommand[] | null = null;
  private device: Hello | null = null;
  private lastSerial: string | null = null;
  private lastStatus: KeypadStatus | null = null;
  private lastHeartbeat: Crk1Diagnostics['lastHeartbeat'] = null;
  private lastError: string | null = null;
  private lastQueryAt = Number.NEGATIVE_INFINITY;
  private readonly faultRepeats: FaultRepeats;
  private stopQueries = noop;
  private stopSilenceWatch = noop;
  private stopNoAnswer = noop;
  private readonly counters: Crk1Counters = zeroCounters();
  /** KEYs of the read being handled, recorded together. */
  private keyBatch: ArrivedKey[] | null = null;
  private heldBeforeHello: HeldFrame[] = [];

  constructor(private readonly options: Crk1DriverOptions) {
    this.clock = options.clock ?? systemClock;
    this.timing = { ...CRK1_TIMING, ...options.timing };
    this.faultRepeats = new FaultRepeats(this.timing.faultRepeatMs);
    this.queue = new CommandQueue({
      clock: this.clock,
      retryMs: this.timing.commandRetryMs,
      maxResends: this.timing.commandResends,
      send: (command, seq) => this.send(command, seq),
      onAnswered: (command, status) => this.commandAnswered(command, status),
      onUnanswered: (command, sends) => this.commandUnanswered(command, sends),
    });
    this.unsubscribe = options.host.onKeypadCommand((command) => this.keypadCommand(command));
  }

  /** The port is open: §6 step 1, QUERY until HELLO. */
  linkUp(): void {
    this.halt();
    this.phase = 'connecting';
    // After a loss the status stays offline, with its reason, until the keypad answers again.
    if (this.lastStatus?.link !== 'offline') this.report(say.connectingStatus(this.options.port));
    this.startQueries();
    this.stopNoAnswer = after(this.clock, this.timing.noAnswerMs, () => {
      if (this.phase !== 'connecting') return;
      const status = say.noAnswerStatus(this.options.port, Math.round(this.timing.noAnswerMs / 1000));
      this.report(this.lastStatus?.link === 'offline' ? { ...status, link: 'offline', serial: this.lastSerial } : status);
    });
  }

  /** The port closed or failed; `reason` is a sentence for people, or null to keep the current status. */
  linkDown(reason: string | null): void {
    this.halt();
    this.phase = 'down';
    if (reason !== null) this.report(say.portDownStatus(this.lastSerial, reason));
  }

  receive(chunk: Uint8Array): void {
    this.options.observer?.bytesIn?.(chunk);
    const at = this.clock.now();
    // KEYs that arrive together (one read: sent at once, or queued while the last write was in
    // flight) are made durable together and then all acknowledged.
    this.keyBatch = [];
    try {
      // A failing host callback must not stop the receiver; the device retransmits what was not acked.
      for (const frame of this.decoder.push(chunk, at)) this.guard(() => this.frameReceived(frame, at), 'hostErrors');
    } finally {
      this.recordKeys();
      this.keyBatch = null;
    }
  }

  stop(): void {
    this.unsubscribe();
    this.halt();
    this.phase = 'down';
  }

  diagnostics(): Crk1Diagnostics {
    const d = this.device;
    return {
      decoder: this.decoder.diagnostics(),
      driver: { ...this.counters, commandResends: this.queue.resends },
      device: d ? { serial: d.serial, model: d.model, firmware: d.firmware, keyCount: d.keyCount } : null,
      lastHeartbeat: this.lastHeartbeat,
      lastError: this.lastError,
    };
  }

  private frameReceived(frame: Frame, at: number): void {
    if (this.phase === 'down') return;
    const parsed = parseFrame(frame);
    this.options.observer?.frameIn?.(frame, parsed);
    // Whatever else came in the same read is handled after the KEYs before it are recorded.
    if (!(parsed.ok && parsed.message.type === 'key')) this.recordKeys();
    if (this.device) this.watchSilence();
    if (!parsed.ok) {
      if (parsed.problem === 'unknown_command') {
        this.counters.unknownCommands++;
        this.ack(frame.seq, ACK_STATUS.unknownCommand);
        return;
      }
      this.counters.badPayloads++;
      this.lastError = parsed.reason;
      if (parsed.type === 'hello' && !this.device) this.report(say.badHelloStatus(this.options.port, parsed.reason));
      // Never answer an ACK: two confused ends would answer each other for ever.
      if (parsed.type !== 'ack') this.ack(frame.seq, ACK_STATUS.badPayload);
      return;
    }
    const message = parsed.message;
    switch (message.type) {
      case 'hello':
        return this.hello(message);
      case 'key':
        return this.key(frame, message, at);
      case 'fault':
        return this.fault(frame, message, at);
      case 'heartbeat':
        this.lastHeartbeat = { uptimeSeconds: message.uptimeSeconds, waiting: message.waiting };
        if (!this.device) this.queryNow();
        return;
      case 'ack':
        this.queue.acknowledge(message.ackedSeq, message.status);
        return;
      default:
        // A host command coming from the device is not part of its side of the protocol.
        this.counters.unknownCommands++;
        this.ack(frame.seq, ACK_STATUS.unknownCommand);
    }
  }

  private hello(hello: Hello): void {
    this.counters.hellos++;
    this.device = hello;
    this.lastSerial = hello.serial;
    this.stopNoAnswer();
    this.stopQueries();
    this.stopNoAnswer = this.stopQueries = noop;
    // An unresponsive keypad stays so until it acknowledges a command again.
    if (this.phase !== 'unresponsive') {
      this.phase = 'online';
      this.report(say.onlineStatus(this.options.port, hello));
    }
    this.watchSilence();
    // §6 step 2, also after a power cycle (a HELLO while online): clock, mode and text again.
    this.queue.clear();
    const now = this.clock.now();
    const view = this.guard(() => this.options.host.keypadView(), 'hostErrors');
    const commands = view ? resyncCommands(view, hello.features, now) : [{ type: 'time' as const, unixSeconds: Math.floor(now / 1000) }];
    for (const command of commands) this.queue.enqueue(command);
    this.releaseHeld();
  }

  private key(frame: Frame, key: MessageOf<'key'>, at: number): void {
    if (!this.device) return this.beforeHello(frame, at);
    if (this.keyBatch) this.keyBatch.push({ frame, key, at });
    else this.recordKeys([{ frame, key, at }]);
  }

  /** Records the KEYs gathered so far as one group, then ACKs each one recorded. */
  private recordKeys(batch: ArrivedKey[] | null = this.keyBatch): void {
    const device = this.device;
    if (!batch || batch.length === 0 || !device) return;
    const keys = batch.splice(0);
    const reports: PressReport[] = keys.map(({ key, at }) => ({
      kind: 'key', key: key.key, keyCount: device.keyCount, deviceSerial: device.serial, eventId: key.eventId, at, ageMs: key.ageMs ?? null,
    }));
    // What the presses change on the keypad (thanks, a prompt) goes out after their ACKs, not before.
    const held: KeypadCommand[] = [];
    this.heldCommands = held;
    const host = this.options.host;
    let receipts: (PressReceipt | undefined)[];
    if (host.recordPresses) {
      const all = this.guard(() => host.recordPresses!(reports), 'recordFailures');
      receipts = all ?? reports.map(() => undefined);
    } else {
      receipts = reports.map((report) => this.guard(() => host.recordPress(report), 'recordFailures'));
    }
    this.heldCommands = null;
    keys.forEach(({ frame }, i) => {
      const receipt = receipts[i];
      // Not on disk, so no ACK: the device keeps the press and sends it again.
      if (!receipt) return;
      this.ack(frame.seq, ACK_STATUS.ok);
      this.counters.keysAcked++;
      if (receipt.repeat) this.counters.repeatedKeys++;
    });
    for (const command of held) this.keypadCommand(command);
  }

  private fault(frame: Frame, reported: MessageOf<'fault'>, at: number): void {
    const device = this.device;
    if (!device) return this.beforeHello(frame, at);
    if (!this.faultRepeats.isRepeat(frame, at)) {
      const detail = reported.detail || FAULT_CODES[reported.code] || `fault code ${reported.code}`;
      const fault = { deviceSerial: device.serial, code: reported.code, detail, at };
      if (!this.guard(() => (this.options.host.recordFault(fault), true), 'recordFailures')) return;
    }
    this.faultRepeats.recorded(frame, at);
    this.ack(frame.seq, ACK_STATUS.ok);
    this.counters.faultsAcked++;
    // A failed voice module speaks no prompt: until the next HELLO the keypad counts as voiceless, and the screen speaks.
    if (reported.code === VOICE_MODULE_FAILED && device.features.voice && this.device === device) {
      this.device = { ...device, features: { ...device.features, voice: false } };
      if (this.phase === 'online') this.report(say.onlineStatus(this.options.port, this.device));
    }
  }


  /**
   * §3.2: a KEY or FAULT before HELLO is held (once per SEQ and payload: its resends are not
   * held twice), QUERY goes out at once, and HELLO has it recorded and acknowledged.
   */
  private beforeHello(frame: Frame, at: number): void {
    this.counters.beforeHello++;
    const same = (h: HeldFrame) => h.frame.seq === frame.seq && h.frame.cmd === frame.cmd && toHex(h.frame.payload) === toHex(frame.payload);
    if (this.heldBeforeHello.some(same)) return this.queryNow();
    this.heldBeforeHello.push({ frame, at });
    // A keypad queues at most 16 presses; what is beyond that it still holds itself.
    if (this.heldBeforeHello.length > HELD_BEFORE_HELLO) this.heldBeforeHello.shift();
    // A new held frame: QUERY at once, whatever went out just before (at most one per held frame).
    this.lastQueryAt = this.clock.now();
    this.send({ type: 'query' }, null);
  }

  /** HELLO named the device: the frames held before it are handled now, in order, their KEYs as one group. */
  private releaseHeld(): void {
    const held = this.heldBeforeHello.splice(0);
    if (held.length === 0) return;
    const outer = this.keyBatch;
    this.keyBatch = [];
    try {
      for (const { frame, at } of held) {
        const parsed = parseFrame(frame);
        if (!parsed.ok) continue;
        const m = parsed.message;
        if (m.type === 'key') this.guard(() => this.key(frame, m, at), 'hostErrors');
        else if (m.type === 'fault') this.guard(() => (this.recordKeys(), this.fault(frame, m, at)), 'hostErrors');
      }
    } finally {
      this.recordKeys();
      this.keyBatch = outer;
    }
  }

  private keypadCommand(command: KeypadCommand): void {
    if (this.heldCommands) {
      this.heldCommands.push(command);
      return;
    }
    const device = this.device;
    if (!device || (this.phase !== 'online' && this.phase !== 'unresponsive')) {
      this.counters.commandsDropped++;
      return;
    }
    const deviceCommand = deviceCommandFor(command, device.features);
    if (deviceCommand) this.queue.enqueue(deviceCommand);
  }

  private commandAnswered(_command: DeviceCommand, status: number): void {
    if (status !== ACK_STATUS.ok) {
      this.counters.commandsRefused++;
      return;
    }
    if (this.phase === 'unresponsive' && this.device) {
      this.phase = 'online';
      this.stopQueries();
      this.stopQueries = noop;
      this.report(say.onlineStatus(this.options.port, this.device));
    }
  }

  private commandUnanswered(command: DeviceCommand, sends: number): void {
    this.counters.commandsUnanswered++;
    this.phase = 'unresponsive';
    // The view is sent again after the next HELLO, so stale commands are not worth keeping.
    this.queue.clear();
    this.report(say.unresponsiveStatus(this.lastSerial, command, sends));
    this.startQueries();
  }

  private watchSilence(): void {
    this.stopSilenceWatch();
    this.stopSilenceWatch = after(this.clock, this.timing.silenceMs, () => {
      this.report(say.silentStatus(this.options.port, this.lastSerial, this.timing.silenceMs));
      this.device = null;
      this.queue.clear();
      this.phase = 'connecting';
      this.startQueries();
      this.options.requestReopen?.();
    });
  }

  private startQueries(): void {
    this.stopQueries();
    this.queryNow();
    this.stopQueries = every(this.clock, this.timing.queryIntervalMs, () => this.queryNow());
  }

  /** QUERY at once, but not more often than four times a second. */
  private queryNow(): void {
    const now = this.clock.now();
    if (now - this.lastQueryAt < 250) return;
    this.lastQueryAt = now;
    this.send({ type: 'query' }, null);
  }

  private ack(ackedSeq: number, status: number): void {
    this.send({ type: 'ack', ackedSeq, status }, null);
  }

  private send(message: Message, seq: number | null): number {
    const used = seq ?? this.seq.take();
    const bytes = encodeMessage(used, message);
    if (message.type !== 'ack' && message.type !== 'query' && seq === null) this.counters.commandsSent++;
    this.options.observer?.frameOut?.(bytes, message, used);
    this.options.write(bytes);
    return used;
  }

  private report(status: KeypadStatus): void {
    if (say.sameStatus(this.lastStatus, status)) return;
    this.lastStatus = status;
    this.guard(() => this.options.host.setKeypadStatus(status), 'hostErrors');
  }

  /** Runs a host callback; a throw is counted and remembered, never passed on to the serial port's events. */
  private guard<T>(run: () => T, counter: 'hostErrors' | 'recordFailures'): T | undefined {
    try {
      return run();
    } catch (error) {
      this.counters[counter]++;
      this.lastError = error instanceof Error ? error.message : String(error);
      return undefined;
    }
  }

  private halt(): void {
    // Held frames belong to this opening of the port; the keypad still holds them and resends.
    this.heldBeforeHello = [];
    this.stopQueries();
    this.stopSilenceWatch();
    this.stopNoAnswer();
    this.stopQueries = this.stopSilenceWatch = this.stopNoAnswer = noop;
    this.queue.clear();
    this.decoder.reset();
    this.device = null;
  }
}
