/** A real centre on 127.0.0.1 over a test database, with its log lines kept for assertions. */
import { buildCentre, type Centre } from '../../../server/src/app';
import type { CentreDb } from '../../../server/src/db/sql';
import type { CentreOptions } from '../../../server/src/options';

export const ADMIN_TOKEN = 'test-admin-token-0123456789abcdef';

export interface TestCentre {
  url: string;
  centre: Centre;
  logs: string[];
  /** Calls the centre as the admin (or with the token given). */
  call(method: string, path: string, options?: { body?: unknown; token?: string | null; headers?: Record<string, string> }): Promise<{ status: number; body: Record<string, unknown>; text: string; headers: Headers }>;
  /** A terminal token for a window, through the real enrolment. */
  enrol(terminalId: string, windowNo?: string): Promise<string>;
  close(): Promise<void>;
}

export async function startCentre(db: CentreDb, options: Partial<CentreOptions> = {}): Promise<TestCentre> {
  const logs: string[] = [];
  const centre = buildCentre(db, {
    adminToken: ADMIN_TOKEN,
    projectAfterMs: 50,
    // Tests enrol many terminals from one address; the enrolment limit has its own test.
    enrolRateLimit: { perSecond: 100, burst: 100 },
    logger: { level: 'info', stream: { write: (line: string) => void logs.push(line) } },
    ...options,
  });
  const url = await centre.app.listen({ host: '127.0.0.1', port: 0 });
  const call: TestCentre['call'] = async (method, path, o = {}) => {
    const token = o.token === undefined ? ADMIN_TOKEN : o.token;
    const headers: Record<string, string> = { ...o.headers };
    if (token) headers.authorization = `Bearer ${token}`;
    if (o.body !== undefined) headers['content-type'] ??= 'application/json';
    const sent = o.body === undefined ? undefined : o.body instanceof Uint8Array ? new Blob([new Uint8Array(o.body)]) : typeof o.body === 'string' ? o.body : JSON.stringify(o.body);
    const response = await fetch(`${url}${path}`, { method, headers, body: sent });
    const text = await response.text();
    let body: Record<string, unknown> = {};
    try {
      body = text ? (JSON.parse(text) as Record<string, unknown>) : {};
    } catch {
      body = {};
    }
    return { status: response.status, body, text, headers: response.headers };
  };
  return {
    url,
    centre,
    logs,
    call,
    async enrol(terminalId, windowNo = '1') {
      const { generateKeyPairSync } = await import('node:crypto');
      const code = await call('POST', '/v1/admin/enrolment-codes', { body: { windowNo } });
      const publicKey = generateKeyPairSync('ed25519').publicKey.export({ format: 'der', type: 'spki' }).toString('base64');
      const enrolled = await call('POST', '/v1/enrol', { token: null, body: { code: code.body.code, terminalId, publicKey } });
      if (enrolled.status !== 200) throw new Error(`enrolment failed: ${enrolled.text}`);
      return String(enrolled.body.token);
    },
    close: () => centre.close(),
  };
}
