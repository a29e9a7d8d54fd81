/**
 * A TCP proxy on loopback between kiosks and the centre that misbehaves on purpose. Each
 * connection carries one HTTP request (the proxy asks the centre to close after answering)
 * and gets one fault, drawn by the caller:
 *
 *   none            forwarded both ways
 *   drop            the connection is closed before anything is read
 *   reset-mid-body  half the request reaches the centre, then both sides are reset
 *   lose-reply      the centre answers (and may have stored the batch), the kiosk gets a reset
 *   delay           forwarded after a pause
 *   duplicate       the request reaches the centre twice, at once; the first answer returns
 *   status-503      503 with Retry-After: 1, the centre never sees the request
 *   status-500      500 without Retry-After, the centre never sees the request
 *   500-after       the centre processes the request, the kiosk gets 500 with Retry-After: 1
 */
import { connect, createServer, type Server, type Socket } from 'node:net';

export const FAULTS = ['none', 'drop', 'reset-mid-body', 'lose-reply', 'delay', 'duplicate', 'status-503', 'status-500', '500-after'] as const;
export type Fault = (typeof FAULTS)[number];

export interface FaultProxy {
  url: string;
  counts: Record<Fault, number>;
  close(): Promise<void>;
}

interface Target {
  host: string;
  port: number;
}

const HEADER_END = Buffer.from('\r\n\r\n');

/** Reads one request: its header block (rewritten to Connection: close) and its body. */
function readRequest(socket: Socket, onHead: (head: Buffer, bodySoFar: Buffer) => void, onDone: (request: Buffer) => void): void {
  let buffered = Buffer.alloc(0);
  let head: Buffer | null = null;
  let length = 0;
  let bodyStart = 0;
  socket.on('data', (chunk: Buffer) => {
    buffered = Buffer.concat([buffered, chunk]);
    if (!head) {
      const end = buffered.indexOf(HEADER_END);
      if (end < 0) return;
      const lines = buffered.subarray(0, end).toString('latin1').split('\r\n').filter((l) => !/^connection:/i.test(l));
      const lengthLine = lines.find((l) => /^content-length:/i.test(l));
      length = lengthLine ? Number(lengthLine.split(':')[1]) : 0;
      head = Buffer.from(`${[...lines, 'Connection: close'].join('\r\n')}\r\n\r\n`, 'latin1');
      bodyStart = end + HEADER_END.length;
      onHead(head, buffered.subarray(bodyStart));
    }
    if (head && buffered.length - bodyStart >= length) {
      socket.removeAllListeners('data');
      onDone(Buffer.concat([head, buffered.subarray(bodyStart, bodyStart + length)]));
    }
  });
}

/** Sends a request to the centre on a new connection; resolves with the whole answer. */
function forward(target: Target, request: Buffer): Promise<Buffer> {
  return new Promise((resolve) => {
    const upstream = connect(target.port, target.host);
    const parts: Buffer[] = [];
    upstream.on('data', (c: Buffer) => parts.push(c));
    upstream.on('end', () => resolve(Buffer.concat(parts)));
    upstream.on('error', () => resolve(Buffer.concat(parts)));
    upstream.on('close', () => resolve(Buffer.concat(parts)));
    upstream.write(request);
  });
}

function reply(client: Socket, status: number, reason: string, retryAfter: string | null): void {
  const headers = [`HTTP/1.1 ${status} ${reason}`, 'Content-Type: text/plain', 'Content-Length: 0', 'Connection: close'];
  if (retryAfter !== null) headers.push(`Retry-After: ${retryAfter}`);
  client.end(`${headers.join('\r\n')}\r\n\r\n`);
}

export async function startFaultProxy(target: Target, pick: () => Fault, delayMs = 250): Promise<FaultProxy> {
  const counts = Object.fromEntries(FAULTS.map((f) => [f, 0])) as Record<Fault, number>;
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    client.on('error', () => undefined);
    const fault = pick();
    counts[fault] += 1;
    if (fault === 'drop') {
      client.resetAndDestroy();
      return;
    }
    let cutMidBody = fault === 'reset-mid-body';
    readRequest(
      client,
      (head, bodySoFar) => {
        if (!cutMidBody) return;
        cutMidBody = false;
        const upstream = connect(target.port, target.host);
        upstream.on('error', () => undefined);
        upstream.write(Buffer.concat([head, bodySoFar.subarray(0, Math.floor(bodySoFar.length / 2))]), () => {
          upstream.resetAndDestroy();
          client.resetAndDestroy();
        });
      },
      (request) => {
        if (fault === 'reset-mid-body') return;
        void (async () => {
          if (fault === 'status-503') return reply(client, 503, 'Service Unavailable', '1');
          if (fault === 'status-500') return reply(client, 500, 'Internal Server Error', null);
          if (fault === 'delay') await new Promise((r) => setTimeout(r, delayMs));
          const answers = fault === 'duplicate' ? [forward(target, request), forward(target, request)] : [forward(target, request)];
          const answer = await answers[0]!;
          await Promise.all(answers);
          if (fault === 'lose-reply') return client.resetAndDestroy();
          if (fault === '500-after') return reply(client, 500, 'Internal Server Error', '1');
          client.end(answer);
        })();
      },
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    counts,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A small seeded generator, so a failing run can be repeated exactly. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
