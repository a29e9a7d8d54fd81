/**
 * Enrolment: an admin makes a one-time code for a window; the kiosk exchanges it, with its
 * terminal id and the public key it signs offline bundles with, for a terminal token.
 * The centre keeps hashes of codes and tokens, never the values; the audit log keeps a
 * code's number, window and expiry, never the code. Revoking a terminal
 * makes its token fail with 401 from then on. Making or revoking an API token, and a
 * terminal revoked, allowed a replacement or a new epoch, each leave one audit entry naming
 * the script's token by its name, never its value or hash.
 */
import { createPublicKey, verify } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { reenrolmentText } from '../../../src/shared/sync-wire';
import { one, type CentreDb, type Sql } from '../db/sql';
import { Refusal } from '../errors';
import { writeAudit } from '../accounts/audit';
import { callerOf, type Auth } from '../http/auth';
import { RateLimiter } from '../http/rate-limit';
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
  /** Enrolling an enrolled terminal again: base64 signature of reenrolmentText() with its registered key. */
  proof: z.string().max(200).optional(),
});

const TokenRequest = z.object({
  name: z.string().trim().min(1).max(100),
  roles: z.array(z.enum(['reports', 'follow_up'])).min(1),
});

const RevokeTokenRequest = z.object({ name: z.string().trim().min(1).max(100) });

export function registerEnrolmentRoutes(app: FastifyInstance, deps: { db: CentreDb; auth: Auth; options: ResolvedOptions }): void {
  const { db, auth, options } = deps;
  const admin = { onRequest: auth.userHook('admin') };
  // Codes are guessed here, so each client address gets a few tries, then one every few seconds.
  const guesses = new RateLimiter(options.enrolRateLimit.perSecond, options.enrolRateLimit.burst, options.now);
  const enrolRoute = { bodyLimit: 4096, onRequest: async (request: { ip: string }) => guesses.take(`enrol:${request.ip}`, 'this address') };

  app.post('/v1/admin/enrolment-codes', admin, async (request, reply) => {
    const body = parseWith(CodeRequest, jsonBody(request).value);
    const code = newEnrolmentCode();
    const now = options.now();
    const expiresAt = now + body.expiresInHours * 3_600_000;
    const caller = callerOf(request);
    await db.transaction(async (tx) => {
      const [made] = await tx.query<{ id: number }>(
        'INSERT INTO enrolment_codes (code_hash, window_no, created_at, expires_at) VALUES ($1, $2, $3, $4) RETURNING id',
        [tokenHash(normaliseCode(code)), body.windowNo, now, expiresAt],
      );
      await writeAudit(tx, now, {
        action: 'enrolment_code_changed',
        actor: caller.name,
        subject: `#${Number(made!.id)}`,
        facts: { kind: 'enrolment_code_made', windowNo: body.windowNo, expiresInHours: body.expiresInHours, expiresAt, token: caller.name },
        address: request.ip,
      });
    });
    return reply.code(201).send({ code, windowNo: body.windowNo, expiresAt });
  });

  app.post('/v1/enrol', enrolRoute, async (request) => {
    const body = parseWith(EnrolRequest, jsonBody(request).value);
    checkPublicKey(body.publicKey);
    const now = options.now();
    const token = newToken('ct');
    const { windowNo, replaced } = await db.transaction(async (tx) => {
      const code = await one<{ window_no: string }>(
        tx,
        'SELECT window_no FROM enrolment_codes WHERE code_hash = $1 AND used_at IS NULL AND expires_at > $2 FOR UPDATE',
        [tokenHash(normaliseCode(body.code)), now],
      );
      if (!code) throw new Refusal(401, 'enrolment-code-invalid', 'this enrolment code is unknown, already used or expired; ask the centre admin for a new one');
      await tx.query('UPDATE enrolment_codes SET used_at = $2, used_by = $3 WHERE code_hash = $1', [tokenHash(normaliseCode(body.code)), now, body.terminalId]);
      const replaced = await replaceExisting(tx, body, code.window_no, tokenHash(token), now);
      if (!replaced) {
        await tx.query('INSERT INTO terminals (terminal_id, window_no, token_hash, public_key, enrolled_at) VALUES ($1, $2, $3, $4, $5)', [body.terminalId, code.window_no, tokenHash(token), body.publicKey, now]);
      }
      return { windowNo: code.window_no, replaced };
    });
    request.log.info({ terminal: body.terminalId, windowNo, replaced }, replaced ? 'terminal enrolled again' : 'terminal enrolled');
    return { terminalId: body.terminalId, windowNo, token, centreTime: now };
  });

  app.post<{ Params: { terminalId: string } }>('/v1/admin/terminals/:terminalId/replace', admin, async (request) => {
    const { terminalId } = request.params;
    const now = options.now();
    const caller = callerOf(request);
    await db.transaction(async (tx) => {
      const held = await heldTerminal(tx, terminalId);
      await tx.query('UPDATE terminals SET replace_approved_at = $2, revoked_at = coalesce(revoked_at, $2) WHERE terminal_id = $1', [terminalId, now]);
      // Allowing again before the terminal enrolled changes nothing a person would notice, and leaves no second entry.
      if (held.replace_approved_at === null) {
        await writeAudit(tx, now, {
          action: 'terminal_changed',
          actor: caller.name,
          subject: terminalId,
          facts: { kind: 'terminal_replace_allowed', windowNo: held.window_no, wasRevoked: held.revoked_at !== null, token: caller.name },
          address: request.ip,
        });
      }
    });
    request.log.info({ terminal: terminalId }, 'terminal may be replaced');
    return { terminalId, replaceApprovedAt: now, revokedAt: now };
  });

  app.post<{ Params: { terminalId: string } }>('/v1/admin/terminals/:terminalId/allow-epoch', admin, async (request) => {
    const { terminalId } = request.params;
    const now = options.now();
    const caller = callerOf(request);
    const epochAllowed = await db.transaction(async (tx) => {
      const held = await heldTerminal(tx, terminalId);
      const [row] = await tx.query<{ epoch_allowed: number }>(
        `UPDATE terminals t SET epoch_allowed = coalesce((SELECT max(epoch) FROM terminal_epochs e WHERE e.terminal_id = t.terminal_id), 0) + 1
         WHERE terminal_id = $1 RETURNING epoch_allowed`,
        [terminalId],
      );
      const epoch = Number(row!.epoch_allowed);
      // Allowing the epoch already allowed changes nothing, and leaves no second entry.
      if (held.epoch_allowed === null || Number(held.epoch_allowed) !== epoch) {
        await writeAudit(tx, now, {
          action: 'terminal_changed',
          actor: caller.name,
          subject: terminalId,
          facts: { kind: 'terminal_epoch_allowed', windowNo: held.window_no, epoch, token: caller.name },
          address: request.ip,
        });
      }
      return epoch;
    });
    return { terminalId, epochAllowed };
  });

  app.post<{ Params: { terminalId: string } }>('/v1/admin/terminals/:terminalId/revoke', admin, async (request) => {
    const { terminalId } = request.params;
    const now = options.now();
    const caller = callerOf(request);
    await db.transaction(async (tx) => {
      const held = await heldTerminal(tx, terminalId);
      // Revoking again changes nothing, and leaves no second entry; the console's revoke writes the same action.
      if (held.revoked_at === null) {
        await tx.query('UPDATE terminals SET revoked_at = $2 WHERE terminal_id = $1', [terminalId, now]);
        await writeAudit(tx, now, { action: 'terminal_token_changed', actor: caller.name, subject: terminalId, facts: { kind: 'terminal_revoked', token: caller.name }, address: request.ip });
      }
    });
    request.log.info({ terminal: terminalId }, 'terminal token revoked');
    return { terminalId, revokedAt: now };
  });

  app.get('/v1/admin/terminals', admin, async () => {
    const rows = await db.query(
      `SELECT t.terminal_id AS "terminalId", t.window_no AS "windowNo", t.enrolled_at AS "enrolledAt", t.revoked_at AS "revokedAt",
         t.last_seen_at AS "lastSeenAt", t.clock_skew_ms AS "clockSkewMs", t.clock_flagged AS "clockFlagged",
         coalesce(jsonb_agg(jsonb_build_object('epoch', e.epoch, 'highWater', e.high_water) ORDER BY e.epoch) FILTER (WHERE e.epoch IS NOT NULL), '[]') AS epochs
       FROM terminals t LEFT JOIN terminal_epochs e USING (terminal_id) GROUP BY t.terminal_id ORDER BY t.window_no, t.terminal_id`,
    );
    return { terminals: rows };
  });

  app.post('/v1/admin/api-tokens', admin, async (request, reply) => {
    const body = parseWith(TokenRequest, jsonBody(request).value);
    const token = newToken('cr');
    const now = options.now();
    const caller = callerOf(request);
    const roles = [...new Set(body.roles)];
    await db.transaction(async (tx) => {
      await tx.query('INSERT INTO api_tokens (token_hash, name, roles, created_at) VALUES ($1, $2, $3::jsonb, $4)', [tokenHash(token), body.name, JSON.stringify(roles), now]);
      // The entry names the token by the name it was given, never by its value or hash.
      await writeAudit(tx, now, { action: 'api_token_changed', actor: caller.name, subject: body.name, facts: { kind: 'api_token_made', roles, token: caller.name }, address: request.ip });
    });
    return reply.code(201).send({ name: body.name, roles, token });
  });

  app.post('/v1/admin/api-tokens/revoke', admin, async (request) => {
    const { name } = parseWith(RevokeTokenRequest, jsonBody(request).value);
    const now = options.now();
    const caller = callerOf(request);
    const tokens = await db.transaction(async (tx) => {
      const revoked = await tx.query('UPDATE api_tokens SET revoked_at = $2 WHERE name = $1 AND revoked_at IS NULL RETURNING name', [name, now]);
      if (revoked.length === 0) throw new Refusal(404, 'not-found', `no API token named "${name.slice(0, 100)}" is in use; names are matched exactly, case included`);
      await writeAudit(tx, now, { action: 'api_token_changed', actor: caller.name, subject: name, facts: { kind: 'api_token_revoked', tokens: revoked.length, token: caller.name }, address: request.ip });
      return revoked.length;
    });
    request.log.info({ tokens }, 'API tokens revoked');
    return { name, revokedAt: now, tokens };
  });
}

/** An enrolled terminal, held for the change; unknown: 404. */
async function heldTerminal(tx: Sql, terminalId: string) {
  const held = await one<{ window_no: string; revoked_at: number | null; replace_approved_at: number | null; epoch_allowed: number | null }>(
    tx,
    'SELECT window_no, revoked_at, replace_approved_at, epoch_allowed FROM terminals WHERE terminal_id = $1 FOR UPDATE',
    [terminalId],
  );
  if (!held) throw new Refusal(404, 'not-found', `no terminal ${terminalId} is enrolled`);
  return held;
}

/**
 * An enrolled terminal is replaced only with proof: a signature with the key it registered,
 * or the admin's replace action. Either way the replacement is an alert, and the old token
 * stops working. Returns false when the terminal is new.
 */
async function replaceExisting(tx: Sql, body: z.infer<typeof EnrolRequest>, windowNo: string, tokenHashValue: string, now: number): Promise<boolean> {
  const existing = await one<{ window_no: string; public_key: string; replace_approved_at: number | null }>(
    tx,
    'SELECT window_no, public_key, replace_approved_at FROM terminals WHERE terminal_id = $1 FOR UPDATE',
    [body.terminalId],
  );
  if (!existing) return false;
  const signed = body.proof !== undefined && signedBy(existing.public_key, reenrolmentText(body.terminalId, body.publicKey, body.code), body.proof);
  if (!signed && existing.replace_approved_at === null) {
    throw new Refusal(
      409,
      'terminal-enrolled',
      `terminal ${body.terminalId} is already enrolled (window ${existing.window_no}); to enrol it again, sign the request with its enrolment key, or ask the centre admin to replace the terminal first`,
    );
  }
  await tx.query(
    `UPDATE terminals SET window_no = $2, token_hash = $3, public_key = $4, enrolled_at = $5, revoked_at = NULL, replace_approved_at = NULL
     WHERE terminal_id = $1`,
    [body.terminalId, windowNo, tokenHashValue, body.publicKey, now],
  );
  const how = signed ? 'signed with its registered key' : "after the admin's replace action";
  await tx.query(
    `INSERT INTO integrity_alerts (terminal_id, epoch, seq_from, seq_to, kind, detail, detected_at)
     SELECT $1, 0, count(*) + 1, 0, 'terminal_replaced', $2, $3 FROM integrity_alerts WHERE terminal_id = $1 AND kind = 'terminal_replaced'`,
    [body.terminalId, `terminal ${body.terminalId} was enrolled again (${how}), now window ${windowNo} (was ${existing.window_no}); its old token no longer works`, now],
  );
  return true;
}

function signedBy(publicKey: string, text: string, signature: string): boolean {
  try {
    const key = createPublicKey({ key: Buffer.from(publicKey, 'base64'), format: 'der', type: 'spki' });
    return verify(null, Buffer.from(text, 'utf8'), key, Buffer.from(signature, 'base64'));
  } catch {
    return false;
  }
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
