/**
 * The console's only way to the centre: every call is a route of the console contract,
 * its request built through the contract's schema, state-changing calls carry the CSRF
 * token, and a refusal becomes an ApiError whose sentence the page shows.
 */
import type { z } from 'zod';
import {
  AuditQuery,
  ChangeOwnPasswordBody,
  CONSOLE_API,
  CONSOLE_ROUTES,
  CSRF_HEADER,
  DrilldownQuery,
  FigureQuery,
  NewUserBody,
  RankingQuery,
  SetupBody,
  SignInBody,
  UpdateUserBody,
  type AuditEntry,
  type ConsoleUser,
  type DepartmentOption,
  type Drilldown,
  type Overview,
  type Ranking,
  type SessionInfo,
} from '../../../src/shared/console/contract';
import type { RefusalFields } from '../../../src/shared/console/refusals';

export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    /** 0 when the centre could not be reached at all; 400 for input the contract refuses before sending. */
    readonly status: number,
    readonly code: string,
    message: string,
    /** Seconds the centre asks the caller to wait (lockout, rate limit). */
    readonly retryAfter: number | null = null,
    /** Why, as a reason the console words in the reader's language, with its figures; null when the centre gave none. */
    readonly said: { reason: string; fields: RefusalFields } | null = null,
  ) {
    super(message);
  }
}

let csrfToken: string | null = null;

/** Called whenever a SessionInfo arrives, so later state-changing calls carry its token. */
export function rememberSession(info: SessionInfo | null): SessionInfo | null {
  csrfToken = info?.csrfToken ?? null;
  return info;
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** The refusal body is `{ error, message }` or `{ error: { code, message } }`; either yields a sentence. */
export async function refusalOf(response: Response): Promise<ApiError> {
  let code = `http-${response.status}`;
  let message = response.statusText || 'the centre refused the request';
  let said: { reason: string; fields: RefusalFields } | null = null;
  try {
    const body = (await response.json()) as { error?: unknown; message?: unknown };
    if (typeof body.error === 'string') code = body.error;
    if (typeof body.message === 'string') message = body.message;
    if (body.error && typeof body.error === 'object') {
      const inner = body.error as { code?: unknown; message?: unknown; reason?: unknown; fields?: unknown };
      if (typeof inner.code === 'string') code = inner.code;
      if (typeof inner.message === 'string') message = inner.message;
      said = saidOf(inner);
    }
  } catch {
    // Not JSON (a proxy's page): the status line is all there is.
  }
  const header = Number(response.headers.get('retry-after'));
  return new ApiError(response.status, code, message, Number.isFinite(header) && header > 0 ? header : null, said);
}

/** A refusal's reason and figures, kept only when they are what the contract says: a name, and strings or numbers. */
function saidOf(error: { reason?: unknown; fields?: unknown }): { reason: string; fields: RefusalFields } | null {
  if (typeof error.reason !== 'string') return null;
  const fields: RefusalFields = {};
  if (error.fields && typeof error.fields === 'object') {
    for (const [k, v] of Object.entries(error.fields)) if (typeof v === 'string' || typeof v === 'number') fields[k] = v;
  }
  return { reason: error.reason, fields };
}

/** One call to a console route (a path under CONSOLE_API): pages with their own calls build on it. */
export async function call<T>(method: Method, path: string, options: { query?: Record<string, unknown>; body?: unknown } = {}): Promise<T> {
  let url = `${CONSOLE_API}${path}`;
  if (options.query) {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(options.query)) if (v !== undefined && v !== null) params.set(k, String(v));
    const text = params.toString();
    if (text) url += `?${text}`;
  }
  const headers: Record<string, string> = { accept: 'application/json' };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers[CSRF_HEADER] = csrfToken;
  let response: Response;
  try {
    response = await fetch(url, { method, headers, credentials: 'same-origin', body: options.body === undefined ? undefined : JSON.stringify(options.body) });
  } catch {
    throw new ApiError(0, 'offline', 'the centre cannot be reached');
  }
  if (!response.ok) throw await refusalOf(response);
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

/**
 * Builds a request through its contract schema; input the contract refuses never leaves the
 * browser. Callers are async functions, so a refusal here arrives as a rejected promise.
 */
export function build<S extends z.ZodType>(schema: S, input: z.input<S>): z.output<S> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const where = issue && issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
  const detail = issue?.message ?? 'the input is not valid';
  const field = issue && issue.path.length > 0 ? issue.path.join('.') : '';
  throw new ApiError(400, 'invalid-request', `${where}${detail}`, null, field ? { reason: 'general.input_invalid', fields: { field, detail } } : null);
}

const userPath = (username: string) => CONSOLE_ROUTES.user.replace(':username', encodeURIComponent(username));

export const api = {
  /** The signed-in user, or null when nobody is. */
  async session(): Promise<SessionInfo | null> {
    try {
      return rememberSession(await call<SessionInfo>('GET', CONSOLE_ROUTES.session));
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) return rememberSession(null);
      throw err;
    }
  },
  async signIn(input: z.input<typeof SignInBody>): Promise<SessionInfo> {
    return rememberSession(await call<SessionInfo>('POST', CONSOLE_ROUTES.session, { body: build(SignInBody, input) }))!;
  },
  async signOut(): Promise<void> {
    await call('DELETE', CONSOLE_ROUTES.session);
    rememberSession(null);
  },
  async signOutEverywhere(): Promise<void> {
    await call('POST', CONSOLE_ROUTES.signOutEverywhere, { body: {} });
    rememberSession(null);
  },
  setupNeeded: async () => call<{ needed: boolean }>('GET', CONSOLE_ROUTES.setup),
  async setup(input: z.input<typeof SetupBody>): Promise<SessionInfo> {
    return rememberSession(await call<SessionInfo>('POST', CONSOLE_ROUTES.setup, { body: build(SetupBody, input) }))!;
  },
  changePassword: async (input: z.input<typeof ChangeOwnPasswordBody>) => call<void>('POST', CONSOLE_ROUTES.password, { body: build(ChangeOwnPasswordBody, input) }),
  users: async () => call<ConsoleUser[]>('GET', CONSOLE_ROUTES.users),
  createUser: async (input: z.input<typeof NewUserBody>) => call<ConsoleUser>('POST', CONSOLE_ROUTES.users, { body: build(NewUserBody, input) }),
  updateUser: async (username: string, input: z.input<typeof UpdateUserBody>) => call<ConsoleUser>('PATCH', userPath(username), { body: build(UpdateUserBody, input) }),
  audit: async (input: z.input<typeof AuditQuery>) => call<{ entries: AuditEntry[] }>('GET', CONSOLE_ROUTES.audit, { query: build(AuditQuery, input) }),
  departments: async () => call<DepartmentOption[]>('GET', CONSOLE_ROUTES.departments),
  overview: async (input: z.input<typeof FigureQuery>) => call<Overview>('GET', CONSOLE_ROUTES.overview, { query: build(FigureQuery, input) }),
  ranking: async (input: z.input<typeof RankingQuery>) => call<Ranking>('GET', CONSOLE_ROUTES.ranking, { query: build(RankingQuery, input) }),
  drilldown: async (input: z.input<typeof DrilldownQuery>) => call<Drilldown>('GET', CONSOLE_ROUTES.drilldown, { query: build(DrilldownQuery, input) }),
};
