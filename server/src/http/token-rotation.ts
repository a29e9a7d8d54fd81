/**
 * POST /v1/token/rotate: a terminal exchanges the token it holds for a new one. It is told
 * to (header Cordial-Token-Rotate: due) after IT asked for a rotation from the console.
 * The token it sent keeps working for the grace period, so a request already under way
 * with it, or an answer that never arrived, loses nothing: a terminal that missed the answer
 * calls again with its old token and gets another new one.
 */
import type { FastifyInstance } from 'fastify';
import { TOKEN_ROTATE_HEADER, TOKEN_ROTATE_PATH } from '../../../src/shared/token-rotation';
import { one, type CentreDb } from '../db/sql';
import { Refusal } from '../errors';
import type { ResolvedOptions } from '../options';
import { terminalOf, type Auth } from './auth';
import { newToken, tokenHash } from './tokens';

export function registerTokenRotation(app: FastifyInstance, deps: { db: CentreDb; auth: Auth; options: ResolvedOptions }): void {
  const { db, auth, options } = deps;
  app.post(TOKEN_ROTATE_PATH, { onRequest: auth.terminalHook(), bodyLimit: 1024 }, async (request, reply) => {
    const terminal = terminalOf(request);
    const token = newToken('ct');
    const now = options.now();
    const previousValidUntil = await db.transaction(async (tx) => {
      const row = await one<{ previous_token_until: number | null }>(tx, 'SELECT previous_token_until FROM terminals WHERE terminal_id = $1 FOR UPDATE', [terminal.terminalId]);
      if (!row) throw new Refusal(401, 'unauthorized', 'this terminal is no longer enrolled; enrol the window again with a new code');
      if (terminal.withPreviousToken) {
        // The answer to an earlier rotation was lost: the token it carried is dropped, the old one keeps its deadline.
        await tx.query('UPDATE terminals SET token_hash = $2, rotate_requested_at = NULL, token_rotated_at = $3 WHERE terminal_id = $1', [terminal.terminalId, tokenHash(token), now]);
        return Number(row.previous_token_until);
      }
      const until = now + options.tokenGraceMs;
      await tx.query(
        `UPDATE terminals SET previous_token_hash = token_hash, previous_token_until = $3, token_hash = $2, rotate_requested_at = NULL, token_rotated_at = $4
         WHERE terminal_id = $1`,
        [terminal.terminalId, tokenHash(token), until, now],
      );
      return until;
    });
    reply.removeHeader(TOKEN_ROTATE_HEADER);
    request.log.info({ terminal: terminal.terminalId, previousValidUntil }, 'terminal token rotated');
    return reply.header('cache-control', 'no-store').send({ token, previousValidUntil });
  });
}
