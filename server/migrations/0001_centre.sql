-- Cordial centre schema, version 1.
-- Times are Unix epoch milliseconds (bigint), as on the kiosk. Rating levels are the
-- internal words of src/shared/levels.ts; numeric codes exist only in exports.

-- One-time codes an admin hands to IT for one window; only a hash is kept.
CREATE TABLE enrolment_codes (
  code_hash       text PRIMARY KEY,
  window_no       text NOT NULL,
  created_at      bigint NOT NULL,
  expires_at      bigint NOT NULL,
  used_at         bigint,
  used_by         text
);

-- A kiosk that exchanged a code for a token. Only the token's hash is kept; the public
-- key verifies offline bundles the terminal signs.
CREATE TABLE terminals (
  terminal_id     text PRIMARY KEY,
  window_no       text NOT NULL,
  token_hash      text NOT NULL UNIQUE,
  public_key      text NOT NULL,
  enrolled_at     bigint NOT NULL,
  revoked_at      bigint,
  last_seen_at    bigint,
  clock_skew_ms   bigint,
  clock_flagged   boolean NOT NULL DEFAULT false
);

-- Per terminal and epoch: the highest contiguous seq held, and how far reports have read.
CREATE TABLE terminal_epochs (
  terminal_id     text NOT NULL REFERENCES terminals (terminal_id),
  epoch           integer NOT NULL,
  high_water      bigint NOT NULL DEFAULT 0,
  last_hash       text,
  projected_seq   bigint NOT NULL DEFAULT 0,
  started_at      bigint NOT NULL,
  PRIMARY KEY (terminal_id, epoch)
);

-- Every upload and every imported file, with the terminal's clock beside the centre's.
CREATE TABLE batches (
  id              bigserial PRIMARY KEY,
  terminal_id     text NOT NULL,
  epoch           integer NOT NULL,
  source          text NOT NULL CHECK (source IN ('network', 'file')),
  first_seq       bigint,
  last_seq        bigint,
  stored          integer NOT NULL,
  duplicates      integer NOT NULL,
  received_at     bigint NOT NULL,
  terminal_sent_at bigint NOT NULL,
  clock_skew_ms   bigint NOT NULL
);

-- The outbox records, each exactly once per (terminal, epoch, seq).
CREATE TABLE records (
  terminal_id     text NOT NULL,
  epoch           integer NOT NULL,
  seq             bigint NOT NULL,
  kind            text NOT NULL,
  recorded_at     bigint NOT NULL,
  payload         jsonb NOT NULL,
  prev_hash       text NOT NULL,
  hash            text NOT NULL,
  received_at     bigint NOT NULL,
  batch_id        bigint NOT NULL,
  -- NULL: the chain held; otherwise why it did not (see integrity_alerts).
  integrity       text CHECK (integrity IN ('altered', 'relinked')),
  PRIMARY KEY (terminal_id, epoch, seq)
);

CREATE TABLE integrity_alerts (
  id              bigserial PRIMARY KEY,
  terminal_id     text NOT NULL,
  epoch           integer NOT NULL,
  seq_from        bigint NOT NULL,
  seq_to          bigint NOT NULL,
  kind            text NOT NULL CHECK (kind IN ('altered', 'relinked', 'missing', 'seq_regression', 'clock_skew')),
  detail          text NOT NULL,
  detected_at     bigint NOT NULL,
  -- A retried upload must not raise the same alert twice.
  UNIQUE (terminal_id, epoch, seq_from, kind)
);

-- Report readers: a name and roles ('reports', 'follow_up'); only the token's hash is kept.
CREATE TABLE api_tokens (
  token_hash      text PRIMARY KEY,
  name            text NOT NULL,
  roles           jsonb NOT NULL,
  created_at      bigint NOT NULL,
  revoked_at      bigint
);

-- What the centre distributes to the windows.
CREATE TABLE staff (
  staff_no        text PRIMARY KEY,
  name            text NOT NULL,
  photo           text,
  department_code text,
  department_name text,
  badge_ids       jsonb NOT NULL DEFAULT '[]',
  active          boolean NOT NULL DEFAULT true
);

CREATE TABLE service_items (
  item_code       text NOT NULL,
  item_version    text NOT NULL,
  name            text NOT NULL,
  department_code text,
  department_name text,
  active          boolean NOT NULL DEFAULT true,
  PRIMARY KEY (item_code, item_version)
);

CREATE TABLE reason_codes (
  code            text PRIMARY KEY,
  label_zh        text NOT NULL,
  label_en        text NOT NULL,
  sort            integer NOT NULL DEFAULT 0
);

CREATE TABLE windows (
  window_no       text PRIMARY KEY,
  department_code text,
  department_name text,
  area_code       text,
  settings        jsonb NOT NULL DEFAULT '{}'
);

-- Exactly one row: the centre's policies (rating policy, follow-up, holidays, export maps).
CREATE TABLE settings (
  id              integer PRIMARY KEY CHECK (id = 1),
  body            jsonb NOT NULL
);

-- Cases as the reports see them, built from the records (see src/reports/project.ts).
CREATE TABLE cases (
  terminal_id     text NOT NULL,
  case_id         text NOT NULL,
  case_no         text,
  ticket_no       text,
  item_code       text,
  item_version    text,
  item_name       text,
  department_code text,
  department_name text,
  area_code       text,
  staff_no        text,
  staff_name      text,
  window_no       text,
  opened_at       bigint,
  closed_at       bigint,
  outcome         text,
  after_hours     boolean,
  status          text NOT NULL,
  rating_id       text,
  level           text,
  channel         text,
  device_serial   text,
  device_event_id bigint,
  rated_at        bigint,
  rating_type     text,
  reason_codes    jsonb,
  comment         text,
  callback_phone  text,
  unrated_at      bigint,
  PRIMARY KEY (terminal_id, case_id)
);
CREATE INDEX cases_closed_at ON cases (closed_at);
CREATE INDEX cases_rating_id ON cases (terminal_id, rating_id);
