import { describe, expect, it } from 'vitest';
import { KeypadConfig, legacyByteMap, parseKeypadConfig } from '../../src/device/config';
import { backoffDelay } from '../../src/device/transport/backoff';
import { describePortError } from '../../src/device/transport/port-errors';

describe('keypad settings', () => {
  it('defaults to CRK/1 at 9600 baud with port discovery', () => {
    expect(KeypadConfig.parse({})).toEqual({
      driver: 'crk1',
      path: null,
      baudRate: 9600,
      legacyMap: 'ascii_1_to_4',
      legacyDebounceMs: 300,
    });
  });

  it('accepts a custom legacy byte map written in hex', () => {
    const config = KeypadConfig.parse({ driver: 'legacy', path: 'COM3', legacyMap: { '0x61': 'satisfied', '0xFF': 'very_dissatisfied' } });
    expect([...legacyByteMap(config.legacyMap)]).toEqual([
      [0x61, 'satisfied'],
      [0xff, 'very_dissatisfied'],
    ]);
  });

  it('reads the kiosk settings’ own shape: decimal byte keys, an empty path meaning “find it”', () => {
    const config = KeypadConfig.parse({
      driver: 'legacy',
      path: '',
      baudRate: 9600,
      legacyMap: { '49': 'very_satisfied', '50': 'satisfied' },
      legacyDebounceMs: 300,
    });
    expect(config.path).toBeNull();
    expect([...legacyByteMap(config.legacyMap)]).toEqual([
      [0x31, 'very_satisfied'],
      [0x32, 'satisfied'],
    ]);
  });

  it.each([
    [{ baudRate: 4800 }, /keypad\.baudRate/],
    [{ driver: 'modbus' }, /keypad\.driver/],
    [{ legacyMap: { '256': 'satisfied' } }, /byte values \(0x00 to 0xFF or 0 to 255\)/],
    [{ legacyMap: { '0x1': 'satisfied' } }, /keypad\.legacyMap/],
    [{ legacyMap: { '0x31': 'great' } }, /keypad\.legacyMap/],
    [{ path: 7 }, /keypad\.path/],
    [{ port: '/dev/ttyUSB0' }, /port/],
  ])('explains what is wrong with %j', (input, message) => {
    const parsed = parseKeypadConfig(input);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.message).toMatch(message);
  });
});

describe('serial port problems and reconnect timing', () => {
  it.each([
    [new Error('Error: No such file or directory, cannot open /dev/ttyUSB0'), 'serial port /dev/ttyUSB0 does not exist'],
    [new Error('Error Resource temporarily unavailable Cannot lock port'), 'serial port /dev/ttyUSB0 is in use by another program'],
    [new Error('Error: Permission denied, cannot open /dev/ttyUSB0'), 'permission denied for serial port /dev/ttyUSB0'],
    [Object.assign(new Error('bad file descriptor'), { disconnected: true }), 'serial port /dev/ttyUSB0 was disconnected'],
    [new Error('Opening COM9: File not found'), 'serial port /dev/ttyUSB0 does not exist'],
  ])('turns %s into a sentence', (error, sentence) => {
    expect(describePortError('/dev/ttyUSB0', error)).toContain(sentence);
  });

  it('backs off 250 ms, doubling, never more than 1.5 s', () => {
    expect([0, 1, 2, 3, 4, 10, 1000].map((attempt) => backoffDelay(attempt))).toEqual([250, 500, 1000, 1500, 1500, 1500, 1500]);
  });
});
