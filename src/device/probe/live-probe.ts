/**
 * The probe on a live port: it behaves as a minimal host (QUERY until HELLO, ACK every KEY and
 * FAULT) so a real keypad acts normally, and prints every frame with its bytes.
 */
import { Crk1Driver } from '../crk1/driver';
import { encodeFrame, toHex } from '../crk1/frame';
import { describePortError } from '../transport/port-errors';
import { openSerialPort, type OpenSerialPort } from '../transport/serial-port';
import type { KeypadHost } from '../../shared/keypad';
import { Recorder } from './recording';
import { describeParsed, describeMessage, traceLine } from './trace';

export interface LiveProbeOptions {
  path: string;
  baudRate: number;
  legacy?: boolean;
  record?: string;
  print(line: string): void;
  noHelloMs?: number;
  open?: OpenSerialPort;
}

export interface LiveProbe {
  /** Resolves with a sentence when the port closes under the probe. */
  closed: Promise<string>;
  stop(): Promise<void>;
}

export async function startLiveProbe(options: LiveProbeOptions): Promise<LiveProbe> {
  const { path, baudRate, print } = options;
  const port = await (options.open ?? openSerialPort)(path, baudRate).catch((error: unknown) => {
    throw new Error(describePortError(path, error));
  });
  const recorder = options.record ? new Recorder(options.record) : null;
  let closedWith = (_reason: string) => {};
  const closed = new Promise<string>((resolve) => (closedWith = resolve));
  const write = (bytes: Uint8Array) => {
    recorder?.add(Date.now(), 'out', bytes);
    port.write(bytes);
  };

  if (options.legacy) {
    port.listen({
      data: (chunk) => {
        recorder?.add(Date.now(), 'in', chunk);
        const ascii = Array.from(chunk, (b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.')).join('');
        print(`${new Date().toISOString().slice(11, 23)} <- ${toHex(chunk)}   "${ascii}"`);
      },
      closed: (error) => closedWith(describePortError(path, error ?? { disconnected: true })),
    });
    print(`listening to a single-byte keypad on ${path} at ${baudRate} baud: press its keys`);
    return { closed, stop: () => port.close() };
  }

  const seen = new Set<string>();
  /** Resends of presses already seen, per keypad: link noise, counted so IT can judge the line. */
  const resends = new Map<string, number>();
  const host: KeypadHost = {
    recordPress(report) {
      const id = `${report.deviceSerial}#${report.kind === 'key' ? report.eventId : report.at}`;
      const repeat = seen.has(id);
      seen.add(id);
      if (repeat) resends.set(report.deviceSerial, (resends.get(report.deviceSerial) ?? 0) + 1);
      if (report.kind === 'key') {
        const age = report.ageMs == null ? '' : `, pressed ${(report.ageMs / 1000).toFixed(2)} s before it arrived`;
        const again = repeat ? ` (resent, acknowledged again; ${resends.get(report.deviceSerial)} resend(s) from this keypad)` : '';
        print(`   press: key ${report.key} of ${report.keyCount ?? '?'}, event ${report.eventId}${age}${again}`);
      }
      return { pressId: id, outcome: repeat ? 'repeat' : 'rating', cause: null, repeat };
    },
    recordFault: (fault) => print(`   fault ${fault.code}: ${fault.detail}`),
    setKeypadStatus: (status) => print(`   status: ${status.link}${status.detail ? ` (${status.detail})` : ''}`),
    keypadView: () => ({ mode: 'idle', text: 'Cordial probe' }),
    onKeypadCommand: () => () => {},
  };
  const driver = new Crk1Driver({
    host,
    port: { path, baudRate },
    write,
    observer: {
      frameIn: (frame, parsed) => print(traceLine(Date.now(), 'in', frame.seq, describeParsed(parsed), encodeFrame(frame))),
      frameOut: (bytes, message, seq) => print(traceLine(Date.now(), 'out', seq, describeMessage(message), bytes)),
    },
  });
  let dropped = 0;
  port.listen({
    data: (chunk) => {
      recorder?.add(Date.now(), 'in', chunk);
      driver.receive(chunk);
      const now = driver.diagnostics().decoder.bytesDropped;
      if (now > dropped) print(`   ${now - dropped} byte(s) dropped: noise, a false frame start or a bad CRC`);
      dropped = now;
    },
    closed: (error) => {
      driver.linkDown(null);
      closedWith(describePortError(path, error ?? { disconnected: true }));
    },
  });
  driver.linkUp();
  const noHello = setTimeout(() => {
    if (driver.diagnostics().driver.hellos === 0) {
      print(`no CRK/1 device answered on ${path} at ${baudRate} baud: check the cable, the baud rate, or try --legacy`);
    }
  }, options.noHelloMs ?? 5000);
  return {
    closed,
    async stop() {
      clearTimeout(noHello);
      driver.stop();
      await port.close();
    },
  };
}
