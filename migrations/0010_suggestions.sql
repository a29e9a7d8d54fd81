-- 意见簿 (11.2.2): suggestions left at the window's touch screen, not tied to a case. The id
-- is made by the citizen screen, so a command sent twice is kept once. The reply phone is
-- not kept here: like a callback phone it waits only in outbox_personal (its rating_id column
-- then holds the suggestion id) until the centre acknowledges the record, and goes with it.
CREATE TABLE suggestions (
  id         TEXT PRIMARY KEY,
  categories TEXT NOT NULL,                  -- JSON array of SUGGESTION_CATEGORIES
  text       TEXT NOT NULL,
  wants_reply INTEGER NOT NULL CHECK (wants_reply IN (0, 1)),
  left_at    INTEGER NOT NULL
) STRICT;
