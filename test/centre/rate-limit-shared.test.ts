/**
 * The phone suggestion page's rate limits with two API nodes on one real PostgreSQL: a
 * flood split across both nodes is refused at the same total one node allows, per window
 * code and per address; the buckets refill on the centre's clock wherever the next
 * request lands; the table keeps no address or code in the clear, and buckets that have
 * refilled are pruned. On embedded PGlite the limit stays in the process.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { migrateCentre } from '../../server/src/db/migrate';
import { openPglite } from '../../server/src/db/pglite';
import { openPostgres } from '../../server/src/db/postgres';
import type { CentreDb } from '../../server/src/db/sql';
import { limiterFor, RateLimiter, SharedRateLimiter } from '../../server/src/http/rate-limit';
import { signWindowToken } from '../../server/src/suggestions/token';
import { startCentre, type TestCentre } from '../sync/support/centre';
import { startPostgres, type PgCluster } from '../sync/support/postgres';

const T0 = Date.UTC(2026, 5, 1, 2, 0);

describe('the suggestion page limit across two API nodes', () => {
  let cluster: PgCluster;
  let dbA: CentreDb;
  let dbB: CentreDb;
  let a: TestCentre;
  let b: TestCentre;
  let now = T0;
  let serial = 0;

  beforeAll(async () => {
    cluster = await startPostgres({ fast: true });
    const url = await cluster.createDatabase('centre');
    // Each node its own pool, as two processes behind a load balancer would have.
    dbA = openPostgres(url);
    dbB = openPostgres(url);
    await migrateCentre(dbA);
    await migrateCentre(dbB);
    const options = { now: () => now, trustProxy: ['127.0.0.1'] };
    a = await startCentre(dbA, options);
    b = await startCentre(dbB, options);
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await dbA?.close();
    await dbB?.close();
    cluster?.stop();
  });
  beforeEach(async () => {
    now += 3_600_000;
    await dbA.exec('TRUNCATE rate_limit_buckets, suggestions');
  });

  const codeFor = (windowNo: string) => signWindowToken(dbA, { windowNo, expiresAt: now + 86_400_000 });

  async function post(node: TestCentre, code: string, address: string): Promise<{ status: number; message: string; retryAfter: string | null }> {
    serial++;
    const response = await fetch(`${node.url}/s/${code}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': address },
      body: JSON.stringify({ key: `7d0c9b8a-7f6e-4d5c-8b4a-${String(serial).padStart(12, '0')}`, categories: ['other'], text: `第 ${serial} 条`, consent: false }),
    });
    const body = (await response.json()) as { error?: { message: string } };
    return { status: response.status, message: body.error?.message ?? '', retryAfter: response.headers.get('retry-after') };
  }

  const stored = async (windowNo: string) => Number((await dbA.query<{ n: number }>('SELECT count(*)::integer AS n FROM suggestions WHERE window_no = $1', [windowNo]))[0]!.n);

  it('refuses a flood from one window code split across both nodes at the total one node allows', async () => {
    // One node alone: the limit as it has always been (six from one code, then one every 20 s).
    const alone = await codeFor('1');
    const aloneAnswers = [];
    for (let i = 0; i < 12; i++) aloneAnswers.push(await post(a, alone, `10.0.1.${i + 1}`));
    const allowedAlone = aloneAnswers.filter((x) => x.status === 201).length;
    expect(allowedAlone).toBe(6);

    // Two nodes, taking turns: each would allow six if it counted alone.
    const split = await codeFor('2');
    const answers = [];
    for (let i = 0; i < 12; i++) answers.push(await post(i % 2 === 0 ? a : b, split, `10.0.2.${i + 1}`));
    expect(answers.filter((x) => x.status === 201)).toHaveLength(allowedAlone);
    expect(answers.slice(0, 6).map((x) => x.status)).toEqual([201, 201, 201, 201, 201, 201]);
    // The refused six went three to each node.
    for (const refused of answers.slice(6)) {
      expect(refused).toMatchObject({ status: 429, message: expect.stringMatching(/too many requests from this window’s code; try again in \d+ s/), retryAfter: expect.stringMatching(/^\d+$/) });
    }
    // What came before each flood is kept.
    expect(await stored('1')).toBe(6);
    expect(await stored('2')).toBe(6);

    // Twenty seconds on the centre's clock refill one token, whichever node the next one reaches.
    now += 20_000;
    expect((await post(b, split, '10.0.2.100')).status).toBe(201);
    expect((await post(a, split, '10.0.2.101')).status).toBe(429);
  });

  it('counts one network address across both nodes', async () => {
    const first = await codeFor('3');
    const second = await codeFor('4');
    const answers = [];
    // Two codes allow twelve between them; the address allows ten, wherever they land.
    for (let i = 0; i < 12; i++) answers.push(await post(i % 2 === 0 ? a : b, i % 4 < 2 ? first : second, '10.0.3.7'));
    expect(answers.filter((x) => x.status === 201)).toHaveLength(10);
    expect(answers.slice(10)).toEqual([
      expect.objectContaining({ status: 429, message: expect.stringContaining('too many requests from this network address') }),
      expect.objectContaining({ status: 429, message: expect.stringContaining('too many requests from this network address') }),
    ]);
    // Another address is not held back by this one (with a code of its own: the first two are spent).
    expect((await post(b, await codeFor('7'), '10.0.3.8')).status).toBe(201);
  });

  it('keeps neither the address nor the window code in the clear, and prunes buckets that have refilled', async () => {
    const code = await codeFor('5');
    expect((await post(a, code, '10.0.4.9')).status).toBe(201);
    const keys = (await dbA.query<{ key: string }>('SELECT key FROM rate_limit_buckets')).map((r) => r.key);
    expect(keys).toHaveLength(2);
    for (const key of keys) {
      expect(key).not.toContain('10.0.4.9');
      expect(key).not.toContain(code.slice(0, 16));
    }
    // Two minutes on, both buckets are full again; the next request on a node prunes them.
    now += 10 * 60_000;
    expect((await post(b, await codeFor('6'), '10.0.4.10')).status).toBe(201);
    for (;;) {
      const left = (await dbA.query<{ key: string }>('SELECT key FROM rate_limit_buckets')).map((r) => r.key);
      if (!keys.some((k) => left.includes(k))) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect((await dbA.query('SELECT 1 FROM rate_limit_buckets')).length).toBe(2);
  });

  it('counts on its own while the table cannot be written, instead of refusing everyone', async () => {
    // A limiter whose table is out of reach (a closed pool): the same six, counted in the process.
    const gone = openPostgres(cluster.url('centre'));
    await gone.close();
    const limiter = new SharedRateLimiter(gone, 'test', 1 / 20, 6, () => now);
    const results: string[] = [];
    for (let i = 0; i < 8; i++) results.push(await limiter.take('k', 'this key').then(() => 'ok', (err: Error) => err.message));
    expect(results.slice(0, 6)).toEqual(Array(6).fill('ok'));
    expect(results.slice(6)).toEqual([expect.stringContaining('too many requests from this key'), expect.stringContaining('too many requests from this key')]);
  });
});

describe('the suggestion page limit on embedded PGlite', () => {
  it('stays in the process: PGlite serves one process', async () => {
    const db = await openPglite(undefined);
    try {
      expect(limiterFor(db, 'x', 1, 1, Date.now)).toBeInstanceOf(RateLimiter);
    } finally {
      await db.close();
    }
  });
});
