import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { encodeFrame, toHex } from '../../src/device/crk1/frame';
import { encodeMessage } from '../../src/device/crk1/messages';
import { fileKeypadMemory } from '../../src/device/sim/keypad-memory';
import { SimulatedKeypad, type SimulatedKeypadOptions } from '../../src/device/sim/simulated-keypad';
import { FrameLog } from './support/frame-log';
import { ManualClock } from '../support/clock';
import { VECTORS } from './support/vectors';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function keypadRig(options: Omit<SimulatedKeypadOptions, 'write'> = {}) {
  const clock = new ManualClock();
  const wire = new FrameLog(() => clock.now());
  const bytes: string[] = [];
  const keypad = new SimulatedKeypad({
    clock,
    identity: { serial: 'CRK5-000123', model: 'CRK-5V', firmware: '1.4.2' },
    ...options,
    write: (b) => {
      bytes.push(toHex(b));
      wire.push(b);
    },
  });
  return { clock, wire, bytes, keypad, host: (seq: number, m: Parameters<typeof encodeMessage>[1]) => keypad.receive(encodeMessage(seq, m)) };
}

describe('simulated CRK/1 keypad', () => {
  it('says HELLO at power-up byte for byte as in §7, and again on QUERY', () => {
    // The §7 HELLO is a revision 1 keypad's: no press age.
    const { keypad, bytes, host } = keypadRig({ pressAge: false });
    keypad.powerUp();
    expect(bytes[0]).toBe(VECTORS.find((v) => v.message.type === 'hello')?.hex);
    host(0, { type: 'query' });
    expect(bytes.at(-1)?.slice(0, 20)).toBe('AA 55 01 01 01 2B 01');
  });

  it('says in HELLO that its KEYs carry the press age, and brings the age up to date in each resend', () => {
    const { keypad, wire, clock } = keypadRig();
    keypad.powerUp();
    expect(wire.of('hello')[0]?.message.features.pressAge).toBe(true);
    keypad.press(3);
    clock.advance(300);
    clock.advance(300);
    expect(wire.of('key').map((f) => f.message.ageMs)).toEqual([0, 300, 600]);
  });

  it('sends KEY without the age when the press age is turned off', () => {
    const { keypad, wire } = keypadRig({ pressAge: false });
    keypad.powerUp();
    keypad.press(3);
    expect(wire.of('hello')[0]?.message.features.pressAge).toBe(false);
    expect(wire.of('key').map((f) => f.message.ageMs)).toEqual([null]);
  });

  it('sends a heartbeat every 2 s with its uptime and waiting presses', () => {
    const { keypad, wire, clock } = keypadRig();
    keypad.powerUp();
    clock.advance(6_000);
    expect(wire.of('heartbeat').map((f) => f.message.uptimeSeconds)).toEqual([2, 4, 6]);
  });

  it('repeats an unacknowledged KEY every 300 ms with the same SEQ, 10 sends in all, until the host shows life', () => {
    const { keypad, wire, clock, host } = keypadRig({ heartbeatMs: 60_000 });
    keypad.powerUp();
    keypad.press(3);
    clock.advance(5_000);
    const keys = wire.of('key');
    expect(keys).toHaveLength(10);
    expect(new Set(keys.map((f) => f.seq)).size).toBe(1);
    host(0, { type: 'query' });
    expect(wire.of('key')).toHaveLength(11);
    host(1, { type: 'ack', ackedSeq: keys[0]!.seq, status: 0 });
    expect(keypad.waiting).toBe(0);
  });

  it('sends queued presses in order, one at a time, and reports FAULT 4 when 16 are waiting', () => {
    const { keypad, wire, host } = keypadRig();
    keypad.powerUp();
    const results = Array.from({ length: 17 }, (_, i) => keypad.press((i % 5) + 1));
    expect(results.slice(0, 16).map((r) => ('eventId' in r ? r.eventId : 0))).toEqual(Array.from({ length: 16 }, (_, i) => i + 1));
    expect(results[16]).toEqual({ dropped: true });
    for (let i = 0; i < 17; i++) {
      const head = wire.frames.filter((f) => f.message?.type === 'key' || f.message?.type === 'fault').at(-1)!;
      host(i, { type: 'ack', ackedSeq: head.seq, status: 0 });
    }
    expect(wire.of('key').map((f) => f.message.eventId)).toEqual(Array.from({ length: 16 }, (_, i) => i + 1));
    expect(wire.of('fault').map((f) => f.message.code)).toEqual([4]);
  });

  it('acknowledges host commands and shows them; answers an unknown command with status 1', () => {
    const { keypad, wire, host } = keypadRig();
    keypad.powerUp();
    host(5, { type: 'mode', mode: 'rating' });
    host(6, { type: 'text', line: 1, text: '请评价' });
    host(7, { type: 'prompt', promptId: 3 });
    keypad.receive(encodeFrame({ seq: 8, cmd: 0x33, payload: new Uint8Array(0) }));
    expect(keypad.display).toMatchObject({ mode: 'rating', lines: ['', '请评价', '', ''], prompts: [3] });
    expect(wire.of('ack').map((f) => [f.message.ackedSeq, f.message.status])).toEqual([[5, 0], [6, 0], [7, 0], [8, 1]]);
  });

  it('keeps its event counter and waiting presses across restarts in its state file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cordial-sim-'));
    dirs.push(dir);
    const first = keypadRig({ memory: fileKeypadMemory(join(dir, 'state.json')) });
    first.keypad.powerUp();
    first.keypad.press(1);
    first.keypad.press(2);
    first.keypad.powerDown();
    const second = keypadRig({ memory: fileKeypadMemory(join(dir, 'state.json')) });
    second.keypad.powerUp();
    expect(second.wire.of('key').map((f) => f.message.eventId)).toEqual([1]);
    expect(second.keypad.waiting).toBe(2);
    expect(second.keypad.press(3)).toEqual({ eventId: 3 });
  });

  it('can spoil or lose its next frame, for line-trouble tests', () => {
    const { keypad, wire, bytes } = keypadRig();
    keypad.corruptNext();
    keypad.powerUp();
    expect(wire.frames).toHaveLength(0);
    expect(bytes).toHaveLength(1);
    keypad.dropNext();
    keypad.press(1);
    expect(bytes).toHaveLength(1);
  });
});
