/**
 * The centre serves the built console at / from its own port: pages for the console's
 * addresses, long-cached hashed assets, a CSP with no inline script, nothing outside the
 * build folder, the API's JSON refusals untouched, and a sentence when nothing is built.
 */
import { request } from 'node:http';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONSOLE_BUDGET_KB } from '../../scripts/build';
import { CONSOLE_DIST, registerConsoleFiles } from '../../server/src/console-files';
import { registerRefusals } from '../../server/src/http/refusals';
import { openTestDatabase, type TestDatabase } from '../sync/support/backends';
import { startCentre, type TestCentre } from '../sync/support/centre';
import { ensureConsoleBuilt } from './support/build';

describe('the console served by the centre', () => {
  let database: TestDatabase;
  let centre: TestCentre;
  let asset: string;

  beforeAll(async () => {
    await ensureConsoleBuilt();
    database = await openTestDatabase('pglite');
    centre = await startCentre(database.db);
    asset = readdirSync(`${CONSOLE_DIST}/assets`).find((f) => f.endsWith('.js'))!;
  }, 120_000);
  afterAll(async () => {
    await centre?.close();
    await database?.close();
  });

  const rawGet = (path: string) =>
    new Promise<{ status: number; body: string }>((resolve, reject) => {
      const { hostname, port } = new URL(centre.url);
      request({ host: hostname, port, path, method: 'GET' }, (response) => {
        let body = '';
        response.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
      }).on('error', reject).end();
    });
  // Every body is read at once: an unread asset would hold its connection open and stall the centre's close.
  const get = async (path: string, method = 'GET') => {
    const response = await fetch(`${centre.url}${path}`, { method });
    const body = await response.text();
    return { status: response.status, headers: response.headers, text: async () => body, json: async () => JSON.parse(body) as unknown };
  };

  it('answers / and every console address with the page, under a CSP that runs no inline script', async () => {
    for (const path of ['/', '/overview', '/rankings/ratings?dimension=staff&key=1001', '/setup']) {
      const response = await get(path);
      expect(response.status, path).toBe(200);
      expect(response.headers.get('content-type')).toContain('text/html');
      const html = await response.text();
      expect(html).toContain('<div id="root">');
      // Every script is a file of the build; none is written into the page.
      expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
      const csp = response.headers.get('content-security-policy') ?? '';
      expect(csp).toMatch(/script-src 'self'(;|$)/);
      expect(csp).toContain("frame-ancestors 'none'");
      expect(response.headers.get('cache-control')).toBe('no-cache');
    }
    expect((await get('/', 'HEAD')).status).toBe(200);
  });

  it('caches hashed assets for a year and gives a missing one a 404, not the page', async () => {
    const response = await get(`/assets/${asset}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/javascript');
    expect(response.headers.get('cache-control')).toContain('immutable');
    expect((await get('/assets/index-missing.js')).status).toBe(404);
    expect((await get('/favicon.ico')).status).toBe(404);
  });

  it('never serves a file from outside the build', async () => {
    // Sent byte for byte: fetch would tidy the dots away before they reached the centre.
    for (const path of ['/../../package.json', '/%2e%2e/%2e%2e/package.json', '/assets/..%2f..%2f..%2fpackage.json', '/..%5c..%5cpackage.json', '/%00']) {
      const response = await rawGet(path);
      expect(response.status, path).toBe(400);
      expect(response.body).not.toContain('"workspaces"');
      expect((JSON.parse(response.body) as { error: { message: string } }).error.message).toBe('the address may not step outside the console');
    }
  });

  it('leaves the API its own answers: JSON refusals for unknown /v1 addresses and other methods', async () => {
    const unknown = await get('/v1/nothing-here');
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { error: { code: string } }).error.code).toBe('not-found');
    expect((await get('/overview', 'POST')).status).toBe(404);
    expect((await get('/v1/health')).status).toBe(200);
  });

  it('tells whoever opens a centre without a built console to run npm run build', async () => {
    const app = Fastify();
    registerRefusals(app);
    registerConsoleFiles(app, mkdtempSync(join(tmpdir(), 'cordial-unbuilt-')));
    const response = await app.inject({ method: 'GET', url: '/overview' });
    expect(response.statusCode).toBe(503);
    expect(response.body).toContain('npm run build');
    await app.close();
  });

  it('keeps the console within its 450 KB gzip budget', () => {
    const files = readdirSync(`${CONSOLE_DIST}/assets`);
    const kb = files.reduce((n, f) => n + gzipSync(readFileSync(`${CONSOLE_DIST}/assets/${f}`)).length, 0) / 1024;
    expect(kb).toBeGreaterThan(10);
    expect(kb).toBeLessThanOrEqual(CONSOLE_BUDGET_KB);
  });
});
