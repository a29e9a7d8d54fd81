import { describe, expect, it } from 'vitest';
import { CMD, encodeFrame, type Frame } from '../../src/device/crk1/frame';
import { buildPayload, parseFrame, type Message } from '../../src/device/crk1/messages';

const frame = (cmd: number, ...payload: number[]): Frame => ({ seq: 1, cmd, payload: Uint8Array.from(payload) });
const roundTrip = (message: Message) => parseFrame({ seq: 0, cmd: CMD[message.type], payload: buildPayload(message) });

describe('CRK/1 payloads', () => {
  it.each<Message>([
    { type: 'key', key: 5, eventId: 0xfffffffe, ageMs: null },
    { type: 'key', key: 2, eventId: 7, ageMs: 0 },
    { type: 'key', key: 4, eventId: 8, ageMs: 655_350 },
    { type: 'heartbeat', uptimeSeconds: 86_400 * 400, waiting: 16 },
    { type: 'fault', code: 4, detail: 'queue full' },
    { type: 'ack', ackedSeq: 255, status: 3 },
    { type: 'mode', mode: 'thanks' },
    { type: 'prompt', promptId: 6 },
    { type: 'text', line: 3, text: '请对我们的服务进行评价' },
    { type: 'time', unixSeconds: 1_780_000_000 },
    {
      type: 'hello',
      protocolVersion: 1,
      keyCount: 4,
      features: { voice: false, display: true, keyLeds: false, pressAge: true },
      serial: 'ABCDEFGHIJKLMNOP',
      model: 'K4',
      firmware: '12345678',
    },
  ])('reads back what it builds: $type', (message) => {
    expect(roundTrip(message)).toEqual({ ok: true, message });
  });

  it('cuts TEXT to 64 bytes at a character boundary', () => {
    const payload = buildPayload({ type: 'text', line: 0, text: '评'.repeat(30) });
    expect(payload.length).toBe(1 + 63); // 21 three-byte characters fit, the 22nd would not
    expect(roundTrip({ type: 'text', line: 0, text: '评'.repeat(30) })).toMatchObject({ ok: true, message: { text: '评'.repeat(21) } });
  });

  it('a press age beyond 0xFFFF × 10 ms is sent as 0xFFFF, as the keypad saturates it', () => {
    expect(roundTrip({ type: 'key', key: 1, eventId: 1, ageMs: 20 * 60_000 })).toEqual({ ok: true, message: { type: 'key', key: 1, eventId: 1, ageMs: 655_350 } });
  });

  it('a KEY of 6 bytes (neither with nor without the age) is a bad payload', () => {
    expect(parseFrame(frame(0x02, 1, 0, 0, 0, 9, 0))).toMatchObject({ ok: false, problem: 'bad_payload', type: 'key' });
  });

  it('an unknown command is reported as such', () => {
    expect(parseFrame(frame(0x55))).toEqual({ ok: false, problem: 'unknown_command', cmd: 0x55 });
  });

  it.each([
    ['KEY too short', frame(CMD.key, 1, 0, 0, 1)],
    ['KEY with key 0', frame(CMD.key, 0, 0, 0, 0, 1)],
    ['KEY with event id 0', frame(CMD.key, 1, 0, 0, 0, 0)],
    ['HELLO of the wrong length', frame(CMD.hello, 1, 5, 7)],
    ['HEARTBEAT too long', frame(CMD.heartbeat, 0, 0, 0, 0, 0, 0)],
    ['FAULT without a code', frame(CMD.fault)],
    ['FAULT code 0', frame(CMD.fault, 0)],
    ['ACK with status 9', frame(CMD.ack, 1, 9)],
    ['QUERY with a payload', frame(CMD.query, 1)],
    ['MODE 5', frame(CMD.mode, 5)],
    ['PROMPT 7', frame(CMD.prompt, 7)],
    ['TEXT on line 4', frame(CMD.text, 4, 0x41)],
    ['TEXT that is not UTF-8', frame(CMD.text, 0, 0xff, 0xfe)],
    ['TIME of 3 bytes', frame(CMD.time, 1, 2, 3)],
  ])('reports a malformed payload: %s', (_name, bad) => {
    expect(parseFrame(bad)).toMatchObject({ ok: false, problem: 'bad_payload' });
  });

  it('refuses a HELLO with an unreadable serial, because presses are named by it', () => {
    const payload = buildPayload({
      type: 'hello', protocolVersion: 1, keyCount: 5, features: { voice: true, display: true, keyLeds: true },
      serial: 'X', model: 'M', firmware: '1',
    });
    payload[3] = 0x07;
    expect(parseFrame({ seq: 0, cmd: CMD.hello, payload })).toMatchObject({ ok: false, problem: 'bad_payload', type: 'hello' });
    payload.fill(0, 3, 19);
    expect(parseFrame({ seq: 0, cmd: CMD.hello, payload })).toMatchObject({ ok: false, problem: 'bad_payload', type: 'hello' });
  });

  it('refuses to build a frame the protocol cannot carry', () => {
    expect(() => encodeFrame({ seq: 256, cmd: 1, payload: new Uint8Array(0) })).toThrow(RangeError);
    expect(() => encodeFrame({ seq: 0, cmd: 1, payload: new Uint8Array(201) })).toThrow(RangeError);
  });
});
