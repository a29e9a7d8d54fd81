/** A keypad whose voice module fails (CRK/1 FAULT code 2) counts as voiceless until its next HELLO: the screen speaks instead. */
import { describe, expect, it } from 'vitest';
import { driverRig, HELLO } from './support/driver-rig';

describe('CRK/1 driver: a failed voice module', () => {
  it('reports the keypad without voice and sends it no PROMPT, until a HELLO announces voice again', () => {
    const rig = driverRig();
    rig.online();
    expect(HELLO.features.voice).toBe(true);
    expect(rig.host.status).toMatchObject({ link: 'online', voice: true });
    rig.host.command({ kind: 'prompt', phrase: 'greeting' });
    rig.ackCommands();
    expect(rig.sent.of('prompt')).toHaveLength(1);

    const seq = rig.device({ type: 'fault', code: 2, detail: 'voice module failed' });
    expect(rig.acksFor(seq)).toHaveLength(1);
    expect(rig.host.status).toMatchObject({ link: 'online', voice: false });
    rig.host.command({ kind: 'prompt', phrase: 'please_rate' });
    rig.ackCommands();
    expect(rig.sent.of('prompt')).toHaveLength(1);

    // The keypad restarts with its voice back: HELLO says so.
    rig.device(HELLO);
    for (let i = 0; i < 4; i++) rig.ackCommands();
    expect(rig.host.status).toMatchObject({ link: 'online', voice: true });
    // Any other fault leaves the voice alone.
    rig.device({ type: 'fault', code: 3, detail: 'display failed' });
    expect(rig.host.status).toMatchObject({ link: 'online', voice: true });
    rig.host.command({ kind: 'prompt', phrase: 'thanks' });
    rig.ackCommands();
    expect(rig.sent.of('prompt')).toHaveLength(2);
  });
});
