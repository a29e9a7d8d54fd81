/**
 * What the centre tells open consoles as it happens (Server-Sent Events on
 * LIVE_ROUTES.events), and the alert rules and webhooks an admin sets. Every event is
 * also a fact the console can read again from its page: an event only says "look now".
 *
 * Who hears what: department and follow_up users hear their own department's events;
 * supervisors, admins and viewers hear every department's; integrity alerts go to admins
 * and supervisors. Evaluators hear nothing (no personal data, no live work).
 */
import { z } from 'zod';
import type { RatingLevel } from '../levels';
import { WINDOW_RULE_KINDS, type HallEvent, type WindowAlert, type WindowRuleKind } from './hall-contract';

export const RULE_KINDS = ['poor_burst', 'due_tomorrow', 'overdue'] as const;
export type RuleKind = (typeof RULE_KINDS)[number];
/** What a webhook can take: the alert rules, integrity alerts, and the window rules of hall supervision. */
export const WEBHOOK_EVENTS = [...RULE_KINDS, 'integrity_alert', ...WINDOW_RULE_KINDS] as const;
export type WebhookEvent = RuleKind | 'integrity_alert' | WindowRuleKind;

export type LiveEvent =
  /** A poor rating arrived and opened its follow-up record. */
  | {
      type: 'poor_rating';
      followUpId: number;
      ratingId: string;
      level: RatingLevel;
      ratedAt: number;
      windowNo: string | null;
      staffName: string | null;
      departmentCode: string | null;
      departmentName: string | null;
      itemName: string | null;
      reasonCodes: string[];
    }
  /** A follow-up record changed state (or its reasons arrived). */
  | { type: 'follow_up'; followUpId: number; state: string; departmentCode: string | null; at: number }
  /** The centre found something wrong with a terminal's records (see it-contract.ts). */
  | { type: 'integrity_alert'; alertId: number; terminalId: string; windowNo: string | null; kind: string; detectedAt: number }
  /** An alert rule fired. */
  | {
      type: 'rule_alert';
      alertId: number;
      rule: RuleKind;
      departmentCode: string | null;
      windowNo: string | null;
      followUpId: number | null;
      /** The centre's sentence; the console words its own from rule and figures. */
      detail: string;
      raisedAt: number;
    }
  /** Live hall supervision (hall-contract.ts): a window's status changed, or a window rule started or ended. */
  | HallEvent;
export type LiveEventType = LiveEvent['type'];

/** SSE framing: `event: <type>`, `id: <n>`, `data: <LiveEvent JSON>`; a comment line every 15 s keeps proxies open. */
export const LIVE_HEARTBEAT_MS = 15_000;

export const AlertRules = z
  .object({
    poorBurst: z
      .object({
        enabled: z.boolean(),
        /** At least this many poor ratings at one window… */
        count: z.number().int().min(2, 'at least 2 poor ratings').max(50),
        /** …within this many minutes. */
        minutes: z.number().int().min(1).max(24 * 60),
      })
      .strict(),
    dueTomorrow: z.object({ enabled: z.boolean() }).strict(),
    overdue: z.object({ enabled: z.boolean() }).strict(),
  })
  .strict();
export type AlertRules = z.infer<typeof AlertRules>;
export const DEFAULT_ALERT_RULES: AlertRules = {
  poorBurst: { enabled: true, count: 2, minutes: 30 },
  dueTomorrow: { enabled: true },
  overdue: { enabled: true },
};

export interface RuleAlert {
  id: number;
  rule: RuleKind;
  departmentCode: string | null;
  departmentName: string | null;
  windowNo: string | null;
  followUpId: number | null;
  detail: string;
  raisedAt: number;
}

/** An outgoing webhook: each alert is POSTed as JSON, signed with HMAC-SHA256 of the body. */
export const WEBHOOK_SIGNATURE_HEADER = 'x-cordial-signature'; // "sha256=<hex>"
export const WEBHOOK_EVENT_HEADER = 'x-cordial-event'; // the rule (an alert rule or a window rule), or 'integrity_alert'
export const WEBHOOK_DELIVERY_HEADER = 'x-cordial-delivery'; // the delivery id: receivers drop repeats by it

export const NewWebhookBody = z
  .object({
    url: z.url({ protocol: /^https?$/, error: 'a webhook address starts with http:// or https://' }).max(500),
    /** Shown once when made, then kept for signing only. */
    secret: z.string().min(16, 'a signing secret has at least 16 characters').max(200),
    /** Which alerts it receives; empty means all. */
    rules: z.array(z.enum(WEBHOOK_EVENTS)).max(WEBHOOK_EVENTS.length).default([]),
    description: z.string().trim().max(200).default(''),
  })
  .strict();

export interface Webhook {
  id: number;
  url: string;
  rules: WebhookEvent[];
  description: string;
  createdBy: string;
  createdAt: number;
  disabledAt: number | null;
}

/**
 * The JSON body each webhook receives. The signature header is "sha256=" and the hex
 * HMAC-SHA256 of these exact bytes under the webhook's secret; the delivery header repeats
 * `deliveryId`, the same on every retry of one delivery, so a receiver drops a repeat.
 */
export type WebhookPayload =
  | { deliveryId: number; event: RuleKind; sentAt: number; alert: RuleAlert }
  | {
      deliveryId: number;
      event: 'integrity_alert';
      sentAt: number;
      alert: { id: number; terminalId: string; windowNo: string | null; kind: string; detectedAt: number };
    }
  /** A window rule's alert as it started (endedAt null); its end is not sent. */
  | { deliveryId: number; event: WindowRuleKind; sentAt: number; alert: WindowAlert };

export type DeliveryState = 'pending' | 'delivered' | 'failing' | 'given_up';
export interface WebhookDelivery {
  id: number;
  webhookId: number;
  /** What was sent: a rule's alert, an integrity alert or a window rule's alert; alertId is that alert's number. */
  event: WebhookEvent;
  alertId: number;
  state: DeliveryState;
  attempts: number;
  lastAttemptAt: number | null;
  /** HTTP status or the network error of the last attempt. */
  lastResult: string | null;
  nextAttemptAt: number | null;
  deliveredAt: number | null;
}

/** Paths under CONSOLE_API. */
export const LIVE_ROUTES = {
  events: '/live/events', // GET: text/event-stream of LiveEvent
  ruleAlerts: '/alerts', // GET ?limit=: { alerts: RuleAlert[] } (scoped like events)
  alertRules: '/alerts/rules', // GET: AlertRules; PUT AlertRules (admin)
  webhooks: '/alerts/webhooks', // GET: { webhooks: Webhook[] }; POST NewWebhookBody: Webhook (admin)
  webhook: '/alerts/webhooks/:id', // DELETE: disables it (admin)
  deliveries: '/alerts/deliveries', // GET ?webhookId=&limit=: { deliveries: WebhookDelivery[] } (admin)
} as const;
