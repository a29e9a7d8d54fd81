/** Sends one staff command and keeps the core's sentence when it refuses. */
import { useCallback, useState } from 'react';
import type { CordialApi } from '../../shared/api';

export interface CommandRunner {
  run(command: Record<string, unknown> & { type: string }): Promise<boolean>;
  error: string | null;
  busy: boolean;
  setError(message: string | null): void;
}

export function useCommand(api: CordialApi): CommandRunner {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const run = useCallback(
    async (command: Record<string, unknown> & { type: string }) => {
      setBusy(true);
      setError(null);
      try {
        const r = await api.execute({ command });
        const problem = r.ok ? (r.result.ok ? null : r.result.error.message) : r.error.message;
        setError(problem);
        return problem === null;
      } finally {
        setBusy(false);
      }
    },
    [api],
  );
  return { run, error, busy, setError };
}
