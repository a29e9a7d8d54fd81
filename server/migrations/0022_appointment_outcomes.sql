-- Cordial centre schema, version 22: the appointment register's outcomes by hand (10.4, annex C).
-- The console marks an appointment cancelled (with why) or no-show (the citizen did not come),
-- recording who and when. The mark is kept apart from the outcome the window's case brings back:
-- a case opened later from a marked appointment (a window offline, its list stale) still links
-- it, and the register shows it served with the mark as a note.
ALTER TABLE appointments
  ADD COLUMN marked         text CHECK (marked IN ('cancelled', 'no_show')),
  ADD COLUMN cancel_reason  text CHECK (cancel_reason IN ('citizen', 'department', 'other')),
  ADD COLUMN mark_note      text CHECK (length(mark_note) BETWEEN 1 AND 200),
  ADD COLUMN marked_by      text,
  ADD COLUMN marked_by_name text,
  ADD COLUMN marked_at      bigint,
  ADD CONSTRAINT appointments_mark_whole CHECK (
    (marked IS NULL AND cancel_reason IS NULL AND mark_note IS NULL AND marked_by IS NULL AND marked_by_name IS NULL AND marked_at IS NULL)
    OR (marked = 'cancelled' AND cancel_reason IS NOT NULL AND marked_by IS NOT NULL AND marked_by_name IS NOT NULL AND marked_at IS NOT NULL)
    OR (marked = 'no_show' AND cancel_reason IS NULL AND mark_note IS NULL AND marked_by IS NOT NULL AND marked_by_name IS NOT NULL AND marked_at IS NOT NULL)
  );

-- How many appointments a phone erasure reached. Null on the erasures recorded before it was
-- counted: those did erase the appointment phones, but nobody knows how many.
ALTER TABLE phone_erasures ADD COLUMN appointments integer CHECK (appointments >= 0);
