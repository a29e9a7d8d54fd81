/**
 * How the window reaches the centre: plain HTTP only on loopback (or where IT switched it
 * on for this network), HTTPS checked against the CA IT gave (else the system's) and,
 * when pinned, against the centre's public key. A certificate that fails any check ends
 * the connection before a byte of the request is sent, with a sentence naming what is
 * wrong: the host, the dates, the issuer, the pin.
 */
import { createHash, X509Certificate } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import { checkServerIdentity, connect, type PeerCertificate } from 'node:tls';
import { syncError, type SyncError } from './errors';
import type { FetchLike } from './http';

export interface CentreTrust {
  /** PEM of the authority (or authorities) that issue the centre's certificate; null: the system's store. */
  ca: string | null;
  /** base64 SHA-256 of the public key (SPKI) the centre must present; null: not pinned. */
  pin: string | null;
  /** Told the pin of every connection that passed the checks (enrolment records it). */
  onPin?: (pin: string) => void;
}

/** A refusal of the centre's certificate: not a network trouble, so not retried. */
export class UntrustedCentre extends Error {
  readonly code = 'CENTRE_UNTRUSTED';
}

export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return host === 'localhost' || host.endsWith('.localhost') || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host) || host === '::ffff:127.0.0.1';
}

/** Null when the address may be used; else why not. */
export function plaintextRefusal(url: string, allowPlaintext: boolean): SyncError | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return syncError('not_configured', `the centre address ${url} is not a URL`);
  }
  if (parsed.protocol !== 'http:' || allowPlaintext || isLoopbackHost(parsed.hostname)) return null;
  return syncError(
    'plaintext_refused',
    `the centre address ${url} is plain http://: the token and the records would cross the network unencrypted. ` +
      'Use the centre\'s https:// address, or, only on a network where that is accepted, switch on "allow plaintext on this network" on the admin page',
  );
}

export function spkiPin(certificate: X509Certificate): string {
  return createHash('sha256').update(certificate.publicKey.export({ type: 'spki', format: 'der' })).digest('base64');
}

interface Described {
  subject: string;
  issuer: string;
  names: string;
  validFrom: string;
  validTo: string;
  pin: string;
}

function describe(raw: Buffer): Described {
  const x509 = new X509Certificate(raw);
  const names = (x509.subjectAltName ?? '')
    .split(/,\s*/)
    .map((n) => n.replace(/^(DNS|IP Address):/, '').trim())
    .filter((n) => n !== '');
  return {
    subject: x509.subject.replace(/\n/g, ', '),
    issuer: x509.issuer.replace(/\n/g, ', '),
    names: names.length > 0 ? names.join(', ') : `no names (subject ${x509.subject.replace(/\n/g, ', ')})`,
    validFrom: new Date(x509.validFrom).toISOString(),
    validTo: new Date(x509.validTo).toISOString(),
    pin: spkiPin(x509),
  };
}

const NOTHING_SENT = 'nothing was sent';

function caSubjects(ca: string | null): string {
  if (!ca) return 'the authorities this computer trusts';
  const subjects = [...ca.matchAll(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g)].map((m) => {
    try {
      return new X509Certificate(m[0]).subject.replace(/\n/g, ', ');
    } catch {
      return 'an unreadable certificate';
    }
  });
  return `the CA set on the admin page (${subjects.join('; ')})`;
}

/** The sentence for a certificate the checks refused; `seen` is the certificate, when it could be read. */
function untrustedSentence(code: string, host: string, trust: CentreTrust, seen: Described | null, fallback: string): string {
  if (!seen) return `the secure connection to ${host} failed (${code}: ${fallback}); ${NOTHING_SENT}`;
  const cert = `the centre's certificate (${seen.subject}, issued by ${seen.issuer})`;
  switch (code) {
    case 'CERT_HAS_EXPIRED':
      return `${cert} was valid from ${seen.validFrom} to ${seen.validTo} and has expired; ${NOTHING_SENT}. Ask the centre's IT to renew it`;
    case 'CERT_NOT_YET_VALID':
      return `${cert} is valid only from ${seen.validFrom} to ${seen.validTo}, and this window's clock says ${new Date().toISOString()}; ${NOTHING_SENT}. Check the window's clock, or the certificate`;
    case 'ERR_TLS_CERT_ALTNAME_INVALID':
      return `${cert} is for ${seen.names}, not for ${host}, the host in the centre address; ${NOTHING_SENT}. Use an address the certificate names, or have the certificate reissued for ${host}`;
    case 'CORDIAL_PIN_MISMATCH':
      return (
        `${cert} has the public key ${seen.pin}, not the pinned key ${trust.pin ?? ''}; ${NOTHING_SENT}. ` +
        'If the centre\'s key was changed on purpose, enter the new pin on the admin page; if not, something between this window and the centre is answering in its place'
      );
    case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
    case 'UNABLE_TO_GET_ISSUER_CERT':
    case 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY':
    case 'SELF_SIGNED_CERT_IN_CHAIN':
    case 'DEPTH_ZERO_SELF_SIGNED_CERT':
    case 'CERT_SIGNATURE_FAILURE':
      return (
        `${cert} for ${seen.names} was issued by ${seen.issuer}, which is not among ${caSubjects(trust.ca)}; ${NOTHING_SENT}. ` +
        'Put the certificate (PEM) of the authority that issued the centre\'s certificate in the admin page\'s centre CA field'
      );
    default:
      return `${cert} for ${seen.names}, valid ${seen.validFrom} to ${seen.validTo}, was refused (${code}: ${fallback}); ${NOTHING_SENT}`;
  }
}

/** The certificate a server presents, read without trusting it and without sending anything. */
function probeCertificate(url: URL, timeoutMs: number): Promise<Described | null> {
  return new Promise((resolve) => {
    const host = url.hostname.replace(/^\[|\]$/g, '');
    const socket = connect({ host, port: Number(url.port || 443), servername: /^[\d.:]+$/.test(host) ? undefined : host, rejectUnauthorized: false });
    const done = (value: Described | null) => {
      socket.destroy();
      resolve(value);
    };
    socket.setTimeout(timeoutMs, () => done(null));
    socket.once('error', () => done(null));
    socket.once('secureConnect', () => {
      const cert = socket.getPeerCertificate();
      try {
        done(cert?.raw ? describe(cert.raw) : null);
      } catch {
        done(null);
      }
    });
  });
}

const TLS_CODES = /^(CERT_|UNABLE_TO_|SELF_SIGNED|DEPTH_ZERO|ERR_TLS_CERT|CORDIAL_PIN)/;

/** A fetch for the sync client: node:https with the window's CA and pin, node:http for loopback and allowed plaintext. */
export function centreFetch(trust: CentreTrust): FetchLike {
  const agentOptions: https.AgentOptions = {
    keepAlive: true,
    ...(trust.ca ? { ca: trust.ca } : {}),
    checkServerIdentity(host: string, cert: PeerCertificate) {
      const wrongName = checkServerIdentity(host, cert);
      if (wrongName) return wrongName;
      const pin = spkiPin(new X509Certificate(cert.raw));
      if (trust.pin !== null && pin !== trust.pin) return Object.assign(new Error('pin mismatch'), { code: 'CORDIAL_PIN_MISMATCH' });
      trust.onPin?.(pin);
      return undefined;
    },
  };
  const secure = new https.Agent(agentOptions);
  const plain = new http.Agent({ keepAlive: true });

  const fetchImpl = async (input: string | URL | Request, init: RequestInit = {}): Promise<Response> => {
    const url = new URL(typeof input === 'string' || input instanceof URL ? input : input.url);
    const body = init.body instanceof Blob ? Buffer.from(await init.body.arrayBuffer()) : typeof init.body === 'string' ? Buffer.from(init.body) : undefined;
    const headers = { ...(init.headers as Record<string, string> | undefined) };
    if (body) headers['content-length'] = String(body.length);
    const isHttps = url.protocol === 'https:';
    try {
      return await new Promise<Response>((resolve, reject) => {
        const request = (isHttps ? https : http).request(
          url,
          { method: init.method ?? 'GET', headers, signal: init.signal ?? undefined, agent: isHttps ? secure : plain, ...(isHttps ? agentOptions : {}) },
          (response) => {
            const chunks: Buffer[] = [];
            response.on('data', (c: Buffer) => chunks.push(c));
            response.on('error', reject);
            response.on('end', () => {
              const status = response.statusCode ?? 0;
              const out = new Headers();
              for (const [name, value] of Object.entries(response.headers)) {
                if (value === undefined) continue;
                for (const v of Array.isArray(value) ? value : [value]) out.append(name, v);
              }
              const nullBody = status === 204 || status === 304 || (init.method ?? 'GET') === 'HEAD';
              resolve(new Response(nullBody ? null : Buffer.concat(chunks), { status, headers: out }));
            });
          },
        );
        request.on('error', reject);
        request.end(body);
      });
    } catch (err) {
      const code = String((err as { code?: unknown }).code ?? '');
      if (isHttps && TLS_CODES.test(code)) {
        const seen = await probeCertificate(url, 10_000);
        throw new UntrustedCentre(untrustedSentence(code, url.hostname.replace(/^\[|\]$/g, ''), trust, seen, (err as Error).message));
      }
      // As fetch does: the reason in `cause`, which http.ts reads.
      if ((err as Error).name === 'AbortError' && init.signal?.reason) throw init.signal.reason as Error;
      throw new TypeError('fetch failed', { cause: err });
    }
  };
  return fetchImpl as FetchLike;
}
