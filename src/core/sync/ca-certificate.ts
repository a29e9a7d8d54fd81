/**
 * What IT is about to trust: the certificates in the centre CA field read with node:crypto,
 * so the admin page can show each one's subject, issuer and dates before it is saved, and
 * a save can refuse text that is not a certificate at all.
 */
import { X509Certificate } from 'node:crypto';
import type { CaCertificateInfo } from '../../shared/api';
import { readPemCertificates, type PemProblem } from '../../shared/pem';
import { spkiPin } from './transport';

export type CaCheck = { ok: true; certificates: CaCertificateInfo[] } | { ok: false; message: string };

const PROBLEMS: Record<PemProblem, string> = {
  empty: 'the CA field is empty: paste the PEM certificate of the authority that issues the centre\'s certificate, or choose its file',
  not_pem: 'the CA field is not PEM text: it must run from -----BEGIN CERTIFICATE----- to -----END CERTIFICATE----- (a .cer file in binary DER form can be converted with: openssl x509 -inform der -in ca.cer -out ca.pem)',
  private_key: 'that is a private key, not a certificate: never paste a key here; the centre CA field takes only the authority\'s certificate (-----BEGIN CERTIFICATE-----)',
  not_certificate: 'the CA field holds a PEM block that is not a certificate: paste the block that begins -----BEGIN CERTIFICATE-----',
  unterminated: 'a certificate in the CA field is cut short: copy it whole, from -----BEGIN CERTIFICATE----- to -----END CERTIFICATE-----',
  bad_base64: 'a certificate in the CA field has damaged text between its BEGIN and END lines: copy it again from the file',
  stray_text: 'the CA field has text outside the certificate blocks: leave only the -----BEGIN CERTIFICATE----- … -----END CERTIFICATE----- blocks',
  too_many: 'the CA field holds more than 8 certificates: paste only the authority (and its intermediates) that issue the centre\'s certificate',
};

const oneLine = (name: string) => name.replace(/\n/g, ', ');

/** Each certificate of a CA field, described; or a sentence saying what is wrong. `now` decides what has expired. */
export function checkCaCertificates(pem: string, now: number): CaCheck {
  const read = readPemCertificates(pem);
  if (!read.ok) return { ok: false, message: read.label && read.problem === 'not_certificate' ? `${PROBLEMS[read.problem]} (this one is ${read.label})` : PROBLEMS[read.problem] };
  const certificates: CaCertificateInfo[] = [];
  for (const [index, block] of read.certificates.entries()) {
    let x509: X509Certificate;
    try {
      x509 = new X509Certificate(block);
    } catch (err) {
      return { ok: false, message: `certificate ${index + 1} in the CA field cannot be read (${(err as Error).message}): copy it again from the file the centre's IT gave` };
    }
    const validFrom = Date.parse(x509.validFrom);
    const validTo = Date.parse(x509.validTo);
    certificates.push({
      subject: oneLine(x509.subject),
      issuer: oneLine(x509.issuer),
      validFrom: new Date(validFrom).toISOString(),
      validTo: new Date(validTo).toISOString(),
      isAuthority: x509.ca,
      selfSigned: x509.subject === x509.issuer,
      dates: now < validFrom ? 'not_yet_valid' : now > validTo ? 'expired' : 'valid',
      pin: spkiPin(x509),
    });
  }
  return { ok: true, certificates };
}
