-- Cordial centre schema, version 5: what IT does with alerts and enrolment codes, and who did it.

-- An alert is acknowledged once, with a note; it stays in the history with who and when.
ALTER TABLE integrity_alerts ADD COLUMN acknowledged_at bigint;
ALTER TABLE integrity_alerts ADD COLUMN acknowledged_by text;
ALTER TABLE integrity_alerts ADD COLUMN acknowledge_note text;
ALTER TABLE integrity_alerts ADD CONSTRAINT integrity_alerts_acknowledged_check
  CHECK ((acknowledged_at IS NULL) = (acknowledged_by IS NULL) AND (acknowledged_at IS NULL) = (acknowledge_note IS NULL));
-- The terminals page counts each terminal's open alerts.
CREATE INDEX integrity_alerts_open ON integrity_alerts (terminal_id) WHERE acknowledged_at IS NULL;

-- Only a code's hash is kept, so the console lists and revokes codes by number.
ALTER TABLE enrolment_codes ADD COLUMN id bigserial UNIQUE;
ALTER TABLE enrolment_codes ADD COLUMN created_by text;
ALTER TABLE enrolment_codes ADD COLUMN revoked_at bigint;
ALTER TABLE enrolment_codes ADD COLUMN revoked_by text;
