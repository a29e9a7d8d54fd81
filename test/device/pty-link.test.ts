import { afterEach, describe, expect, it } from 'vitest';
import { keypadOnPty, waitOnline, waitSynced, type KeypadOnPty } from './support/keypad-on-pty';
import { waitFor } from './support/wait-for';

let rig: KeypadOnPty | null = null;
afterEach(async () => {
  await rig?.dispose();
  rig = null;
});

describe('CRK/1 over a real pseudo-terminal', () => {
  it('shakes hands: the window shows the keypad online and the keypad shows the window’s mode, text and time', async () => {
    rig = await keypadOnPty({ identity: { serial: 'CRK5-000123' } });
    rig.host.view = { mode: 'idle', text: '3 号窗口 欢迎您' };
    await waitOnline(rig.host);
    expect(rig.host.status).toMatchObject({ link: 'online', serial: 'CRK5-000123' });
    const keypad = rig.keypad;
    await waitFor(() => keypad.display.lines[0] === '3 号窗口 欢迎您', { what: 'text on the keypad' });
    expect(keypad.display.mode).toBe('idle');
    expect(Math.abs((keypad.display.clockSetTo ?? 0) - Date.now() / 1000)).toBeLessThan(60);
  });

  it('a press is recorded once and acknowledged, so the keypad stops sending it', async () => {
    rig = await keypadOnPty();
    await waitOnline(rig.host);
    const pressed = rig.keypad.press(2);
    expect(pressed).toHaveProperty('eventId');
    const keypad = rig.keypad;
    await waitFor(() => keypad.waiting === 0 && rig?.host.counted.length === 1, { what: 'press acknowledged' });
    expect(rig.host.counted[0]).toMatchObject({ kind: 'key', key: 2, keyCount: 5, deviceSerial: keypad.identity.serial, ...pressed });
  });

  it('every press retransmitted 5 times is still counted once', async () => {
    rig = await keypadOnPty({ retransmitMs: 60 });
    await waitOnline(rig.host);
    const keypad = rig.keypad;
    keypad.withheldAcksPerPress = 5;
    const ids: number[] = [];
    for (let i = 0; i < 10; i++) {
      const result = keypad.press((i % 5) + 1);
      if ('eventId' in result) ids.push(result.eventId);
    }
    await waitFor(() => keypad.waiting === 0, { timeoutMs: 20_000, what: 'all presses acknowledged' });
    for (const id of ids) expect(keypad.sendsByEvent.get(id)).toBeGreaterThanOrEqual(6);
    expect(rig.host.eventIds()).toEqual(ids);
    expect(rig.host.reports.length).toBeGreaterThanOrEqual(60);
  });

  it('a keypad power cycle (new HELLO) gets the time and mode again', async () => {
    rig = await keypadOnPty();
    rig.host.view = { mode: 'serving', text: '正在为您办理' };
    await waitOnline(rig.host);
    const keypad = rig.keypad;
    await waitSynced(rig);
    keypad.received.length = 0;
    rig.host.view = { mode: 'rating', text: '请评价' };
    keypad.powerCycle();
    await waitFor(() => keypad.display.mode === 'rating' && keypad.display.lines[0] === '请评价', { what: 'resync after power cycle' });
    const types = keypad.received.map((f) => f.message?.type);
    expect(types).toContain('time');
    expect(types).toContain('mode');
  });

  it('an unanswered command is sent 4 times with one SEQ, then the keypad shows as unresponsive until it answers again', async () => {
    rig = await keypadOnPty();
    await waitOnline(rig.host);
    const keypad = rig.keypad;
    await waitSynced(rig);
    keypad.mute(true);
    rig.host.command({ kind: 'mode', mode: 'rating' });
    await waitFor(() => rig?.host.link === 'unresponsive', { what: 'unresponsive status' });
    const modes = keypad.received.filter((f) => f.message?.type === 'mode' && f.message.mode === 'rating');
    expect(modes).toHaveLength(4);
    expect(new Set(modes.map((f) => f.seq)).size).toBe(1);
    expect(rig.host.status?.detail).toMatch(/does not acknowledge commands/);
    // Presses still count while the keypad ignores commands.
    keypad.press(1);
    await waitFor(() => rig?.host.counted.length === 1, { what: 'press while unresponsive' });
    keypad.mute(false);
    await waitOnline(rig.host);
  });
});
