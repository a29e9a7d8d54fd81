/**
 * Enrolment: an admin makes a one-time code for a window; the kiosk exchanges it, with its
 * terminal id and the public key it signs offline bundles with, for a terminal token.
 * The centre keeps hashes of codes and tokens, never the values. Revoking a terminal
 * makes its token fail with 401 from then on.
 */
import { createPublicKey } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { one, type CentreDb } from '../db/sql';
import { Refusal } from '../errors';
import type { Auth } from '../http/auth';
import { jsonBody } from '../http/body';
import { parseWith } from '../http/parse';
import { newEnrolmentCode, newToken, normaliseCode, tokenHash } from '../http/tokens';
import type { ResolvedOptions } from '../options';

const CodeRequest = z.object({
  windowNo: z.string().trim().min(1).max(16),
  expiresInHours: z.number().int().min(1).max(24 * 90).default(24 * 7),
});

const EnrolRequest = z.object({
  code: z.string().trim().min(1).max(32),
  terminalId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'terminalId is letters, digits, - and _'),
  /** Ed25519 public key, DER (SPKI), base64. */
  publicKey: z.string().min(40).max(200),
});

const TokenRequest = z.object({
  name: z.string().trim().min(1).max(100),
  roles: z.array(z.enum(['reports', 'follow_up'])).min(1),
});

export function registerEnrolmentRoutes(app: FastifyInstance, deps: { db: CentreDb; auth: Auth; options: ResolvedOptions }): void {
  const { db, auth, options } = deps;

  app.post('/v1/admin/enrolment-codes', async (request, reply) => {
    await auth.user(request, 'admin');
    const body = parseWith(CodeRequest, jsonBody(request).value);
    const code = newEnrolmentCode();
    const now = options.now();
    const expiresAt = now + body.expiresInHours * 3_600_000;
    await db.query('INSERT INTO enrolment_codes (code_hash, window_no, created_at, expires_at) VALUES ($1, $2, $3, $4)', [tokenHash(normaliseCode(code)), body.windowNo, now, expiresAt]);
    return reply.code(201).send({ code, windowNo: body.windowNo, expiresAt });
  });

  app.post('/v1/enrol', async (request) => {
    const body = parseWith(EnrolRequest, jsonBody(request).value);
    checkPublicKey(body.publicKey);
    const now = options.now();
    const token = newToken('ct');
    const windowNo = await db.transaction(async (tx) => {
      const code = await one<{ window_no: string }>(
        tx,
        'SELECT window_no FROM enrolment_codes WHERE code_hash = $1 AND used_at IS NULL AND expires_at > $2 FOR UPDATE',
        [tokenHash(normaliseCode(body.code)), now],
      );
      if (!code) throw new Refusal(401, 'enrolment-code-invalid', 'this enrolment code is unknown, already used or expired; ask the centre admin for a new one');
      await tx.query('UPDATE enrolment_codes SET used_at = $2, used_by = $3 WHERE code_hash = $1', [tokenHash(normaliseCode(body.code)), now, body.terminalId]);
      // Enrolling again (a reinstalled PC) replaces the old token.
      await tx.query(
        `INSERT INTO terminals (terminal_id, window_no, token_hash, public_key, enrolled_at) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (terminal_id) DO UPDATE SET window_no = excluded.window_no, token_hash = excluded.token_hash,
           public_key = excluded.public_key, enrolled_at = excluded.enrolled_at, revoked_at = NULL`,
        [body.terminalId, code.window_no, tokenHash(token), body.publicKey, now],
      );
      return code.window_no;
    });
    request.log.info({ terminal: body.terminalId, windowNo }, 'terminal enrolled');
    return { terminalId: body.terminalId, windowNo, token, centreTime: now };
  });

  app.post<{ Params: { terminalId: string } }>('/v1/admin/terminals/:terminalId/revoke', async (request) => {
    await auth.user(request, 'admin');
    const now = options.now();
    const rows = await db.query<{ terminal_id: string }>('UPDATE terminals SET revoked_at = coalesce(revoked_at, $2) WHERE terminal_id = $1 RETURNING terminal_id', [request.params.terminalId, now]);
    if (rows.length === 0) throw new Refusal(404, 'not-found', `no terminal ${request.params.terminalId} is enrolled`);
    request.log.info({ terminal: request.params.terminalId }, 'terminal token revoked');
    return { terminalId: request.params.terminalId, revokedAt: now };
  });

  app.get('/v1/admin/terminals', async (request) => {
    await auth.user(request, 'admin');
    const rows = await db.query(
      `SELECT t.terminal_id AS "terminalId", t.window_no AS "windowNo", t.enrolled_at AS "enrolledAt", t.revoked_at AS "revokedAt",
         t.last_seen_at AS "lastSeenAt", t.clock_skew_ms AS "clockSkewMs", t.clock_flagged AS "clockFlagged",
         coalesce(jsonb_agg(jsonb_build_object('epoch', e.epoch, 'highWater', e.high_water) ORDER BY e.epoch) FILTER (WHERE e.epoch IS NOT NULL), '[]') AS epochs
       FROM terminals t LEFT JOIN terminal_epochs e USING (terminal_id) GROUP BY t.terminal_id ORDER BY t.window_no, t.terminal_id`,
    );
    return { terminals: rows };
  });

  app.post('/v1/admin/api-tokens', async (request, reply) => {
    await auth.user(request, 'admin');
    const body = parseWith(TokenRequest, jsonBody(request).value);
    const token = newToken('cr');
    await db.query('INSERT INTO api_tokens (token_hash, name, roles, created_at) VALUES ($1, $2, $3::jsonb, $4)', [tokenHash(token), body.name, JSON.stringify(body.roles), options.now()]);
    return reply.code(201).send({ name: body.name, roles: body.roles, token });
  });
}

function checkPublicKey(base64: string): void {
  try {
    const key = createPublicKey({ key: Buffer.from(base64, 'base64'), format: 'der', type: 'spki' });
    if (key.asymmetricKeyType === 'ed25519') return;
  } catch {
    // falls through to the refusal
  }
  throw new Refusal(400, 'invalid-request', 'publicKey must be an Ed25519 public key (SPKI, DER, base64)');
}
