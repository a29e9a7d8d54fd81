-- Cordial centre schema, version 2: what a hostile or broken client must not be able to do.

-- A record the reports cannot read is set aside with its reason instead of stopping them.
ALTER TABLE records ADD COLUMN quarantined text;

-- Re-enrolling an existing terminal needs its key or this admin approval (one use).
ALTER TABLE terminals ADD COLUMN replace_approved_at bigint;
-- The one new epoch this terminal may open: set when the centre answers seq-regression, or by an admin.
ALTER TABLE terminals ADD COLUMN epoch_allowed integer;

ALTER TABLE integrity_alerts DROP CONSTRAINT integrity_alerts_kind_check;
ALTER TABLE integrity_alerts ADD CONSTRAINT integrity_alerts_kind_check CHECK (kind IN (
  'altered', 'relinked', 'missing', 'seq_regression', 'clock_skew',
  'quarantined', 'terminal_replaced', 'epoch_closed', 'epoch_refused'));
