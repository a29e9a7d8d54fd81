/**
 * What a keypad keeps across power cycles: its press counter (event ids are never reused) and
 * the presses not yet acknowledged. The simulator keeps them in a small JSON file.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export interface StoredPress {
  key: number;
  eventId: number;
  /** When it was pressed (ms since the epoch), for its age; missing in files of older simulators. */
  pressedAt?: number;
}

export interface KeypadMemoryState {
  /** The event id the next press gets: starts at 1, never 0. */
  nextEventId: number;
  pending: StoredPress[];
}

export interface KeypadMemory {
  load(): KeypadMemoryState;
  save(state: KeypadMemoryState): void;
}

export function inMemoryKeypadMemory(initial: KeypadMemoryState = { nextEventId: 1, pending: [] }): KeypadMemory {
  let state = structuredClone(initial);
  return {
    load: () => structuredClone(state),
    save: (next) => {
      state = structuredClone(next);
    },
  };
}

export function fileKeypadMemory(file: string): KeypadMemory {
  return {
    load() {
      try {
        const parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<KeypadMemoryState>;
        const nextEventId = Number.isInteger(parsed.nextEventId) && (parsed.nextEventId as number) > 0 ? (parsed.nextEventId as number) : 1;
        const pending = Array.isArray(parsed.pending)
          ? parsed.pending
              .filter((p): p is StoredPress => Number.isInteger(p?.key) && Number.isInteger(p?.eventId))
              .map(({ key, eventId, pressedAt }) => ({ key, eventId, ...(Number.isFinite(pressedAt) ? { pressedAt } : {}) }))
          : [];
        return { nextEventId, pending };
      } catch {
        return { nextEventId: 1, pending: [] };
      }
    },
    save(state) {
      mkdirSync(dirname(file), { recursive: true });
      // Write then rename, so a killed simulator never leaves half a file and never reuses an event id.
      writeFileSync(`${file}.tmp`, JSON.stringify(state));
      renameSync(`${file}.tmp`, file);
    },
  };
}
