/**
 * Certificates made for a test with the openssl CLI: a private CA, server certificates it
 * signs (good, renewed, expired, for the wrong host), and one from an unknown CA.
 */
import { execFileSync } from 'node:child_process';
import { createHash, X509Certificate } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const OPENSSL = '/usr/bin/openssl';
/** Why a TLS test cannot run, or null. */
export const OPENSSL_MISSING = existsSync(OPENSSL) ? null : `${OPENSSL} is missing: install the openssl package to run the TLS tests`;

export interface CertPair {
  cert: string;
  key: string;
  certFile: string;
  keyFile: string;
  /** SPKI SHA-256, base64, as a kiosk pins it. */
  pin: string;
}

export interface TestCertificates {
  ca: CertPair;
  /** 127.0.0.1 and localhost, from the CA, valid now. */
  good: CertPair;
  /** The same names from the same CA with a new key: a renewal. */
  renewed: CertPair;
  /** From the CA, valid in January 2020 only. */
  expired: CertPair;
  /** From the CA, for centre.example.gov.cn only. */
  wrongHost: CertPair;
  /** Another CA, which the kiosk is not told about. */
  otherCa: CertPair;
  /** Right names and dates, issued by otherCa. */
  unknownCa: CertPair;
}

function openssl(dir: string, args: string[]): void {
  execFileSync(OPENSSL, args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
}

function pair(dir: string, name: string): CertPair {
  const certFile = join(dir, `${name}.pem`);
  const keyFile = join(dir, `${name}.key`);
  const cert = readFileSync(certFile, 'utf8');
  const x509 = new X509Certificate(cert);
  const pin = createHash('sha256').update(x509.publicKey.export({ type: 'spki', format: 'der' })).digest('base64');
  return { cert, key: readFileSync(keyFile, 'utf8'), certFile, keyFile, pin };
}

function makeCa(dir: string, name: string, subject: string): void {
  openssl(dir, ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.pem`, '-days', '30', '-subj', subject]);
}

/** A server certificate signed by `ca`, for `names`, valid from `start` to `end` (openssl ca dates, YYYYMMDDHHMMSSZ). */
function makeServer(dir: string, name: string, ca: string, names: string, dates?: { start: string; end: string }): void {
  openssl(dir, ['req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${name} centre`]);
  writeFileSync(join(dir, `${name}.ext`), `subjectAltName=${names}\nextendedKeyUsage=serverAuth\n`);
  const caDir = join(dir, `${ca}-db`);
  if (!existsSync(caDir)) {
    mkdirSync(caDir);
    writeFileSync(join(caDir, 'index.txt'), '');
    writeFileSync(join(caDir, 'serial'), '1000\n');
    writeFileSync(
      join(caDir, 'ca.cnf'),
      [
        '[ca]',
        'default_ca = test',
        '[test]',
        `database = ${join(caDir, 'index.txt')}`,
        `new_certs_dir = ${caDir}`,
        `serial = ${join(caDir, 'serial')}`,
        'default_md = sha256',
        'policy = any',
        'unique_subject = no',
        'default_days = 30',
        '[any]',
        'commonName = supplied',
        '',
      ].join('\n'),
    );
  }
  const validity = dates ? ['-startdate', dates.start, '-enddate', dates.end] : [];
  openssl(dir, [
    'ca', '-batch', '-notext', '-config', join(caDir, 'ca.cnf'), '-cert', `${ca}.pem`, '-keyfile', `${ca}.key`,
    '-in', `${name}.csr`, '-out', `${name}.pem`, '-extfile', `${name}.ext`, ...validity,
  ]);
}

export function makeTestCertificates(dir: string): TestCertificates {
  makeCa(dir, 'ca', '/O=Cordial test centre/CN=Cordial Test Government CA');
  makeCa(dir, 'other-ca', '/CN=Somebody Else CA');
  const here = 'IP:127.0.0.1,DNS:localhost';
  makeServer(dir, 'good', 'ca', here);
  makeServer(dir, 'renewed', 'ca', here);
  makeServer(dir, 'expired', 'ca', here, { start: '20200101000000Z', end: '20200201000000Z' });
  makeServer(dir, 'wrong-host', 'ca', 'DNS:centre.example.gov.cn');
  makeServer(dir, 'unknown-ca', 'other-ca', here);
  return {
    ca: pair(dir, 'ca'),
    good: pair(dir, 'good'),
    renewed: pair(dir, 'renewed'),
    expired: pair(dir, 'expired'),
    wrongHost: pair(dir, 'wrong-host'),
    otherCa: pair(dir, 'other-ca'),
    unknownCa: pair(dir, 'unknown-ca'),
  };
}
