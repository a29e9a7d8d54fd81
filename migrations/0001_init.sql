-- Cordial kiosk schema, version 1.
-- Times are Unix epoch milliseconds (INTEGER). Rating levels are the internal words of
-- src/shared/levels.ts; numeric codes exist only in exports.

CREATE TABLE meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
) STRICT;

-- Exactly one row: who this terminal is.
CREATE TABLE terminal (
  id              INTEGER PRIMARY KEY CHECK (id = 1),
  terminal_id     TEXT NOT NULL,
  window_no       TEXT NOT NULL,
  department_code TEXT,
  department_name TEXT,
  area_code       TEXT,
  created_at      INTEGER NOT NULL
) STRICT;

CREATE TABLE staff (
  staff_no        TEXT PRIMARY KEY,           -- 工号
  name            TEXT NOT NULL,
  photo           TEXT,                       -- data: URI
  department_code TEXT,
  department_name TEXT,
  pin_hash        TEXT,                       -- scrypt; NULL: badge sign-in only
  active          INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1))
) STRICT;

CREATE TABLE staff_badges (
  badge_id TEXT PRIMARY KEY,
  staff_no TEXT NOT NULL REFERENCES staff (staff_no) ON DELETE CASCADE
) STRICT;

CREATE TABLE service_items (
  item_code       TEXT NOT NULL,              -- 事项编码
  item_version    TEXT NOT NULL DEFAULT '1',
  name            TEXT NOT NULL,
  department_code TEXT,
  department_name TEXT,
  active          INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
  PRIMARY KEY (item_code, item_version)
) STRICT;

CREATE TABLE reason_codes (
  code     TEXT PRIMARY KEY,
  label_zh TEXT NOT NULL,
  label_en TEXT NOT NULL,
  sort     INTEGER NOT NULL DEFAULT 0
) STRICT;

-- Punctuality (standard 8.1): sign-in and sign-out times.
CREATE TABLE staff_sessions (
  id            TEXT PRIMARY KEY,
  staff_no      TEXT NOT NULL REFERENCES staff (staff_no),
  method        TEXT NOT NULL CHECK (method IN ('badge', 'pin')),
  signed_in_at  INTEGER NOT NULL,
  signed_out_at INTEGER
) STRICT;

CREATE TABLE pauses (
  id         TEXT PRIMARY KEY,
  session_id TEXT NOT NULL REFERENCES staff_sessions (id),
  staff_no   TEXT NOT NULL,
  reason     TEXT NOT NULL,
  started_at INTEGER NOT NULL,
  ended_at   INTEGER
) STRICT;

CREATE TABLE cases (
  id                TEXT PRIMARY KEY,          -- uuid
  case_no           TEXT,                      -- 办件编号
  ticket_no         TEXT,                      -- queue ticket
  item_code         TEXT NOT NULL,
  item_version      TEXT NOT NULL,
  item_name         TEXT NOT NULL,
  department_code   TEXT,
  department_name   TEXT,
  staff_no          TEXT NOT NULL REFERENCES staff (staff_no),
  staff_name        TEXT NOT NULL,
  window_no         TEXT NOT NULL,
  session_id        TEXT NOT NULL REFERENCES staff_sessions (id),
  opened_at         INTEGER NOT NULL,
  closed_at         INTEGER,
  outcome           TEXT CHECK (outcome IN ('completed', 'notified_missing', 'rejected', 'consultation', 'transferred')),
  missing_materials TEXT,                      -- JSON array, for 一次告知
  after_hours       INTEGER NOT NULL DEFAULT 0 CHECK (after_hours IN (0, 1)),
  rating_deadline   INTEGER,
  status            TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'awaiting_rating', 'rated', 'unrated')),
  rating_level      TEXT                       -- copy of ratings.level, for the day's figures
) STRICT;
CREATE INDEX cases_opened_at ON cases (opened_at);
CREATE INDEX cases_staff_opened_at ON cases (staff_no, opened_at);
CREATE INDEX cases_unfinished ON cases (status) WHERE status IN ('open', 'awaiting_rating');

CREATE TABLE ratings (
  id              TEXT PRIMARY KEY,
  case_id         TEXT NOT NULL UNIQUE REFERENCES cases (id),  -- one case, one rating
  level           TEXT NOT NULL CHECK (level IN ('very_satisfied', 'satisfied', 'basically_satisfied', 'dissatisfied', 'very_dissatisfied')),
  raw_key         INTEGER,
  channel         TEXT NOT NULL CHECK (channel IN ('keypad', 'legacy_keypad', 'touch')),
  device_serial   TEXT,
  device_event_id INTEGER,
  invited_at      INTEGER NOT NULL,
  rated_at        INTEGER NOT NULL,
  reason_codes    TEXT,                        -- JSON array
  comment         TEXT,
  callback_phone  TEXT,                        -- personal information: shown masked, never logged
  details_at      INTEGER
) STRICT;

-- Presses that did not count. Kept for ever, never counted.
CREATE TABLE misuse_presses (
  id              TEXT PRIMARY KEY,
  cause           TEXT NOT NULL CHECK (cause IN ('window_closed', 'window_paused', 'no_case_waiting', 'second_press', 'repeat_event', 'unmapped_key')),
  level           TEXT,
  raw_key         INTEGER,
  channel         TEXT NOT NULL,
  device_serial   TEXT,
  device_event_id INTEGER,
  case_id         TEXT,
  pressed_at      INTEGER NOT NULL
) STRICT;
CREATE INDEX misuse_pressed_at ON misuse_presses (pressed_at);

-- Every (device serial, event id) ever received: a press is counted once, across restarts.
CREATE TABLE device_events (
  device_serial TEXT NOT NULL,
  event_id      INTEGER NOT NULL,
  press_id      TEXT NOT NULL,
  received_at   INTEGER NOT NULL,
  PRIMARY KEY (device_serial, event_id)
) STRICT, WITHOUT ROWID;

-- The outbox: every fact, in order, hash-chained. Append-only: only acked_at may change,
-- and only acknowledged records may ever be deleted (pruning).
CREATE TABLE outbox (
  id          INTEGER PRIMARY KEY,
  terminal_id TEXT NOT NULL,
  epoch       INTEGER NOT NULL,
  seq         INTEGER NOT NULL,
  kind        TEXT NOT NULL,
  recorded_at INTEGER NOT NULL,
  payload     TEXT NOT NULL,                   -- canonical JSON
  prev_hash   TEXT NOT NULL,
  hash        TEXT NOT NULL,
  acked_at    INTEGER,
  UNIQUE (epoch, seq)
) STRICT;

CREATE TRIGGER outbox_append_only BEFORE UPDATE ON outbox
WHEN NEW.id IS NOT OLD.id OR NEW.terminal_id IS NOT OLD.terminal_id OR NEW.epoch IS NOT OLD.epoch
  OR NEW.seq IS NOT OLD.seq OR NEW.kind IS NOT OLD.kind OR NEW.recorded_at IS NOT OLD.recorded_at
  OR NEW.payload IS NOT OLD.payload OR NEW.prev_hash IS NOT OLD.prev_hash OR NEW.hash IS NOT OLD.hash
BEGIN
  SELECT RAISE(ABORT, 'outbox records are append-only');
END;

CREATE TRIGGER outbox_keep_unacked BEFORE DELETE ON outbox
WHEN OLD.acked_at IS NULL
BEGIN
  SELECT RAISE(ABORT, 'an unacknowledged outbox record cannot be deleted');
END;

CREATE TRIGGER ratings_append_only BEFORE UPDATE OF id, case_id, level, raw_key, channel, device_serial, device_event_id, invited_at, rated_at ON ratings
BEGIN
  SELECT RAISE(ABORT, 'a rating cannot be changed');
END;

CREATE TRIGGER ratings_never_deleted BEFORE DELETE ON ratings
BEGIN
  SELECT RAISE(ABORT, 'a rating cannot be deleted');
END;

CREATE TRIGGER misuse_never_deleted BEFORE DELETE ON misuse_presses
BEGIN
  SELECT RAISE(ABORT, 'a misuse press cannot be deleted');
END;
