/** Sends one staff command and keeps the core's refusal, worded in the panel's language. */
import { useCallback, useState } from 'react';
import type { CordialApi } from '../../shared/api';
import type { Lang } from '../common/lang';
import { problemText, type Problem } from '../common/refusal-words';

export interface CommandRunner {
  run(command: Record<string, unknown> & { type: string }): Promise<boolean>;
  /** The refusal or the screen's own sentence, in the panel's language; null when there is none. */
  error: string | null;
  busy: boolean;
  setError(problem: Problem): void;
}

export function useCommand(api: CordialApi, lang: Lang): CommandRunner {
  const [problem, setError] = useState<Problem>(null);
  const [busy, setBusy] = useState(false);
  const run = useCallback(
    async (command: Record<string, unknown> & { type: string }) => {
      setBusy(true);
      setError(null);
      try {
        const r = await api.execute({ command });
        const refused = r.ok ? (r.result.ok ? null : r.result.error) : r.error;
        setError(refused);
        return refused === null;
      } finally {
        setBusy(false);
      }
    },
    [api],
  );
  return { run, error: problemText(problem, lang), busy, setError };
}
