/** The one place that touches the serialport package: open a port, move bytes, hear it close. */
import { SerialPort } from 'serialport';

export interface SerialPortHandle {
  readonly path: string;
  write(bytes: Uint8Array): void;
  close(): Promise<void>;
  /** Replaces the listeners; a handle serves one owner. */
  listen(listeners: { data(chunk: Uint8Array): void; closed(error: Error | null): void }): void;
}

export type OpenSerialPort = (path: string, baudRate: number) => Promise<SerialPortHandle>;

export const openSerialPort: OpenSerialPort = (path, baudRate) =>
  new Promise((resolve, reject) => {
    // 8N1, no flow control (CRK/1 §1); lock: another program holding the port is an error, not shared bytes.
    const port = new SerialPort({ path, baudRate, dataBits: 8, parity: 'none', stopBits: 1, rtscts: false, lock: true, autoOpen: false });
    port.open((error) => {
      if (error) {
        reject(error);
        return;
      }
      resolve(wrap(port, path));
    });
  });

function wrap(port: SerialPort, path: string): SerialPortHandle {
  let listeners: Parameters<SerialPortHandle['listen']>[0] = { data: () => {}, closed: () => {} };
  let closed = false;
  const finish = (error: Error | null) => {
    if (closed) return;
    closed = true;
    listeners.closed(error);
  };
  port.on('data', (chunk: Buffer) => listeners.data(chunk));
  port.on('close', (error: Error | null) => finish(error ?? null));
  // An error while open (e.g. a failed write) means the line is unusable: close and let the owner reopen.
  port.on('error', (error: Error) => {
    if (port.isOpen) port.close(() => finish(error), error);
    else finish(error);
  });
  return {
    path,
    write(bytes) {
      if (!closed && port.isOpen) port.write(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    },
    close: () =>
      new Promise((resolve) => {
        if (closed || !port.isOpen) {
          finish(null);
          resolve();
          return;
        }
        port.close(() => {
          finish(null);
          resolve();
        });
      }),
    listen(next) {
      listeners = next;
    },
  };
}
