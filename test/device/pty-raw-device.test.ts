import { afterEach, describe, expect, it } from 'vitest';
import { encodeFrame } from '../../src/device/crk1/frame';
import { encodeMessage } from '../../src/device/crk1/messages';
import { startKeypadLink, type KeypadLink } from '../../src/device/keypad-link';
import { HELLO } from './support/driver-rig';
import { MemoryKeypadHost } from './support/memory-host';
import { startPtyPair, type PtyPair } from './support/pty';
import { openRawEnd, type RawEnd } from './support/raw-end';
import { waitFor } from './support/wait-for';

let pty: PtyPair | null = null;
let link: KeypadLink | null = null;
let device: RawEnd | null = null;
afterEach(async () => {
  await link?.stop();
  await device?.close();
  await pty?.dispose();
  pty = link = device = null;
});

async function start() {
  pty = await startPtyPair();
  const host = new MemoryKeypadHost();
  device = await openRawEnd(pty.devicePath);
  link = startKeypadLink({ driver: 'crk1', path: pty.hostPath }, host);
  const end = device;
  await waitFor(() => end.heard.of('query').length > 0, { what: 'a QUERY from Cordial' });
  return { host, device: end };
}

describe('CRK/1 host against a hand-driven device', () => {
  it('answers a well-formed frame with an unknown CMD with ACK status 1', async () => {
    const { host, device } = await start();
    device.write(encodeMessage(0, HELLO));
    await waitFor(() => host.link === 'online', { what: 'online' });
    device.write(encodeFrame({ seq: 9, cmd: 0x42, payload: Uint8Array.of(1, 2, 3) }));
    const ack = await waitFor(() => device.heard.of('ack').find((f) => f.message.ackedSeq === 9), { what: 'ACK of SEQ 9' });
    expect(ack.message.status).toBe(1);
  });

  it('answers a KEY with a malformed payload with ACK status 2 and records nothing', async () => {
    const { host, device } = await start();
    device.write(encodeMessage(0, HELLO));
    device.write(encodeFrame({ seq: 10, cmd: 0x02, payload: Uint8Array.of(1, 0, 0) }));
    const ack = await waitFor(() => device.heard.of('ack').find((f) => f.message.ackedSeq === 10), { what: 'ACK of SEQ 10' });
    expect(ack.message.status).toBe(2);
    expect(host.reports).toHaveLength(0);
  });

  it('holds back the ACK of a KEY sent before HELLO, and acknowledges its retransmission after HELLO', async () => {
    const { host, device } = await start();
    const key = encodeMessage(11, { type: 'key', key: 4, eventId: 1234 });
    const queries = device.heard.of('query').length;
    device.write(key);
    await waitFor(() => device.heard.of('query').length > queries, { what: 'an immediate QUERY' });
    expect(device.heard.of('ack')).toHaveLength(0);
    device.write(encodeMessage(0, HELLO));
    device.write(key);
    await waitFor(() => device.heard.of('ack').some((f) => f.message.ackedSeq === 11), { what: 'ACK of the KEY' });
    expect(host.counted).toMatchObject([{ kind: 'key', key: 4, eventId: 1234, deviceSerial: 'CRK5-000123' }]);
  });

  it('garbage in every shape never stops the receiver', async () => {
    const { host, device } = await start();
    const garbage = new Uint8Array(20_000);
    for (let i = 0; i < garbage.length; i++) garbage[i] = [0xaa, 0x55, 0x01, 0xc8, (i * 37) & 0xff][i % 5] as number;
    device.write(garbage);
    // Like a keypad: HELLO and the KEY again every 300 ms until the press is in.
    await waitFor(
      () => {
        if (host.counted.length === 1) return true;
        device.write(encodeMessage(0, HELLO));
        device.write(encodeMessage(1, { type: 'key', key: 1, eventId: 1 }));
        return false;
      },
      { intervalMs: 300, what: 'the press recorded' },
    );
    expect(link?.diagnostics().crk1?.decoder.bytesDropped).toBeGreaterThan(19_000);
  });
});
