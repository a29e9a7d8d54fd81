/**
 * A real kiosk and a real centre serving HTTPS on a real PostgreSQL, with certificates made
 * by openssl for the test: the kiosk enrols and syncs over the good certificate from the
 * private CA, and refuses an expired one, one for another host, one from an unknown CA and
 * a key that is not the pinned one, each with its sentence, the centre receiving nothing.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildCentre, type Centre } from '../../server/src/app';
import { createSyncClient, type SyncClientOptions } from '../../src/core/sync';
import { readCredentials } from '../../src/core/sync/credentials';
import { ManualClock } from '../support/clock';
import { MORNING } from '../support/kiosk';
import { tempDir } from '../support/tmp';
import { openTestDatabase, type TestDatabase } from './support/backends';
import { makeTestCertificates, OPENSSL_MISSING, type CertPair, type TestCertificates } from './support/certs';
import { ADMIN_TOKEN } from './support/centre';
import { openTerminal, serveCase, type Terminal } from './support/terminal';

if (OPENSSL_MISSING) throw new Error(OPENSSL_MISSING);

describe('the kiosk over HTTPS to a centre with a private CA', () => {
  let database: TestDatabase;
  let certs: TestCertificates;
  let port = 0;
  let centre: { centre: Centre; requests: string[] } | null = null;
  let clock: ManualClock;
  const kiosks: Terminal[] = [];

  beforeAll(async () => {
    certs = makeTestCertificates(tempDir('cordial-certs-'));
    database = await openTestDatabase('postgres');
  }, 120_000);
  afterAll(async () => {
    await database?.close();
  });
  beforeEach(async () => {
    await database.reset();
    clock = new ManualClock(MORNING);
  });
  afterEach(async () => {
    for (const t of kiosks.splice(0)) t.kiosk.close();
    await centre?.centre.close();
    centre = null;
  });

  /** The centre on the same port each time, serving `pair`, noting every request that reaches it. */
  async function serve(pair: CertPair): Promise<string[]> {
    await centre?.centre.close();
    const requests: string[] = [];
    const built = buildCentre(database.db, { adminToken: ADMIN_TOKEN, now: () => clock.now(), projectAfterMs: 20, logger: false, tls: { cert: pair.cert, key: pair.key } });
    built.app.addHook('onRequest', async (request) => void requests.push(`${request.method} ${request.url}`));
    const address = await built.app.listen({ host: '127.0.0.1', port });
    port = Number(new URL(address).port);
    centre = { centre: built, requests };
    return requests;
  }

  async function enrolmentCode(): Promise<string> {
    const made = await centre!.centre.app.inject({ method: 'POST', url: '/v1/admin/enrolment-codes', headers: { authorization: `Bearer ${ADMIN_TOKEN}` }, payload: { windowNo: '7' } });
    return (made.json() as { code: string }).code;
  }

  function kiosk(trust: SyncClientOptions['trust'], host = '127.0.0.1') {
    const t = openTerminal({ clock, windowNo: '7' });
    kiosks.push(t);
    const client = createSyncClient({ db: t.kiosk.db, terminalId: t.kiosk.terminal.terminalId, centreUrl: `https://${host}:${port}`, clock, retry: { attempts: 2, baseMs: 1 }, trust });
    return { t, client };
  }

  const held = async () => Number((await database.db.query<{ n: number }>('SELECT count(*)::integer AS n FROM records'))[0]!.n);
  const terminals = async () => Number((await database.db.query<{ n: number }>('SELECT count(*)::integer AS n FROM terminals'))[0]!.n);

  it('enrols and syncs over the good certificate, records the key it saw, and refuses another key for the same names', async () => {
    await serve(certs.good);
    const { t, client } = kiosk({ caCertificate: certs.ca.cert, pin: 'enrolment' });
    expect(await client.enrol(await enrolmentCode())).toMatchObject({ ok: true, windowNo: '7' });
    expect(readCredentials(t.kiosk.db)?.centrePin).toBe(certs.good.pin);
    serveCase(t, 1);
    serveCase(t, 5);
    const synced = await client.syncNow();
    expect(synced).toMatchObject({ ok: true, pending: 0 });
    const before = await held();
    expect(before).toBeGreaterThan(0);

    // The same names from the same CA, but a key this window did not pin: somebody else's server.
    const requests = await serve(certs.renewed);
    serveCase(t, 2);
    const refused = await client.syncNow();
    expect(refused).toMatchObject({ ok: false, error: { code: 'centre_untrusted' } });
    if (refused.ok) return;
    expect(refused.error.message).toContain(certs.renewed.pin);
    expect(refused.error.message).toContain(certs.good.pin);
    expect(refused.error.message).toContain('nothing was sent');
    expect(requests).toEqual([]);
    expect(await held()).toBe(before);
    expect(client.status().detail).toContain(certs.renewed.pin);
  }, 60_000);

  const refusals: [string, (c: TestCertificates) => CertPair, (c: TestCertificates) => string[]][] = [
    ['an expired certificate', (c) => c.expired, () => ['2020-01-01T00:00:00.000Z', '2020-02-01T00:00:00.000Z', 'has expired', 'renew']],
    ['a certificate for another host', (c) => c.wrongHost, () => ['centre.example.gov.cn', 'not for 127.0.0.1']],
    ['a certificate from a CA the window was not given', (c) => c.unknownCa, () => ['issued by CN=Somebody Else CA', 'Cordial Test Government CA', 'centre CA field']],
  ];

  it.each(refusals)('refuses %s at enrolment, with a sentence IT can act on, and the centre receives nothing', async (_name, pick, expected) => {
    const code = await (async () => {
      await serve(certs.good);
      return enrolmentCode();
    })();
    const requests = await serve(pick(certs));
    const { t, client } = kiosk({ caCertificate: certs.ca.cert });
    const result = await client.enrol(code);
    expect(result).toMatchObject({ ok: false, error: { code: 'centre_untrusted' } });
    if (result.ok) return;
    for (const words of expected(certs)) expect(result.error.message).toContain(words);
    expect(result.error.message).toContain('nothing was sent');
    expect(requests).toEqual([]);
    expect(await terminals()).toBe(0);
    expect(readCredentials(t.kiosk.db)).toBeNull();
  }, 60_000);

  it('refuses each bad certificate when syncing, without retrying and without the centre storing a record', async () => {
    await serve(certs.good);
    const { t, client } = kiosk({ caCertificate: certs.ca.cert });
    expect(await client.enrol(await enrolmentCode())).toMatchObject({ ok: true });
    serveCase(t, 3);
    for (const pair of [certs.expired, certs.wrongHost, certs.unknownCa]) {
      const requests = await serve(pair);
      const result = await client.syncNow();
      expect(result).toMatchObject({ ok: false, error: { code: 'centre_untrusted' }, sent: 0 });
      expect(requests).toEqual([]);
    }
    expect(await held()).toBe(0);
    // The good certificate again: everything kept on the window goes.
    await serve(certs.good);
    expect(await client.syncNow()).toMatchObject({ ok: true, pending: 0 });
    expect(await held()).toBeGreaterThan(0);
  }, 60_000);

  it('refuses a centre whose key is not the pin IT typed, before enrolling', async () => {
    await serve(certs.good);
    const code = await enrolmentCode();
    const requests: string[] = centre!.requests;
    requests.length = 0;
    const { t, client } = kiosk({ caCertificate: certs.ca.cert, pin: certs.renewed.pin });
    const result = await client.enrol(code);
    expect(result).toMatchObject({ ok: false, error: { code: 'centre_untrusted' } });
    if (result.ok) return;
    expect(result.error.message).toContain(`has the public key ${certs.good.pin}, not the pinned key ${certs.renewed.pin}`);
    expect(requests).toEqual([]);
    expect(await terminals()).toBe(0);
    expect(readCredentials(t.kiosk.db)).toBeNull();

    // The pin IT typed that matches: enrolled, and that pin recorded.
    const right = kiosk({ caCertificate: certs.ca.cert, pin: certs.good.pin });
    expect(await right.client.enrol(code)).toMatchObject({ ok: true });
    expect(readCredentials(right.t.kiosk.db)?.centrePin).toBe(certs.good.pin);
  }, 60_000);

  it('with no CA given, trusts only the system store: the private CA is refused, by name', async () => {
    await serve(certs.good);
    const code = await enrolmentCode();
    const { client } = kiosk({});
    const result = await client.enrol(code);
    expect(result).toMatchObject({ ok: false, error: { code: 'centre_untrusted' } });
    if (result.ok) return;
    expect(result.error.message).toContain('Cordial Test Government CA');
    expect(result.error.message).toContain('the authorities this computer trusts');
  }, 60_000);
});
