-- Cordial centre schema, version 10: the window rules of hall supervision (电子监察). The
-- admin's settings, each window's opening hours and pause limit, and the alerts the rules
-- raise: each with when it started and when its condition ended. A window alert goes to the
-- webhooks like the other alerts.

-- One row: the rules as the console edits them (WindowRules in hall-contract.ts).
CREATE TABLE window_rules (
  id              integer PRIMARY KEY CHECK (id = 1),
  body            jsonb NOT NULL,
  updated_by      text,
  updated_at      bigint
);

-- Each window's hours, Monday first, 'HH:MM' or null (closed that weekday), and its own
-- pause limit (null: the rules' default). The floor lives in windows.settings->>'floor',
-- where the hall reads it. A window without a row has no opening hours: the punctuality
-- and silence rules leave it alone until an admin sets them.
CREATE TABLE window_schedules (
  window_no           text PRIMARY KEY,
  opens_at            jsonb NOT NULL CHECK (jsonb_array_length(opens_at) = 7),
  closes_at           jsonb NOT NULL CHECK (jsonb_array_length(closes_at) = 7),
  pause_limit_minutes integer CHECK (pause_limit_minutes > 0),
  updated_by          text NOT NULL,
  updated_at          bigint NOT NULL
);

-- Every alert a window rule raised. At most one open alert per (rule, window): a sweep and a
-- status that find the same condition start nothing new; once it ends, a later one may start.
CREATE TABLE window_alerts (
  id              bigserial PRIMARY KEY,
  rule            text NOT NULL CHECK (rule IN ('not_open', 'long_pause', 'keypad_offline', 'long_case', 'terminal_silent')),
  window_no       text NOT NULL,
  department_code text,
  detail          text NOT NULL,
  figures         jsonb NOT NULL DEFAULT '{}',
  started_at      bigint NOT NULL,
  ended_at        bigint,
  CHECK (ended_at IS NULL OR ended_at >= started_at)
);
CREATE UNIQUE INDEX window_alerts_one_open ON window_alerts (rule, window_no) WHERE ended_at IS NULL;
CREATE INDEX window_alerts_recent ON window_alerts (started_at DESC, id DESC);
CREATE INDEX window_alerts_department ON window_alerts (department_code, started_at DESC, id DESC);

-- A window alert is delivered to the webhooks that take its rule, like the others.
ALTER TABLE webhook_deliveries ADD COLUMN window_alert_id bigint REFERENCES window_alerts (id);
ALTER TABLE webhook_deliveries DROP CONSTRAINT webhook_deliveries_event_check;
ALTER TABLE webhook_deliveries ADD CONSTRAINT webhook_deliveries_event_check CHECK (event IN (
  'poor_burst', 'due_tomorrow', 'overdue', 'integrity_alert',
  'not_open', 'long_pause', 'keypad_offline', 'long_case', 'terminal_silent'));
ALTER TABLE webhook_deliveries DROP CONSTRAINT webhook_deliveries_check;
ALTER TABLE webhook_deliveries ADD CONSTRAINT webhook_deliveries_one_alert CHECK (num_nonnulls(rule_alert_id, integrity_alert_id, window_alert_id) = 1);
ALTER TABLE webhook_deliveries ADD CONSTRAINT webhook_deliveries_window_alert_key UNIQUE (webhook_id, window_alert_id);
