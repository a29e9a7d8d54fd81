/** The one word a window's state is shown by, on the wall and on the console's Windows page alike. */
import type { LiveWindow } from '../../../../src/shared/console/hall-contract';
import type { TileState, WallStrings } from './strings';

export function stateOf(window: LiveWindow): TileState {
  if (!window.status) return 'closed';
  if (window.stale) return 'offline';
  switch (window.status.phase) {
    case 'closed':
      return 'closed';
    case 'serving':
      return 'serving';
    case 'awaiting_rating':
      return 'awaiting';
    case 'paused':
      return 'paused';
    default:
      return 'idle';
  }
}

/** The state's word, with the pause reason when paused. */
export function stateWord(window: LiveWindow, w: WallStrings): string {
  const state = stateOf(window);
  return state === 'paused' && window.status?.pause ? w.pausedFor(window.status.pause.reason) : w.states[state];
}
