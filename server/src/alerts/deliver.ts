/**
 * Outgoing webhooks. A loop, apart from ingest, takes the deliveries that are due from the
 * webhook_deliveries table (so a restart loses none), POSTs each signed, and notes every
 * attempt. A failure waits longer each time (exponential, with jitter, up to a cap) and
 * the delivery is given up once it has failed for `giveUpAfterMs`. Receivers drop repeats
 * by the delivery header: a timeout after the receiver acted is retried with the same id.
 */
import { createHmac } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import { WEBHOOK_DELIVERY_HEADER, WEBHOOK_EVENT_HEADER, WEBHOOK_SIGNATURE_HEADER } from '../../../src/shared/console/live-contract';
import { redact } from '../../../src/shared/privacy';
import type { Sql } from '../db/sql';

export interface WebhookPolicy {
  /** An attempt that has not been answered in this long has failed. */
  timeoutMs: number;
  /** The wait after the first failure; it doubles each time, up to capMs. */
  baseMs: number;
  capMs: number;
  /** A delivery still failing this long after it was queued is given up. */
  giveUpAfterMs: number;
  /** How often the loop looks for due deliveries when nobody tells it. */
  pollMs: number;
  /** Deliveries attempted at once. */
  batch: number;
}

export const DEFAULT_WEBHOOK_POLICY: WebhookPolicy = {
  timeoutMs: 5_000,
  baseMs: 5_000,
  capMs: 30 * 60_000,
  giveUpAfterMs: 24 * 3_600_000,
  pollMs: 5_000,
  batch: 10,
};

export function signatureOf(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/** The wait before attempt `attempts + 1`: base·2^(attempts−1), capped, less up to half at random. */
export function backoffMs(policy: Pick<WebhookPolicy, 'baseMs' | 'capMs'>, attempts: number, random = Math.random): number {
  const full = Math.min(policy.capMs, policy.baseMs * 2 ** Math.min(Math.max(attempts - 1, 0), 30));
  return Math.round(full * (0.5 + random() / 2));
}

interface Claimed extends Record<string, unknown> {
  id: number;
  event: string;
  body: string;
  attempts: number;
  created_at: number;
  url: string;
  secret: string;
}

export class WebhookDeliverer {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = true;
  private readonly inFlight = new Set<AbortController>();

  constructor(
    private readonly db: Sql,
    private readonly now: () => number,
    private readonly policy: WebhookPolicy,
    private readonly log: FastifyBaseLogger,
  ) {}

  start(): void {
    this.stopped = false;
    this.kick();
  }

  /** Something was queued: look now rather than at the next poll. */
  kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.running = this.runOnce()
      .catch((err: unknown) => this.log.warn({ err: { message: redact(err instanceof Error ? err.message : String(err)) } }, 'webhook deliveries could not be read; trying again'))
      .finally(() => {
        this.running = null;
        if (this.stopped) return;
        if (this.again) {
          this.again = false;
          this.kick();
        } else {
          this.timer = setTimeout(() => this.kick(), this.policy.pollMs);
          this.timer.unref();
        }
      });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    for (const controller of this.inFlight) controller.abort(new Error('the centre is closing'));
    await this.running;
  }

  /** Attempts every due delivery, batch by batch, until none is due. */
  async runOnce(): Promise<void> {
    for (;;) {
      if (this.stopped) return;
      const claimed = await this.claim();
      if (claimed.length === 0) return;
      await Promise.all(claimed.map((d) => this.attempt(d)));
    }
  }

  /** Takes due deliveries and leases them past the timeout, so another node (or a restart) waits its turn. */
  private async claim(): Promise<Claimed[]> {
    const now = this.now();
    return this.db.query<Claimed>(
      `UPDATE webhook_deliveries d SET attempts = d.attempts + 1, last_attempt_at = $1, next_attempt_at = $1 + $2
       FROM webhooks w
       WHERE w.id = d.webhook_id AND d.id IN (
         SELECT d2.id FROM webhook_deliveries d2 JOIN webhooks w2 ON w2.id = d2.webhook_id
         WHERE d2.state IN ('pending', 'failing') AND d2.next_attempt_at <= $1 AND w2.disabled_at IS NULL
         ORDER BY d2.next_attempt_at, d2.id LIMIT $3 FOR UPDATE OF d2 SKIP LOCKED)
       RETURNING d.id, d.event, d.body, d.attempts, d.created_at, w.url, w.secret`,
      [now, this.policy.timeoutMs * 2 + 1_000, this.policy.batch],
    );
  }

  private async attempt(d: Claimed): Promise<void> {
    const sentAt = this.now();
    const body = `{"deliveryId":${Number(d.id)},"event":${JSON.stringify(d.event)},"sentAt":${sentAt},"alert":${d.body}}`;
    const controller = new AbortController();
    this.inFlight.add(controller);
    const timeout = setTimeout(() => controller.abort(new Error(`no answer within ${this.policy.timeoutMs} ms`)), this.policy.timeoutMs);
    const started = Date.now();
    let ok = false;
    let result: string;
    try {
      const response = await fetch(d.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'Cordial-Centre',
          [WEBHOOK_SIGNATURE_HEADER]: signatureOf(d.secret, body),
          [WEBHOOK_EVENT_HEADER]: d.event,
          [WEBHOOK_DELIVERY_HEADER]: String(d.id),
        },
        body,
        redirect: 'manual',
        signal: controller.signal,
      });
      // Read the answer to the end within the same timeout, then forget it.
      await response.arrayBuffer();
      ok = response.status >= 200 && response.status < 300;
      result = `HTTP ${response.status}`;
    } catch (err) {
      const reason = controller.signal.aborted ? controller.signal.reason : err;
      result = redact(reason instanceof Error ? (reason.cause instanceof Error ? `${reason.message}: ${reason.cause.message}` : reason.message) : String(reason)).slice(0, 300);
    } finally {
      clearTimeout(timeout);
      this.inFlight.delete(controller);
    }
    // Closing the centre cut this attempt short: it is not the receiver's failure, and the lease brings it back.
    if (this.stopped && !ok) return;
    await this.record(d, ok, result, sentAt, Date.now() - started);
  }

  private async record(d: Claimed, ok: boolean, result: string, at: number, tookMs: number): Promise<void> {
    const attempts = Number(d.attempts);
    const now = this.now();
    const givenUp = !ok && now - Number(d.created_at) >= this.policy.giveUpAfterMs;
    const state = ok ? 'delivered' : givenUp ? 'given_up' : 'failing';
    const next = ok || givenUp ? null : now + backoffMs(this.policy, attempts);
    await this.db.transaction(async (tx) => {
      await tx.query('INSERT INTO webhook_attempts (delivery_id, attempt, at, result, ok, took_ms) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING', [
        d.id,
        attempts,
        at,
        result,
        ok,
        Math.min(tookMs, 2_147_483_647),
      ]);
      await tx.query('UPDATE webhook_deliveries SET state = $2, last_result = $3, next_attempt_at = $4, delivered_at = $5 WHERE id = $1', [
        d.id,
        state,
        result,
        next,
        ok ? now : null,
      ]);
    });
    if (!ok) this.log.warn({ delivery: Number(d.id), attempts, state }, `webhook delivery failed: ${result}`);
  }
}
