/**
 * Plugs a simulated keypad into a serial port: bytes both ways, and power follows the cable
 * (a USB keypad is powered by the port), so a reopened port means a fresh HELLO.
 */
import { SerialLink } from '../transport/serial-link';
import type { OpenSerialPort } from '../transport/serial-port';
import { SimulatedKeypad, type SimulatedKeypadOptions } from './simulated-keypad';

export interface AttachedKeypad {
  keypad: SimulatedKeypad;
  /** Resolves once the keypad's port is open. */
  ready(): Promise<void>;
  stop(): Promise<void>;
}

export function attachKeypad(
  path: string,
  baudRate: number,
  options: Omit<SimulatedKeypadOptions, 'write'> & { open?: OpenSerialPort; onPortProblem?(problem: string): void } = {},
): AttachedKeypad {
  let open = false;
  const waiting: (() => void)[] = [];
  const link = new SerialLink({
    baudRate,
    open: options.open,
    // A keypad waits for its cable patiently but notices it quickly.
    backoff: { initialMs: 50, maxMs: 200 },
    resolvePath: async () => ({ path }),
    events: {
      opened: () => {
        open = true;
        keypad.powerUp();
        for (const wake of waiting.splice(0)) wake();
      },
      data: (chunk) => keypad.receive(chunk),
      closed: (problem) => {
        open = false;
        keypad.powerDown();
        if (problem) options.onPortProblem?.(problem);
      },
    },
  });
  const keypad = new SimulatedKeypad({ ...options, write: (bytes) => link.write(bytes) });
  link.start();
  return {
    keypad,
    ready: () => (open ? Promise.resolve() : new Promise<void>((resolve) => waiting.push(resolve))),
    async stop() {
      keypad.powerDown();
      await link.stop();
    },
  };
}
