/** Runs one of the device tools (simulator, probe) as its own process, the way IT runs it. */
import { spawn, type ChildProcess } from 'node:child_process';
import { waitFor } from './wait-for';

export interface CliProcess {
  child: ChildProcess;
  out: string[];
  err: string[];
  line(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  send(line: string): void;
  exited(): Promise<number | null>;
  stop(): Promise<void>;
}

export function runTool(script: string, args: string[]): CliProcess {
  // One process (no tsx wrapper), so a signal reaches the tool itself.
  const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
  const out: string[] = [];
  const err: string[] = [];
  const collect = (into: string[]) => {
    let partial = '';
    return (chunk: Buffer) => {
      const lines = (partial + chunk.toString()).split('\n');
      partial = lines.pop() ?? '';
      into.push(...lines);
    };
  };
  child.stdout.on('data', collect(out));
  child.stderr.on('data', collect(err));
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    child,
    out,
    err,
    async line(pattern, timeoutMs = 15_000) {
      return waitFor(
        () => {
          for (const text of [...out, ...err]) {
            const match = text.match(pattern);
            if (match) return match;
          }
          return null;
        },
        { timeoutMs, what: `output matching ${pattern} (so far: ${[...out, ...err].slice(-5).join(' / ')})` },
      );
    },
    send: (line) => child.stdin.write(`${line}\n`),
    exited: () => exit,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        await exit;
      }
    },
  };
}
