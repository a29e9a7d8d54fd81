/** The test vectors of device-protocol.md §7, copied as printed. */
import type { Message } from '../../../src/device/crk1/messages';

export interface Vector {
  name: string;
  seq: number;
  message: Message;
  hex: string;
}

export const VECTORS: Vector[] = [
  {
    name: 'KEY, SEQ 7, key 1, event 42',
    seq: 7,
    message: { type: 'key', key: 1, eventId: 42, ageMs: null },
    hex: 'AA 55 01 07 02 05 01 00 00 00 2A 38 D2',
  },
  {
    name: 'KEY with age (revision 2), SEQ 8, key 3, event 43, age 300 × 10 ms = 3 s',
    seq: 8,
    message: { type: 'key', key: 3, eventId: 43, ageMs: 3000 },
    hex: 'AA 55 01 08 02 07 03 00 00 00 2B 01 2C 3F 18',
  },
  {
    name: 'ACK of SEQ 7, host SEQ 3, status ok',
    seq: 3,
    message: { type: 'ack', ackedSeq: 7, status: 0 },
    hex: 'AA 55 01 03 7F 02 07 00 C4 0E',
  },
  { name: 'QUERY, SEQ 0', seq: 0, message: { type: 'query' }, hex: 'AA 55 01 00 10 00 F1 07' },
  { name: 'MODE rating, SEQ 1', seq: 1, message: { type: 'mode', mode: 'rating' }, hex: 'AA 55 01 01 11 01 03 BA E8' },
  { name: 'PROMPT 3, SEQ 2', seq: 2, message: { type: 'prompt', promptId: 3 }, hex: 'AA 55 01 02 12 01 03 78 64' },
  {
    name: 'HEARTBEAT, SEQ 9, uptime 3600 s, 0 waiting',
    seq: 9,
    message: { type: 'heartbeat', uptimeSeconds: 3600, waiting: 0 },
    hex: 'AA 55 01 09 03 05 00 00 0E 10 00 29 A9',
  },
  {
    name: 'HELLO, SEQ 0, 5 keys, all features, serial CRK5-000123, model CRK-5V, firmware 1.4.2',
    seq: 0,
    message: {
      type: 'hello',
      protocolVersion: 1,
      keyCount: 5,
      features: { voice: true, display: true, keyLeds: true, pressAge: false },
      serial: 'CRK5-000123',
      model: 'CRK-5V',
      firmware: '1.4.2',
    },
    hex:
      'AA 55 01 00 01 2B 01 05 07 43 52 4B 35 2D 30 30 30 31 32 33 00 00 00 00 00 43 52 4B 2D 35 56 00 00 00 00 00 00 ' +
      '00 00 00 00 31 2E 34 2E 32 00 00 00 8A 05',
  },
];
