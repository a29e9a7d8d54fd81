/**
 * Request bodies: JSON, optionally gzip-compressed (Content-Encoding: gzip). The text is
 * kept beside the parsed value, so the ingest can hand PostgreSQL the very bytes it
 * checked. Decompression is bounded: a small gzip must not unpack into gigabytes.
 */
import { gunzip } from 'node:zlib';
import { promisify } from 'node:util';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Refusal, tooLarge } from '../errors';

const gunzipAsync = promisify(gunzip);

export interface JsonBody {
  text: string;
  value: unknown;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Largest decompressed body this route takes; without it, its bodyLimit. */
    maxInflatedBytes?: number;
  }
}

export function registerJsonBody(app: FastifyInstance, defaultMaxInflated: number): void {
  app.removeContentTypeParser(['application/json']);
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, raw, done) => {
    // A route that says nothing takes no more unpacked than it takes as sent: a console change of a
    // few kilobytes must not be a small gzip that the centre unpacks to the batch route's 32 MB.
    const max = request.routeOptions.config.maxInflatedBytes ?? Math.min(defaultMaxInflated, request.routeOptions.bodyLimit ?? defaultMaxInflated);
    decodeBody(request, raw as Buffer, max).then(
      (body) => done(null, body),
      (err: Error) => done(err, undefined),
    );
  });
}

async function decodeBody(request: FastifyRequest, raw: Buffer, maxInflated: number): Promise<JsonBody> {
  const encoding = String(request.headers['content-encoding'] ?? 'identity').toLowerCase();
  let bytes: Buffer;
  if (encoding === 'gzip') {
    try {
      bytes = await gunzipAsync(raw, { maxOutputLength: maxInflated });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
        throw tooLarge(request.routeOptions.url, `the body unpacks to more than ${maxInflated} bytes`);
      }
      throw new Refusal(400, 'body-not-gzip', 'the body says it is gzip-compressed but does not decompress');
    }
  } else if (encoding === 'identity') {
    bytes = raw;
  } else {
    throw new Refusal(415, 'unsupported-encoding', `content encoding ${encoding} is not supported; use gzip or none`);
  }
  if (bytes.length > maxInflated) throw tooLarge(request.routeOptions.url, `the body is larger than ${maxInflated} bytes`);
  const text = bytes.toString('utf8');
  try {
    return { text, value: JSON.parse(text) as unknown };
  } catch {
    throw new Refusal(400, 'body-not-json', bytes.includes(0) ? 'the body holds a raw NUL byte, which JSON text cannot' : 'the body is not valid JSON').because('general.body_not_json');
  }
}

/** The parsed body of a JSON request, or a refusal when there was none. */
export function jsonBody(request: FastifyRequest): JsonBody {
  const body = request.body as JsonBody | undefined;
  if (!body || typeof body !== 'object' || !('text' in body)) {
    throw new Refusal(415, 'unsupported-media-type', 'send the body as application/json');
  }
  return body;
}
