/**
 * Reading what IT pastes into the centre CA field and the key pin field, before anything
 * is sent or saved: PEM certificate blocks (not a private key, not a request, not garbled
 * base64) and a pin's shape. Pure, so the admin page can answer while IT types; the
 * certificate's subject and dates are read by the core (ca-certificate.ts).
 */

/** Why a text is not a CA certificate, as a word the page turns into a sentence. */
export type PemProblem = 'empty' | 'not_pem' | 'private_key' | 'not_certificate' | 'unterminated' | 'bad_base64' | 'stray_text' | 'too_many';

export type PemCertificates = { ok: true; certificates: string[] } | { ok: false; problem: PemProblem; label?: string };

/** A chain of a root and a few intermediates is plenty; more is a pasted file of something else. */
export const MAX_CA_CERTIFICATES = 8;

const BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END ([A-Z0-9 ]+)-----/g;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** The certificate blocks of a PEM text, normalised (64-column base64, \n line ends), or what is wrong with it. */
export function readPemCertificates(text: string): PemCertificates {
  const trimmed = text.replace(/\r\n?/g, '\n').trim();
  if (trimmed === '') return { ok: false, problem: 'empty' };
  const certificates: string[] = [];
  let rest = trimmed;
  for (const match of trimmed.matchAll(BLOCK)) {
    const [whole, begin = '', body = '', end = ''] = match;
    if (/PRIVATE KEY/.test(begin)) return { ok: false, problem: 'private_key', label: begin };
    if (begin !== 'CERTIFICATE') return { ok: false, problem: 'not_certificate', label: begin };
    if (end !== begin) return { ok: false, problem: 'unterminated', label: begin };
    const base64 = body.replace(/\s+/g, '');
    if (base64.length === 0 || base64.length % 4 !== 0 || !BASE64.test(base64)) return { ok: false, problem: 'bad_base64' };
    certificates.push(`-----BEGIN CERTIFICATE-----\n${base64.replace(/(.{64})/g, '$1\n').replace(/\n$/, '')}\n-----END CERTIFICATE-----`);
    rest = rest.replace(whole, '');
  }
  if (certificates.length === 0) {
    if (/-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----/.test(trimmed)) return { ok: false, problem: 'private_key' };
    return { ok: false, problem: /-----BEGIN /.test(trimmed) ? 'unterminated' : 'not_pem' };
  }
  // Text between blocks is what openssl writes ("subject=…", "Bag Attributes"); anything else means a torn paste.
  const leftover = rest
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !/^(subject|issuer|Bag Attributes|localKeyID|friendlyName|[A-Za-z ]+=)/i.test(line));
  if (leftover.some((line) => line.startsWith('-----'))) return { ok: false, problem: 'unterminated' };
  if (leftover.length > 0) return { ok: false, problem: 'stray_text' };
  if (certificates.length > MAX_CA_CERTIFICATES) return { ok: false, problem: 'too_many' };
  return { ok: true, certificates };
}

/** The CA field as the settings store it: the certificates alone, one after the other. */
export function joinPem(certificates: readonly string[]): string {
  return certificates.join('\n');
}

/** A key pin as the settings take it: base64 of a SHA-256, 44 characters ending in one '='. */
export function isKeyPin(text: string): boolean {
  return /^[A-Za-z0-9+/]{43}=$/.test(text.trim());
}

/** A pin as people compare it by eye: the base64 in groups of four, e.g. on the phone with the centre's IT. */
export function groupedPin(pin: string): string {
  return pin.replace(/(.{4})(?=.)/g, '$1 ');
}
