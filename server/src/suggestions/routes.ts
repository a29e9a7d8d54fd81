/**
 * 意见簿 in the console: the list of suggestions, newest first, and their light workflow:
 * new -> answered (the answer given to the citizen is recorded, with who and when) -> closed.
 * Admins and supervisors work it; viewers read it. The reply phone is shown masked only.
 */
import type { FastifyInstance } from 'fastify';
import { CONSOLE_API, type ConsoleRole } from '../../../src/shared/console/contract';
import { SUGGESTION_ROUTES, SuggestionAnswerBody, SuggestionQuery, type SuggestionList, type SuggestionRow } from '../../../src/shared/console/suggestions-contract';
import { consoleGuard, personOf } from '../accounts/guard';
import type { CentreDb } from '../db/sql';
import { Refusal } from '../errors';
import { jsonBody } from '../http/body';
import { parseWith } from '../http/parse';
import type { ResolvedOptions } from '../options';
import type { Projector } from '../reports/project';

export const SUGGESTION_READERS: readonly ConsoleRole[] = ['admin', 'supervisor', 'viewer'];
export const SUGGESTION_WRITERS: readonly ConsoleRole[] = ['admin', 'supervisor'];

interface Stored extends Record<string, unknown> {
  id: string | number;
  source: SuggestionRow['source'];
  window_no: string | null;
  categories: SuggestionRow['categories'];
  body: string;
  phone_masked: string | null;
  left_at: string | number;
  status: SuggestionRow['status'];
  answer: string | null;
  answered_by: string | null;
  answered_at: string | number | null;
  closed_by: string | null;
  closed_at: string | number | null;
}

const COLUMNS = 'id, source, window_no, categories, body, phone_masked, left_at, status, answer, answered_by, answered_at, closed_by, closed_at';
const num = (v: string | number | null) => (v === null ? null : Number(v));

export function suggestionRowOf(r: Stored): SuggestionRow {
  return {
    id: Number(r.id),
    source: r.source,
    windowNo: r.window_no,
    categories: r.categories,
    text: r.body,
    phone: r.phone_masked,
    leftAt: Number(r.left_at),
    status: r.status,
    answer: r.answer,
    answeredBy: r.answered_by,
    answeredAt: num(r.answered_at),
    closedBy: r.closed_by,
    closedAt: num(r.closed_at),
  };
}

function idOf(raw: string): number {
  if (!/^\d{1,15}$/.test(raw)) throw new Refusal(404, 'not-found', `there is no suggestion ${raw}; reload the list`).because('suggestions.not_found', { id: raw });
  return Number(raw);
}

export function registerSuggestionRoutes(app: FastifyInstance, deps: { db: CentreDb; options: ResolvedOptions; projector: Projector }): void {
  const { db, options, projector } = deps;
  const at = (path: string) => `${CONSOLE_API}${path}`;

  app.get(at(SUGGESTION_ROUTES.suggestions), { onRequest: consoleGuard(deps, SUGGESTION_READERS) }, async (request): Promise<SuggestionList> => {
    const query = parseWith(SuggestionQuery, request.query);
    // The windows' suggestions come from their records: bring them up to the records held.
    await projector.run();
    const rows = await db.query<Stored>(
      `SELECT ${COLUMNS} FROM suggestions WHERE ($1::text IS NULL OR status = $1) AND ($2::text IS NULL OR source = $2) ORDER BY left_at DESC, id DESC LIMIT 500`,
      [query.status ?? null, query.source ?? null],
    );
    return { rows: rows.map(suggestionRowOf) };
  });

  app.post<{ Params: { id: string } }>(at(SUGGESTION_ROUTES.suggestionAnswer), { onRequest: consoleGuard(deps, SUGGESTION_WRITERS) }, async (request) => {
    const id = idOf(request.params.id);
    const body = parseWith(SuggestionAnswerBody, jsonBody(request).value);
    const person = personOf(request);
    const found = await db.query<{ status: string }>('SELECT status FROM suggestions WHERE id = $1', [id]);
    if (found.length === 0) throw new Refusal(404, 'not-found', `there is no suggestion ${id}; reload the list`).because('suggestions.not_found', { id });
    if (found[0]!.status === 'closed') throw new Refusal(409, 'wrong-state', `suggestion ${id} is closed; its answer can no longer change`).because('suggestions.closed', { id });
    const rows = await db.query<Stored>(
      `UPDATE suggestions SET status = 'answered', answer = $2, answered_by = $3, answered_at = $4 WHERE id = $1 AND status <> 'closed' RETURNING ${COLUMNS}`,
      [id, body.answer, person.username, options.now()],
    );
    if (rows.length === 0) throw new Refusal(409, 'wrong-state', `suggestion ${id} was closed meanwhile; reload the list`).because('suggestions.closed_meanwhile', { id });
    request.log.info({ by: person.username, id }, 'suggestion answered');
    return suggestionRowOf(rows[0]!);
  });

  app.post<{ Params: { id: string } }>(at(SUGGESTION_ROUTES.suggestionClose), { onRequest: consoleGuard(deps, SUGGESTION_WRITERS) }, async (request) => {
    const id = idOf(request.params.id);
    const person = personOf(request);
    const found = await db.query<{ status: string }>('SELECT status FROM suggestions WHERE id = $1', [id]);
    if (found.length === 0) throw new Refusal(404, 'not-found', `there is no suggestion ${id}; reload the list`).because('suggestions.not_found', { id });
    if (found[0]!.status === 'new') throw new Refusal(409, 'wrong-state', `suggestion ${id} has no answer yet; record the answer given to the citizen first`).because('suggestions.not_answered', { id });
    const rows = await db.query<Stored>(
      `UPDATE suggestions SET status = 'closed', closed_by = $2, closed_at = $3 WHERE id = $1 AND status = 'answered' RETURNING ${COLUMNS}`,
      [id, person.username, options.now()],
    );
    if (rows.length === 0) throw new Refusal(409, 'wrong-state', `suggestion ${id} is already closed`).because('suggestions.already_closed', { id });
    request.log.info({ by: person.username, id }, 'suggestion closed');
    return suggestionRowOf(rows[0]!);
  });
}
