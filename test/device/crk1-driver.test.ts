import { describe, expect, it } from 'vitest';
import { driverRig, HELLO } from './support/driver-rig';

describe('CRK/1 driver: handshake and presses', () => {
  it('queries every second until HELLO, then says what to check', () => {
    const rig = driverRig();
    rig.driver.linkUp();
    expect(rig.host.link).toBe('connecting');
    rig.clock.advance(3_000);
    expect(rig.sent.of('query')).toHaveLength(4);
    rig.clock.advance(2_000);
    expect(rig.host.status?.detail).toMatch(/no CRK\/1 keypad answered on \/dev\/ttyTEST0 at 9600 baud/);
  });

  it('on HELLO goes online, stops querying, and sends TIME, MODE and TEXT of the current view', () => {
    const rig = driverRig();
    rig.host.view = { mode: 'serving', text: '正在办理' };
    rig.driver.linkUp();
    rig.device(HELLO);
    expect(rig.host.status).toMatchObject({ link: 'online', serial: 'CRK5-000123' });
    for (let i = 0; i < 3; i++) rig.ackCommands();
    const queries = rig.sent.of('query').length;
    rig.clock.advance(5_000);
    expect(rig.sent.of('query')).toHaveLength(queries);
    expect(rig.sent.types().filter((t) => t !== 'query')).toEqual(['time', 'mode', 'text']);
    expect(rig.sent.of('time')[0]?.message.unixSeconds).toBe(Math.floor(rig.clock.now() / 1000) - 5);
    expect(rig.sent.of('mode')[0]?.message.mode).toBe('serving');
    expect(rig.sent.of('text')[0]?.message).toMatchObject({ line: 0, text: '正在办理' });
  });

  it('records a press durably before it acknowledges it, and acknowledges repeats without counting them', () => {
    const rig = driverRig();
    rig.online();
    const acksAtRecord: number[] = [];
    const record = rig.host.recordPress.bind(rig.host);
    rig.host.recordPress = (report) => {
      acksAtRecord.push(rig.sent.of('ack').length);
      return record(report);
    };
    const seq = rig.device({ type: 'key', key: 2, eventId: 77 });
    rig.device({ type: 'key', key: 2, eventId: 77 }, seq);
    expect(rig.host.counted).toEqual([
      { kind: 'key', key: 2, keyCount: 5, deviceSerial: 'CRK5-000123', eventId: 77, at: rig.clock.now(), ageMs: null },
    ]);
    expect(rig.acksFor(seq).map((f) => f.message.status)).toEqual([0, 0]);
    expect(acksAtRecord).toEqual([0, 1]);
    expect(rig.driver.diagnostics().driver).toMatchObject({ keysAcked: 2, repeatedKeys: 1 });
  });

  it('does not acknowledge a press the host failed to record, so the device sends it again', () => {
    const rig = driverRig();
    rig.online();
    rig.host.failPresses = 1;
    const seq = rig.device({ type: 'key', key: 1, eventId: 5 });
    expect(rig.acksFor(seq)).toHaveLength(0);
    rig.device({ type: 'key', key: 1, eventId: 5 }, seq);
    expect(rig.acksFor(seq)).toHaveLength(1);
    expect(rig.host.eventIds()).toEqual([5]);
  });

  it('holds a press that comes before HELLO, asks for HELLO at once, and records and acknowledges it once HELLO names the device', () => {
    const rig = driverRig();
    rig.driver.linkUp();
    rig.clock.advance(400);
    const queries = rig.sent.of('query').length;
    const arrived = rig.clock.now();
    const seq = rig.device({ type: 'key', key: 1, eventId: 9 });
    // No serial to name it by yet: not recorded, not acknowledged, and QUERY goes out now.
    expect(rig.acksFor(seq)).toHaveLength(0);
    expect(rig.host.counted).toHaveLength(0);
    expect(rig.sent.of('query')).toHaveLength(queries + 1);
    // Its resend while HELLO is on its way is held once, not twice.
    rig.clock.advance(300);
    rig.device({ type: 'key', key: 1, eventId: 9 }, seq);
    rig.device(HELLO);
    expect(rig.acksFor(seq)).toHaveLength(1);
    expect(rig.host.counted).toEqual([{ kind: 'key', key: 1, keyCount: 5, deviceSerial: 'CRK5-000123', eventId: 9, at: arrived, ageMs: null }]);
    // A later resend (the ACK was lost) is acknowledged again and still counted once.
    rig.device({ type: 'key', key: 1, eventId: 9 }, seq);
    expect(rig.acksFor(seq)).toHaveLength(2);
    expect(rig.host.eventIds()).toEqual([9]);
  });

  it('holds a FAULT that comes before HELLO and records it once HELLO names the device', () => {
    const rig = driverRig();
    rig.driver.linkUp();
    const seq = rig.device({ type: 'fault', code: 1, detail: 'key 3' });
    expect(rig.acksFor(seq)).toHaveLength(0);
    rig.device(HELLO);
    expect(rig.acksFor(seq)).toHaveLength(1);
    expect(rig.host.faults).toMatchObject([{ deviceSerial: 'CRK5-000123', code: 1, detail: 'key 3' }]);
  });

  it('records the KEYs of one read as one group, then acknowledges each, in order', () => {
    const rig = driverRig();
    rig.online();
    const keys = Array.from({ length: 16 }, (_, i) => ({ type: 'key' as const, key: (i % 5) + 1, eventId: 100 + i }));
    const seqs = rig.deviceTogether(keys);
    expect(rig.host.groups).toEqual([16]);
    expect(rig.host.eventIds()).toEqual(keys.map((k) => k.eventId));
    const acked = rig.sent.of('ack').map((f) => f.message.ackedSeq);
    expect(acked).toEqual(seqs);
  });

  it('acknowledges none of a group the host could not record, so the keypad sends them all again', () => {
    const rig = driverRig();
    rig.online();
    rig.host.failPresses = 1;
    const keys = [1, 2, 3].map((n) => ({ type: 'key' as const, key: n, eventId: n }));
    const seqs = rig.deviceTogether(keys);
    expect(rig.sent.of('ack')).toHaveLength(0);
    rig.deviceTogether(keys, seqs);
    expect(rig.sent.of('ack').map((f) => f.message.ackedSeq)).toEqual(seqs);
    expect(rig.host.eventIds()).toEqual([1, 2, 3]);
  });

  it('passes on the age a KEY carries, in milliseconds', () => {
    const rig = driverRig();
    rig.online();
    rig.device({ type: 'key', key: 3, eventId: 43, ageMs: 3000 });
    expect(rig.host.counted).toMatchObject([{ eventId: 43, ageMs: 3000, at: rig.clock.now() }]);
  });

  it('records a fault once, acknowledging its retransmissions too', () => {
    const rig = driverRig();
    rig.online();
    const seq = rig.device({ type: 'fault', code: 4, detail: '' });
    rig.clock.advance(300);
    rig.device({ type: 'fault', code: 4, detail: '' }, seq);
    expect(rig.acksFor(seq)).toHaveLength(2);
    expect(rig.host.faults).toEqual([
      { deviceSerial: 'CRK5-000123', code: 4, detail: 'a press was dropped because the keypad queue was full', at: rig.clock.now() - 300 },
    ]);
  });

  it('answers an unknown command with ACK status 1 and a malformed KEY with status 2, but never answers an ACK', () => {
    const rig = driverRig();
    rig.online();
    const unknown = encode(0x21, 0x55, []);
    rig.driver.receive(unknown);
    expect(rig.acksFor(0x21).map((f) => f.message.status)).toEqual([1]);
    rig.driver.receive(encode(0x22, 0x02, [1, 0, 0]));
    expect(rig.acksFor(0x22).map((f) => f.message.status)).toEqual([2]);
    const acks = rig.sent.of('ack').length;
    rig.driver.receive(encode(0x23, 0x7f, [1, 2, 3]));
    expect(rig.sent.of('ack')).toHaveLength(acks);
    expect(rig.host.counted).toHaveLength(0);
  });
});

function encode(seq: number, cmd: number, payload: number[]): Uint8Array {
  // Built by hand, independent of the encoder under test.
  const body = [0x01, seq, cmd, payload.length, ...payload];
  let crc = 0xffff;
  for (const byte of body) {
    crc ^= byte << 8;
    for (let bit = 0; bit < 8; bit++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  }
  return Uint8Array.from([0xaa, 0x55, ...body, crc >> 8, crc & 0xff]);
}
