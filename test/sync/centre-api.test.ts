/**
 * The centre's HTTP API against a real PostgreSQL server and against PGlite: enrolment,
 * exactly-once upload, and every refusal, each checked to have stored nothing.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { BACKENDS, openTestDatabase, type TestDatabase } from './support/backends';
import { batchSource, gzipJson, upload } from './support/batches';
import { startCentre, type TestCentre } from './support/centre';

describe.each(BACKENDS)('centre API on %s', (backend) => {
  let database: TestDatabase;
  let centre: TestCentre;

  beforeAll(async () => {
    database = await openTestDatabase(backend);
  });
  afterAll(async () => {
    await database?.close();
  });
  beforeEach(async () => {
    await database.reset();
    centre = await startCentre(database.db, { limits: { maxRecordsPerBatch: 50, maxBodyBytes: 64 * 1024, maxInflatedBytes: 256 * 1024 }, rateLimit: { perSecond: 1, burst: 20 } });
  });
  afterEach(async () => {
    await centre.close();
  });

  const count = async (table: string) => Number((await database.db.query<{ n: number }>(`SELECT count(*)::integer AS n FROM ${table}`))[0]!.n);
  const nothingStored = async () => {
    expect(await count('records')).toBe(0);
    expect(await count('batches')).toBe(0);
  };
  const refusalLogged = (code: string) => centre.logs.some((l) => (JSON.parse(l) as { refusal?: string }).refusal === code);

  describe('enrolment', () => {
    it('exchanges a one-time code for a token, and keeps only hashes', async () => {
      const source = batchSource(5);
      const token = await centre.enrol(source.terminalId, '7');
      const first = await upload(centre.url, token, gzipJson(source.batch(1, 5)));
      expect(first).toMatchObject({ status: 200, body: { epoch: 1, highWater: 5, stored: 5 } });
      const stored = JSON.stringify(await database.db.query('SELECT * FROM terminals'));
      expect(stored).not.toContain(token);
      expect(stored).toContain('"window_no":"7"');
      source.terminal.kiosk.close();
    });

    it('refuses a used, unknown or expired code with 401 and enrols nobody', async () => {
      const code = await centre.call('POST', '/v1/admin/enrolment-codes', { body: { windowNo: '2', expiresInHours: 1 } });
      const key = 'MCowBQYDK2VwAyEAGb9ECWmEzf6FQbrBZ9w7lshQhqowtrbLDFw4rXAxZuE=';
      expect((await centre.call('POST', '/v1/enrol', { token: null, body: { code: code.body.code, terminalId: 'TA', publicKey: key } })).status).toBe(200);
      const reused = await centre.call('POST', '/v1/enrol', { token: null, body: { code: code.body.code, terminalId: 'TB', publicKey: key } });
      const unknown = await centre.call('POST', '/v1/enrol', { token: null, body: { code: 'AAAA-BBBB-CCCC', terminalId: 'TC', publicKey: key } });
      expect([reused.status, unknown.status]).toEqual([401, 401]);
      expect(reused.body.error).toMatchObject({ code: 'enrolment-code-invalid' });
      expect((await database.db.query('SELECT terminal_id FROM terminals')).map((r) => r.terminal_id)).toEqual(['TA']);

      await centre.close();
      centre = await startCentre(database.db, { now: () => Date.now() + 2 * 3_600_000 });
      const late = await centre.call('POST', '/v1/admin/enrolment-codes', { body: { windowNo: '3', expiresInHours: 1 } });
      await centre.close();
      centre = await startCentre(database.db, { now: () => Date.now() + 4 * 3_600_000 });
      const expired = await centre.call('POST', '/v1/enrol', { token: null, body: { code: late.body.code, terminalId: 'TD', publicKey: key } });
      expect(expired.status).toBe(401);
      expect(await count('terminals')).toBe(1);
    });

    it('refuses a revoked or unknown token with 401 and stores nothing', async () => {
      const source = batchSource(5);
      const token = await centre.enrol(source.terminalId);
      expect((await centre.call('POST', `/v1/admin/terminals/${source.terminalId}/revoke`)).status).toBe(200);
      const revoked = await upload(centre.url, token, gzipJson(source.batch(1, 5)));
      const unknown = await upload(centre.url, 'ct_not-a-token', gzipJson(source.batch(1, 5)));
      expect(revoked).toMatchObject({ status: 401, body: { error: { code: 'unauthorized' } } });
      expect((revoked.body.error as { message: string }).message).toMatch(/revoked; enrol the window again/);
      expect(unknown.status).toBe(401);
      await nothingStored();
      expect(refusalLogged('unauthorized')).toBe(true);
      source.terminal.kiosk.close();
    });

    it('keeps admin endpoints to the admin token', async () => {
      const reader = await centre.call('POST', '/v1/admin/api-tokens', { body: { name: 'quality office', roles: ['reports'] } });
      expect(reader.status).toBe(201);
      expect((await centre.call('POST', '/v1/admin/enrolment-codes', { token: String(reader.body.token), body: { windowNo: '1' } })).status).toBe(403);
      expect((await centre.call('POST', '/v1/admin/enrolment-codes', { token: null, body: { windowNo: '1' } })).status).toBe(401);
      expect(await count('enrolment_codes')).toBe(0);
    });
  });

  describe('upload', () => {
    it('stores each record once however often a batch arrives, and names the high-water mark', async () => {
      const source = batchSource(12);
      const token = await centre.enrol(source.terminalId);
      expect((await upload(centre.url, token, gzipJson(source.batch(1, 8)))).body).toMatchObject({ highWater: 8, stored: 8, duplicates: 0 });
      expect((await upload(centre.url, token, gzipJson(source.batch(1, 8)))).body).toMatchObject({ highWater: 8, stored: 0, duplicates: 8 });
      expect((await upload(centre.url, token, gzipJson(source.batch(5, 12)))).body).toMatchObject({ highWater: 12, stored: 4, duplicates: 4 });
      expect(await count('records')).toBe(12);
      source.terminal.kiosk.close();
    });

    it('refuses a gap with 409 and the high-water mark, storing nothing', async () => {
      const source = batchSource(10);
      const token = await centre.enrol(source.terminalId);
      await upload(centre.url, token, gzipJson(source.batch(1, 3)));
      const gap = await upload(centre.url, token, gzipJson(source.batch(6, 10)));
      expect(gap).toMatchObject({ status: 409, body: { error: { code: 'gap' }, epoch: 1, highWater: 3 } });
      expect(await count('records')).toBe(3);
      source.terminal.kiosk.close();
    });

    it('refuses the same seq with different content as seq-regression, stores nothing, and notes the restore', async () => {
      const source = batchSource(6);
      const token = await centre.enrol(source.terminalId);
      await upload(centre.url, token, gzipJson(source.batch(1, 6)));
      const other = batchSource(6);
      const foreign = other.batch(4, 6);
      const replay = { ...source.batch(4, 6), records: foreign.records };
      const refused = await upload(centre.url, token, gzipJson(replay));
      expect(refused).toMatchObject({ status: 409, body: { error: { code: 'seq-regression' }, epoch: 1, highWater: 6, seq: 4, nextEpoch: 2 } });
      expect(await count('records')).toBe(6);
      expect(await database.db.query('SELECT kind, seq_from FROM integrity_alerts')).toEqual([{ kind: 'seq_regression', seq_from: 4 }]);
      source.terminal.kiosk.close();
      other.terminal.kiosk.close();
    });

    it('keeps an altered or relinked record, flagged, with an integrity alert', async () => {
      const source = batchSource(6);
      const token = await centre.enrol(source.terminalId);
      const batch = source.batch(1, 6);
      batch.records[2]!.payload = String(batch.records[2]!.payload).replace('"windowNo":"', '"windowNo":"9');
      batch.records[4]!.prevHash = 'a'.repeat(64);
      const answer = await upload(centre.url, token, gzipJson(batch));
      expect(answer).toMatchObject({ status: 200, body: { highWater: 6, stored: 6 } });
      expect(await database.db.query('SELECT seq, integrity FROM records WHERE integrity IS NOT NULL ORDER BY seq')).toEqual([
        { seq: 3, integrity: 'altered' },
        { seq: 5, integrity: 'altered' },
      ]);
      const alerts = await database.db.query<{ kind: string; seq_from: number; detail: string }>('SELECT kind, seq_from, detail FROM integrity_alerts ORDER BY seq_from');
      expect(alerts.map((a) => [a.kind, a.seq_from])).toEqual([['altered', 3], ['altered', 5]]);
      expect(alerts[0]!.detail).toMatch(/record 1\/3 was altered/);
      source.terminal.kiosk.close();
    });

    it('flags a terminal whose clock is off, and keeps both times', async () => {
      const source = batchSource(3);
      const token = await centre.enrol(source.terminalId);
      const answer = await upload(centre.url, token, gzipJson(source.batch(1, 3, Date.now() + 20 * 60_000)));
      expect(answer).toMatchObject({ status: 200, body: { clockFlagged: true } });
      const [terminal] = await database.db.query<{ clock_flagged: boolean; clock_skew_ms: number }>('SELECT clock_flagged, clock_skew_ms FROM terminals');
      expect(terminal!.clock_flagged).toBe(true);
      expect(terminal!.clock_skew_ms).toBeGreaterThan(19 * 60_000);
      expect((await database.db.query<{ detail: string }>("SELECT detail FROM integrity_alerts WHERE kind = 'clock_skew'"))[0]!.detail).toMatch(/20 min ahead/);
      expect(await count('records')).toBe(3);
      source.terminal.kiosk.close();
    });
  });

  describe('bad input: a clear 4xx, nothing stored, the reason logged', () => {
    let source: ReturnType<typeof batchSource>;
    let token: string;
    beforeEach(async () => {
      source = batchSource(60);
      token = await centre.enrol(source.terminalId);
    });
    afterEach(() => source.terminal.kiosk.close());

    const cases: [string, () => Promise<{ status: number; body: Record<string, unknown> }>, number, string][] = [
      ['a body that is not JSON', () => upload(centre.url, token, gzipJson('{"records": [')), 400, 'body-not-json'],
      ['a body that does not decompress', () => upload(centre.url, token, Buffer.from('not gzip at all')), 400, 'body-not-gzip'],
      ['an encoding the centre does not speak', () => upload(centre.url, token, gzipJson(source.batch(1, 3)), { 'content-encoding': 'br' }), 415, 'unsupported-encoding'],
      ['a body that is not JSON at all', () => upload(centre.url, token, 'hello', { 'content-type': 'text/plain', 'content-encoding': 'identity' }), 415, 'unsupported-media-type'],
      ['a seq of the wrong type', () => upload(centre.url, token, gzipJson({ ...source.batch(1, 3), records: source.batch(1, 3).records.map((r) => ({ ...r, seq: String(r.seq) })) })), 400, 'invalid-batch'],
      ['records out of order', () => upload(centre.url, token, gzipJson({ ...source.batch(1, 3), records: source.batch(1, 3).records.reverse() })), 400, 'invalid-batch'],
      ['a hash that is not a hash', () => upload(centre.url, token, gzipJson({ ...source.batch(1, 1), records: [{ ...source.batch(1, 1).records[0], hash: 'xyz' }] })), 400, 'invalid-batch'],
      ['a payload that is not JSON', () => upload(centre.url, token, gzipJson({ ...source.batch(1, 3), records: source.batch(1, 3).records.map((r, i) => (i === 2 ? { ...r, payload: '{"broken": ' } : r)) })), 400, 'invalid-record'],
      ['more records than a batch holds', () => upload(centre.url, token, gzipJson(source.batch(1, 51))), 413, 'batch-too-large'],
      ['a body larger than the limit', () => upload(centre.url, token, JSON.stringify({ ...source.batch(1, 3), pad: 'x'.repeat(100_000) }), { 'content-encoding': 'identity' }), 413, 'batch-too-large'],
      ['a small gzip that unpacks too far', () => upload(centre.url, token, gzipJson({ ...source.batch(1, 3), pad: ' '.repeat(1_000_000) })), 413, 'batch-too-large'],
      ['a time far in the future', () => upload(centre.url, token, gzipJson({ ...source.batch(1, 3), records: source.batch(1, 3).records.map((r) => ({ ...r, recordedAt: Date.now() + 3 * 86_400_000 })) })), 422, 'timestamp-in-future'],
      ['another terminal\'s batch', () => upload(centre.url, token, gzipJson({ ...source.batch(1, 3), terminalId: 'TSOMEONEELSE' })), 403, 'terminal-mismatch'],
    ];

    it.each(cases)('refuses %s', async (_what, send, status, code) => {
      const answer = await send();
      expect(answer.status).toBe(status);
      expect(answer.body.error).toMatchObject({ code });
      expect(String((answer.body.error as { message: string }).message).length).toBeGreaterThan(10);
      await nothingStored();
      expect(refusalLogged(code)).toBe(true);
    });

    it('limits each terminal\'s rate, says when to come back, and stores nothing it refused', async () => {
      const answers = [];
      for (let i = 0; i < 25; i++) answers.push(await upload(centre.url, token, gzipJson(source.batch(1, 2))));
      const limited = answers.filter((a) => a.status === 429);
      expect(limited.length).toBeGreaterThan(0);
      expect(Number(limited[0]!.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(await count('records')).toBe(2);
      expect(await count('batches')).toBe(answers.length - limited.length);
      expect(refusalLogged('rate-limited')).toBe(true);
    });

    it('never writes a callback phone number to the log', async () => {
      const batch = source.batch(1, 20);
      expect(JSON.stringify(batch).includes('13812345678')).toBe(true);
      await upload(centre.url, token, gzipJson({ ...batch, records: batch.records.map((r) => ({ ...r, recordedAt: Date.now() + 9 * 86_400_000 })) }));
      await upload(centre.url, token, gzipJson(batch));
      expect(centre.logs.join('\n')).not.toMatch(/13812345678|5678"/);
    });
  });
});
