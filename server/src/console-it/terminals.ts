/**
 * IT's view of the windows' terminals: contact, clock, high-water marks and integrity
 * alerts, which IT acknowledges with a note (the alert stays in the history); enrolment
 * codes, shown once when made and listed without the code; revoking a terminal or a code.
 * Making or revoking a code is in the audit log by its number and window, never the code.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import {
  ALERT_KINDS,
  AcknowledgeAlertBody,
  AlertQuery,
  IT_ROUTES,
  NewEnrolmentCodeBody,
  type AlertKind,
  type EnrolmentCodeRow,
  type IntegrityAlert,
  type NewEnrolmentCode,
  type TerminalRow,
} from '../../../src/shared/console/it-contract';
import { CONSOLE_API } from '../../../src/shared/console/contract';
import { writeAudit } from '../accounts/audit';
import { consoleGuard, personOf } from '../accounts/guard';
import { one, type Sql } from '../db/sql';
import { Refusal } from '../errors';
import { jsonBody } from '../http/body';
import { parseWith } from '../http/parse';
import { newEnrolmentCode, normaliseCode, tokenHash } from '../http/tokens';
import type { AlertKind as StoredAlertKind } from '../ingest/alerts';
import type { ConsoleItDeps } from './deps';

// The console's list of kinds and the ingest's must name the same alerts, both ways.
const sameKinds: [AlertKind[], StoredAlertKind[]] = [[] as StoredAlertKind[], [...ALERT_KINDS]];
void sameKinds;

const TerminalParams = z.object({ terminalId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'a terminal id is letters, digits, - and _') });
const AlertParams = z.object({ alertId: z.coerce.number({ error: 'an alert number is a whole number' }).int().positive() });
const CodeParams = z.object({ codeId: z.coerce.number({ error: 'a code number is a whole number' }).int().positive() });

const TERMINAL_SELECT = `
  SELECT t.terminal_id, t.window_no, w.department_code, w.department_name, t.enrolled_at, t.revoked_at, t.last_seen_at, t.clock_skew_ms, t.clock_flagged,
    t.rotate_requested_at, t.token_rotated_at, t.previous_token_until,
    coalesce((SELECT jsonb_agg(jsonb_build_object('epoch', e.epoch, 'highWater', e.high_water, 'startedAt', e.started_at) ORDER BY e.epoch)
              FROM terminal_epochs e WHERE e.terminal_id = t.terminal_id), '[]'::jsonb) AS epochs,
    (SELECT count(*) FROM integrity_alerts a WHERE a.terminal_id = t.terminal_id AND a.acknowledged_at IS NULL)::integer AS open_alerts
  FROM terminals t LEFT JOIN windows w ON w.window_no = t.window_no`;

interface TerminalDbRow extends Record<string, unknown> {
  terminal_id: string;
  window_no: string;
  department_code: string | null;
  department_name: string | null;
  enrolled_at: number;
  revoked_at: number | null;
  last_seen_at: number | null;
  clock_skew_ms: number | null;
  clock_flagged: boolean;
  epochs: { epoch: number; highWater: number; startedAt: number }[];
  open_alerts: number;
  rotate_requested_at: number | null;
  token_rotated_at: number | null;
  previous_token_until: number | null;
}

const orNull = (v: number | null): number | null => (v === null ? null : Number(v));

function terminalRow(r: TerminalDbRow): TerminalRow {
  return {
    terminalId: r.terminal_id,
    windowNo: r.window_no,
    departmentCode: r.department_code,
    departmentName: r.department_name,
    enrolledAt: Number(r.enrolled_at),
    revokedAt: r.revoked_at === null ? null : Number(r.revoked_at),
    lastContactAt: r.last_seen_at === null ? null : Number(r.last_seen_at),
    clockOffsetMs: r.clock_skew_ms === null ? null : Number(r.clock_skew_ms),
    clockFlagged: r.clock_flagged,
    epochs: r.epochs.map((e) => ({ epoch: Number(e.epoch), highWater: Number(e.highWater), startedAt: Number(e.startedAt) })),
    // Terminals do not report their waiting records on the wire yet.
    backlog: null,
    openAlerts: Number(r.open_alerts),
    token: { rotationAskedAt: orNull(r.rotate_requested_at), rotatedAt: orNull(r.token_rotated_at), previousValidUntil: orNull(r.previous_token_until) },
  };
}

const ALERT_SELECT = `
  SELECT a.id, a.terminal_id, t.window_no, a.kind, a.epoch, a.seq_from, a.seq_to, a.detail, a.detected_at, a.acknowledged_at, a.acknowledged_by, a.acknowledge_note
  FROM integrity_alerts a LEFT JOIN terminals t ON t.terminal_id = a.terminal_id`;

function alertRow(r: Record<string, unknown>): IntegrityAlert {
  return {
    id: Number(r.id),
    terminalId: String(r.terminal_id),
    windowNo: (r.window_no as string | null) ?? null,
    kind: r.kind as AlertKind,
    epoch: Number(r.epoch),
    seqFrom: Number(r.seq_from),
    seqTo: Number(r.seq_to),
    detail: String(r.detail),
    detectedAt: Number(r.detected_at),
    acknowledgement: r.acknowledged_at === null ? null : { by: String(r.acknowledged_by), at: Number(r.acknowledged_at), note: String(r.acknowledge_note) },
  };
}

const CODE_SELECT = 'SELECT id, window_no, created_at, created_by, expires_at, used_at, used_by, revoked_at FROM enrolment_codes';

function codeRow(r: Record<string, unknown>, now: number): EnrolmentCodeRow {
  const usedAt = r.used_at === null ? null : Number(r.used_at);
  const revokedAt = r.revoked_at === null ? null : Number(r.revoked_at);
  const expiresAt = Number(r.expires_at);
  const state = usedAt !== null ? 'used' : revokedAt !== null ? 'revoked' : expiresAt <= now ? 'expired' : 'usable';
  return {
    id: Number(r.id),
    windowNo: String(r.window_no),
    createdAt: Number(r.created_at),
    createdBy: (r.created_by as string | null) ?? null,
    expiresAt,
    usedAt,
    usedBy: (r.used_by as string | null) ?? null,
    revokedAt,
    state,
  };
}

async function terminalById(db: Sql, terminalId: string): Promise<TerminalRow | undefined> {
  const row = await one<TerminalDbRow>(db, `${TERMINAL_SELECT} WHERE t.terminal_id = $1`, [terminalId]);
  return row && terminalRow(row);
}

export function registerTerminalRoutes(app: FastifyInstance, deps: ConsoleItDeps): void {
  const { db, options } = deps;
  const admin = { onRequest: consoleGuard(deps, ['admin']) };
  const at = (route: string) => `${CONSOLE_API}${route}`;

  app.get(at(IT_ROUTES.terminals), admin, async () => {
    const rows = await db.query<TerminalDbRow>(`${TERMINAL_SELECT} ORDER BY length(t.window_no), t.window_no, t.terminal_id`);
    return { terminals: rows.map(terminalRow) };
  });

  app.post(at(IT_ROUTES.revokeTerminal), admin, async (request) => {
    const { terminalId } = parseWith(TerminalParams, request.params);
    const now = options.now();
    const person = personOf(request).username;
    await db.transaction(async (tx) => {
      const held = await one<{ revoked_at: number | null }>(tx, 'SELECT revoked_at FROM terminals WHERE terminal_id = $1 FOR UPDATE', [terminalId]);
      if (!held) throw new Refusal(404, 'not-found', `no terminal ${terminalId} is enrolled; reload the list`).because('it.terminal_unknown', { terminalId });
      // Revoking again changes nothing, and leaves no second entry.
      if (held.revoked_at === null) {
        await tx.query('UPDATE terminals SET revoked_at = $2 WHERE terminal_id = $1', [terminalId, now]);
        await writeAudit(tx, now, { action: 'terminal_token_changed', actor: person, subject: terminalId, facts: { kind: 'terminal_revoked' }, address: request.ip });
      }
    });
    request.log.info({ terminal: terminalId, by: person }, 'terminal token revoked from the console');
    return (await terminalById(db, terminalId))!;
  });

  app.post(at(IT_ROUTES.rotateTerminalToken), admin, async (request) => {
    const { terminalId } = parseWith(TerminalParams, request.params);
    const row = await one<{ revoked_at: number | null }>(db, 'SELECT revoked_at FROM terminals WHERE terminal_id = $1', [terminalId]);
    if (!row) throw new Refusal(404, 'not-found', `no terminal ${terminalId} is enrolled; reload the list`).because('it.terminal_unknown', { terminalId });
    if (row.revoked_at !== null) throw new Refusal(409, 'terminal-revoked', `terminal ${terminalId} was revoked; a revoked terminal gets a token only by enrolling again with a new code`).because('it.terminal_revoked', { terminalId });
    const person = personOf(request).username;
    // Asking again before the terminal fetched its token keeps the first time asked.
    const now = options.now();
    await db.transaction(async (tx) => {
      await tx.query('UPDATE terminals SET rotate_requested_at = coalesce(rotate_requested_at, $2), rotate_requested_by = $3 WHERE terminal_id = $1', [terminalId, now, person]);
      await writeAudit(tx, now, { action: 'terminal_token_changed', actor: person, subject: terminalId, facts: { kind: 'terminal_rotation_asked' }, address: request.ip });
    });
    request.log.info({ terminal: terminalId, by: person }, 'terminal token rotation asked for from the console');
    return (await terminalById(db, terminalId))!;
  });

  app.get(at(IT_ROUTES.alerts), admin, async (request) => {
    const query = parseWith(AlertQuery, request.query);
    const state = query.state === 'open' ? 'a.acknowledged_at IS NULL' : query.state === 'acknowledged' ? 'a.acknowledged_at IS NOT NULL' : 'true';
    const rows = await db.query(`${ALERT_SELECT} WHERE ($1::text IS NULL OR a.terminal_id = $1) AND ${state} ORDER BY a.detected_at DESC, a.id DESC LIMIT $2`, [
      query.terminalId ?? null,
      query.limit,
    ]);
    return { alerts: rows.map(alertRow) };
  });

  app.post(at(IT_ROUTES.acknowledgeAlert), admin, async (request) => {
    const { alertId } = parseWith(AlertParams, request.params);
    const { note } = parseWith(AcknowledgeAlertBody, jsonBody(request).value);
    const person = personOf(request);
    const updated = await db.query(
      'UPDATE integrity_alerts SET acknowledged_at = $2, acknowledged_by = $3, acknowledge_note = $4 WHERE id = $1 AND acknowledged_at IS NULL RETURNING id',
      [alertId, options.now(), person.username, note],
    );
    const row = await one(db, `${ALERT_SELECT} WHERE a.id = $1`, [alertId]);
    if (!row) throw new Refusal(404, 'not-found', `there is no alert ${alertId}; reload the list`).because('it.alert_unknown', { alertId });
    const alert = alertRow(row);
    if (updated.length === 0) {
      const by = alert.acknowledgement!;
      throw new Refusal(409, 'already-acknowledged', `${by.by} already acknowledged this alert at ${new Date(by.at).toISOString()}: "${by.note}"`).because('it.alert_acknowledged', {
        by: by.by,
        at: by.at,
        note: by.note,
      });
    }
    return alert;
  });

  app.get(at(IT_ROUTES.enrolmentCodes), admin, async () => {
    const now = options.now();
    const rows = await db.query(`${CODE_SELECT} ORDER BY created_at DESC, id DESC LIMIT 500`);
    return { codes: rows.map((r) => codeRow(r, now)) };
  });

  app.post(at(IT_ROUTES.enrolmentCodes), admin, async (request, reply) => {
    const body = parseWith(NewEnrolmentCodeBody, jsonBody(request).value);
    const code = newEnrolmentCode();
    const now = options.now();
    const person = personOf(request).username;
    const expiresAt = now + body.expiresInHours * 3_600_000;
    const row = await db.transaction(async (tx) => {
      const [made] = await tx.query(
        `INSERT INTO enrolment_codes (code_hash, window_no, created_at, expires_at, created_by) VALUES ($1, $2, $3, $4, $5)
         RETURNING id, window_no, created_at, created_by, expires_at, used_at, used_by, revoked_at`,
        [tokenHash(normaliseCode(code)), body.windowNo, now, expiresAt, person],
      );
      // The entry names the code by its number in the list, never by the code itself.
      await writeAudit(tx, now, {
        action: 'enrolment_code_changed',
        actor: person,
        subject: `#${Number(made!.id)}`,
        facts: { kind: 'enrolment_code_made', windowNo: body.windowNo, expiresInHours: body.expiresInHours, expiresAt },
        address: request.ip,
      });
      return made;
    });
    const answer: NewEnrolmentCode = { ...codeRow(row!, now), code };
    return reply.code(201).header('cache-control', 'no-store').send(answer);
  });

  app.post(at(IT_ROUTES.revokeEnrolmentCode), admin, async (request) => {
    const { codeId } = parseWith(CodeParams, request.params);
    const now = options.now();
    const person = personOf(request).username;
    await db.transaction(async (tx) => {
      // The enrolment route takes only unexpired codes: a revoked code expires now as well.
      const revoked = await tx.query<{ window_no: string }>(
        'UPDATE enrolment_codes SET revoked_at = $2, revoked_by = $3, expires_at = least(expires_at, $2) WHERE id = $1 AND used_at IS NULL AND revoked_at IS NULL RETURNING window_no',
        [codeId, now, person],
      );
      // Revoking again, or a used or unknown code, changes nothing and leaves no entry.
      if (revoked[0]) {
        await writeAudit(tx, now, { action: 'enrolment_code_changed', actor: person, subject: `#${codeId}`, facts: { kind: 'enrolment_code_revoked', windowNo: revoked[0].window_no }, address: request.ip });
      }
    });
    const row = await one(db, `${CODE_SELECT} WHERE id = $1`, [codeId]);
    if (!row) throw new Refusal(404, 'not-found', `there is no enrolment code ${codeId}; reload the list`).because('it.code_unknown', { codeId });
    const code = codeRow(row, now);
    if (code.state === 'used') {
      throw new Refusal(409, 'code-already-used', `this code was already used by terminal ${code.usedBy ?? '?'}; to stop that terminal, revoke the terminal instead`).because('it.code_used', {
        terminalId: code.usedBy ?? '?',
      });
    }
    return code;
  });
}
