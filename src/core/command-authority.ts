/**
 * Who may run which command. Staff cannot enter or change a rating; the citizen screen can
 * rate and add reasons, and cannot run the window. Untrusted input is parsed first.
 */
import { CITIZEN_COMMANDS, STAFF_COMMANDS, parseCommand, type Command, type KioskError } from '../shared/contract';
import { refusal } from '../shared/refusals';

export type CommandOrigin = 'staff' | 'citizen' | 'cli';

export function authorise(input: unknown, origin: CommandOrigin): { ok: true; command: Command } | { ok: false; error: KioskError } {
  const parsed = parseCommand(input);
  if (!parsed.ok) return parsed;
  const allowed = origin === 'citizen' ? CITIZEN_COMMANDS : STAFF_COMMANDS;
  if (allowed.includes(parsed.command.type)) return parsed;
  const error =
    origin === 'citizen'
      ? refusal('invalid_command', 'citizen_cannot_run_window', 'the citizen screen cannot run the window')
      : refusal('invalid_command', 'staff_cannot_rate', 'staff cannot enter or change a rating');
  return { ok: false, error };
}
