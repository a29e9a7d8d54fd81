/**
 * Who is calling: a terminal (its token), the admin (the token from the environment), or a
 * report reader (an API token with roles). Unknown and revoked tokens get 401; a caller
 * without the role gets 403. Routes check the caller in onRequest, before Fastify reads,
 * unpacks or parses the body: a refused caller costs the centre nothing.
 *
 * A terminal's token can be rotated (http/token-rotation.ts): the token it replaced still
 * works until previous_token_until, and every answer to a terminal that should fetch a new
 * token carries the header Cordial-Token-Rotate: due.
 */
import type { FastifyReply, FastifyRequest, onRequestAsyncHookHandler } from 'fastify';
import { TOKEN_ROTATE_HEADER } from '../../../src/shared/token-rotation';
import { one, type Sql } from '../db/sql';
import { Refusal } from '../errors';
import { sameHash, tokenHash } from './tokens';

export type Role = 'admin' | 'reports' | 'follow_up';

export interface TerminalCaller {
  terminalId: string;
  windowNo: string;
  clockFlagged: boolean;
  /** The terminal should fetch a new token: IT asked for it, or it called with the token a rotation replaced. */
  rotateDue: boolean;
  /** It called with the replaced token (still in its grace period). */
  withPreviousToken: boolean;
}

export interface UserCaller {
  name: string;
  roles: ReadonlySet<Role>;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The authenticated terminal, for the refusal log. */
    terminalId?: string;
    terminal?: TerminalCaller;
    caller?: UserCaller;
  }
}

function bearer(request: FastifyRequest): string {
  const header = request.headers.authorization ?? '';
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  if (!match) throw new Refusal(401, 'unauthorized', 'send the token as "Authorization: Bearer <token>"');
  return match[1]!;
}

export class Auth {
  private readonly adminHash: string;

  constructor(
    private readonly db: Sql,
    adminToken: string,
    private readonly clock: { now: () => number } = { now: Date.now },
  ) {
    this.adminHash = tokenHash(adminToken);
  }

  async terminal(request: FastifyRequest): Promise<TerminalCaller> {
    const hash = tokenHash(bearer(request));
    const row = await one<{
      terminal_id: string;
      window_no: string;
      revoked_at: number | null;
      clock_flagged: boolean;
      current: boolean;
      previous_token_until: number | null;
      rotate_requested_at: number | null;
    }>(
      this.db,
      `SELECT terminal_id, window_no, revoked_at, clock_flagged, token_hash = $1 AS current, previous_token_until, rotate_requested_at
       FROM terminals WHERE token_hash = $1 OR previous_token_hash = $1`,
      [hash],
    );
    if (!row) throw new Refusal(401, 'unauthorized', 'this terminal token is not known to the centre; enrol the window again with a new code');
    request.terminalId = row.terminal_id;
    if (row.revoked_at !== null) throw new Refusal(401, 'unauthorized', 'this terminal token was revoked; enrol the window again with a new code');
    if (!row.current) {
      const until = Number(row.previous_token_until ?? 0);
      if (until <= this.clock.now()) {
        throw new Refusal(
          401,
          'unauthorized',
          `this terminal token was replaced by a new one and stopped working at ${new Date(until).toISOString()}; enrol the window again with a new code`,
        );
      }
    }
    return {
      terminalId: row.terminal_id,
      windowNo: row.window_no,
      clockFlagged: row.clock_flagged,
      rotateDue: !row.current || row.rotate_requested_at !== null,
      withPreviousToken: !row.current,
    };
  }

  async user(request: FastifyRequest, role: Role): Promise<UserCaller> {
    const hash = tokenHash(bearer(request));
    let caller: UserCaller;
    if (sameHash(hash, this.adminHash)) {
      caller = { name: 'admin', roles: new Set<Role>(['admin', 'reports']) };
    } else {
      const row = await one<{ name: string; roles: Role[]; revoked_at: number | null }>(this.db, 'SELECT name, roles, revoked_at FROM api_tokens WHERE token_hash = $1', [hash]);
      if (!row || row.revoked_at !== null) throw new Refusal(401, 'unauthorized', 'this token is not known to the centre or was revoked');
      const roles = new Set<Role>(row.roles);
      if (roles.has('follow_up')) roles.add('reports');
      caller = { name: row.name, roles };
    }
    if (!caller.roles.has(role)) throw new Refusal(403, 'forbidden', `this token lacks the ${role} role`);
    return caller;
  }

  /** onRequest hook: the caller must be a terminal (then request.terminal is set). */
  terminalHook(after?: (terminal: TerminalCaller) => void): onRequestAsyncHookHandler {
    return async (request: FastifyRequest, reply: FastifyReply) => {
      request.terminal = await this.terminal(request);
      if (request.terminal.rotateDue) reply.header(TOKEN_ROTATE_HEADER, 'due');
      after?.(request.terminal);
    };
  }

  /** onRequest hook: the caller must hold the role (then request.caller is set). */
  userHook(role: Role): onRequestAsyncHookHandler {
    return async (request) => {
      request.caller = await this.user(request, role);
    };
  }
}

/** The terminal an onRequest hook authenticated. */
export function terminalOf(request: FastifyRequest): TerminalCaller {
  if (!request.terminal) throw new Error('route without the terminal hook');
  return request.terminal;
}

/** The user an onRequest hook authenticated. */
export function callerOf(request: FastifyRequest): UserCaller {
  if (!request.caller) throw new Error('route without the user hook');
  return request.caller;
}
