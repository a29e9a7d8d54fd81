/**
 * Outgoing webhooks on a real PostgreSQL, against real HTTP receivers on this machine: one
 * that first fails, then does not answer in time, then accepts, gets every alert in the end,
 * each signed, and can drop the repeat by the delivery id; a dead one never stops a real
 * kiosk's upload; the secret is never sent back; only an admin manages webhooks.
 */
import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createSyncClient } from '../../src/core/sync';
import { CONSOLE_API, IT_ROUTES } from '../../src/shared/console/contract';
import {
  LIVE_ROUTES,
  WEBHOOK_DELIVERY_HEADER,
  WEBHOOK_EVENT_HEADER,
  WEBHOOK_SIGNATURE_HEADER,
  type Webhook,
  type WebhookDelivery,
  type WebhookPayload,
} from '../../src/shared/console/live-contract';
import { ManualClock } from '../support/clock';
import { key } from '../support/kiosk';
import type { TestDatabase } from '../sync/support/backends';
import { openTerminal, type Terminal } from '../sync/support/terminal';
import { openItDatabase } from './it-helpers';
import { consoleSessionAs, startConsoleCentre, type ConsoleSession } from './support/console-session';

const SECRET = 'a-long-signing-secret-for-tests';
const TIMEOUT_MS = 1_000;
let eventId = 1;

function servePoor(t: Terminal, itemCode: string): void {
  const { kiosk, clock } = t;
  const must = (r: { ok: boolean; error?: { message: string } }) => {
    if (!r.ok) throw new Error(r.error?.message ?? 'refused');
  };
  if (kiosk.snapshot().phase === 'closed') must(kiosk.execute({ type: 'signInBadge', badgeId: 'BADGE-1001' }, 'staff'));
  must(kiosk.execute({ type: 'openCase', itemCode }, 'staff'));
  must(kiosk.execute({ type: 'finishCase', outcome: 'completed' }, 'staff'));
  expect(kiosk.recordPress(key(5, eventId++, clock.now())).outcome).toBe('rating');
  kiosk.flushPresses();
  clock.advance(60_000);
}

interface Received {
  deliveryId: string;
  event: string;
  signatureOk: boolean;
  payload: WebhookPayload;
}

/** A receiver that answers each delivery's attempts as told (status, or 'hang'), and acts on every request it reads. */
async function startReceiver(answer: (attempt: number) => number | 'hang'): Promise<{ url: string; acted: Received[]; attempts: Map<string, number>; close(): Promise<void> }> {
  const acted: Received[] = [];
  const attempts = new Map<string, number>();
  const held: ServerResponse[] = [];
  const server: Server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    request.on('data', (c: Buffer) => chunks.push(c));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const deliveryId = String(request.headers[WEBHOOK_DELIVERY_HEADER]);
      const signature = `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}`;
      acted.push({ deliveryId, event: String(request.headers[WEBHOOK_EVENT_HEADER]), signatureOk: request.headers[WEBHOOK_SIGNATURE_HEADER] === signature, payload: JSON.parse(body) as WebhookPayload });
      const attempt = (attempts.get(deliveryId) ?? 0) + 1;
      attempts.set(deliveryId, attempt);
      const what = answer(attempt);
      if (what === 'hang') held.push(response);
      else response.writeHead(what).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    acted,
    attempts,
    async close() {
      for (const r of held) r.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

describe('webhooks on postgres', () => {
  let database: TestDatabase;
  let centre: Awaited<ReturnType<typeof startConsoleCentre>>;
  let url: string;
  let admin: ConsoleSession;
  const kiosks: Terminal[] = [];
  const closers: (() => Promise<void>)[] = [];

  beforeAll(async () => {
    database = await openItDatabase('postgres');
  });
  afterAll(async () => {
    await database?.close();
  });
  beforeEach(async () => {
    await database.reset();
    centre = await startConsoleCentre(
      {
        now: Date.now,
        projectAfterMs: 20,
        enrolRateLimit: { perSecond: 100, burst: 100 },
        webhooks: { timeoutMs: TIMEOUT_MS, baseMs: 20, capMs: 100, pollMs: 50 },
      },
      database.db,
    );
    url = await centre.app.listen({ host: '127.0.0.1', port: 0 });
    admin = await consoleSessionAs(centre, 'admin', null, 'it-admin');
  });
  afterEach(async () => {
    for (const t of kiosks.splice(0)) t.kiosk.close();
    await centre.close();
    for (const close of closers.splice(0)) await close();
  });

  const call = async (session: ConsoleSession, method: 'GET' | 'POST' | 'DELETE', path: string, payload?: unknown) => {
    const response = await centre.app.inject({ method, url: `${CONSOLE_API}${path}`, headers: session.headers, payload: payload as Record<string, unknown> | undefined });
    return { status: response.statusCode, body: response.json<Record<string, unknown>>(), text: response.body };
  };

  /** A real kiosk whose clock runs ten minutes behind the centre's (an integrity alert on its first upload). */
  async function windowKiosk(windowNo: string) {
    const t = openTerminal({ clock: new ManualClock(Date.now() - 10 * 60_000), windowNo });
    kiosks.push(t);
    const code = await call(admin, 'POST', IT_ROUTES.enrolmentCodes, { windowNo });
    const client = () => createSyncClient({ db: t.kiosk.db, terminalId: t.kiosk.terminal.terminalId, centreUrl: url, clock: t.clock, retry: { attempts: 1 } });
    expect((await client().enrol(String(code.body.code))).ok).toBe(true);
    return { t, sync: () => client().syncNow() };
  }

  const deliveries = async (): Promise<WebhookDelivery[]> => (await call(admin, 'GET', LIVE_ROUTES.deliveries)).body.deliveries as WebhookDelivery[];

  async function until(what: () => Promise<boolean>): Promise<void> {
    while (!(await what())) await new Promise((resolve) => setTimeout(resolve, 50));
  }

  it('a receiver that fails, then times out, then accepts gets every alert once in the end, each signed', async () => {
    const receiver = await startReceiver((attempt) => (attempt === 1 ? 500 : attempt === 2 ? 'hang' : 200));
    closers.push(receiver.close);
    const made = await call(admin, 'POST', LIVE_ROUTES.webhooks, { url: receiver.url, secret: SECRET, description: 'SMS gateway' });
    expect(made.status).toBe(201);

    // Two windows, two poor ratings each: a burst at each, and each window's clock alert.
    for (const [windowNo, item] of [['7', '340104-SJ-001'], ['8', '340104-RS-001']] as const) {
      const w = await windowKiosk(windowNo);
      servePoor(w.t, item);
      servePoor(w.t, item);
      expect(await w.sync()).toMatchObject({ ok: true });
    }
    await centre.centre.alerts.idle();
    const ruleAlerts = await database.db.query<{ id: number }>('SELECT id FROM rule_alerts');
    const integrity = await database.db.query<{ id: number }>('SELECT id FROM integrity_alerts');
    expect([ruleAlerts.length, integrity.length]).toEqual([2, 2]);

    await until(async () => (await deliveries()).filter((d) => d.state === 'delivered').length === 4);
    const done = await deliveries();
    expect(done).toHaveLength(4);
    for (const d of done) {
      expect(d).toMatchObject({ state: 'delivered', nextAttemptAt: null, lastResult: 'HTTP 200' });
      expect(d.attempts).toBeGreaterThanOrEqual(3);
    }
    const log = await database.db.query<{ delivery_id: number; results: string[] }>(
      'SELECT delivery_id, array_agg(result ORDER BY attempt) AS results FROM webhook_attempts GROUP BY delivery_id ORDER BY delivery_id',
    );
    for (const entry of log) {
      expect(entry.results.slice(0, 2)).toEqual(['HTTP 500', `no answer within ${TIMEOUT_MS} ms`]);
      expect(entry.results.at(-1)).toBe('HTTP 200');
    }

    // The receiver acted on the timed-out attempt and on the accepted one: the delivery id tells them apart from new alerts.
    expect(receiver.acted.every((r) => r.signatureOk)).toBe(true);
    expect(receiver.acted.every((r) => String(r.payload.deliveryId) === r.deliveryId && r.payload.event === r.event)).toBe(true);
    const once = new Map(receiver.acted.filter((r) => receiver.attempts.get(r.deliveryId)! >= 2).map((r) => [r.deliveryId, r.payload]));
    expect(once.size).toBe(4);
    const got = [...once.values()].map((p) => `${p.event}:${p.alert.id}`).sort();
    const expected = [...ruleAlerts.map((a) => `poor_burst:${a.id}`), ...integrity.map((a) => `integrity_alert:${a.id}`)].sort();
    expect(got).toEqual(expected);
    const burst = [...once.values()].find((p) => p.event === 'poor_burst');
    expect(burst?.alert).toMatchObject({ rule: 'poor_burst', detail: expect.stringMatching(/^2 poor ratings at window [78] within 30 minutes$/) });
  });

  it('a webhook that never answers does not stop uploads, and disabling it gives up what waits', async () => {
    const dead = await startReceiver(() => 'hang');
    closers.push(dead.close);
    const made = (await call(admin, 'POST', LIVE_ROUTES.webhooks, { url: dead.url, secret: SECRET, rules: ['poor_burst'] })).body as unknown as Webhook;
    const w = await windowKiosk('7');
    servePoor(w.t, '340104-SJ-001');
    servePoor(w.t, '340104-SJ-001');
    expect(await w.sync()).toMatchObject({ ok: true, sent: expect.any(Number) as number });
    await until(async () => (await deliveries()).some((d) => d.attempts >= 1 && d.state === 'failing'));

    // More uploads while the webhook is failing: each answered, stored, and its poor ratings opened.
    for (let i = 0; i < 3; i++) {
      servePoor(w.t, '340104-SJ-001');
      expect(await w.sync()).toMatchObject({ ok: true });
    }
    expect(await database.db.query('SELECT count(*)::integer AS n FROM follow_ups')).toEqual([{ n: 5 }]);
    const localHead = Number(w.t.kiosk.db.prepare('SELECT max(seq) FROM outbox').pluck().get());
    expect(await database.db.query('SELECT max(high_water)::integer AS n FROM terminal_epochs')).toEqual([{ n: localHead }]);
    // Only the burst went to this webhook: it takes poor_burst alone, not the clock alert.
    expect((await deliveries()).map((d) => d.event)).toEqual(['poor_burst']);
    expect((await deliveries())[0]!.lastResult).toBe(`no answer within ${TIMEOUT_MS} ms`);

    const disabled = await call(admin, 'DELETE', LIVE_ROUTES.webhook.replace(':id', String(made.id)));
    expect(disabled.body).toMatchObject({ id: made.id, disabledAt: expect.any(Number) as number });
    await until(async () => (await deliveries()).every((d) => d.state === 'given_up'));
    expect((await deliveries())[0]).toMatchObject({ state: 'given_up', nextAttemptAt: null, lastResult: 'not sent: the webhook was disabled by it-admin' });
  });

  it('keeps the secret to itself, refuses wrong webhooks with a sentence, and lets only an admin manage them', async () => {
    const made = await call(admin, 'POST', LIVE_ROUTES.webhooks, { url: 'https://robot.example.cn/send?key=abc', secret: SECRET, rules: ['overdue', 'integrity_alert'] });
    expect(made.status).toBe(201);
    expect(made.text).not.toContain(SECRET);
    const listed = await call(admin, 'GET', LIVE_ROUTES.webhooks);
    expect(listed.text).not.toContain(SECRET);
    expect(listed.body.webhooks).toEqual([expect.objectContaining({ url: 'https://robot.example.cn/send?key=abc', rules: ['overdue', 'integrity_alert'], createdBy: 'it-admin', disabledAt: null })]);

    const badUrl = await call(admin, 'POST', LIVE_ROUTES.webhooks, { url: 'ftp://robot.example.cn', secret: SECRET });
    expect(badUrl).toMatchObject({ status: 400, body: { error: { code: 'invalid-request', message: 'url: a webhook address starts with http:// or https://' } } });
    const shortSecret = await call(admin, 'POST', LIVE_ROUTES.webhooks, { url: 'https://robot.example.cn', secret: 'short' });
    expect(shortSecret).toMatchObject({ status: 400, body: { error: { message: 'secret: a signing secret has at least 16 characters' } } });
    const missing = await call(admin, 'DELETE', LIVE_ROUTES.webhook.replace(':id', '999'));
    expect(missing.status).toBe(404);
    expect(missing.body).toEqual({ error: { code: 'not-found', message: 'there is no webhook 999; reload the list', reason: 'follow_up.webhook_not_found', fields: { id: 999 } } });

    for (const role of ['supervisor', 'department', 'viewer', 'evaluator'] as const) {
      const person = await consoleSessionAs(centre, role, role === 'department' ? '340104-SJ' : null);
      expect((await call(person, 'GET', LIVE_ROUTES.webhooks)).status).toBe(403);
      expect((await call(person, 'POST', LIVE_ROUTES.webhooks, { url: 'https://x.example.cn', secret: SECRET })).status).toBe(403);
      expect((await call(person, 'GET', LIVE_ROUTES.deliveries)).status).toBe(403);
    }
    expect(await database.db.query('SELECT count(*)::integer AS n FROM webhooks')).toEqual([{ n: 1 }]);
  });
});
