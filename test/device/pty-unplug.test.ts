import { performance } from 'node:perf_hooks';
import { afterEach, describe, expect, it } from 'vitest';
import { keypadOnPty, waitOnline, type KeypadOnPty } from './support/keypad-on-pty';
import { waitFor } from './support/wait-for';

let rig: KeypadOnPty | null = null;
afterEach(async () => {
  await rig?.dispose();
  rig = null;
});

describe('unplugging the keypad', () => {
  it('presses pending at the unplug arrive after the replug, none twice, and the link is back online within 3 s', async () => {
    rig = await keypadOnPty();
    await waitOnline(rig.host);
    const { keypad, host, pty } = rig;

    // Three presses reach Cordial but their ACKs are lost: the keypad still holds them.
    keypad.withheldAcksPerPress = 1_000;
    const ids: number[] = [];
    for (const key of [1, 2, 3]) {
      const result = keypad.press(key);
      if ('eventId' in result) ids.push(result.eventId);
    }
    await waitFor(() => host.counted.length === 1, { what: 'first held press recorded' });

    await pty.unplug();
    await waitFor(() => host.link === 'offline', { what: 'offline after the unplug' });
    // The kernel does not always report a pseudo-terminal's far end closing; then the heartbeat
    // watch notices the silence instead. Either way the person at the window is told the cable.
    expect(host.status?.detail).toMatch(/disconnected|does not exist|sent nothing for \d+ s: check that its cable is plugged in/);

    // Three more presses while the cable is out.
    for (const key of [4, 5, 1]) {
      const result = keypad.press(key);
      if ('eventId' in result) ids.push(result.eventId);
    }
    keypad.withheldAcksPerPress = 0;
    expect(keypad.waiting).toBe(6);
    // Out long enough for Cordial's reconnect back-off to reach its cap.
    const failures = () => rig?.link.diagnostics().transport?.openFailures ?? 0;
    await waitFor(() => failures() >= 4, { what: 'four failed reopen attempts' });

    await pty.replug();
    const pluggedAt = performance.now();
    await waitOnline(host);
    const recoveryMs = performance.now() - pluggedAt;
    expect(recoveryMs).toBeLessThanOrEqual(3_000);
    console.info(`keypad back online ${Math.round(recoveryMs)} ms after the replug`);

    await waitFor(() => keypad.waiting === 0, { timeoutMs: 15_000, what: 'all held presses delivered' });
    expect(host.eventIds()).toEqual(ids);
    expect(new Set(host.eventIds()).size).toBe(6);
    // The first press was delivered before and after the unplug: reported again, counted once.
    expect(host.reports.filter((r) => r.kind === 'key' && r.eventId === ids[0]).length).toBeGreaterThan(1);
  }, 60_000);

  it('keeps reconnecting for as long as the cable is out', async () => {
    rig = await keypadOnPty();
    await waitOnline(rig.host);
    const { host, pty, link } = rig;
    await pty.unplug();
    await waitFor(() => host.status?.detail?.includes('does not exist'), { what: 'the port is missing' });
    const before = link.diagnostics().transport?.openFailures ?? 0;
    await waitFor(() => (link.diagnostics().transport?.openFailures ?? 0) >= before + 2, { what: 'more reopen attempts' });
    await pty.replug();
    await waitOnline(host);
  }, 30_000);
});
