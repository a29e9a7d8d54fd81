/**
 * The centre CA field and the key pin field as IT fills them in: PEM certificate blocks are
 * found and normalised, a pasted private key, a request, a torn or garbled paste are refused
 * by name, and certificates made by openssl are described with their subject, dates and key.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { checkCaCertificates } from '../../src/core/sync/ca-certificate';
import { groupedPin, isKeyPin, joinPem, MAX_CA_CERTIFICATES, readPemCertificates } from '../../src/shared/pem';
import { makeTestCertificates, OPENSSL_MISSING, type TestCertificates } from '../sync/support/certs';
import { tempDir } from '../support/tmp';

if (OPENSSL_MISSING) throw new Error(OPENSSL_MISSING);

let certs: TestCertificates;
beforeAll(() => {
  certs = makeTestCertificates(tempDir('cordial-pem-'));
}, 60_000);

const body = (pem: string) => pem.replace(/-----[A-Z ]+-----/g, '').replace(/\s+/g, '');

describe('reading the CA field', () => {
  it('finds one certificate and gives it back as the settings store it', () => {
    const read = readPemCertificates(`\n\n${certs.ca.cert}\n\n`);
    expect(read.ok).toBe(true);
    if (!read.ok) return;
    expect(read.certificates).toHaveLength(1);
    expect(body(read.certificates[0]!)).toBe(body(certs.ca.cert));
    expect(read.certificates[0]).toMatch(/^-----BEGIN CERTIFICATE-----\n[\s\S]+\n-----END CERTIFICATE-----$/);
  });

  it('takes a chain, Windows line ends, re-wrapped base64 and the subject= lines openssl prints', () => {
    const rewrapped = certs.otherCa.cert.replace(/\n(?!-----)/g, '').replace('-----END', '\n-----END').replace('CERTIFICATE-----', 'CERTIFICATE-----\n');
    const pasted = `subject=/CN=Cordial Test Government CA\r\n${certs.ca.cert.replace(/\n/g, '\r\n')}\r\nissuer=CN = Somebody Else CA\r\n${rewrapped}`;
    const read = readPemCertificates(pasted);
    expect(read).toMatchObject({ ok: true });
    if (!read.ok) return;
    expect(read.certificates.map(body)).toEqual([body(certs.ca.cert), body(certs.otherCa.cert)]);
    // What is stored passes the settings' own shape check and reads back the same.
    const stored = joinPem(read.certificates);
    expect(stored).not.toMatch(/\r|subject=/);
    expect(readPemCertificates(stored)).toEqual(read);
  });

  it('refuses a private key, even next to the certificate, and never keeps it', () => {
    expect(readPemCertificates(certs.ca.key)).toMatchObject({ ok: false, problem: 'private_key' });
    expect(readPemCertificates(`${certs.ca.cert}\n${certs.ca.key}`)).toMatchObject({ ok: false, problem: 'private_key' });
    expect(readPemCertificates('-----BEGIN RSA PRIVATE KEY-----\nMIIB\n')).toMatchObject({ ok: false, problem: 'private_key' });
  });

  it('names each other mistake: empty, not PEM, a request, cut short, garbled, stray text, too many', () => {
    expect(readPemCertificates('  \n ')).toEqual({ ok: false, problem: 'empty' });
    expect(readPemCertificates('MIIBszCCAVmgAwIBAgIU')).toEqual({ ok: false, problem: 'not_pem' });
    expect(readPemCertificates('-----BEGIN CERTIFICATE REQUEST-----\nMIIB\n-----END CERTIFICATE REQUEST-----')).toEqual({
      ok: false,
      problem: 'not_certificate',
      label: 'CERTIFICATE REQUEST',
    });
    expect(readPemCertificates(certs.ca.cert.slice(0, 200))).toMatchObject({ ok: false, problem: 'unterminated' });
    expect(readPemCertificates(`${certs.ca.cert}\n${certs.good.cert.slice(0, 120)}`)).toMatchObject({ ok: false, problem: 'unterminated' });
    expect(readPemCertificates(certs.ca.cert.replace(/\n([A-Za-z0-9+/]{10})/, '\n$1#!'))).toEqual({ ok: false, problem: 'bad_base64' });
    expect(readPemCertificates(`${certs.ca.cert}\nplease trust this one too`)).toEqual({ ok: false, problem: 'stray_text' });
    expect(readPemCertificates(Array.from({ length: MAX_CA_CERTIFICATES + 1 }, () => certs.ca.cert).join('\n'))).toEqual({ ok: false, problem: 'too_many' });
  });
});

describe('the key pin field', () => {
  it('takes a base64 SHA-256 and nothing else', () => {
    expect(isKeyPin(certs.good.pin)).toBe(true);
    expect(isKeyPin(` ${certs.good.pin} `)).toBe(true);
    expect(isKeyPin(certs.good.pin.slice(0, 43))).toBe(false);
    expect(isKeyPin(Buffer.alloc(32, 7).toString('hex'))).toBe(false);
    expect(isKeyPin('enrolment')).toBe(false);
  });

  it('groups a pin in fours for reading aloud, and the groups join back to the pin', () => {
    const grouped = groupedPin(certs.good.pin);
    expect(grouped.split(' ').every((g, i, all) => g.length === 4 || i === all.length - 1)).toBe(true);
    expect(grouped.replace(/ /g, '')).toBe(certs.good.pin);
  });
});

describe('describing the CA before it is saved', () => {
  const NOW = Date.now();

  it('shows the private CA’s subject, issuer, dates and key', () => {
    const read = checkCaCertificates(certs.ca.cert, NOW);
    expect(read).toEqual({
      ok: true,
      certificates: [
        {
          subject: 'O=Cordial test centre, CN=Cordial Test Government CA',
          issuer: 'O=Cordial test centre, CN=Cordial Test Government CA',
          validFrom: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
          validTo: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
          isAuthority: true,
          selfSigned: true,
          dates: 'valid',
          pin: certs.ca.pin,
        },
      ],
    });
    if (!read.ok) return;
    const days = (Date.parse(read.certificates[0]!.validTo) - Date.parse(read.certificates[0]!.validFrom)) / 86_400_000;
    expect(Math.round(days)).toBe(30);
  });

  it('says which certificate has expired, which is not yet valid, and which is not an authority', () => {
    const read = checkCaCertificates(joinPem([certs.expired.cert, certs.good.cert]), NOW);
    expect(read.ok && read.certificates.map((c) => [c.subject, c.dates, c.isAuthority])).toEqual([
      ['CN=expired centre', 'expired', false],
      ['CN=good centre', 'valid', false],
    ]);
    const early = checkCaCertificates(certs.ca.cert, Date.parse('2001-01-01T00:00:00Z'));
    expect(early.ok && early.certificates[0]!.dates).toBe('not_yet_valid');
  });

  it('refuses, in a sentence, a key, a request and base64 that is no certificate', () => {
    expect(checkCaCertificates(certs.ca.key, NOW)).toEqual({ ok: false, message: expect.stringContaining('that is a private key, not a certificate') });
    expect(checkCaCertificates('-----BEGIN CERTIFICATE REQUEST-----\nMIIB\n-----END CERTIFICATE REQUEST-----', NOW)).toEqual({
      ok: false,
      message: expect.stringContaining('(this one is CERTIFICATE REQUEST)'),
    });
    const notDer = `-----BEGIN CERTIFICATE-----\n${Buffer.from('not a certificate at all').toString('base64')}\n-----END CERTIFICATE-----`;
    expect(checkCaCertificates(notDer, NOW)).toEqual({ ok: false, message: expect.stringMatching(/^certificate 1 in the CA field cannot be read \(.+\): copy it again/) });
  });
});
