/** Translates what the core wants the keypad to do (KeypadCommand) into CRK/1 host commands. */
import type { KeypadCommand, KeypadView } from '../../shared/keypad';
import { PHRASES } from '../../shared/phrases';
import type { DeviceCommand } from './command-queue';
import type { HelloFeatures } from './messages';

/** Null when the device cannot act on it (no voice, no display) or the line is out of range. */
export function deviceCommandFor(command: KeypadCommand, features: HelloFeatures): DeviceCommand | null {
  switch (command.kind) {
    case 'mode':
      return { type: 'mode', mode: command.mode };
    case 'prompt':
      return features.voice ? { type: 'prompt', promptId: PHRASES[command.phrase].id } : null;
    case 'text':
      if (!features.display || !Number.isInteger(command.line) || command.line < 0 || command.line > 3) return null;
      return { type: 'text', line: command.line, text: command.text };
  }
}

/** §6 step 2: clock, then the mode and text that fit the window right now. */
export function resyncCommands(view: KeypadView, features: HelloFeatures, now: number): DeviceCommand[] {
  const commands: DeviceCommand[] = [
    { type: 'time', unixSeconds: Math.floor(now / 1000) },
    { type: 'mode', mode: view.mode },
  ];
  if (features.display) commands.push({ type: 'text', line: 0, text: view.text });
  return commands;
}
