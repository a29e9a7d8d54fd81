/**
 * GET /v1/console/live/events: the centre's news as Server-Sent Events, each event only to
 * the people who may see it (scope.ts). No replay: an event says "look now", and a console
 * that reconnects reads its page again, so there is no Last-Event-ID to honour.
 *
 * A console that stops reading (a frozen tab, a dead link) must not make the centre hold
 * its news in memory without end: once more than `maxBufferedBytes` wait unsent, the
 * connection is dropped and the browser's EventSource reconnects when it can. Each
 * heartbeat also checks the session still holds, so signing out ends the stream too.
 */
import type { ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';
import { CONSOLE_API } from '../../../src/shared/console/contract';
import { LIVE_HEARTBEAT_MS, LIVE_ROUTES, type LiveEvent } from '../../../src/shared/console/live-contract';
import { consoleGuard, departmentScope, signedInOfRequest, type ConsoleGuardDeps } from '../accounts/guard';
import type { CentreBus } from './bus';
import { hears, LIVE_ROLES, type Listener } from './scope';

export interface LiveStreamDeps extends ConsoleGuardDeps {
  bus: CentreBus;
  heartbeatMs?: number;
  /** Unsent bytes a console may fall behind by before it is dropped. */
  maxBufferedBytes?: number;
}

/** 256 KiB: some hundreds of events, far more than a console that reads ever lags. */
export const DEFAULT_MAX_BUFFERED_BYTES = 256 * 1024;

export function frameOf(event: LiveEvent, id: number): string {
  return `event: ${event.type}\nid: ${id}\ndata: ${JSON.stringify(event)}\n\n`;
}

/** The open streams, so closing the centre ends them instead of waiting for browsers that never hang up. */
export class LiveStreams {
  private readonly open = new Set<() => void>();

  add(end: () => void): () => void {
    this.open.add(end);
    return () => this.open.delete(end);
  }

  endAll(): void {
    for (const end of [...this.open]) end();
  }

  get size(): number {
    return this.open.size;
  }
}

async function sessionHolds(deps: ConsoleGuardDeps, sessionId: string): Promise<boolean> {
  const now = deps.options.now();
  // Read only: a console left open must not keep its session from timing out.
  const rows = await deps.db.query(
    `SELECT 1 FROM console_sessions s JOIN console_users u ON u.id = s.user_id
     WHERE s.id_hash = $1 AND s.expires_at > $2 AND $2 - s.last_seen_at < $3 AND NOT u.disabled`,
    [sessionId, now, deps.options.accounts.sessionIdleMs],
  );
  return rows.length > 0;
}

export function registerLiveEvents(app: FastifyInstance, deps: LiveStreamDeps): LiveStreams {
  const streams = new LiveStreams();
  const heartbeatMs = deps.heartbeatMs ?? LIVE_HEARTBEAT_MS;
  const maxBuffered = deps.maxBufferedBytes ?? DEFAULT_MAX_BUFFERED_BYTES;
  // app.close() waits for open requests; a stream is one that never ends by itself.
  app.addHook('preClose', async () => streams.endAll());

  app.get(`${CONSOLE_API}${LIVE_ROUTES.events}`, { onRequest: consoleGuard(deps, LIVE_ROLES) }, async (request, reply) => {
    const { person } = signedInOfRequest(request);
    // A department user with no department is told so now, not left with a silent stream.
    const departmentCode = departmentScope(person, undefined) ?? null;
    const listener: Listener = { role: person.role, departmentCode };

    reply.hijack();
    const raw: ServerResponse = reply.raw;
    raw.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
      // A reverse proxy in front of the centre must pass each event on at once.
      'x-accel-buffering': 'no',
    });

    let ended = false;
    const end = (): void => {
      if (ended) return;
      ended = true;
      unsubscribe();
      forget();
      clearInterval(heartbeat);
      raw.end();
      // A client that reads nothing would hold the socket open past end(): let it go.
      raw.socket?.destroy();
    };
    const write = (text: string): void => {
      if (ended) return;
      raw.write(text);
      if (raw.writableLength > maxBuffered) {
        request.log.warn({ user: person.username, buffered: raw.writableLength }, 'console stopped reading its live events; dropping the connection');
        end();
      }
    };

    const unsubscribe = deps.bus.subscribe((event, id) => {
      if (hears(listener, event)) write(frameOf(event, id));
    });
    const forget = streams.add(end);
    const heartbeat = setInterval(() => {
      write(`: ${deps.options.now()}\n\n`);
      sessionHolds(deps, person.sessionId).then(
        (holds) => {
          if (!holds) end();
        },
        () => undefined,
      );
    }, heartbeatMs);
    heartbeat.unref();
    raw.on('close', end);
    raw.on('error', end);

    // The browser's EventSource waits this long before reconnecting; the comment says the stream is open.
    write('retry: 5000\n: connected\n\n');
  });

  return streams;
}
