/**
 * The hall's wall screen (WALL_API) and the admin's wall tokens (CONSOLE_API). The wall
 * posts its token once and reads with a cookie scoped to WALL_API: the same Hall the console
 * sees for all departments, a stream of the hall's changes, and staff photos. Read-only, and
 * never follow-up or personal data (hall-contract.ts WallEvent).
 *
 * The stream is modelled on the console's (live/events-route.ts): a heartbeat (a `beat`
 * event the page watches, so a silent link is taken for a dead one) that also checks the
 * token still holds, a wall that stops reading is dropped rather than buffered
 * without end, and closing the centre ends every stream. Revoking a token ends its streams
 * on this node at once, and on other nodes at their next heartbeat.
 */
import type { ServerResponse } from 'node:http';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { CONSOLE_API } from '../../../src/shared/console/contract';
import { HALL_ROUTES, NewWallTokenBody, type Hall, WALL_API, WALL_COOKIE, WALL_ROUTES, type WallEvent } from '../../../src/shared/console/hall-contract';
import { LIVE_HEARTBEAT_MS, type LiveEvent } from '../../../src/shared/console/live-contract';
import { writeAudit } from '../accounts/audit';
import { consoleGuard, personOf, type ConsoleGuardDeps } from '../accounts/guard';
import { photoBytes, sniffImage } from '../console-it/photo';
import { Refusal } from '../errors';
import { jsonBody } from '../http/body';
import { parseWith } from '../http/parse';
import type { RateLimiter } from '../http/rate-limit';
import type { CentreBus } from '../live/bus';
import { DEFAULT_MAX_BUFFERED_BYTES, LiveStreams } from '../live/events-route';
import { WALL_COOKIE_MAX_AGE_S, WallTokens, type WallSession } from './wall-tokens';

export interface WallDeps extends ConsoleGuardDeps {
  bus: CentreBus;
  /** The hall as the console sees it for every department (hall/index.ts HallService). */
  hall: { hall(scope: { departmentCode?: string }): Promise<Hall> };
  limiter: RateLimiter;
  heartbeatMs?: number;
  maxBufferedBytes?: number;
}

export interface WallService {
  tokens: WallTokens;
  /** Open wall streams on this node. */
  readonly streams: number;
}

const IdParams = z.object({ id: z.coerce.number().int().positive('a wall token number is a positive whole number') }).strict();
const StaffParams = z.object({ staffNo: z.string().trim().min(1).max(32) }).strict();

/** What of a centre event the wall may show; null for what it may not (follow-up news, poor ratings, integrity). */
export function wallEventOf(event: LiveEvent): WallEvent | null {
  if (event.type === 'window' || event.type === 'window_alert') return event;
  if (event.type === 'rule_alert' && event.rule === 'poor_burst') {
    return { type: 'rule_alert', alertId: event.alertId, rule: 'poor_burst', windowNo: event.windowNo, departmentCode: event.departmentCode, raisedAt: event.raisedAt };
  }
  return null;
}

function wallCookieOf(request: FastifyRequest): string | null {
  for (const part of (request.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq >= 0 && part.slice(0, eq).trim() === WALL_COOKIE) {
      const value = part.slice(eq + 1).trim();
      return /^[A-Za-z0-9_-]{20,100}$/.test(value) ? value : null;
    }
  }
  return null;
}

function setWallCookie(request: FastifyRequest, reply: FastifyReply, value: string): void {
  // Only the wall's own API hears it; Secure only over TLS, as the console's session cookie.
  const secure = request.protocol === 'https' ? '; Secure' : '';
  reply.header('set-cookie', `${WALL_COOKIE}=${value}; Max-Age=${WALL_COOKIE_MAX_AGE_S}; Path=${WALL_API}; HttpOnly; SameSite=Strict${secure}`);
}

function bearerOf(request: FastifyRequest): string | null {
  const match = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '');
  return match ? match[1]! : null;
}

export function registerWall(app: FastifyInstance, deps: WallDeps): WallService {
  const tokens = new WallTokens(deps.db, deps.options.now);
  const streams = new LiveStreams();
  const byToken = new Map<number, Set<() => void>>();
  const heartbeatMs = deps.heartbeatMs ?? LIVE_HEARTBEAT_MS;
  const maxBuffered = deps.maxBufferedBytes ?? DEFAULT_MAX_BUFFERED_BYTES;
  app.addHook('preClose', async () => streams.endAll());

  const wall = (path: string) => `${WALL_API}${path}`;
  const atConsole = (path: string) => `${CONSOLE_API}${path}`;
  const admin = { onRequest: consoleGuard(deps, ['admin']) };
  // The cookie's id is 256 random bits: only the token trade is worth limiting, and a wall
  // that loads a hundred photos at once must not be refused them.
  const signedIn = (request: FastifyRequest): Promise<WallSession> => tokens.sessionOf(wallCookieOf(request));

  // ---------------------------------------------------------------- the admin's tokens

  app.get(atConsole(HALL_ROUTES.wallTokens), admin, async () => ({ tokens: await tokens.list() }));

  app.post(atConsole(HALL_ROUTES.wallTokens), admin, async (request) => {
    const body = parseWith(NewWallTokenBody, jsonBody(request).value);
    const person = personOf(request);
    const made = await tokens.create(body.name, person.username, `${request.protocol}://${request.host}`);
    // The token and the address holding it are shown once, to the admin; the audit log names the display only.
    await writeAudit(deps.db, made.createdAt, { action: 'wall_token_changed', actor: person.username, subject: `#${made.id}`, facts: { kind: 'wall_token_created', display: made.name }, address: request.ip });
    request.log.info({ by: person.username, wallToken: made.id }, 'wall token created');
    return made;
  });

  app.post(atConsole(HALL_ROUTES.revokeWallToken), admin, async (request) => {
    const { id } = parseWith(IdParams, request.params);
    const person = personOf(request);
    const revoked = await tokens.revoke(id, person.username);
    await writeAudit(deps.db, revoked.revokedAt ?? deps.options.now(), { action: 'wall_token_changed', actor: person.username, subject: `#${id}`, facts: { kind: 'wall_token_revoked', display: revoked.name }, address: request.ip });
    for (const end of [...(byToken.get(id) ?? [])]) end();
    request.log.info({ by: person.username, wallToken: id }, 'wall token revoked');
    return revoked;
  });

  // ---------------------------------------------------------------- the wall

  app.post(wall(WALL_ROUTES.session), async (request, reply) => {
    deps.limiter.take(`wall-session:${request.ip}`, 'this display');
    const { cookieValue } = await tokens.openSession(bearerOf(request), request.ip);
    setWallCookie(request, reply, cookieValue);
    return reply.code(204).header('cache-control', 'no-store').send();
  });

  app.get(wall(WALL_ROUTES.hall), async (request, reply) => {
    await signedIn(request);
    reply.header('cache-control', 'no-store');
    return deps.hall.hall({});
  });

  app.get(wall(WALL_ROUTES.photo), async (request, reply) => {
    await signedIn(request);
    const { staffNo } = parseWith(StaffParams, request.params);
    const rows = await deps.db.query<{ photo: string | null }>('SELECT photo FROM staff WHERE staff_no = $1', [staffNo]);
    const photo = rows[0]?.photo ? photoBytes(rows[0].photo) : null;
    const type = photo ? sniffImage(photo.bytes) : null;
    if (!photo || !type) throw new Refusal(404, 'not-found', `staff member ${staffNo} has no photo`);
    // A wall shows the same faces all day: the browser keeps each a while instead of asking again.
    return reply.type(type).header('x-content-type-options', 'nosniff').header('cache-control', 'private, max-age=600').send(photo.bytes);
  });

  app.get(wall(WALL_ROUTES.events), async (request, reply) => {
    const session = await signedIn(request);
    reply.hijack();
    const raw: ServerResponse = reply.raw;
    raw.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });

    let ended = false;
    const mine = byToken.get(session.tokenId) ?? new Set<() => void>();
    byToken.set(session.tokenId, mine);
    const end = (): void => {
      if (ended) return;
      ended = true;
      unsubscribe();
      forget();
      mine.delete(end);
      if (mine.size === 0 && byToken.get(session.tokenId) === mine) byToken.delete(session.tokenId);
      clearInterval(heartbeat);
      raw.end();
      raw.socket?.destroy();
    };
    const write = (text: string): void => {
      if (ended) return;
      raw.write(text);
      if (raw.writableLength > maxBuffered) {
        request.log.warn({ wallToken: session.tokenId, buffered: raw.writableLength }, 'wall stopped reading its live events; dropping the connection');
        end();
      }
    };
    const unsubscribe = deps.bus.subscribe((event, id) => {
      const shown = wallEventOf(event);
      if (shown) write(`event: ${shown.type}\nid: ${id}\ndata: ${JSON.stringify(shown)}\n\n`);
    });
    const forget = streams.add(end);
    mine.add(end);
    const heartbeat = setInterval(() => {
      // A named event, not a comment: the page sees it, and takes a silent link for a dead one.
      write(`event: beat\ndata: ${deps.options.now()}\n\n`);
      // A token revoked on another API node ends this stream here at the next beat.
      tokens.holds(session.idHash).then(
        (holds) => {
          if (!holds) end();
        },
        () => undefined,
      );
    }, heartbeatMs);
    heartbeat.unref();
    raw.on('close', end);
    raw.on('error', end);
    write(`retry: 3000\nevent: beat\ndata: ${deps.options.now()}\n\n`);
  });

  return {
    tokens,
    get streams() {
      return streams.size;
    },
  };
}
