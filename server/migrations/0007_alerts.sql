-- Cordial centre schema, version 7: alert rules set by the admin, the alerts they raise (each
-- once), and outgoing webhooks with a delivery queue that outlives a restart.

-- One row: the rules as the console edits them (AlertRules in live-contract.ts).
CREATE TABLE alert_rules (
  id              integer PRIMARY KEY CHECK (id = 1),
  body            jsonb NOT NULL,
  updated_by      text,
  updated_at      bigint
);

-- Each alert a rule raised. The subject names what it is about (a window's burst, a
-- follow-up record), and (rule, subject) is unique: a sweep or a retried upload that finds
-- the same thing again raises nothing.
CREATE TABLE rule_alerts (
  id              bigserial PRIMARY KEY,
  rule            text NOT NULL CHECK (rule IN ('poor_burst', 'due_tomorrow', 'overdue')),
  subject         text NOT NULL,
  department_code text,
  department_name text,
  window_no       text,
  follow_up_id    bigint REFERENCES follow_ups (id),
  -- For a burst: when its first poor rating was given, and how many it held when raised.
  burst_start     bigint,
  detail          text NOT NULL,
  raised_at       bigint NOT NULL,
  UNIQUE (rule, subject)
);
CREATE INDEX rule_alerts_recent ON rule_alerts (raised_at DESC, id DESC);
CREATE INDEX rule_alerts_department ON rule_alerts (department_code, raised_at DESC, id DESC);
CREATE INDEX rule_alerts_burst ON rule_alerts (window_no, burst_start) WHERE rule = 'poor_burst';

-- The burst rule reads a window's poor ratings by time.
CREATE INDEX follow_ups_window_rated ON follow_ups (window_no, rated_at) WHERE opened_by = 'rating';

-- Outgoing webhooks. The secret is kept as given, because signing each body needs it; it is
-- never sent back after the webhook is made.
CREATE TABLE webhooks (
  id              bigserial PRIMARY KEY,
  url             text NOT NULL,
  secret          text NOT NULL,
  -- Which alerts it receives: rule kinds and 'integrity_alert'; empty for all.
  rules           jsonb NOT NULL DEFAULT '[]',
  description     text NOT NULL DEFAULT '',
  created_by      text NOT NULL,
  created_at      bigint NOT NULL,
  disabled_at     bigint,
  disabled_by     text
);

-- One delivery per (webhook, alert), with the alert as it was when raised (body); each
-- attempt wraps it with the delivery id and the time, and signs that. next_attempt_at is also the lease of an attempt in flight: a centre that dies
-- mid-attempt leaves it due again once the lease runs out.
CREATE TABLE webhook_deliveries (
  id                  bigserial PRIMARY KEY,
  webhook_id          bigint NOT NULL REFERENCES webhooks (id),
  event               text NOT NULL CHECK (event IN ('poor_burst', 'due_tomorrow', 'overdue', 'integrity_alert')),
  rule_alert_id       bigint REFERENCES rule_alerts (id),
  integrity_alert_id  bigint REFERENCES integrity_alerts (id),
  body                text NOT NULL,
  state               text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'delivered', 'failing', 'given_up')),
  attempts            integer NOT NULL DEFAULT 0,
  created_at          bigint NOT NULL,
  next_attempt_at     bigint,
  last_attempt_at     bigint,
  last_result         text,
  delivered_at        bigint,
  CHECK (num_nonnulls(rule_alert_id, integrity_alert_id) = 1),
  UNIQUE (webhook_id, rule_alert_id),
  UNIQUE (webhook_id, integrity_alert_id)
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE state IN ('pending', 'failing');
CREATE INDEX webhook_deliveries_webhook ON webhook_deliveries (webhook_id, id DESC);

-- Every attempt, as it went: the status or the network error, and how long it took.
CREATE TABLE webhook_attempts (
  delivery_id     bigint NOT NULL REFERENCES webhook_deliveries (id),
  attempt         integer NOT NULL,
  at              bigint NOT NULL,
  result          text NOT NULL,
  ok              boolean NOT NULL,
  took_ms         integer NOT NULL,
  PRIMARY KEY (delivery_id, attempt)
);
