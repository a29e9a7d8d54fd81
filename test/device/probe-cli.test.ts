import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { attachKeypad, type AttachedKeypad } from '../../src/device/sim/serial-attachment';
import { openSerialPort, type SerialPortHandle } from '../../src/device/transport/serial-port';
import { runTool, type CliProcess } from './support/cli-process';
import { startPtyPair, type PtyPair } from './support/pty';
import { openRawEnd, type RawEnd } from './support/raw-end';

const PROBE = 'src/device/probe/cli.ts';
let pty: PtyPair | null = null;
let probe: CliProcess | null = null;
let keypad: AttachedKeypad | null = null;
let holder: SerialPortHandle | RawEnd | null = null;
afterEach(async () => {
  await probe?.stop();
  await keypad?.stop();
  await holder?.close();
  await pty?.dispose();
  pty = probe = keypad = holder = null;
});

describe('npm run device:probe', () => {
  it('shows HELLO, presses and heartbeats with their bytes, acknowledges presses, and replays its recording', async () => {
    pty = await startPtyPair();
    keypad = attachKeypad(pty.devicePath, 9600, { identity: { serial: 'CRK5-000777' } });
    await keypad.ready();
    const recording = join(pty.dir, 'line.jsonl');
    probe = runTool(PROBE, ['--port', pty.hostPath, '--record', recording]);
    await probe.line(/<- HELLO serial CRK5-000777.* AA 55 01 /);
    keypad.keypad.press(2);
    // The simulator is a revision 2 keypad: its KEY says how long ago the key was pressed.
    await probe.line(/<- KEY 2 \(event 1, pressed \d+\.\d\d s ago\) \[seq \d+\]\s+AA 55 01 \S\S 02 07 02 00 00 00 01/);
    await probe.line(/press: key 2 of 5, event 1, pressed \d+\.\d\d s before it arrived/);
    await probe.line(/<- HEARTBEAT uptime \d+ s/);
    expect(keypad.keypad.waiting).toBe(0);
    await probe.stop();

    const recorded = readFileSync(recording, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as { t: number; dir: string; hex: string });
    expect(recorded.some((r) => r.dir === 'in' && r.hex.includes('02 07 02 00 00 00 01'))).toBe(true);
    expect(recorded.some((r) => r.dir === 'out' && r.hex.startsWith('AA 55 01 00 10 00'))).toBe(true);

    const replay = runTool(PROBE, ['--replay', recording]);
    expect(await replay.exited()).toBe(0);
    expect(replay.out.some((line) => /<- KEY 2 \(event 1, pressed /.test(line))).toBe(true);
    expect(replay.out.some((line) => /-> ACK of SEQ \d+, status ok/.test(line))).toBe(true);
    expect(replay.out.at(-1)).toMatch(/^keypad sent \d+ bytes: \d+ frames, 0 bytes dropped/);
  }, 30_000);

  it('says plainly when the port does not exist', async () => {
    probe = runTool(PROBE, ['--port', '/dev/ttyCORDIAL-NOPE']);
    expect(await probe.exited()).toBe(1);
    expect(probe.err.join('\n')).toContain('serial port /dev/ttyCORDIAL-NOPE does not exist');
  }, 30_000);

  it('says plainly when another program holds the port', async () => {
    pty = await startPtyPair();
    holder = await openSerialPort(pty.hostPath, 9600);
    probe = runTool(PROBE, ['--port', pty.hostPath]);
    expect(await probe.exited()).toBe(1);
    expect(probe.err.join('\n')).toContain(`serial port ${pty.hostPath} is in use by another program`);
  }, 30_000);

  it('says what to check when nothing answers', async () => {
    pty = await startPtyPair();
    holder = await openRawEnd(pty.devicePath);
    probe = runTool(PROBE, ['--port', pty.hostPath, '--baud', '19200']);
    await probe.line(
      /no CRK\/1 device answered on .* at 19200 baud: check the cable, the baud rate, or try --legacy/,
      20_000,
    );
  }, 30_000);
});
