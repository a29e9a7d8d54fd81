import { describe, expect, it } from 'vitest';
import { legacyByteMap } from '../../src/device/config';
import { LegacyDriver } from '../../src/device/legacy/driver';
import { ManualClock } from '../support/clock';
import { MemoryKeypadHost } from './support/memory-host';

function rig(map: Parameters<typeof legacyByteMap>[0], debounceMs?: number) {
  const clock = new ManualClock();
  const host = new MemoryKeypadHost();
  const driver = new LegacyDriver({ host, clock, debounceMs, port: { path: '/dev/ttyUSB7', baudRate: 9600 }, byteMap: legacyByteMap(map) });
  driver.linkUp();
  const levels = () => host.counted.map((r) => (r.kind === 'legacy' ? r.level : null));
  return { clock, host, driver, levels };
}

describe('legacy single-byte keypad', () => {
  it('maps ASCII 1…4 to 非常满意 … 不满意 and names the keypad by its port', () => {
    const { clock, driver, host, levels } = rig('ascii_1_to_4');
    for (const byte of '1234') {
      driver.receive(new TextEncoder().encode(byte));
      clock.advance(400);
    }
    expect(levels()).toEqual(['very_satisfied', 'satisfied', 'basically_satisfied', 'dissatisfied']);
    expect(host.counted[0]).toMatchObject({ kind: 'legacy', rawByte: 0x31, deviceSerial: 'legacy:/dev/ttyUSB7' });
    expect(host.status).toMatchObject({ link: 'online', serial: 'legacy:/dev/ttyUSB7' });
  });

  it('maps 0x00…0x03 the other way round: 不满意 … 非常满意', () => {
    const { clock, driver, levels } = rig('binary_0_to_3');
    for (const byte of [0, 1, 2, 3]) {
      driver.receive(Uint8Array.of(byte));
      clock.advance(400);
    }
    expect(levels()).toEqual(['dissatisfied', 'basically_satisfied', 'satisfied', 'very_satisfied']);
  });

  it('counts a second press within 300 ms as the same press', () => {
    const { clock, driver, levels } = rig('ascii_1_to_4');
    driver.receive(new TextEncoder().encode('11'));
    clock.advance(299);
    driver.receive(new TextEncoder().encode('2'));
    clock.advance(1);
    driver.receive(new TextEncoder().encode('3'));
    expect(levels()).toEqual(['very_satisfied', 'basically_satisfied']);
    expect(driver.diagnostics()).toMatchObject({ presses: 2, debounced: 2 });
  });

  it('ignores and counts bytes outside the map', () => {
    const { driver, host } = rig({ '0x41': 'satisfied' }, 0);
    driver.receive(new TextEncoder().encode('\r\n9x'));
    expect(host.counted).toHaveLength(0);
    expect(driver.diagnostics().ignoredBytes).toBe(4);
  });

  it('is offline with the reason when the port closes, and counts nothing then', () => {
    const { driver, host } = rig('ascii_1_to_4');
    driver.linkDown('serial port /dev/ttyUSB7 was disconnected: check the keypad’s cable');
    driver.receive(new TextEncoder().encode('1'));
    expect(host.counted).toHaveLength(0);
    expect(host.status?.link).toBe('offline');
  });

  it('survives a host that cannot record', () => {
    const { driver, host } = rig('ascii_1_to_4');
    host.failPresses = 1;
    driver.receive(new TextEncoder().encode('1'));
    expect(driver.diagnostics()).toMatchObject({ recordFailures: 1, lastError: 'disk full' });
  });
});
