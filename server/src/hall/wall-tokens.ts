/**
 * Wall tokens: a display PC in the hall reads the live hall with a read-only token instead
 * of a person's account. Like enrolment codes and console sessions, only hashes are kept:
 * the token is shown once inside the wall's address, and the wall's cookie holds a random
 * id of its own. Revoking a token ends every cookie made from it at the next request.
 */
import { randomBytes } from 'node:crypto';
import { WALL_PAGE, WALL_REFUSALS, type NewWallToken, type WallToken } from '../../../src/shared/console/hall-contract';
import type { Sql } from '../db/sql';
import { Refusal } from '../errors';
import { newToken, tokenHash } from '../http/tokens';

type TokenRow = {
  id: number;
  name: string;
  created_by: string;
  created_at: number;
  last_used_at: number | null;
  revoked_at: number | null;
};

const TOKEN_COLUMNS = 'id, name, created_by, created_at, last_used_at, revoked_at';
/** A wall reads all day: its last use is written at most this often per token. */
export const LAST_USED_EVERY_MS = 60_000;
/** The browser keeps the wall's cookie this long (Chromium's own ceiling); the token's revocation ends it sooner. */
export const WALL_COOKIE_MAX_AGE_S = 400 * 86_400;

const num = (v: number | string | null): number | null => (v === null ? null : Number(v));

function toWallToken(r: TokenRow): WallToken {
  return {
    id: Number(r.id),
    name: r.name,
    createdBy: r.created_by,
    createdAt: Number(r.created_at),
    lastUsedAt: num(r.last_used_at),
    revokedAt: num(r.revoked_at),
  };
}

/** The signed-in wall behind a cookie. */
export interface WallSession {
  tokenId: number;
  name: string;
  /** The stored hash of the cookie's id. */
  idHash: string;
}

function revokedSentence(name: string): string {
  return `the wall token "${name}" was revoked by an admin; ask the centre's admin for a new wall address and open it on this display`;
}

export class WallTokens {
  private readonly lastWritten = new Map<number, number>();

  constructor(
    private readonly db: Sql,
    private readonly now: () => number,
  ) {}

  async list(): Promise<WallToken[]> {
    const rows = await this.db.query<TokenRow>(`SELECT ${TOKEN_COLUMNS} FROM wall_tokens ORDER BY revoked_at IS NOT NULL, created_at DESC, id DESC`);
    return rows.map(toWallToken);
  }

  /** A new token; `origin` is the centre's address as the admin's browser reached it. */
  async create(name: string, createdBy: string, origin: string): Promise<NewWallToken> {
    const token = newToken('wall');
    const rows = await this.db.query<TokenRow>(
      `INSERT INTO wall_tokens (name, token_hash, created_by, created_at) VALUES ($1, $2, $3, $4) RETURNING ${TOKEN_COLUMNS}`,
      [name, tokenHash(token), createdBy, this.now()],
    );
    return { ...toWallToken(rows[0]!), token, address: `${origin}${WALL_PAGE}#token=${token}` };
  }

  async revoke(id: number, by: string): Promise<WallToken> {
    const rows = await this.db.query<TokenRow>(
      `UPDATE wall_tokens SET revoked_at = $2, revoked_by = $3 WHERE id = $1 AND revoked_at IS NULL RETURNING ${TOKEN_COLUMNS}`,
      [id, this.now(), by],
    );
    if (rows[0]) return toWallToken(rows[0]);
    const held = await this.db.query<TokenRow>(`SELECT ${TOKEN_COLUMNS} FROM wall_tokens WHERE id = $1`, [id]);
    if (!held[0]) throw new Refusal(404, 'not-found', `there is no wall token ${id}; reload the page to see the current list`).because('hall.wall_token_unknown', { id });
    throw new Refusal(409, 'wrong-state', `the wall token "${held[0].name}" is already revoked`).because('hall.wall_token_revoked', { name: held[0].name });
  }

  /** Trades a token (from the wall's address) for a cookie value; the token itself is never stored. */
  async openSession(token: string | null, address: string | null): Promise<{ cookieValue: string; session: WallSession }> {
    if (!token) {
      throw new Refusal(401, WALL_REFUSALS.invalid, 'this wall was opened without its token; open the full address the admin gave (it ends in #token=…)');
    }
    const rows = await this.db.query<{ id: number; name: string; revoked_at: number | null }>(
      'SELECT id, name, revoked_at FROM wall_tokens WHERE token_hash = $1',
      [tokenHash(token)],
    );
    const row = rows[0];
    if (!row) {
      throw new Refusal(401, WALL_REFUSALS.invalid, 'the centre does not know this wall token; check that the whole address was copied, or ask the admin for a new one');
    }
    if (row.revoked_at !== null) throw new Refusal(401, WALL_REFUSALS.revoked, revokedSentence(row.name));
    const cookieValue = randomBytes(32).toString('base64url');
    const idHash = tokenHash(cookieValue);
    await this.db.query('INSERT INTO wall_sessions (id_hash, token_id, created_at, address) VALUES ($1, $2, $3, $4)', [idHash, row.id, this.now(), address]);
    const session = { tokenId: Number(row.id), name: row.name, idHash };
    await this.touch(session.tokenId);
    return { cookieValue, session };
  }

  /** The wall behind a cookie, or a refusal that says why the wall must be opened again. */
  async sessionOf(cookieValue: string | null): Promise<WallSession> {
    const idHash = cookieValue ? tokenHash(cookieValue) : null;
    const rows = idHash
      ? await this.db.query<{ token_id: number; name: string; revoked_at: number | null }>(
          'SELECT s.token_id, t.name, t.revoked_at FROM wall_sessions s JOIN wall_tokens t ON t.id = s.token_id WHERE s.id_hash = $1',
          [idHash],
        )
      : [];
    const row = rows[0];
    if (!row || !idHash) {
      throw new Refusal(401, WALL_REFUSALS.invalid, 'this display is not signed in as a wall; open the wall address the admin gave (it ends in #token=…)');
    }
    if (row.revoked_at !== null) throw new Refusal(401, WALL_REFUSALS.revoked, revokedSentence(row.name));
    const session = { tokenId: Number(row.token_id), name: row.name, idHash };
    await this.touch(session.tokenId);
    return session;
  }

  /** Whether the wall may still read: its token not revoked (checked by the stream's heartbeat). */
  async holds(idHash: string): Promise<boolean> {
    const rows = await this.db.query(
      'SELECT 1 FROM wall_sessions s JOIN wall_tokens t ON t.id = s.token_id WHERE s.id_hash = $1 AND t.revoked_at IS NULL',
      [idHash],
    );
    return rows.length > 0;
  }

  /** Records the token's last use, coalesced: at most one write a minute per token on this node. */
  private async touch(tokenId: number): Promise<void> {
    const now = this.now();
    const last = this.lastWritten.get(tokenId);
    if (last !== undefined && now - last < LAST_USED_EVERY_MS) return;
    this.lastWritten.set(tokenId, now);
    await this.db.query('UPDATE wall_tokens SET last_used_at = $2 WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < $2)', [tokenId, now]);
  }
}
