/**
 * The centre process serving HTTPS itself: it names the certificate it serves, refuses to
 * start on a missing or wrong file with a sentence, and on SIGHUP serves a renewed
 * certificate to new connections while a connection opened before goes on being answered.
 * Also the kiosk's refusal of plain http:// off the loopback, and IT's override.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import https from 'node:https';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from 'node:tls';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createSyncClient } from '../../src/core/sync';
import { plaintextRefusal } from '../../src/core/sync/transport';
import { ManualClock } from '../support/clock';
import { MORNING } from '../support/kiosk';
import { tempDir } from '../support/tmp';
import { makeTestCertificates, OPENSSL_MISSING, type TestCertificates } from './support/certs';
import { openTerminal, type Terminal } from './support/terminal';

if (OPENSSL_MISSING) throw new Error(OPENSSL_MISSING);

const ADMIN = 'tls-test-admin-token-0123456789abcdef';

function startCentre(env: Record<string, string>, host = '127.0.0.1'): { child: ChildProcessWithoutNullStreams; output: () => string; started: Promise<string | null> } {
  const dataDir = tempDir();
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/src/main.ts', '--data-dir', dataDir, '--host', host, '--port', '0'], {
    env: { ...process.env, CORDIAL_ADMIN_TOKEN: ADMIN, ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let output = '';
  const started = new Promise<string | null>((resolve) => {
    child.stdout.on('data', (d: Buffer) => {
      output += d.toString();
      const at = /listening on (\S+)/.exec(output);
      if (at && output.includes('\n', output.indexOf('listening on'))) resolve(at[1]!);
    });
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('exit', () => resolve(null));
  });
  return { child, output: () => output, started };
}

async function stop(child: ChildProcessWithoutNullStreams): Promise<void> {
  if (child.exitCode !== null) return;
  child.kill('SIGTERM');
  await new Promise((resolve) => child.once('exit', resolve));
}

/** The public key pin of the certificate a fresh connection is served. */
function servedPin(url: string, ca: string): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: hostname, port: Number(port), ca }, () => {
      const cert = socket.getPeerX509Certificate();
      socket.end();
      if (!cert) return reject(new Error('no certificate'));
      void import('node:crypto').then(({ createHash }) => resolve(createHash('sha256').update(cert.publicKey.export({ type: 'spki', format: 'der' })).digest('base64')));
    });
    socket.on('error', reject);
  });
}

describe('the centre process with a certificate', () => {
  let certs: TestCertificates;
  let dir: string;
  const children: ChildProcessWithoutNullStreams[] = [];

  beforeAll(() => {
    // Kept for the whole suite (tempDir's folders go after each test).
    dir = mkdtempSync(join(tmpdir(), 'cordial-centre-certs-'));
    certs = makeTestCertificates(dir);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  afterEach(async () => {
    for (const child of children.splice(0)) await stop(child);
  });

  it('serves HTTPS, says which certificate, and on SIGHUP serves the renewed one while an open connection is still answered', async () => {
    const certFile = join(dir, 'served.pem');
    const keyFile = join(dir, 'served.key');
    copyFileSync(certs.good.certFile, certFile);
    copyFileSync(certs.good.keyFile, keyFile);
    const centre = startCentre({ CORDIAL_TLS_CERT: certFile, CORDIAL_TLS_KEY: keyFile });
    children.push(centre.child);
    const url = await centre.started;
    expect(url, centre.output()).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    await new Promise<void>((resolve) => {
      const check = () => (centre.output().includes('HTTPS certificate') ? resolve() : setTimeout(check, 50));
      check();
    });
    expect(centre.output()).toContain('CN=good centre');
    expect(centre.output()).toContain('for 127.0.0.1, localhost');
    expect(centre.output()).toContain(certs.good.pin);
    expect(await servedPin(url!, certs.ca.cert)).toBe(certs.good.pin);

    // A connection opened on the old certificate, kept alive across the reload.
    const agent = new https.Agent({ keepAlive: true, maxSockets: 1, ca: certs.ca.cert });
    const health = () =>
      new Promise<{ status: number; socket: unknown }>((resolve, reject) => {
        https
          .get(`${url}/v1/health`, { agent }, (res) => {
            const socket = res.socket;
            res.resume();
            res.on('end', () => resolve({ status: res.statusCode ?? 0, socket }));
          })
          .on('error', reject);
      });
    const first = await health();
    expect(first.status).toBe(200);

    copyFileSync(certs.renewed.certFile, certFile);
    copyFileSync(certs.renewed.keyFile, keyFile);
    const reloaded = new Promise<void>((resolve) => {
      const check = () => (centre.output().includes('Reloaded on SIGHUP') ? resolve() : setTimeout(check, 50));
      check();
    });
    centre.child.kill('SIGHUP');
    await reloaded;
    expect(centre.output()).toContain(`Reloaded on SIGHUP: HTTPS certificate CN=renewed centre`);
    // The open connection goes on, on the certificate it began with; a new one gets the renewed certificate.
    expect(await health()).toEqual({ status: 200, socket: first.socket });
    expect(await servedPin(url!, certs.ca.cert)).toBe(certs.renewed.pin);
    agent.destroy();

    // A broken file on the next SIGHUP: the centre keeps what it serves and says why.
    copyFileSync(certs.expired.certFile, certFile);
    copyFileSync(certs.good.keyFile, keyFile);
    centre.child.kill('SIGHUP');
    await new Promise<void>((resolve) => {
      const check = () => (centre.output().includes('keeps serving') ? resolve() : setTimeout(check, 50));
      check();
    });
    expect(centre.output()).toContain('does not belong to the certificate');
    expect(await servedPin(url!, certs.ca.cert)).toBe(certs.renewed.pin);
  }, 90_000);

  it.each([
    ['a certificate file that is not there', () => ({ CORDIAL_TLS_CERT: join(dir, 'nowhere.pem'), CORDIAL_TLS_KEY: certs.good.keyFile }), `cannot read the certificate ${'{dir}'}/nowhere.pem (CORDIAL_TLS_CERT): there is no such file`],
    ['a key that belongs to another certificate', () => ({ CORDIAL_TLS_CERT: certs.good.certFile, CORDIAL_TLS_KEY: certs.renewed.keyFile }), 'does not belong to the certificate for CN=good centre'],
    ['an expired certificate', () => ({ CORDIAL_TLS_CERT: certs.expired.certFile, CORDIAL_TLS_KEY: certs.expired.keyFile }), 'expired on 2020-02-01T00:00:00.000Z; renew it'],
    ['only half of the pair', () => ({ CORDIAL_TLS_CERT_PEM: certs.good.cert }), 'HTTPS needs both CORDIAL_TLS_CERT_PEM and CORDIAL_TLS_KEY_PEM'],
  ])('refuses to start with %s, in a sentence', async (_name, env, sentence) => {
    const centre = startCentre(env());
    children.push(centre.child);
    expect(await centre.started).toBeNull();
    expect(centre.output()).toContain('Cordial centre: cannot serve HTTPS: ');
    expect(centre.output()).toContain(sentence.replace('{dir}', dir));
  }, 60_000);
});

describe('plain http:// to the centre', () => {
  const kiosks: Terminal[] = [];
  afterEach(() => {
    for (const t of kiosks.splice(0)) t.kiosk.close();
  });
  const address = Object.values(networkInterfaces())
    .flat()
    .find((a) => a && a.family === 'IPv4' && !a.internal)?.address;

  it('is allowed on the loopback and refused for any other host', () => {
    for (const url of ['http://127.0.0.1:8470', 'http://localhost:8470', 'http://[::1]:8470', 'https://10.1.2.3']) expect(plaintextRefusal(url, false)).toBeNull();
    for (const url of ['http://10.1.2.3:8470', 'http://centre.example.gov.cn', 'http://127.0.0.1.example.com']) {
      expect(plaintextRefusal(url, false)).toMatchObject({ code: 'plaintext_refused' });
      expect(plaintextRefusal(url, true)).toBeNull();
    }
  });

  it.runIf(address)('a kiosk refuses to enrol with a centre on this machine\'s network address unless IT allows plaintext, and then it does', async () => {
    const centre = startCentre({}, address!);
    children.push(centre.child);
    const url = await centre.started;
    expect(url, centre.output()).toContain(address!);
    const codeFor = async () => {
      const made = await fetch(`${url}/v1/admin/enrolment-codes`, { method: 'POST', headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' }, body: JSON.stringify({ windowNo: '2' }) });
      return ((await made.json()) as { code: string }).code;
    };
    const code = await codeFor();
    const clock = new ManualClock(MORNING);
    const t = openTerminal({ clock, windowNo: '2' });
    kiosks.push(t);
    const refused = await createSyncClient({ db: t.kiosk.db, terminalId: t.kiosk.terminal.terminalId, centreUrl: url, clock }).enrol(code);
    expect(refused).toMatchObject({ ok: false, error: { code: 'plaintext_refused' } });
    if (!refused.ok) expect(refused.error.message).toContain('allow plaintext on this network');
    // The same code still works: nothing reached the centre.
    const allowed = await createSyncClient({ db: t.kiosk.db, terminalId: t.kiosk.terminal.terminalId, centreUrl: url, clock, trust: { allowPlaintext: true } }).enrol(code);
    expect(allowed).toMatchObject({ ok: true, windowNo: '2' });
  }, 60_000);
  const children: ChildProcessWithoutNullStreams[] = [];
  afterEach(async () => {
    for (const child of children.splice(0)) await stop(child);
  });
});
