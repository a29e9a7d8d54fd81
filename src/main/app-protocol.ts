/**
 * app://cordial/… serves the built renderer (not file://): GET only, files inside the
 * renderer folder only, with the browser shell's strict CSP less its WebSocket.
 */
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { APP_PROTOCOL_CSP, CONTENT_TYPES, resolveInside } from '../app/renderer-files';

export async function serveAppRequest(rendererDir: string, request: { method: string; url: string }): Promise<Response> {
  if (request.method !== 'GET') return new Response(null, { status: 405 });
  const url = new URL(request.url);
  if (url.host !== 'cordial') return new Response(null, { status: 404 });
  const file = resolveInside(rendererDir, url.pathname);
  if (!file) return new Response(null, { status: 404 });
  try {
    const body = await readFile(file);
    return new Response(body, {
      headers: {
        'Content-Type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
        'Content-Security-Policy': APP_PROTOCOL_CSP,
        'X-Content-Type-Options': 'nosniff',
      },
    });
  } catch {
    return new Response(null, { status: 404 });
  }
}
