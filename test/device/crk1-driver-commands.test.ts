import { describe, expect, it } from 'vitest';
import { driverRig, HELLO } from './support/driver-rig';

describe('CRK/1 driver: commands, link watch, power cycles', () => {
  it('resends an unanswered command every 300 ms with the same SEQ, 3 times, then reports the keypad unresponsive', () => {
    const rig = driverRig();
    rig.driver.linkUp();
    rig.device(HELLO);
    rig.clock.advance(1_000);
    const times = rig.sent.of('time');
    expect(times.map((f) => f.seq)).toEqual(Array(4).fill(times[0]?.seq));
    rig.clock.advance(200);
    expect(rig.host.status).toMatchObject({ link: 'unresponsive', serial: 'CRK5-000123' });
    expect(rig.host.status?.detail).toMatch(/does not acknowledge commands \(TIME sent 4 times\)/);
    // It keeps trying the link: QUERY again, and a HELLO plus an acknowledged command brings it back.
    const queries = rig.sent.of('query').length;
    rig.clock.advance(1_000);
    expect(rig.sent.of('query').length).toBeGreaterThan(queries);
    rig.device(HELLO);
    expect(rig.host.link).toBe('unresponsive');
    rig.ackCommands();
    expect(rig.host.link).toBe('online');
  });

  it('keeps resending while the device answers busy, then gives up the same way', () => {
    const rig = driverRig();
    rig.driver.linkUp();
    rig.device(HELLO);
    const seq = rig.sent.of('time')[0]!.seq;
    rig.device({ type: 'ack', ackedSeq: seq, status: 3 });
    rig.clock.advance(1_250);
    expect(rig.sent.of('time')).toHaveLength(4);
    expect(rig.host.link).toBe('unresponsive');
  });

  it('goes offline after 6 s without a valid frame and asks the transport to reopen the port', () => {
    const rig = driverRig();
    rig.online();
    for (let i = 0; i < 5; i++) {
      rig.clock.advance(2_000);
      rig.device({ type: 'heartbeat', uptimeSeconds: i * 2, waiting: 0 });
    }
    expect(rig.host.link).toBe('online');
    rig.clock.advance(5_999);
    expect(rig.host.link).toBe('online');
    rig.clock.advance(1);
    expect(rig.host.status?.link).toBe('offline');
    expect(rig.host.status?.detail).toMatch(/has sent nothing for 6 s: check that its cable is plugged in/);
    expect(rig.reopens).toBe(1);
    // Reopened, the status stays offline with its reason until the keypad answers.
    rig.driver.linkDown(null);
    rig.driver.linkUp();
    expect(rig.host.link).toBe('offline');
    rig.device(HELLO);
    expect(rig.host.link).toBe('online');
  });

  it('treats a HELLO while online as a power cycle and sends the clock and the view again', () => {
    const rig = driverRig();
    rig.online();
    rig.sent.clear();
    rig.host.view = { mode: 'rating', text: '请评价' };
    rig.device({ ...HELLO, firmware: '1.4.3' });
    for (let i = 0; i < 3; i++) rig.ackCommands();
    expect(rig.sent.types()).toEqual(['time', 'mode', 'text']);
    expect(rig.sent.of('mode')[0]?.message.mode).toBe('rating');
    expect(rig.host.status?.detail).toMatch(/firmware 1\.4\.3/);
  });

  it('translates the core’s keypad commands into MODE, PROMPT and TEXT', () => {
    const rig = driverRig();
    rig.online();
    rig.sent.clear();
    rig.host.command({ kind: 'mode', mode: 'rating' });
    rig.ackCommands();
    rig.host.command({ kind: 'prompt', phrase: 'please_rate' });
    rig.ackCommands();
    rig.host.command({ kind: 'text', line: 2, text: '感谢您的评价' });
    rig.ackCommands();
    rig.host.command({ kind: 'text', line: 9, text: 'no such line' });
    expect(rig.sent.frames.map((f) => f.message)).toEqual([
      { type: 'mode', mode: 'rating' },
      { type: 'prompt', promptId: 3 },
      { type: 'text', line: 2, text: '感谢您的评价' },
    ]);
  });

  it('sends only the newest mode when the window changes faster than the keypad acknowledges', () => {
    const rig = driverRig();
    rig.online();
    rig.sent.clear();
    rig.host.command({ kind: 'mode', mode: 'serving' });
    rig.host.command({ kind: 'mode', mode: 'rating' });
    rig.host.command({ kind: 'mode', mode: 'thanks' });
    rig.ackCommands();
    rig.ackCommands();
    expect(rig.sent.of('mode').map((f) => f.message.mode)).toEqual(['serving', 'thanks']);
  });

  it('skips prompts and text for a keypad without voice or display', () => {
    const rig = driverRig();
    rig.driver.linkUp();
    rig.device({ ...HELLO, features: { voice: false, display: false, keyLeds: true } });
    for (let i = 0; i < 3; i++) rig.ackCommands();
    rig.host.command({ kind: 'prompt', phrase: 'greeting' });
    rig.host.command({ kind: 'text', line: 0, text: '您好' });
    expect(rig.sent.types().filter((t) => t !== 'query')).toEqual(['time', 'mode']);
  });

  it('drops commands while no keypad is online; the next HELLO brings the keypad up to date', () => {
    const rig = driverRig();
    rig.driver.linkUp();
    rig.host.command({ kind: 'mode', mode: 'rating' });
    expect(rig.sent.of('mode')).toHaveLength(0);
    expect(rig.driver.diagnostics().driver.commandsDropped).toBe(1);
  });

  it('reports a port problem as offline with the sentence, and keeps working when the host’s callbacks throw', () => {
    const rig = driverRig();
    rig.driver.linkDown('serial port /dev/ttyTEST0 does not exist: plug the keypad in');
    expect(rig.host.status).toMatchObject({ link: 'offline' });
    expect(rig.host.status?.detail).toMatch(/does not exist: plug the keypad in; Cordial keeps trying to reconnect/);
    rig.host.setKeypadStatus = () => {
      throw new Error('ui gone');
    };
    rig.host.keypadView = () => {
      throw new Error('store gone');
    };
    rig.driver.linkUp();
    rig.device(HELLO);
    const seq = rig.device({ type: 'key', key: 3, eventId: 1 });
    expect(rig.acksFor(seq)).toHaveLength(1);
    expect(rig.sent.of('time')).toHaveLength(1);
  });
});
