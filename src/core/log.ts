/**
 * The kiosk's log: one line per event in `logs/cordial.log` in the data folder, rotated at
 * a few megabytes. Phone and ID numbers are masked before a line is written, whoever wrote it.
 */
import { appendFileSync, mkdirSync, renameSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { redact } from '../shared/privacy';

const MAX_BYTES = 5 * 2 ** 20;

export interface Log {
  readonly file: string | null;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export function fileLog(dataDir: string, echo = true): Log {
  const dir = join(dataDir, 'logs');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'cordial.log');
  const write = (level: string, message: string) => {
    const line = `${new Date().toISOString()} ${level} ${redact(message)}\n`;
    if (echo) process.stderr.write(line);
    try {
      if ((statSync(file, { throwIfNoEntry: false })?.size ?? 0) > MAX_BYTES) renameSync(file, `${file}.1`);
      appendFileSync(file, line);
    } catch {
      // A log that cannot be written (disk full) must never stop the kiosk.
    }
  };
  return {
    file,
    info: (m) => write('INFO', m),
    warn: (m) => write('WARN', m),
    error: (m) => write('ERROR', m),
  };
}

export const consoleLog: Log = {
  file: null,
  info: (m) => process.stderr.write(`INFO ${redact(m)}\n`),
  warn: (m) => process.stderr.write(`WARN ${redact(m)}\n`),
  error: (m) => process.stderr.write(`ERROR ${redact(m)}\n`),
};
