import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startKeypadLink, type KeypadLink } from '../../src/device/keypad-link';
import { attachKeypad, type AttachedKeypad } from '../../src/device/sim/serial-attachment';
import { SocatPair } from '../../src/device/sim/socat-pair';
import { openSerialPort, type SerialPortHandle } from '../../src/device/transport/serial-port';
import { MemoryKeypadHost } from './support/memory-host';
import { waitFor } from './support/wait-for';

let dir = '';
let socat: SocatPair | null = null;
let link: KeypadLink | null = null;
let keypad: AttachedKeypad | null = null;
let holder: SerialPortHandle | null = null;
afterEach(async () => {
  await link?.stop();
  await keypad?.stop();
  await holder?.close();
  await socat?.unplug();
  rmSync(dir, { recursive: true, force: true });
  socat = link = keypad = holder = null;
});

function pairIn(directory: string): SocatPair {
  return new SocatPair({ hostLink: join(directory, 'host'), deviceLink: join(directory, 'keypad') });
}

describe('serial port problems, as the window sees them', () => {
  it('a keypad plugged in after start-up is found on its configured port', async () => {
    dir = mkdtempSync(join(tmpdir(), 'cordial-port-'));
    const host = new MemoryKeypadHost();
    socat = pairIn(dir);
    link = startKeypadLink({ driver: 'crk1', path: socat.hostPath }, host);
    await waitFor(() => host.status?.detail?.includes(`serial port ${socat?.hostPath} does not exist`), { what: 'missing port' });
    expect(host.link).toBe('offline');
    await socat.plug();
    keypad = attachKeypad(socat.devicePath, 9600);
    await waitFor(() => host.link === 'online', { what: 'online once plugged in' });
  });

  it('a port held by another program is named as such, and used once it is free', async () => {
    dir = mkdtempSync(join(tmpdir(), 'cordial-port-'));
    const host = new MemoryKeypadHost();
    socat = pairIn(dir);
    await socat.plug();
    holder = await openSerialPort(socat.hostPath, 9600);
    keypad = attachKeypad(socat.devicePath, 9600);
    link = startKeypadLink({ driver: 'crk1', path: socat.hostPath }, host);
    await waitFor(() => host.status?.detail?.includes('is in use by another program'), { what: 'busy port' });
    expect(host.link).toBe('offline');
    await holder.close();
    holder = null;
    await waitFor(() => host.link === 'online', { what: 'online once the port is free' });
  });

  it('a keypad that falls silent is reported offline and the port is reopened', async () => {
    dir = mkdtempSync(join(tmpdir(), 'cordial-port-'));
    const host = new MemoryKeypadHost();
    socat = pairIn(dir);
    await socat.plug();
    keypad = attachKeypad(socat.devicePath, 9600);
    link = startKeypadLink({ driver: 'crk1', path: socat.hostPath }, host, { timing: { silenceMs: 1_000 } });
    await waitFor(() => host.link === 'online', { what: 'online' });
    // The keypad loses power but its cable stays in: no more frames.
    keypad.keypad.powerDown();
    await waitFor(() => host.link === 'offline', { what: 'offline after silence' });
    expect(host.status?.detail).toMatch(/has sent nothing for 1 s/);
    const opens = link.diagnostics().transport?.opens ?? 0;
    await waitFor(() => (link?.diagnostics().transport?.opens ?? 0) > opens, { what: 'port reopened' });
    keypad.keypad.powerUp();
    await waitFor(() => host.link === 'online', { what: 'online after power returns' });
  });
});
