/**
 * The console's alert pages: the alerts raised (scoped by department like the live
 * events), and for admins the rules, the webhooks and each webhook's deliveries. A
 * webhook's secret is taken once and never sent back; who changed what is kept on the
 * rows (updated_by, created_by, disabled_by) and in the audit log, in the change's transaction.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { CONSOLE_API } from '../../../src/shared/console/contract';
import {
  AlertRules,
  LIVE_ROUTES,
  NewWebhookBody,
  type DeliveryState,
  type Webhook,
  type WebhookDelivery,
  type WebhookEvent,
} from '../../../src/shared/console/live-contract';
import { changedRules, fieldChanges, webhookAddressForAudit, writeAudit } from '../accounts/audit';
import { consoleGuard, departmentScope, personOf, type ConsoleGuardDeps } from '../accounts/guard';
import { one, type Sql } from '../db/sql';
import { Refusal } from '../errors';
import { jsonBody } from '../http/body';
import { parseWith } from '../http/parse';
import { LIVE_ROLES } from '../live/scope';
import { RULE_ALERT_COLUMNS, ruleAlertOf } from './raise';
import { loadAlertRules, saveAlertRules } from './rules';

export interface AlertRouteDeps extends ConsoleGuardDeps {
  db: Sql;
}

const RuleAlertQuery = z
  .object({
    department: z.string().trim().min(1).max(64).optional(),
    limit: z.coerce.number({ error: 'limit is a whole number' }).int().min(1).max(500).default(100),
  })
  .strict();

const DeliveryQuery = z
  .object({
    webhookId: z.coerce.number({ error: 'a webhook number is a whole number' }).int().positive().optional(),
    limit: z.coerce.number({ error: 'limit is a whole number' }).int().min(1).max(500).default(100),
  })
  .strict();

const WebhookParams = z.object({ id: z.coerce.number({ error: 'a webhook number is a whole number' }).int().positive() });

const WEBHOOK_COLUMNS = 'id, url, rules, description, created_by, created_at, disabled_at';

function webhookOf(r: Record<string, unknown>): Webhook {
  return {
    id: Number(r.id),
    url: String(r.url),
    rules: r.rules as Webhook['rules'],
    description: String(r.description),
    createdBy: String(r.created_by),
    createdAt: Number(r.created_at),
    disabledAt: r.disabled_at === null ? null : Number(r.disabled_at),
  };
}

const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

function deliveryOf(r: Record<string, unknown>): WebhookDelivery {
  return {
    id: Number(r.id),
    webhookId: Number(r.webhook_id),
    event: r.event as WebhookEvent,
    alertId: Number(r.rule_alert_id ?? r.integrity_alert_id ?? r.window_alert_id),
    state: r.state as DeliveryState,
    attempts: Number(r.attempts),
    lastAttemptAt: num(r.last_attempt_at),
    lastResult: (r.last_result as string | null) ?? null,
    // A delivery in flight holds a lease in next_attempt_at; only a waiting one has a next attempt to show.
    nextAttemptAt: r.state === 'pending' || r.state === 'failing' ? num(r.next_attempt_at) : null,
    deliveredAt: num(r.delivered_at),
  };
}

export function registerAlertRoutes(app: FastifyInstance, deps: AlertRouteDeps): void {
  const { db, options } = deps;
  const at = (route: string) => `${CONSOLE_API}${route}`;
  const admin = { onRequest: consoleGuard(deps, ['admin']) };

  app.get(at(LIVE_ROUTES.ruleAlerts), { onRequest: consoleGuard(deps, LIVE_ROLES) }, async (request) => {
    const query = parseWith(RuleAlertQuery, request.query);
    const department = departmentScope(personOf(request), query.department);
    const rows = await db.query(
      `SELECT ${RULE_ALERT_COLUMNS} FROM rule_alerts WHERE ($1::text IS NULL OR department_code = $1) ORDER BY raised_at DESC, id DESC LIMIT $2`,
      [department ?? null, query.limit],
    );
    return { alerts: rows.map((r) => ruleAlertOf(r as Parameters<typeof ruleAlertOf>[0])) };
  });

  app.get(at(LIVE_ROUTES.alertRules), { onRequest: consoleGuard(deps, ['admin', 'supervisor']) }, async () => loadAlertRules(db));

  app.put(at(LIVE_ROUTES.alertRules), admin, async (request) => {
    const rules = parseWith(AlertRules, jsonBody(request).value);
    const person = personOf(request);
    const now = options.now();
    await db.transaction(async (tx) => {
      const before = await loadAlertRules(tx);
      await saveAlertRules(tx, rules, person.username, now);
      const changes = fieldChanges(before, rules);
      await writeAudit(tx, now, { action: 'alert_rule_changed', actor: person.username, subject: changedRules(changes), facts: { kind: 'fields', changes }, address: request.ip });
    });
    request.log.info({ by: person.username, rules }, 'alert rules changed');
    return loadAlertRules(db);
  });

  app.get(at(LIVE_ROUTES.webhooks), admin, async () => {
    const rows = await db.query(`SELECT ${WEBHOOK_COLUMNS} FROM webhooks ORDER BY id`);
    return { webhooks: rows.map(webhookOf) };
  });

  app.post(at(LIVE_ROUTES.webhooks), admin, async (request, reply) => {
    const body = parseWith(NewWebhookBody, jsonBody(request).value);
    const person = personOf(request);
    const rules = [...new Set(body.rules)];
    const now = options.now();
    const webhook = await db.transaction(async (tx) => {
      const [row] = await tx.query(
        `INSERT INTO webhooks (url, secret, rules, description, created_by, created_at) VALUES ($1, $2, $3::jsonb, $4, $5, $6) RETURNING ${WEBHOOK_COLUMNS}`,
        [body.url, body.secret, JSON.stringify(rules), body.description, person.username, now],
      );
      const made = webhookOf(row!);
      // Never the signing secret, and the address without what could carry a credential.
      await writeAudit(tx, now, {
        action: 'webhook_changed',
        actor: person.username,
        subject: `#${made.id}`,
        facts: { kind: 'webhook_added', ...webhookAddressForAudit(made.url), rules, description: made.description },
        address: request.ip,
      });
      return made;
    });
    request.log.info({ by: person.username, webhook: webhook.id, rules }, 'webhook added');
    return reply.code(201).header('cache-control', 'no-store').send(webhook);
  });

  app.delete(at(LIVE_ROUTES.webhook), admin, async (request) => {
    const { id } = parseWith(WebhookParams, request.params);
    const person = personOf(request);
    const now = options.now();
    const webhook = await db.transaction(async (tx) => {
      const changed = await tx.query('UPDATE webhooks SET disabled_at = $2, disabled_by = $3 WHERE id = $1 AND disabled_at IS NULL RETURNING id', [id, now, person.username]);
      if (changed.length > 0) {
        const held = await one<{ url: string }>(tx, 'SELECT url FROM webhooks WHERE id = $1', [id]);
        await writeAudit(tx, now, { action: 'webhook_changed', actor: person.username, subject: `#${id}`, facts: { kind: 'webhook_disabled', ...webhookAddressForAudit(held!.url) }, address: request.ip });
        // What still waits will not be sent: say so on each delivery rather than leave it pending for ever.
        await tx.query(
          `UPDATE webhook_deliveries SET state = 'given_up', next_attempt_at = NULL, last_result = $2 WHERE webhook_id = $1 AND state IN ('pending', 'failing')`,
          [id, `not sent: the webhook was disabled by ${person.username}`],
        );
      }
      return one(tx, `SELECT ${WEBHOOK_COLUMNS} FROM webhooks WHERE id = $1`, [id]);
    });
    if (!webhook) throw new Refusal(404, 'not-found', `there is no webhook ${id}; reload the list`).because('follow_up.webhook_not_found', { id });
    request.log.info({ by: person.username, webhook: id }, 'webhook disabled');
    return webhookOf(webhook);
  });

  app.get(at(LIVE_ROUTES.deliveries), admin, async (request) => {
    const query = parseWith(DeliveryQuery, request.query);
    const rows = await db.query(
      `SELECT id, webhook_id, event, rule_alert_id, integrity_alert_id, window_alert_id, state, attempts, last_attempt_at, last_result, next_attempt_at, delivered_at
       FROM webhook_deliveries WHERE ($1::bigint IS NULL OR webhook_id = $1) ORDER BY id DESC LIMIT $2`,
      [query.webhookId ?? null, query.limit],
    );
    return { deliveries: rows.map(deliveryOf) };
  });
}
