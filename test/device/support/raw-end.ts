/** One end of a serial line driven byte by byte: for frames no well-behaved keypad would send. */
import { openSerialPort, type SerialPortHandle } from '../../../src/device/transport/serial-port';
import { FrameLog } from './frame-log';

export interface RawEnd {
  port: SerialPortHandle;
  /** Frames the other end sent, decoded. */
  heard: FrameLog;
  bytes: number[];
  write(bytes: Uint8Array): void;
  close(): Promise<void>;
}

export async function openRawEnd(path: string, baudRate = 9600): Promise<RawEnd> {
  const port = await openSerialPort(path, baudRate);
  const heard = new FrameLog();
  const bytes: number[] = [];
  port.listen({
    data: (chunk) => {
      bytes.push(...chunk);
      heard.push(chunk);
    },
    closed: () => {},
  });
  return { port, heard, bytes, write: (b) => port.write(b), close: () => port.close() };
}
