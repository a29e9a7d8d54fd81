/**
 * Serves the built console (server/console/dist) at / from the centre's own port: GET and
 * HEAD only, nothing outside the build folder, index.html for the console's own addresses,
 * hashed assets cached for a year, and a CSP that lets no inline script run.
 */
import { readFile, stat } from 'node:fs/promises';
import { extname, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { Refusal } from './errors';
import { CONTENT_TYPES } from '../../src/shared/content-types';

export const CONSOLE_DIST = fileURLToPath(new URL('../console/dist', import.meta.url));

/** ECharts writes tooltip markup with style attributes, so styles may be inline; scripts never. */
export const CONSOLE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'self'",
].join('; ');


const NOT_BUILT = `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>Cordial</title></head><body>
<p>中心管理台尚未构建：请在项目目录运行 <code>npm run build</code>，然后重新启动中心。</p>
<p>The centre console is not built yet: run <code>npm run build</code> in the project folder, then start the centre again.</p>
</body></html>`;

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

function secure(reply: FastifyReply): FastifyReply {
  return reply
    .header('content-security-policy', CONSOLE_CSP)
    .header('x-content-type-options', 'nosniff')
    .header('x-frame-options', 'DENY')
    .header('referrer-policy', 'no-referrer');
}

export function registerConsoleFiles(app: FastifyInstance, dist: string = CONSOLE_DIST): void {
  const root = resolve(dist);
  const serve = async (requestUrl: string, reply: FastifyReply) => {
    const rawPath = requestUrl.split('?')[0]!.split('#')[0]!;
    // The API keeps its JSON refusals: an unknown /v1 address is not a console page.
    if (rawPath === '/v1' || rawPath.startsWith('/v1/')) throw new Refusal(404, 'not-found', `there is no GET ${rawPath}`);
    let path: string;
    try {
      path = decodeURIComponent(rawPath);
    } catch {
      throw new Refusal(400, 'invalid-request', 'the address is not valid percent-encoding');
    }
    const segments = path.split('/').filter(Boolean);
    if (path.includes('\0') || path.includes('\\') || segments.some((s) => s === '..' || s === '.')) {
      throw new Refusal(400, 'invalid-request', 'the address may not step outside the console');
    }
    const index = resolve(root, 'index.html');
    if (!(await isFile(index))) return secure(reply).code(503).header('cache-control', 'no-store').type('text/html; charset=utf-8').send(NOT_BUILT);

    const target = resolve(root, ...segments);
    if (target !== root && !target.startsWith(root + sep)) throw new Refusal(400, 'invalid-request', 'the address may not step outside the console');
    if (segments.length > 0 && (await isFile(target))) {
      const hashed = segments[0] === 'assets';
      return secure(reply)
        .header('cache-control', hashed ? 'public, max-age=31536000, immutable' : 'no-cache')
        .type(CONTENT_TYPES[extname(target).toLowerCase()] ?? 'application/octet-stream')
        .send(await readFile(target));
    }
    // A missing file is a 404; any other address is one of the console's pages.
    const last = segments[segments.length - 1] ?? '';
    if (segments[0] === 'assets' || last.includes('.')) throw new Refusal(404, 'not-found', `there is no file ${rawPath} in the console`);
    return secure(reply).header('cache-control', 'no-cache').type(CONTENT_TYPES['.html']!).send(await readFile(index));
  };
  app.get('/', (request, reply) => serve(request.url, reply));
  app.get('/*', (request, reply) => serve(request.url, reply));
}
