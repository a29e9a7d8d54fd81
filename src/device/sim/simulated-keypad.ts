/**
 * A CRK/1 keypad in software, byte-exact to device-protocol.md: HELLO at power-up and on QUERY,
 * a heartbeat every 2 s, presses queued (16 at most) and repeated until acknowledged, host
 * commands acknowledged. Line trouble (noise, corrupt or lost frames, slow ACKs) on request.
 */
import { after, every, systemClock, type Clock } from '../../shared/clock';
import { FrameDecoder } from '../crk1/decoder';
import { ACK_STATUS, SeqCounter } from '../crk1/frame';
import { encodeMessage, parseFrame, type HelloFeatures, type Message } from '../crk1/messages';
import type { KeypadMode } from '../../shared/domain';
import { inMemoryKeypadMemory, type KeypadMemory } from './keypad-memory';
import { ReliableQueue, type QueuedItem } from './reliable-queue';

export interface KeypadIdentity {
  serial: string;
  model: string;
  firmware: string;
  keyCount: 4 | 5;
  features: HelloFeatures;
}

export const DEFAULT_IDENTITY: KeypadIdentity = {
  serial: 'SIM5-000001',
  model: 'CRK-5V SIM',
  firmware: '1.0.0',
  keyCount: 5,
  features: { voice: true, display: true, keyLeds: true, pressAge: true },
};

export interface SimulatedKeypadOptions {
  write(bytes: Uint8Array): void;
  identity?: Partial<KeypadIdentity>;
  memory?: KeypadMemory;
  clock?: Clock;
  random?: () => number;
  retransmitMs?: number;
  maxSends?: number;
  queueLimit?: number;
  heartbeatMs?: number;
  /** Revision 2: KEY carries the press age (§3.2) and HELLO says so (feature bit 3). Default on. */
  pressAge?: boolean;
  /** Narrates what the keypad does, for the simulator's terminal. */
  log?(line: string): void;
}

/** What the host told the keypad: a test asserts on these, a person reads them in the terminal. */
export interface KeypadDisplay {
  mode: KeypadMode | null;
  lines: [string, string, string, string];
  prompts: number[];
  clockSetTo: number | null;
}

export type PressResult = { eventId: number } | { dropped: true };

export class SimulatedKeypad {
  readonly identity: KeypadIdentity;
  readonly display: KeypadDisplay = { mode: null, lines: ['', '', '', ''], prompts: [], clockSetTo: null };
  /** Every host frame received, in order (a test's view of the wire). */
  readonly received: { seq: number; message: Message | null; cmd: number }[] = [];
  /** Sends of each event id, retransmissions included. */
  readonly sendsByEvent = new Map<number, number>();
  private readonly clock: Clock;
  private readonly memory: KeypadMemory;
  private readonly random: () => number;
  private readonly queue: ReliableQueue;
  private readonly queueLimit: number;
  private readonly heartbeatMs: number;
  private readonly seq = new SeqCounter();
  private decoder = new FrameDecoder();
  private nextEventId: number;
  private poweredAt = 0;
  private on = false;
  private stopHeartbeat = () => {};
  private corruptNextFrame = false;
  private dropNextFrame = false;
  private ackDelayMs = 0;
  private muted = false;
  /** For each press, this many ACKs from the host are ignored (as if lost on the line). */
  withheldAcksPerPress = 0;
  private withheld = new Map<number, number>();

  constructor(private readonly options: SimulatedKeypadOptions) {
    const identity = { ...DEFAULT_IDENTITY, ...options.identity };
    const pressAge = options.pressAge ?? identity.features.pressAge ?? true;
    this.identity = { ...identity, features: { ...identity.features, pressAge } };
    this.clock = options.clock ?? systemClock;
    this.memory = options.memory ?? inMemoryKeypadMemory();
    this.random = options.random ?? Math.random;
    this.queueLimit = options.queueLimit ?? 16;
    this.heartbeatMs = options.heartbeatMs ?? 2000;
    const stored = this.memory.load();
    this.nextEventId = stored.nextEventId;
    this.queue = new ReliableQueue({
      clock: this.clock,
      retransmitMs: options.retransmitMs ?? 300,
      maxSends: options.maxSends ?? 10,
      send: (item) => this.sendQueued(item),
      acknowledged: (item) => this.acknowledged(item),
    });
    for (const { key, eventId, pressedAt } of stored.pending) {
      this.queue.items.push({ message: { type: 'key', key, eventId }, seq: null, sends: 0, ...(pressedAt !== undefined ? { pressedAt } : {}) });
    }
  }

  get poweredOn(): boolean {
    return this.on;
  }

  /** Presses not yet acknowledged by the host. */
  get waiting(): number {
    return this.queue.items.filter((item) => item.message.type === 'key').length;
  }

  powerUp(): void {
    if (this.on) return;
    this.on = true;
    this.poweredAt = this.clock.now();
    this.seq.reset();
    this.decoder = new FrameDecoder();
    this.queue.forgetSeqs();
    this.send({ type: 'hello', protocolVersion: 1, ...this.identity });
    this.stopHeartbeat = every(this.clock, this.heartbeatMs, () => this.heartbeat());
    this.queue.start();
  }

  powerDown(): void {
    if (!this.on) return;
    this.on = false;
    this.stopHeartbeat();
    this.queue.stop();
  }

  powerCycle(): void {
    this.powerDown();
    this.powerUp();
  }

  /** A citizen presses key `key`. Returns its event id, or dropped when 16 presses already wait. */
  press(key: number): PressResult {
    if (this.waiting >= this.queueLimit) {
      this.log(`queue full: press of key ${key} dropped, FAULT 4 reported`);
      // One FAULT 4 waiting says it; more would only crowd the queue.
      const reported = this.queue.items.some((item) => item.message.type === 'fault' && item.message.code === 4);
      if (!reported) this.queue.push({ type: 'fault', code: 4, detail: 'press dropped: queue full' });
      return { dropped: true };
    }
    const eventId = this.nextEventId++;
    this.queue.push({ type: 'key', key, eventId }, this.clock.now());
    this.persist();
    return { eventId };
  }

  reportFault(code: number, detail = ''): void {
    this.queue.push({ type: 'fault', code, detail });
  }

  receive(chunk: Uint8Array): void {
    if (!this.on) return;
    for (const frame of this.decoder.push(chunk, this.clock.now())) {
      const parsed = parseFrame(frame);
      const message = parsed.ok ? parsed.message : null;
      this.received.push({ seq: frame.seq, cmd: frame.cmd, message });
      this.queue.hostAlive();
      if (!parsed.ok) {
        if (parsed.problem === 'unknown_command') this.ackHost(frame.seq, ACK_STATUS.unknownCommand);
        else if (parsed.type !== 'ack') this.ackHost(frame.seq, ACK_STATUS.badPayload);
        continue;
      }
      this.hostMessage(frame.seq, parsed.message);
    }
  }

  /** Line trouble: random bytes on the wire between frames. */
  sendNoise(count: number): void {
    const noise = new Uint8Array(count);
    for (let i = 0; i < count; i++) noise[i] = Math.floor(this.random() * 256);
    this.options.write(noise);
  }

  /** Line trouble of any shape: these exact bytes on the wire. */
  sendRaw(bytes: Uint8Array): void {
    this.options.write(bytes);
  }

  corruptNext(): void {
    this.corruptNextFrame = true;
  }

  dropNext(): void {
    this.dropNextFrame = true;
  }

  /** Acknowledge host commands only after `ms` (0: at once). */
  delayAcks(ms: number): void {
    this.ackDelayMs = Math.max(0, ms);
  }

  /** A keypad that hears but never acknowledges host commands. */
  mute(on: boolean): void {
    this.muted = on;
  }

  private hostMessage(seq: number, message: Message): void {
    switch (message.type) {
      case 'query':
        this.send({ type: 'hello', protocolVersion: 1, ...this.identity });
        return;
      case 'ack': {
        const head = this.queue.items[0];
        if (head && head.seq === message.ackedSeq && head.message.type === 'key') {
          const ignored = this.withheld.get(head.message.eventId) ?? 0;
          if (ignored < this.withheldAcksPerPress) {
            this.withheld.set(head.message.eventId, ignored + 1);
            return;
          }
        }
        this.queue.acknowledge(message.ackedSeq);
        return;
      }
      case 'mode':
        this.display.mode = message.mode;
        this.log(`MODE ${message.mode}`);
        break;
      case 'prompt':
        this.display.prompts.push(message.promptId);
        this.log(`PROMPT ${message.promptId}`);
        break;
      case 'text':
        this.display.lines[message.line] = message.text;
        this.log(`TEXT line ${message.line}: ${message.text}`);
        break;
      case 'time':
        this.display.clockSetTo = message.unixSeconds;
        this.log(`TIME ${new Date(message.unixSeconds * 1000).toISOString()}`);
        break;
      default:
        // HELLO, KEY, HEARTBEAT, FAULT are the device's own messages, not commands to it.
        this.ackHost(seq, ACK_STATUS.unknownCommand);
        return;
    }
    this.ackHost(seq, ACK_STATUS.ok);
  }

  private ackHost(seq: number, status: number): void {
    if (this.muted) return;
    const ack = () => this.on && this.send({ type: 'ack', ackedSeq: seq, status });
    if (this.ackDelayMs > 0) after(this.clock, this.ackDelayMs, ack);
    else ack();
  }

  private heartbeat(): void {
    const uptimeSeconds = Math.floor((this.clock.now() - this.poweredAt) / 1000);
    this.send({ type: 'heartbeat', uptimeSeconds, waiting: this.waiting });
  }

  private sendQueued(item: QueuedItem): number {
    // Each send, a resend too, says how long ago the key was pressed (§3.2).
    const message =
      item.message.type === 'key' && this.identity.features.pressAge && item.pressedAt !== undefined
        ? { ...item.message, ageMs: Math.max(0, this.clock.now() - item.pressedAt) }
        : item.message;
    const seq = this.send(message, item.seq);
    if (item.message.type === 'key') {
      const { eventId, key } = item.message;
      const sends = (this.sendsByEvent.get(eventId) ?? 0) + 1;
      this.sendsByEvent.set(eventId, sends);
      this.log(`KEY ${key} event ${eventId} seq ${seq}${sends > 1 ? ` (send ${sends})` : ''}`);
    } else {
      this.log(`FAULT ${item.message.code} seq ${seq}`);
    }
    return seq;
  }

  private acknowledged(item: QueuedItem): void {
    if (item.message.type === 'key') {
      this.log(`ACK for event ${item.message.eventId}`);
      this.persist();
    }
  }

  private send(message: Message, seq: number | null = null): number {
    const used = seq ?? this.seq.take();
    const bytes = encodeMessage(used, message);
    if (this.dropNextFrame) {
      this.dropNextFrame = false;
      return used;
    }
    if (this.corruptNextFrame) {
      this.corruptNextFrame = false;
      bytes[bytes.length - 1] = (bytes[bytes.length - 1] as number) ^ 0x5a;
    }
    this.options.write(bytes);
    return used;
  }

  private persist(): void {
    const pending = this.queue.items.flatMap((item) =>
      item.message.type === 'key' ? [{ key: item.message.key, eventId: item.message.eventId, pressedAt: item.pressedAt }] : [],
    );
    this.memory.save({ nextEventId: this.nextEventId, pending });
  }

  private log(line: string): void {
    this.options.log?.(line);
  }
}
