/** Cordial's keypad link and a simulated keypad on the two ends of a real pseudo-terminal pair. */
import { startKeypadLink, type KeypadLink } from '../../../src/device/keypad-link';
import { attachKeypad, type AttachedKeypad } from '../../../src/device/sim/serial-attachment';
import type { SimulatedKeypadOptions } from '../../../src/device/sim/simulated-keypad';
import { MemoryKeypadHost } from './memory-host';
import { startPtyPair, type PtyPair } from './pty';
import { waitFor } from './wait-for';

export interface KeypadOnPty {
  pty: PtyPair;
  host: MemoryKeypadHost;
  link: KeypadLink;
  device: AttachedKeypad;
  keypad: AttachedKeypad['keypad'];
  dispose(): Promise<void>;
}

export async function keypadOnPty(
  simulator: Omit<SimulatedKeypadOptions, 'write'> = {},
  baudRate: 9600 | 115200 = 9600,
): Promise<KeypadOnPty> {
  const pty = await startPtyPair();
  const host = new MemoryKeypadHost();
  const link = startKeypadLink({ driver: 'crk1', path: pty.hostPath, baudRate }, host);
  const device = attachKeypad(pty.devicePath, baudRate, simulator);
  await device.ready();
  return {
    pty,
    host,
    link,
    device,
    keypad: device.keypad,
    async dispose() {
      await link.stop();
      await device.stop();
      await pty.dispose();
    },
  };
}

export async function waitOnline(host: MemoryKeypadHost, timeoutMs = 10_000): Promise<void> {
  await waitFor(() => host.link === 'online', { timeoutMs, what: `keypad online (status now ${JSON.stringify(host.status)})` });
}

/** Waits until the keypad shows the window's view: the handshake's commands are all acknowledged. */
export async function waitSynced(rig: KeypadOnPty): Promise<void> {
  const { keypad, host } = rig;
  await waitFor(() => keypad.display.mode === host.view.mode && keypad.display.lines[0] === host.view.text, {
    what: 'keypad showing the window view',
  });
}
