import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { discoverSerialPorts, resolveKeypadPath } from '../../src/device/discovery';

let root: string;
let dirs: { byIdDir: string; sysClassTtyDir: string; devDir: string };
const udevMissing = () => Promise.reject(new Error('spawn udevadm ENOENT'));

/** A fake /dev and /sys: one USB adapter with a by-id link, one ACM device, a real and a placeholder UART, a console. */
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'cordial-discovery-'));
  dirs = { byIdDir: join(root, 'dev/serial/by-id'), sysClassTtyDir: join(root, 'sys/class/tty'), devDir: join(root, 'dev') };
  mkdirSync(dirs.byIdDir, { recursive: true });
  for (const name of ['ttyUSB0', 'ttyACM0', 'ttyS0', 'ttyS1', 'tty1']) {
    writeFileSync(join(dirs.devDir, name), '');
    mkdirSync(join(dirs.sysClassTtyDir, name), { recursive: true });
  }
  mkdirSync(join(root, 'sys/devices/usb1'), { recursive: true });
  for (const name of ['ttyUSB0', 'ttyACM0', 'ttyS0', 'ttyS1']) symlinkSync(join(root, 'sys/devices/usb1'), join(dirs.sysClassTtyDir, name, 'device'));
  writeFileSync(join(dirs.sysClassTtyDir, 'ttyS0', 'type'), '4\n');
  writeFileSync(join(dirs.sysClassTtyDir, 'ttyS1', 'type'), '0\n');
  symlinkSync(join(dirs.devDir, 'ttyUSB0'), join(dirs.byIdDir, 'usb-FTDI_FT232R_A50285BI-if00-port0'));
  // A device that vanished leaves a sys entry without a /dev node.
  mkdirSync(join(dirs.sysClassTtyDir, 'ttyUSB3'), { recursive: true });
  symlinkSync(join(root, 'sys/devices/usb1'), join(dirs.sysClassTtyDir, 'ttyUSB3', 'device'));
});

afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('serial port discovery', () => {
  it('uses SerialPort.list() when it works', async () => {
    const found = await discoverSerialPorts({ ...dirs, list: async () => [{ path: '/dev/ttyUSB0', manufacturer: 'FTDI', vendorId: '0403' }] });
    expect(found).toEqual({ source: 'serialport', fallbackReason: null, ports: [{ path: '/dev/ttyUSB0', label: 'FTDI', usb: true }] });
  });

  it('falls back to /dev/serial/by-id and /sys/class/tty when udevadm is missing, listing real devices only', async () => {
    const found = await discoverSerialPorts({ ...dirs, list: udevMissing });
    expect(found.source).toBe('filesystem');
    expect(found.fallbackReason).toMatch(/udevadm/);
    expect(found.ports).toEqual([
      { path: join(dirs.byIdDir, 'usb-FTDI_FT232R_A50285BI-if00-port0'), label: 'usb-FTDI_FT232R_A50285BI-if00-port0', usb: true },
      { path: join(dirs.devDir, 'ttyACM0'), label: 'ttyACM0', usb: true },
      { path: join(dirs.devDir, 'ttyS0'), label: 'ttyS0', usb: false },
    ]);
  });

  it('a configured path always wins', async () => {
    expect(await resolveKeypadPath('/dev/ttyS3', { ...dirs, list: udevMissing })).toEqual({ path: '/dev/ttyS3' });
  });

  it('without a configured path picks a USB port before a built-in one', async () => {
    const listed = async () => [{ path: '/dev/ttyS0' }, { path: '/dev/ttyACM1' }];
    expect(await resolveKeypadPath(null, { ...dirs, list: listed })).toEqual({ path: '/dev/ttyACM1' });
  });

  it('says so when there is no port at all', async () => {
    rmSync(root, { recursive: true, force: true });
    expect(await resolveKeypadPath(null, { ...dirs, list: udevMissing })).toEqual({
      problem: 'no serial port found: plug the keypad in, or set its port in the settings',
    });
  });
});
