import { useState } from 'react';
import type { SaveOutcome } from './SaveBar';

/** Checks and stores a whole settings object; resolves to the sentence to show. */
export type SaveSettings = (candidate: unknown) => Promise<SaveOutcome>;

export function useSave(save: SaveSettings) {
  const [outcome, setOutcome] = useState<SaveOutcome>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (candidate: unknown) => {
    setBusy(true);
    setOutcome(null);
    try {
      setOutcome(await save(candidate));
    } finally {
      setBusy(false);
    }
  };
  /** Forgets the last outcome: a form that checks before saving says nothing old meanwhile. */
  const clear = () => setOutcome(null);
  return { outcome, busy, submit, clear };
}
