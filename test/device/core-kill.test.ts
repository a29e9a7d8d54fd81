import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { verifyChain } from '../../src/core/outbox/outbox';
import { DATABASE_FILE } from '../../src/core/paths';
import { attachKeypad, type AttachedKeypad } from '../../src/device/sim/serial-attachment';
import { tempDir } from '../support/tmp';
import { runTool, type CliProcess } from './support/cli-process';
import { BADGE, ITEM, pressRecords } from './support/kiosk-on-pty';
import { startPtyPair, type PtyPair } from './support/pty';
import { waitFor } from './support/wait-for';

const FIXTURE = join(import.meta.dirname, 'fixtures', 'kiosk-with-keypad.ts');
const SERIAL = 'CRK5-KILL01';

let pty: PtyPair | null = null;
let device: AttachedKeypad | null = null;
const children: CliProcess[] = [];
afterEach(async () => {
  for (const child of children.splice(0)) {
    if (child.child.exitCode === null && child.child.signalCode === null) {
      child.child.kill('SIGKILL');
      await child.exited();
    }
  }
  await device?.stop();
  await pty?.dispose();
  device = pty = null;
});

interface Line {
  keypad?: string;
  executed?: string;
  ok?: boolean;
  error?: string | null;
  recorded?: number | null;
  outcome?: string | null;
  cause?: string | null;
  repeat?: boolean;
}

function lines(child: CliProcess): Line[] {
  return child.out.flatMap((text) => {
    try {
      return [JSON.parse(text) as Line];
    } catch {
      return [];
    }
  });
}

/** The kiosk process: started on the data folder and the host end of the line. */
async function startKiosk(dataDir: string, hostPath: string, kill: boolean): Promise<CliProcess> {
  const child = runTool(FIXTURE, [dataDir, hostPath, ...(kill ? ['--kill-after-press'] : [])]);
  children.push(child);
  await waitFor(() => lines(child).some((l) => l.keypad === 'online'), {
    timeoutMs: 30_000,
    what: `the kiosk process with its keypad online (stdout: ${child.out.slice(-3).join(' / ')}; stderr: ${child.err.slice(-3).join(' / ')})`,
  });
  return child;
}

async function staffCommand(child: CliProcess, command: Record<string, unknown>): Promise<void> {
  const before = lines(child).filter((l) => l.executed !== undefined).length;
  child.send(JSON.stringify(command));
  const result = await waitFor(() => lines(child).filter((l) => l.executed !== undefined)[before], { what: `${String(command.type)} executed` });
  expect(result, `${String(command.type)}: ${result.error}`).toMatchObject({ executed: command.type, ok: true });
}

/** Waits for the process to end and says how: a SIGKILL is what the test arranged. */
async function ended(child: CliProcess): Promise<string> {
  const code = await Promise.race([child.exited(), new Promise<'running'>((resolve) => setTimeout(() => resolve('running'), 20_000))]);
  if (code === 'running') throw new Error('the kiosk process did not end');
  return child.child.signalCode ?? `exit ${code}`;
}

function stderrOf(child: CliProcess): string {
  return `stderr of the kiosk process: ${child.err.slice(-5).join(' / ') || '(empty)'}`;
}

function eventIdOf(result: { eventId: number } | { dropped: true }): number {
  if (!('eventId' in result)) throw new Error('the keypad dropped the press: its queue is full');
  return result.eventId;
}

describe('the kiosk process killed between recording a press and sending its ACK', () => {
  it('after a restart the keypad’s retransmission is acknowledged and not counted again; the outbox chain still verifies', async () => {
    pty = await startPtyPair();
    const dataDir = tempDir('cordial-keypad-kill-');
    // The keypad stays plugged into the device end and powered the whole time; only the kiosk dies.
    device = attachKeypad(pty.devicePath, 9600, { identity: { serial: SERIAL } });
    await device.ready();
    const keypad = device.keypad;

    // 1. A rated case: the rating press is recorded, then the process dies before the ACK.
    const first = await startKiosk(dataDir, pty.hostPath, true);
    await staffCommand(first, { type: 'signInBadge', badgeId: BADGE });
    await staffCommand(first, { type: 'openCase', itemCode: ITEM });
    await staffCommand(first, { type: 'finishCase', outcome: 'completed' });
    await waitFor(() => keypad.display.mode === 'rating', { what: 'the keypad invites a rating' });
    const rated = eventIdOf(keypad.press(3));
    expect(await ended(first), stderrOf(first)).toBe('SIGKILL');
    expect(lines(first).filter((l) => l.recorded !== undefined)).toEqual([{ recorded: rated, key: 3, outcome: 'rating', cause: null, repeat: false }]);
    // The ACK never went out: the keypad still holds the press and keeps sending it.
    expect(keypad.waiting).toBe(1);

    // 2. Restarted on the same folder: the retransmission is a repeat, acknowledged and not counted.
    //    Then a press with no case waiting (misuse) is recorded, and the process dies again before its ACK.
    const second = await startKiosk(dataDir, pty.hostPath, true);
    await waitFor(() => keypad.waiting === 0, { timeoutMs: 20_000, what: 'the rating press acknowledged after the restart' });
    await waitFor(() => keypad.display.mode === 'idle', { what: 'the keypad idle once the thanks are over' });
    const stray = eventIdOf(keypad.press(5));
    expect(await ended(second), stderrOf(second)).toBe('SIGKILL');
    const secondPresses = lines(second).filter((l) => l.recorded !== undefined);
    expect(secondPresses.at(-1)).toEqual({ recorded: stray, key: 5, outcome: 'misuse', cause: 'no_case_waiting', repeat: false });
    const ratedRepeats = secondPresses.slice(0, -1);
    expect(ratedRepeats.length).toBeGreaterThanOrEqual(1);
    for (const line of ratedRepeats) expect(line).toEqual({ recorded: rated, key: 3, outcome: 'repeat', cause: null, repeat: true });
    expect(keypad.waiting).toBe(1);

    // 3. Restarted again, without the kill: the misuse press comes again and is only acknowledged.
    const third = await startKiosk(dataDir, pty.hostPath, false);
    await waitFor(() => keypad.waiting === 0, { timeoutMs: 20_000, what: 'the misuse press acknowledged after the restart' });
    third.child.kill('SIGTERM');
    expect(await ended(third), stderrOf(third)).toBe('exit 0');
    const strayRepeats = lines(third).filter((l) => l.recorded !== undefined);
    expect(strayRepeats.length).toBeGreaterThanOrEqual(1);
    for (const line of strayRepeats) expect(line).toEqual({ recorded: stray, key: 5, outcome: 'repeat', cause: null, repeat: true });

    // What is on disk: each press counted exactly once, each redelivery only counted as a resend of the keypad, nothing else.
    const db = new Database(join(dataDir, DATABASE_FILE), { readonly: true });
    try {
      const records = pressRecords(db);
      expect(records.ratings).toEqual([expect.objectContaining({ level: 'basically_satisfied', raw_key: 3, channel: 'keypad', device_serial: SERIAL, device_event_id: rated })]);
      const countedMisuse = records.misuse.filter((m) => m.cause !== 'repeat_event');
      expect(countedMisuse).toEqual([expect.objectContaining({ cause: 'no_case_waiting', raw_key: 5, channel: 'keypad', device_serial: SERIAL, device_event_id: stray })]);
      expect(records.repeats()).toEqual([]);
      expect(records.resends(SERIAL)).toBe(ratedRepeats.length + strayRepeats.length);
      // The dedupe table names each press by its first, counted record.
      expect(records.deviceEvents).toEqual([
        { device_serial: SERIAL, event_id: rated, press_id: records.ratings[0]?.id },
        { device_serial: SERIAL, event_id: stray, press_id: countedMisuse[0]?.id },
      ]);
      expect(db.prepare('SELECT status, rating_level FROM cases').all()).toEqual([{ status: 'rated', rating_level: 'basically_satisfied' }]);

      expect(verifyChain(db)).toMatchObject({ ok: true });
      const outbox = Object.fromEntries(
        (db.prepare("SELECT kind, count(*) AS n FROM outbox WHERE kind IN ('rating', 'misuse') GROUP BY kind").all() as { kind: string; n: number }[]).map((r) => [r.kind, r.n]),
      );
      // Resends leave no outbox record: the centre hears of the two presses only.
      expect(outbox).toEqual({ rating: 1, misuse: 1 });
    } finally {
      db.close();
    }
  }, 120_000);
});
