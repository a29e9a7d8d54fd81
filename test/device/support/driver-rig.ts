/** A CRK/1 driver on a manual clock with a scripted device end: the unit-test rig. */
import { Crk1Driver } from '../../../src/device/crk1/driver';
import type { Crk1Timing } from '../../../src/device/crk1/driver-types';
import { encodeMessage, type Message } from '../../../src/device/crk1/messages';
import { FrameLog } from './frame-log';
import { ManualClock } from '../../support/clock';
import { MemoryKeypadHost } from './memory-host';
import { VECTORS } from './vectors';

/** The device of the protocol's HELLO test vector. */
export const HELLO = VECTORS.map((v) => v.message).find((m): m is Extract<Message, { type: 'hello' }> => m.type === 'hello')!;

export function driverRig(timing: Partial<Crk1Timing> = {}) {
  const clock = new ManualClock();
  const host = new MemoryKeypadHost();
  const sent = new FrameLog(() => clock.now());
  let reopens = 0;
  let deviceSeq = 0;
  const driver = new Crk1Driver({
    host,
    clock,
    timing,
    port: { path: '/dev/ttyTEST0', baudRate: 9600 },
    write: (bytes) => sent.push(bytes),
    requestReopen: () => reopens++,
  });
  const rig = {
    clock,
    host,
    sent,
    driver,
    get reopens() {
      return reopens;
    },
    /** The device sends a new frame; returns its SEQ. */
    device(message: Message, seq = deviceSeq++ & 0xff): number {
      driver.receive(encodeMessage(seq, message));
      return seq;
    },
    /** The device sends frames back to back, read by the host in one chunk; returns their SEQs. */
    deviceTogether(messages: Message[], seqs = messages.map(() => deviceSeq++ & 0xff)): number[] {
      const frames = messages.map((m, i) => encodeMessage(seqs[i]!, m));
      const bytes = new Uint8Array(frames.reduce((n, f) => n + f.length, 0));
      frames.reduce((at, f) => (bytes.set(f, at), at + f.length), 0);
      driver.receive(bytes);
      return seqs;
    },
    /** The device acknowledges every host command it has not acknowledged yet. */
    ackCommands(): void {
      const acked = new Set(rig.ackedSeqs);
      for (const frame of sent.frames) {
        const type = frame.message?.type;
        if (type && type !== 'ack' && type !== 'query' && !acked.has(frame.seq)) {
          acked.add(frame.seq);
          rig.ackedSeqs.push(frame.seq);
          rig.device({ type: 'ack', ackedSeq: frame.seq, status: 0 });
        }
      }
    },
    ackedSeqs: [] as number[],
    /** Port open, HELLO answered, the resync acknowledged. */
    online(): void {
      driver.linkUp();
      rig.device(HELLO);
      for (let i = 0; i < 4; i++) rig.ackCommands();
    },
    acksFor(seq: number) {
      return sent.of('ack').filter((f) => f.message.ackedSeq === seq);
    },
  };
  return rig;
}
