/**
 * An adversarial client against the centre's ingest, on PostgreSQL and on PGlite: records
 * that would break the reports, unbounded gaps, deep JSON, impossible times and epochs.
 * After each, nothing of the hostile batch is stored, /v1/health answered while it was in
 * flight, and every report still answers.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { canonicalJson } from '../../src/shared/canonical-json';
import { BACKENDS, openTestDatabase, type TestDatabase } from './support/backends';
import { batchSource, gzipJson, upload, type BatchSource } from './support/batches';
import { startCentre, type TestCentre } from './support/centre';
import { reportsAnswer, seqOf, whileHealthy, withPayload } from './support/hostile';

const deepText = (levels: number) => `${'['.repeat(levels)}1${']'.repeat(levels)}`;
const deep = (levels: number) => JSON.parse(deepText(levels)) as unknown;

describe.each(BACKENDS)('hostile uploads on %s', (backend) => {
  let database: TestDatabase;
  let centre: TestCentre;
  let source: BatchSource;
  let token: string;

  beforeAll(async () => {
    database = await openTestDatabase(backend);
  });
  afterAll(async () => {
    await database?.close();
  });
  beforeEach(async () => {
    await database.reset();
    centre = await startCentre(database.db, { limits: { maxMissingRecords: 1_000_000_000_000 } });
    source = batchSource(12);
    token = await centre.enrol(source.terminalId);
  });
  afterEach(async () => {
    source.terminal.kiosk.close();
    await centre.close();
  });

  const count = async (table: string) => Number((await database.db.query<{ n: number }>(`SELECT count(*)::integer AS n FROM ${table}`))[0]!.n);
  const send = (body: unknown) => whileHealthy(centre, () => upload(centre.url, token, gzipJson(body)));
  const alerts = async (kind: string) => database.db.query<{ epoch: number; seq_from: number; detail: string }>('SELECT epoch, seq_from, detail FROM integrity_alerts WHERE kind = $1', [kind]);

  it('refuses a record its kind does not allow with 400 invalid-record naming it, stores nothing, and the reports still answer', async () => {
    const rating = seqOf(source, 12, 'rating');
    const opened = seqOf(source, 12, 'case_opened');
    const badTime = await send(withPayload(source, 1, 12, rating, (p) => ({ ...p, at: 'tomorrow' })));
    const noCase = await send(withPayload(source, 1, 12, opened, ({ caseId: _gone, ...p }) => p));
    expect(badTime).toMatchObject({ status: 400, body: { error: { code: 'invalid-record' }, epoch: 1, seq: rating, kind: 'rating' } });
    expect((badTime.body.error as { message: string }).message).toMatch(new RegExp(`record 1/${rating} \\(rating\\): payload\\.at`));
    expect(noCase).toMatchObject({ status: 400, body: { error: { code: 'invalid-record' }, seq: opened, kind: 'case_opened' } });
    expect((noCase.body.error as { message: string }).message).toMatch(/payload\.caseId/);
    expect(await count('records')).toBe(0);
    expect((await upload(centre.url, token, gzipJson(source.batch(1, 12)))).status).toBe(200);
    await reportsAnswer(centre);
  });

  it('quarantines a stored record the reports cannot read, with an alert, and reports the rest', async () => {
    expect((await upload(centre.url, token, gzipJson(source.batch(1, 12)))).status).toBe(200);
    // A record an older centre let in: the projection must not stop at it.
    const rating = seqOf(source, 12, 'rating');
    await database.db.query(`UPDATE records SET payload = jsonb_set(payload, '{at}', '"tomorrow"') WHERE seq = $1`, [rating]);
    const report = await centre.call('GET', '/v1/reports/satisfaction?by=staff&period=year');
    expect(report.status).toBe(200);
    expect((report.body.rows as { cases: number }[]).reduce((n, r) => n + r.cases, 0)).toBeGreaterThan(0);
    await reportsAnswer(centre);
    const [alert] = await alerts('quarantined');
    expect(alert).toMatchObject({ epoch: 1, seq_from: rating });
    expect(alert!.detail).toMatch(new RegExp(`record 1/${rating} \\(rating\\) was set aside.*payload\\.at`));
    expect((await database.db.query('SELECT seq FROM records WHERE quarantined IS NOT NULL')).map((r) => r.seq)).toEqual([rating]);
  });

  it('bounds a missing declaration, and a huge declared gap costs the projection nothing', async () => {
    const bounded = await startCentre(database.db);
    try {
      const refused = await upload(bounded.url, token, gzipJson({ ...source.batch(1, 3), records: [], missing: { from: 1, to: 1e12 } }));
      expect(refused).toMatchObject({ status: 400, body: { error: { code: 'invalid-batch' } } });
      expect((refused.body.error as { message: string }).message).toMatch(/at most 100000/);
      expect(await count('terminal_epochs')).toBe(0);
    } finally {
      await bounded.close();
    }
    // With the bound lifted, a gap of 10^12 seqs must still not walk the projector through it.
    expect((await upload(centre.url, token, gzipJson(source.batch(1, 8)))).status).toBe(200);
    expect((await send({ ...source.batch(9, 9), records: [], missing: { from: 9, to: 1e12 } })).status).toBe(200);
    await whileHealthy(centre, () => reportsAnswer(centre));
    const [epoch] = await database.db.query<{ projected_seq: number }>('SELECT projected_seq FROM terminal_epochs');
    expect(epoch!.projected_seq).toBe(1e12);
  });

  it('refuses a payload nested 10,000 levels deep with 400 before the database sees it, and keeps working', async () => {
    const opened = seqOf(source, 12, 'case_opened');
    const answer = await send(withPayload(source, 1, 12, opened, (p) => canonicalJson(p).replace(/}$/, `,"zz":${deepText(10_000)}}`)));
    expect(answer).toMatchObject({ status: 400, body: { error: { code: 'invalid-record' }, seq: opened } });
    expect((answer.body.error as { message: string }).message).toMatch(/nested more than 8 levels/);
    // The same depth outside the records is not handed to the database at all.
    const outside = await send(JSON.stringify(source.batch(1, 12)).replace(/}$/, `,"extra":${deepText(10_000)}}`));
    expect(outside.status).toBe(200);
    expect(await count('records')).toBe(12);
    await reportsAnswer(centre);
  });

  it('releases a transaction whose statement fails on too-deep JSON, so the next one runs', async () => {
    await expect(database.db.transaction((tx) => tx.query("SELECT ($1::jsonb #>> '{}')::integer AS j", [JSON.stringify(deep(10_000))]))).rejects.toThrow();
    expect(await database.db.query('SELECT 1 AS one')).toEqual([{ one: 1 }]);
    expect((await upload(centre.url, token, gzipJson(source.batch(1, 4)))).status).toBe(200);
  });

  it('holds the payload’s own times to the same bounds as recordedAt', async () => {
    const rating = seqOf(source, 12, 'rating');
    const future = await send(withPayload(source, 1, 12, rating, (p) => ({ ...p, at: Date.UTC(2126, 0, 1) })));
    const past = await send(withPayload(source, 1, 12, rating, (p) => ({ ...p, at: 0 })));
    expect(future).toMatchObject({ status: 422, body: { error: { code: 'timestamp-in-future' }, seq: rating } });
    expect(past).toMatchObject({ status: 400, body: { error: { code: 'invalid-record' }, seq: rating } });
    expect((past.body.error as { message: string }).message).toMatch(/stamped 1970-01-01, before any record can be/);
    expect(await count('records')).toBe(0);
  });

  it('names the real problem: a NUL, a lone surrogate, a seq written 11.0', async () => {
    const details = seqOf(source, 12, 'case_closed');
    const nul = await send(withPayload(source, 1, 12, details, (p) => ({ ...p, outcome: 'completed', missingMaterials: ['a\u0000b'] })));
    const surrogate = await send(withPayload(source, 1, 12, details, (p) => ({ ...p, missingMaterials: ['\uD800'] })));
    expect(nul).toMatchObject({ status: 400, body: { error: { code: 'invalid-record' }, seq: details } });
    expect((nul.body.error as { message: string }).message).toMatch(/payload\.missingMaterials\[0\] contains a NUL character/);
    expect((surrogate.body.error as { message: string }).message).toMatch(/lone UTF-16 surrogate/);
    const text = JSON.stringify(source.batch(1, 12)).replace('"seq":11,', '"seq":11.0,');
    expect(text).toContain('"seq":11.0,');
    expect((await send(text)).body).toMatchObject({ highWater: 12, stored: 12 });
  });

  it('keeps epochs to the integer column, to the next one, and only after seq-regression', async () => {
    const huge = await send({ ...source.batch(1, 3), epoch: 2 ** 31 });
    expect(huge).toMatchObject({ status: 400, body: { error: { code: 'invalid-batch' } } });
    expect((huge.body.error as { message: string }).message).toMatch(/epoch must be at most 2147483647/);
    expect((await upload(centre.url, token, gzipJson(source.batch(1, 6)))).status).toBe(200);
    const jump = await send({ ...source.batch(1, 3), epoch: 999 });
    expect(jump).toMatchObject({ status: 409, body: { error: { code: 'epoch-not-allowed' } } });
    const early = await send({ ...source.batch(1, 3), epoch: 2 });
    expect(early).toMatchObject({ status: 409, body: { error: { code: 'epoch-not-allowed' } } });
    expect((await alerts('epoch_refused')).map((a) => a.epoch).sort()).toEqual([2, 999]);

    // A restored copy: seq-regression opens epoch 2, and only then.
    const other = batchSource(6);
    const regression = await upload(centre.url, token, gzipJson({ ...source.batch(4, 6), records: other.batch(4, 6).records }));
    other.terminal.kiosk.close();
    expect(regression).toMatchObject({ status: 409, body: { error: { code: 'seq-regression' }, nextEpoch: 2 } });
    expect((await send({ ...source.batch(1, 3), epoch: 2 })).status).toBe(200);
    // Epoch 1 is closed now: a new record there sends the terminal on to epoch 3, with an alert.
    const closed = await send(source.batch(7, 8));
    expect(closed).toMatchObject({ status: 409, body: { error: { code: 'seq-regression' }, epoch: 1, nextEpoch: 3, reason: 'epoch-closed' } });
    expect(await alerts('epoch_closed')).toHaveLength(1);
    expect(Number((await database.db.query<{ n: number }>('SELECT count(*)::integer AS n FROM records WHERE epoch = 1'))[0]!.n)).toBe(6);
    expect((await upload(centre.url, token, gzipJson(source.batch(1, 6)))).body).toMatchObject({ duplicates: 6 });
  });
});
