import { afterEach, describe, expect, it } from 'vitest';
import { keypadOnPty, waitOnline, type KeypadOnPty } from './support/keypad-on-pty';
import { waitFor } from './support/wait-for';

let rig: KeypadOnPty | null = null;
afterEach(async () => {
  await rig?.dispose();
  rig = null;
});

/** A repeatable byte source, so a failure can be replayed. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

describe('a noisy line', () => {
  it('100,000 random noise bytes around 1,000 presses: every press recorded exactly once, nothing breaks', async () => {
    rig = await keypadOnPty({ random: seeded(20_260_101) });
    await waitOnline(rig.host);
    const { keypad, host } = rig;
    const ids: number[] = [];
    for (let i = 0; i < 1_000; i++) {
      // A citizen cannot press faster than the keypad delivers: keep below its 16-press queue.
      await waitFor(() => keypad.waiting < 8, { timeoutMs: 20_000, intervalMs: 1, what: 'room in the keypad queue' });
      keypad.sendNoise(100);
      const result = keypad.press((i % 5) + 1);
      if ('eventId' in result) ids.push(result.eventId);
    }
    expect(ids).toHaveLength(1_000);
    await waitFor(() => keypad.waiting === 0, { timeoutMs: 60_000, what: 'every press acknowledged' });
    expect(host.eventIds()).toEqual(ids);
    const d = rig.link.diagnostics();
    expect(d.crk1?.decoder.bytesDropped).toBeGreaterThan(90_000);
    expect(d.crk1?.driver.hostErrors).toBe(0);
    expect(host.link).toBe('online');
  }, 120_000);

  it('false frame starts that swallow real frames cost a retransmission, never a press', async () => {
    rig = await keypadOnPty({ retransmitMs: 100 });
    await waitOnline(rig.host);
    const { keypad, host } = rig;
    const random = seeded(7);
    const ids: number[] = [];
    for (let i = 0; i < 50; i++) {
      await waitFor(() => keypad.waiting === 0, { timeoutMs: 20_000, intervalMs: 1, what: 'the previous press acknowledged' });
      // AA 55 01 … with a LEN that makes the receiver read into the real KEY that follows.
      const len = 5 + Math.floor(random() * 196);
      keypad.sendRaw(Uint8Array.of(0xaa, 0x55, 0x01, i & 0xff, 0x02, len, 0x00));
      const result = keypad.press((i % 5) + 1);
      if ('eventId' in result) ids.push(result.eventId);
    }
    await waitFor(() => keypad.waiting === 0, { timeoutMs: 30_000, what: 'every press acknowledged' });
    expect(host.eventIds()).toEqual(ids);
    const decoder = rig.link.diagnostics().crk1?.decoder;
    expect((decoder?.crcErrors ?? 0) + (decoder?.timeouts ?? 0)).toBeGreaterThanOrEqual(50);
  }, 60_000);
});
