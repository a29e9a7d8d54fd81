/**
 * Who speaks the standard phrases at the window (annex A). The lifecycle says WHEN: the keypad
 * prompts of a transition (greeting, please rate, thanks, thanks for the feedback, please wait,
 * sorry for the wait). A keypad with a voice module that is online speaks them itself; with no
 * keypad, one without voice, or one that is not answering, the citizen screen speaks them,
 * unless IT muted it. Pure: the kiosk keeps the state, and starts the counter from its clock
 * when it opens, so a restarted window never reuses a number a screen has already seen.
 */
import type { Speaker, SpeechState } from '../shared/contract';
import type { KeypadStatus } from '../shared/keypad';
import type { PromptKey } from '../shared/phrases';
import type { KioskConfig } from './config';
import type { Effect } from './lifecycle/types';

export type SpeechSettings = KioskConfig['speech'];

export function speakerFor(keypad: KeypadStatus, settings: SpeechSettings): Speaker {
  if (keypad.link === 'online' && keypad.voice === true) return 'keypad';
  return settings.muted ? 'muted' : 'screen';
}

/** The phrases a transition asks to be spoken, in order. */
export function promptsOf(effects: readonly Effect[]): PromptKey[] {
  return effects.flatMap((e) => (e.type === 'keypad' && e.command.kind === 'prompt' ? [e.command.phrase] : []));
}

/**
 * The speech state after a transition's prompts: the screen's last phrase moves on only when
 * the screen is the speaker; a muted window or a speaking keypad leaves it where it was.
 */
export function afterPrompts(state: SpeechState, prompts: readonly PromptKey[], at: number, firstSeq: number): SpeechState {
  if (state.by !== 'screen' || prompts.length === 0) return state;
  // Two prompts in one moment cannot both be heard: the later one is what the keypad would end on.
  const phrase = prompts[prompts.length - 1]!;
  return { ...state, last: { seq: state.last ? state.last.seq + 1 : firstSeq, phrase, at } };
}
