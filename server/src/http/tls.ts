/**
 * The centre's own HTTPS: the certificate and key come from the environment, either as file
 * paths (CORDIAL_TLS_CERT, CORDIAL_TLS_KEY) or as PEM text (CORDIAL_TLS_CERT_PEM,
 * CORDIAL_TLS_KEY_PEM). Files are read again on SIGHUP, so a renewed certificate is served
 * to new connections while open ones finish on the old one.
 */
import { createHash, createPrivateKey, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createSecureContext, type Server as TlsServer } from 'node:tls';

export interface TlsMaterial {
  cert: string;
  key: string;
  /** The certificate as read, for the log. */
  certificate: CertificateFacts;
}

export interface CertificateFacts {
  subject: string;
  issuer: string;
  /** DNS names and IP addresses the certificate covers. */
  names: string[];
  validFrom: string;
  validTo: string;
  /** SHA-256 of the public key (SPKI), base64: what a kiosk pins. */
  spkiSha256: string;
}

/** Where the material comes from; null when the environment asks for plain HTTP. */
export interface TlsSource {
  describe: string;
  read(): { cert: string; key: string };
}

export class TlsSetupError extends Error {}

type Env = Record<string, string | undefined>;

export function tlsSourceFromEnv(env: Env): TlsSource | null {
  const certPath = env.CORDIAL_TLS_CERT || undefined;
  const keyPath = env.CORDIAL_TLS_KEY || undefined;
  const certPem = env.CORDIAL_TLS_CERT_PEM || undefined;
  const keyPem = env.CORDIAL_TLS_KEY_PEM || undefined;
  const anyPath = certPath !== undefined || keyPath !== undefined;
  const anyPem = certPem !== undefined || keyPem !== undefined;
  if (!anyPath && !anyPem) return null;
  if (anyPath && anyPem) {
    throw new TlsSetupError('give the certificate either as files (CORDIAL_TLS_CERT and CORDIAL_TLS_KEY) or as PEM text (CORDIAL_TLS_CERT_PEM and CORDIAL_TLS_KEY_PEM), not both');
  }
  if (anyPath) {
    if (!certPath || !keyPath) throw new TlsSetupError(`HTTPS needs both CORDIAL_TLS_CERT and CORDIAL_TLS_KEY; only ${certPath ? 'CORDIAL_TLS_CERT' : 'CORDIAL_TLS_KEY'} is set`);
    return {
      describe: `${certPath} and ${keyPath}`,
      read: () => ({ cert: readPem(certPath, 'certificate', 'CORDIAL_TLS_CERT'), key: readPem(keyPath, 'private key', 'CORDIAL_TLS_KEY') }),
    };
  }
  if (!certPem || !keyPem) throw new TlsSetupError(`HTTPS needs both CORDIAL_TLS_CERT_PEM and CORDIAL_TLS_KEY_PEM; only ${certPem ? 'CORDIAL_TLS_CERT_PEM' : 'CORDIAL_TLS_KEY_PEM'} is set`);
  return { describe: 'CORDIAL_TLS_CERT_PEM and CORDIAL_TLS_KEY_PEM', read: () => ({ cert: certPem, key: keyPem }) };
}

function readPem(path: string, what: string, variable: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'there is no such file' : code === 'EACCES' ? 'the centre may not read it' : (err as Error).message;
    throw new TlsSetupError(`cannot read the ${what} ${path} (${variable}): ${why}`);
  }
}

/** Reads and checks the material: a certificate, a key, and the key belongs to the certificate. */
export function loadTls(source: TlsSource, now = Date.now()): TlsMaterial {
  const { cert, key } = source.read();
  let x509: X509Certificate;
  try {
    x509 = new X509Certificate(cert);
  } catch {
    throw new TlsSetupError(`the certificate from ${source.describe} is not a PEM certificate (it should begin with -----BEGIN CERTIFICATE-----)`);
  }
  let privateKey;
  try {
    privateKey = createPrivateKey(key);
  } catch {
    throw new TlsSetupError(`the private key from ${source.describe} is not a PEM private key, or it is encrypted (give the centre an unencrypted key, readable only by its user)`);
  }
  if (!x509.checkPrivateKey(privateKey)) throw new TlsSetupError(`the private key from ${source.describe} does not belong to the certificate for ${x509.subject.replace(/\n/g, ', ')}`);
  const facts = certificateFacts(x509);
  if (Date.parse(facts.validTo) < now) throw new TlsSetupError(`the certificate for ${facts.subject} expired on ${facts.validTo}; renew it before starting the centre`);
  try {
    createSecureContext({ cert, key });
  } catch (err) {
    throw new TlsSetupError(`the certificate and key from ${source.describe} cannot be used for HTTPS: ${(err as Error).message}`);
  }
  return { cert, key, certificate: facts };
}

export function certificateFacts(x509: X509Certificate): CertificateFacts {
  const names = (x509.subjectAltName ?? '')
    .split(/,\s*/)
    .map((n) => n.replace(/^(DNS|IP Address):/, '').trim())
    .filter((n) => n !== '');
  return {
    subject: x509.subject.replace(/\n/g, ', '),
    issuer: x509.issuer.replace(/\n/g, ', '),
    names,
    validFrom: new Date(x509.validFrom).toISOString(),
    validTo: new Date(x509.validTo).toISOString(),
    spkiSha256: createHash('sha256').update(x509.publicKey.export({ type: 'spki', format: 'der' })).digest('base64'),
  };
}

/** One line for the log: which certificate the centre serves. */
export function describeServed(facts: CertificateFacts): string {
  const names = facts.names.length > 0 ? facts.names.join(', ') : '(no alternative names)';
  return `HTTPS certificate ${facts.subject} for ${names}, issued by ${facts.issuer}, valid ${facts.validFrom} to ${facts.validTo}; public key pin (SPKI sha256) ${facts.spkiSha256}`;
}

/**
 * Reads the material again and serves it to new connections. A bad file leaves the
 * certificate in force and says why.
 */
export function reloadTls(server: TlsServer, source: TlsSource): { ok: true; material: TlsMaterial } | { ok: false; message: string } {
  try {
    const material = loadTls(source);
    server.setSecureContext({ cert: material.cert, key: material.key });
    return { ok: true, material };
  } catch (err) {
    return { ok: false, message: `${(err as Error).message}; the centre keeps serving the certificate it had` };
  }
}

/**
 * CORDIAL_TRUST_PROXY: the addresses (or CIDR ranges) of reverse proxies whose
 * X-Forwarded-For and X-Forwarded-Proto are believed, comma-separated. Unset: none.
 */
export function trustedProxiesFromEnv(env: Env): string[] | undefined {
  const text = env.CORDIAL_TRUST_PROXY?.trim();
  if (!text) return undefined;
  const list = text.split(',').map((s) => s.trim()).filter((s) => s !== '');
  for (const entry of list) {
    if (!/^[0-9a-fA-F.:]+(\/\d{1,3})?$/.test(entry)) {
      throw new TlsSetupError(`CORDIAL_TRUST_PROXY lists "${entry}", which is not an address or a range like 10.0.0.5 or 10.0.0.0/24; name the reverse proxies by address`);
    }
  }
  return list;
}
