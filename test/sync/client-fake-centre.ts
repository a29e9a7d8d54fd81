/**
 * A small stand-in centre on a real loopback HTTP port, for the sync client's own answers:
 * enrolment, batches acknowledged up to their last seq, a config. `answer` scripts a
 * batch's reply (503 with Retry-After, a 400 refusal, …); every request is noted with the
 * token it carried.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';

export interface SentBatch {
  epoch: number;
  missing?: { from: number; to: number };
  records: { seq: number; kind: string; payload: string }[];
}

export interface Reply {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}

export interface Seen {
  method: string;
  path: string;
  /** The bearer token sent, or null. */
  token: string | null;
}

export interface FakeCentre {
  url: string;
  seen: Seen[];
  /** Batches answered 200, in order. */
  taken: SentBatch[];
  /** The token the last enrolment here issued. */
  issued: string[];
  /** Scripts a batch's answer; return null to take it. */
  answer: (batch: SentBatch) => Reply | null;
  close(): Promise<void>;
}

const CONFIG = {
  window: { windowNo: '3', departmentCode: null, departmentName: null, areaCode: null, closingTime: null, rating: { windowSeconds: 15, detailsSeconds: 60 } },
  ratingPolicy: { defaultRating: null },
  staff: [],
  items: [],
  reasons: [],
};

async function readJson(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const raw = Buffer.concat(chunks);
  if (raw.length === 0) return null;
  const text = request.headers['content-encoding'] === 'gzip' ? gunzipSync(raw).toString('utf8') : raw.toString('utf8');
  return JSON.parse(text) as unknown;
}

export async function startFakeCentre(name: string): Promise<FakeCentre> {
  let enrolments = 0;
  const centre: FakeCentre = {
    url: '',
    seen: [],
    taken: [],
    issued: [],
    answer: () => null,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
  const send = (response: ServerResponse, reply: Reply) => {
    const text = reply.body === undefined ? '' : JSON.stringify(reply.body);
    response.writeHead(reply.status, { ...(text ? { 'content-type': 'application/json' } : {}), ...reply.headers });
    response.end(text);
  };
  const server: Server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://centre').pathname;
    const auth = request.headers.authorization;
    centre.seen.push({ method: request.method ?? '', path, token: auth?.startsWith('Bearer ') ? auth.slice(7) : null });
    void readJson(request).then((body) => {
      if (request.method === 'POST' && path === '/v1/enrol') {
        const token = `${name}-token-${++enrolments}`;
        centre.issued.push(token);
        return send(response, { status: 200, body: { token, windowNo: '3', terminalId: (body as { terminalId?: string }).terminalId } });
      }
      if (!centre.issued.includes(auth?.slice(7) ?? '')) return send(response, { status: 401, body: { error: { code: 'unauthorized', message: 'this token is not known here' } } });
      if (request.method === 'GET' && path === '/v1/config') return send(response, { status: 200, headers: { etag: '"1"' }, body: CONFIG });
      if (request.method === 'POST' && path === '/v1/batches') {
        const batch = body as SentBatch;
        const scripted = centre.answer(batch);
        if (scripted) return send(response, scripted);
        centre.taken.push(batch);
        return send(response, { status: 200, body: { epoch: batch.epoch, highWater: batch.records.at(-1)?.seq ?? batch.missing?.to ?? 0 } });
      }
      return send(response, { status: 404, body: { error: { code: 'not-found', message: `there is no ${request.method} ${path}` } } });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  centre.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return centre;
}
