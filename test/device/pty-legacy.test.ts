import { afterEach, describe, expect, it } from 'vitest';
import { startKeypadLink, type KeypadLink } from '../../src/device/keypad-link';
import { MemoryKeypadHost } from './support/memory-host';
import { startPtyPair, type PtyPair } from './support/pty';
import { openRawEnd, type RawEnd } from './support/raw-end';
import { waitFor } from './support/wait-for';

let pty: PtyPair | null = null;
let link: KeypadLink | null = null;
let keypad: RawEnd | null = null;
afterEach(async () => {
  await link?.stop();
  await keypad?.close();
  await pty?.dispose();
  pty = link = keypad = null;
});

describe('legacy single-byte keypad over a real pseudo-terminal', () => {
  it('maps bytes to levels, debounces a double press, ignores other bytes, and is online while the port is open', async () => {
    pty = await startPtyPair();
    const host = new MemoryKeypadHost();
    link = startKeypadLink({ driver: 'legacy', path: pty.hostPath, legacyMap: 'binary_0_to_3', legacyDebounceMs: 300 }, host);
    await waitFor(() => host.link === 'online', { what: 'legacy link online' });
    expect(host.status?.serial).toBe(`legacy:${pty.hostPath}`);
    keypad = await openRawEnd(pty.devicePath);

    // A bouncing contact: the same key twice in one burst, plus line garbage.
    keypad.write(Uint8Array.of(0x03, 0x03, 0x41, 0x0d));
    await waitFor(() => link?.diagnostics().legacy?.bytesIn === 4, { what: 'the burst received' });
    expect(host.counted.map((r) => (r.kind === 'legacy' ? [r.level, r.rawByte] : null))).toEqual([['very_satisfied', 0x03]]);
    expect(link.diagnostics().legacy).toMatchObject({ debounced: 1, ignoredBytes: 2 });

    // A deliberate second press, after the debounce time, counts.
    const first = host.counted[0]!.at;
    await waitFor(() => Date.now() - first > 350, { what: 'the debounce time to pass' });
    keypad.write(Uint8Array.of(0x00));
    await waitFor(() => host.counted.length === 2, { what: 'second press' });
    expect(host.counted[1]).toMatchObject({ kind: 'legacy', level: 'dissatisfied', rawByte: 0x00 });

    await pty.unplug();
    await waitFor(() => host.link === 'offline', { what: 'offline when the port goes away' });
  });
});
