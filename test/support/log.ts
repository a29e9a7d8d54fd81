import type { Log } from '../../src/core/log';

export interface LoggedLine {
  level: 'info' | 'warn' | 'error';
  message: string;
}

/** A Log that keeps its lines, so a test can read what IT would find in cordial.log. */
export function recordingLog(): Log & { lines: LoggedLine[] } {
  const lines: LoggedLine[] = [];
  return {
    file: null,
    lines,
    info: (message) => lines.push({ level: 'info', message }),
    warn: (message) => lines.push({ level: 'warn', message }),
    error: (message) => lines.push({ level: 'error', message }),
  };
}
