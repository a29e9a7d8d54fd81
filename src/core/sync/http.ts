/**
 * Requests to the centre. Bodies go gzip-compressed; every request has a time limit. A
 * network failure is returned as a value (status 0) like any answer, so the caller decides
 * whether to retry.
 */
import { gzip } from 'node:zlib';
import { promisify } from 'node:util';

const gzipAsync = promisify(gzip);

export interface CentreAnswer {
  /** 0 when no answer came (refused, reset, timed out). */
  status: number;
  headers: Headers | null;
  body: Record<string, unknown> | null;
  /** The raw text, when the answer was not a JSON object. */
  text: string;
  /** Why no answer came, for status 0. */
  failure: string | null;
  /** The centre's certificate or key failed the window's checks (transport.ts): nothing was sent, and trying again changes nothing. */
  untrusted?: true;
}

export interface CentreRequest {
  method: 'GET' | 'POST';
  url: string;
  token?: string;
  /** A JSON body, gzip-compressed on the way (or already compressed with gzipJson). */
  json?: string | GzipBody;
  headers?: Record<string, string>;
  timeoutMs: number;
}

export interface GzipBody {
  gzip: Buffer;
}

/** Compresses a JSON body off the main thread. Level 1: JSON shrinks well even so, and the window's CPU stays free. */
export async function gzipJson(json: string): Promise<GzipBody> {
  return { gzip: await gzipAsync(Buffer.from(json, 'utf8'), { level: 1 }) };
}

export type FetchLike = typeof fetch;

export async function callCentre(request: CentreRequest, fetchImpl: FetchLike = fetch): Promise<CentreAnswer> {
  const headers: Record<string, string> = { accept: 'application/json', ...request.headers };
  if (request.token) headers.authorization = `Bearer ${request.token}`;
  let body: Blob | undefined;
  if (request.json !== undefined) {
    const compressed = typeof request.json === 'string' ? await gzipJson(request.json) : request.json;
    body = new Blob([new Uint8Array(compressed.gzip)]);
    headers['content-type'] = 'application/json';
    headers['content-encoding'] = 'gzip';
  }
  try {
    const response = await fetchImpl(request.url, { method: request.method, headers, body, signal: AbortSignal.timeout(request.timeoutMs) });
    const text = await response.text();
    let parsed: unknown = null;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      parsed = null;
    }
    const isObject = typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed);
    return { status: response.status, headers: response.headers, body: isObject ? (parsed as Record<string, unknown>) : null, text, failure: null };
  } catch (err) {
    if ((err as { code?: unknown }).code === 'CENTRE_UNTRUSTED') return { status: 0, headers: null, body: null, text: '', failure: (err as Error).message, untrusted: true };
    return { status: 0, headers: null, body: null, text: '', failure: describeFailure(err) };
  }
}

function describeFailure(err: unknown): string {
  const e = err as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (e.name === 'TimeoutError' || e.name === 'AbortError') return 'the centre did not answer in time';
  const code = e.cause?.code;
  if (code === 'ECONNREFUSED') return 'the centre refused the connection (is it running, and is the address right?)';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'the centre address could not be resolved';
  if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET') return 'the connection to the centre was cut';
  return e.cause?.message ?? e.message ?? 'the centre could not be reached';
}

/**
 * The centre's sentence from a refusal body, or a generic one. Two shapes are read:
 * { error: { code, message } } and { error: code, message }.
 */
export function centreMessage(answer: CentreAnswer): string {
  const error = answer.body?.error;
  const message = typeof error === 'object' && error !== null ? (error as { message?: unknown }).message : answer.body?.message;
  if (typeof message === 'string' && message.trim() !== '') return message.trim();
  return answer.status === 0 ? (answer.failure ?? 'no answer') : `the centre answered ${answer.status}`;
}

export function centreCode(answer: CentreAnswer): string | null {
  const error = answer.body?.error;
  if (typeof error === 'string') return error;
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  return typeof code === 'string' ? code : null;
}
