/**
 * An adversarial client against the centre's doors, on PostgreSQL and on PGlite: taking
 * over an enrolled terminal with any code, bodies sent without a token, guessing codes,
 * misleading refusals and impossible report dates.
 */
import { generateKeyPairSync, sign } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { reenrolmentText } from '../../src/shared/sync-wire';
import { BACKENDS, openTestDatabase, type TestDatabase } from './support/backends';
import { batchSource, gzipJson, upload } from './support/batches';
import { startCentre, type TestCentre } from './support/centre';
import { whileHealthy } from './support/hostile';

const keys = () => {
  const pair = generateKeyPairSync('ed25519');
  return { privateKey: pair.privateKey, publicKey: pair.publicKey.export({ format: 'der', type: 'spki' }).toString('base64') };
};

describe.each(BACKENDS)('hostile callers on %s', (backend) => {
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
    centre = await startCentre(database.db);
  });
  afterEach(async () => {
    await centre.close();
  });

  const code = async (windowNo: string) => String((await centre.call('POST', '/v1/admin/enrolment-codes', { body: { windowNo } })).body.code);
  const enrol = (body: Record<string, unknown>) => whileHealthy(centre, () => centre.call('POST', '/v1/enrol', { token: null, body }));

  it('does not let any enrolment code take over an enrolled terminal; its own key or the admin can', async () => {
    const a = keys();
    const first = await enrol({ code: await code('3'), terminalId: 'TA', publicKey: a.publicKey });
    expect(first.status).toBe(200);
    const tokenA = String(first.body.token);
    const source = batchSource(3);

    const takeover = await enrol({ code: await code('9'), terminalId: 'TA', publicKey: keys().publicKey });
    expect(takeover).toMatchObject({ status: 409, body: { error: { code: 'terminal-enrolled' } } });
    const [row] = await database.db.query<{ window_no: string; public_key: string }>("SELECT window_no, public_key FROM terminals WHERE terminal_id = 'TA'");
    expect(row).toEqual({ window_no: '3', public_key: a.publicKey });
    // A's token still works (its batch is refused only for naming another terminal).
    expect((await upload(centre.url, tokenA, gzipJson(source.batch(1, 3)))).status).toBe(403);

    // Signed with A's registered key: the terminal itself enrols again.
    const b = keys();
    const again = await code('4');
    const proof = sign(null, Buffer.from(reenrolmentText('TA', b.publicKey, again)), a.privateKey).toString('base64');
    expect((await enrol({ code: again, terminalId: 'TA', publicKey: b.publicKey, proof })).status).toBe(200);
    expect((await upload(centre.url, tokenA, gzipJson(source.batch(1, 3)))).status).toBe(401);

    // Without the key, only after the admin's replace action.
    const replaced = await centre.call('POST', '/v1/admin/terminals/TA/replace');
    expect(replaced.status).toBe(200);
    expect((await enrol({ code: await code('5'), terminalId: 'TA', publicKey: keys().publicKey })).status).toBe(200);
    expect((await enrol({ code: await code('6'), terminalId: 'TA', publicKey: keys().publicKey })).status).toBe(409);
    const alerts = await database.db.query<{ detail: string }>("SELECT detail FROM integrity_alerts WHERE kind = 'terminal_replaced' ORDER BY seq_from");
    expect(alerts.map((x) => x.detail)).toEqual([
      expect.stringMatching(/TA was enrolled again \(signed with its registered key\), now window 4 \(was 3\)/),
      expect.stringMatching(/TA was enrolled again \(after the admin's replace action\), now window 5 \(was 4\)/),
    ]);
    source.terminal.kiosk.close();
  });

  it('checks the token before it reads, unpacks or parses a body', async () => {
    const bomb = gzipSync(Buffer.alloc(64 * 1024 * 1024, 0x20));
    const unpacked = await whileHealthy(centre, () =>
      centre.call('POST', '/v1/admin/bundles', { token: null, body: bomb, headers: { 'content-encoding': 'gzip' } }),
    );
    const notGzip = await centre.call('POST', '/v1/admin/bundles', { token: null, body: 'not gzip', headers: { 'content-encoding': 'gzip' } });
    const notJson = await centre.call('PUT', '/v1/admin/staff', { token: 'cr_wrong', body: '[{"staffNo": ' });
    const upload = await centre.call('POST', '/v1/batches', { token: null, body: '{"records": [' });
    for (const answer of [unpacked, notGzip, notJson, upload]) expect(answer).toMatchObject({ status: 401, body: { error: { code: 'unauthorized' } } });
  });

  it('limits enrolment guesses per address', async () => {
    const guesses = await startCentre(database.db, { enrolRateLimit: { perSecond: 0.2, burst: 10 } });
    try {
      const answers = [];
      for (let i = 0; i < 30; i++) {
        answers.push((await guesses.call('POST', '/v1/enrol', { token: null, body: { code: `AAAA-BBBB-${String(i).padStart(4, '0')}`, terminalId: 'TX', publicKey: keys().publicKey } })).status);
      }
      expect(answers.filter((s) => s === 401)).toHaveLength(10);
      expect(answers.filter((s) => s === 429)).toHaveLength(20);
    } finally {
      await guesses.close();
    }
  });

  it('says the enrolment body is too large, not that a batch is', async () => {
    const answer = await centre.call('POST', '/v1/enrol', { token: null, body: { code: 'x', terminalId: 'TA', publicKey: 'k'.repeat(10_000) } });
    expect(answer).toMatchObject({ status: 413, body: { error: { code: 'body-too-large' } } });
  });

  it('refuses an impossible report date with a sentence', async () => {
    const answer = await centre.call('GET', '/v1/reports/satisfaction?from=2026-02-31');
    expect(answer).toMatchObject({ status: 400, body: { error: { code: 'invalid-request' } } });
    expect((answer.body.error as { message: string }).message).toBe('from: 2026-02-31 is not a date on the calendar');
    expect((await centre.call('GET', '/v1/reports/poor-ratings?from=2026-02-28&to=2026-03-01')).status).toBe(200);
  });
});
