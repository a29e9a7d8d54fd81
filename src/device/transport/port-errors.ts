/** Turns serial port errors into sentences a person at the window or in IT can act on. */

export type PortProblem = 'missing' | 'busy' | 'denied' | 'disconnected' | 'failed';

export function classifyPortError(error: unknown): PortProblem {
  const text = error instanceof Error ? `${error.message} ${String((error as { code?: unknown }).code ?? '')}` : String(error);
  if ((error as { disconnected?: unknown } | null)?.disconnected === true) return 'disconnected';
  if (/no such file|ENOENT|file not found|cannot find/i.test(text)) return 'missing';
  if (/cannot lock|resource busy|EBUSY|temporarily unavailable|EAGAIN|in use/i.test(text)) return 'busy';
  if (/permission denied|EACCES|access denied|EPERM/i.test(text)) return 'denied';
  if (/bad file descriptor|EBADF|ENXIO|EIO|input\/output error|disconnect/i.test(text)) return 'disconnected';
  return 'failed';
}

export function describePortError(path: string, error: unknown): string {
  switch (classifyPortError(error)) {
    case 'missing':
      return `serial port ${path} does not exist: plug the keypad in, or choose its port in the settings`;
    case 'busy':
      return `serial port ${path} is in use by another program: close that program (a terminal, another kiosk) and Cordial will connect`;
    case 'denied':
      return `permission denied for serial port ${path}: add the kiosk's user account to the dialout group (Linux) and sign in again`;
    case 'disconnected':
      return `serial port ${path} was disconnected: check the keypad's cable`;
    case 'failed': {
      const message = error instanceof Error ? error.message : String(error);
      return `serial port ${path} failed: ${message}`;
    }
  }
}
