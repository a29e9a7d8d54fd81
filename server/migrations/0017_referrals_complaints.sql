-- Cordial centre schema, version 17: 首问负责 (10.1). Where a consultation or transfer sent
-- the citizen, from a list the centre keeps and distributes with the config; the materials
-- a 一次告知 named, kept on the case row; and complaints received at the window, each opening
-- one follow-up record as a poor rating does.

-- The places staff may send a citizen: a department, a window, or a body outside the centre.
CREATE TABLE referral_targets (
  code            text PRIMARY KEY CHECK (length(code) BETWEEN 1 AND 64),
  name            text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  kind            text NOT NULL CHECK (kind IN ('department', 'window', 'outside')),
  sort            integer NOT NULL DEFAULT 0
);

-- What the case_closed record said; null on cases projected before this version (and on
-- records of windows older than sync wire revision 3).
ALTER TABLE cases
  ADD COLUMN missing_materials jsonb,
  ADD COLUMN referral_code     text,
  ADD COLUMN referral_name     text,
  ADD COLUMN referral_kind     text,
  ADD COLUMN referral_note     text,
  ADD COLUMN complaint_summary text;

-- A complaint's record has no rating: it is keyed on its case instead, once per case.
ALTER TABLE follow_ups
  ALTER COLUMN rating_id DROP NOT NULL,
  ALTER COLUMN level DROP NOT NULL,
  ADD COLUMN complaint_summary text,
  DROP CONSTRAINT follow_ups_opened_by_check,
  ADD CONSTRAINT follow_ups_opened_by_check CHECK (opened_by IN ('rating', 'hand', 'complaint')),
  ADD CONSTRAINT follow_ups_rating_or_complaint CHECK (
    CASE WHEN opened_by = 'complaint' THEN complaint_summary IS NOT NULL ELSE rating_id IS NOT NULL AND level IS NOT NULL END);
CREATE UNIQUE INDEX follow_ups_complaint_case ON follow_ups (terminal_id, case_id) WHERE opened_by = 'complaint';
