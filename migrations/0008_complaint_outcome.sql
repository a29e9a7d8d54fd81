-- A complaint received at the window (投诉) is its own case outcome. SQLite cannot change a
-- CHECK in place, so the cases table is rebuilt with the same columns and rows. Ratings
-- point at cases: the check of that link waits for the end of the migration's transaction,
-- by which time every case is back under its own id.
PRAGMA defer_foreign_keys = ON;

CREATE TEMP TABLE cases_before_0008 AS SELECT * FROM cases;
DROP TABLE cases;

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
  outcome           TEXT CHECK (outcome IN ('completed', 'notified_missing', 'rejected', 'consultation', 'transferred', 'complaint')),
  missing_materials TEXT,                      -- JSON array, for 一次告知
  after_hours       INTEGER NOT NULL DEFAULT 0 CHECK (after_hours IN (0, 1)),
  rating_deadline   INTEGER,
  status            TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'awaiting_rating', 'rated', 'unrated')),
  rating_level      TEXT                       -- copy of ratings.level, for the day's figures
) STRICT;

INSERT INTO cases SELECT * FROM cases_before_0008;
DROP TABLE cases_before_0008;

CREATE INDEX cases_opened_at ON cases (opened_at);
CREATE INDEX cases_staff_opened_at ON cases (staff_no, opened_at);
CREATE INDEX cases_unfinished ON cases (status) WHERE status IN ('open', 'awaiting_rating');
