import { describe, expect, it } from 'vitest';
import { driverRig } from './support/driver-rig';

describe('CRK/1 driver: the ACK goes first', () => {
  it('sends a press’s ACK before the keypad commands the press caused (thanks mode, prompt)', () => {
    const rig = driverRig();
    rig.online();
    const record = rig.host.recordPress.bind(rig.host);
    // Like the core: recording a rating changes the window, which tells the keypad at once.
    rig.host.recordPress = (report) => {
      const receipt = record(report);
      rig.host.command({ kind: 'mode', mode: 'thanks' });
      rig.host.command({ kind: 'prompt', phrase: 'thanks' });
      return receipt;
    };
    const before = rig.sent.frames.length;
    rig.device({ type: 'key', key: 1, eventId: 9 });
    expect(rig.sent.frames.slice(before).map((f) => f.message?.type)).toEqual(['ack', 'mode']);
    rig.ackCommands();
    expect(rig.sent.types().slice(-3)).toEqual(['ack', 'mode', 'prompt']);
  });

  it('still sends the commands when the press could not be recorded (and so is not acknowledged)', () => {
    const rig = driverRig();
    rig.online();
    rig.host.recordPress = () => {
      rig.host.command({ kind: 'text', line: 0, text: '暂停服务' });
      throw new Error('disk full');
    };
    const before = rig.sent.frames.length;
    rig.device({ type: 'key', key: 1, eventId: 10 });
    expect(rig.sent.frames.slice(before).map((f) => f.message?.type)).toEqual(['text']);
  });
});
