/**
 * Who is signed in, shared by every page, and the one way pages load data: a refusal
 * becomes a sentence on the page, and a 401 (the session ended elsewhere) signs the page out.
 */
import { createContext, useContext, useEffect, useState } from 'react';
import { ALL_DEPARTMENT_ROLES, type SessionInfo } from '../../../src/shared/console/contract';
import { ApiError } from './api';
import { useStrings, type Strings } from './i18n';
import { refusalWords } from './refusals';

export interface SessionState {
  session: SessionInfo;
  /** The session ended (signed out, or the centre says it is gone). */
  ended(): void;
}

export const SessionContext = createContext<SessionState | null>(null);

export function useSession(): SessionState {
  const state = useContext(SessionContext);
  if (!state) throw new Error('useSession outside a signed-in page');
  return state;
}

/** A department-bound user's department, which every figure query is pinned to. */
export function pinnedDepartment(session: SessionInfo): string | undefined {
  return ALL_DEPARTMENT_ROLES.includes(session.user.role) ? undefined : (session.user.departmentCode ?? undefined);
}

/** The sentence a person reads for a failed call, in the page's language; `refusedLead` words a 401/403 (sign-in's own wording). */
export function sentence(t: Strings, err: unknown, refusedLead?: string): string {
  if (!(err instanceof ApiError)) return `${t.errors.server}${err instanceof Error ? err.message : String(err)}`;
  // A refusal whose reason the console knows is said whole in the reader's language.
  const worded = refusalWords(err.said, t.language);
  if (worded !== null) return worded;
  const wait = err.retryAfter === null || !t.errors.restateWait ? '' : ` ${err.retryAfter >= 120 ? t.errors.waitMinutes(Math.ceil(err.retryAfter / 60)) : t.errors.waitSeconds(err.retryAfter)}`;
  const lead =
    err.status === 0 ? t.errors.offline
    : (err.status === 401 || err.status === 403) && refusedLead ? refusedLead
    : err.status === 401 ? t.errors.signIn
    : err.status === 403 ? t.errors.forbidden
    : err.status === 404 ? t.errors.notFound
    : err.status === 429 || err.status === 423 ? t.errors.tooMany
    : err.status >= 500 ? t.errors.server
    : t.errors.invalid;
  return err.status === 0 ? lead : `${lead}${err.message}${/[.。!?]$/.test(err.message) ? '' : '.'}${wait}`;
}

export interface Loaded<T> {
  data: T | null;
  error: string | null;
  loading: boolean;
}

/** Loads whenever `key` changes; the last answer wins, so a quick period change cannot show stale figures. */
export function useLoad<T>(key: string, load: () => Promise<T>): Loaded<T> & { reload(): void } {
  const { t } = useStrings();
  const state = useContext(SessionContext);
  const [result, setResult] = useState<Loaded<T>>({ data: null, error: null, loading: true });
  const [round, setRound] = useState(0);
  useEffect(() => {
    let current = true;
    setResult((r) => ({ ...r, loading: true, error: null }));
    load().then(
      (data) => current && setResult({ data, error: null, loading: false }),
      (err: unknown) => {
        if (!current) return;
        if (err instanceof ApiError && err.status === 401 && state) state.ended();
        setResult({ data: null, error: sentence(t, err), loading: false });
      },
    );
    return () => {
      current = false;
    };
    // The key names everything the load depends on.
  }, [key, round, t]);
  return { ...result, reload: () => setRound((n) => n + 1) };
}
