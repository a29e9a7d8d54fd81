-- Callback phones at rest: every place the centre keeps one holds the masked form for
-- display (callback_phone), the number sealed with AES-256-GCM under a key outside the
-- database (phone_sealed) and a keyed hash to find it by (phone_key). Phones an earlier
-- version stored in clear are sealed by the centre at its next start (privacy/seal.ts):
-- the key is not something SQL here can hold.
ALTER TABLE records ADD COLUMN phone_masked text, ADD COLUMN phone_sealed text, ADD COLUMN phone_key text;
CREATE INDEX records_phone_key ON records (phone_key) WHERE phone_key IS NOT NULL;
ALTER TABLE cases ADD COLUMN phone_sealed text, ADD COLUMN phone_key text;
CREATE INDEX cases_phone_key ON cases (phone_key) WHERE phone_key IS NOT NULL;
ALTER TABLE follow_ups ADD COLUMN phone_sealed text, ADD COLUMN phone_key text;
CREATE INDEX follow_ups_phone_key ON follow_ups (phone_key) WHERE phone_key IS NOT NULL;
-- The retention sweep looks for closed records still holding a phone.
CREATE INDEX follow_ups_phone_held ON follow_ups (closed_at) WHERE phone_key IS NOT NULL OR callback_phone IS NOT NULL;

-- Every erasure, never the number: when, why, by whom, what it reached.
CREATE TABLE phone_erasures (
  id            bigserial PRIMARY KEY,
  at            bigint NOT NULL,
  reason        text NOT NULL CHECK (reason IN ('retention', 'citizen_request')),
  by_user       text NOT NULL,
  address       text,
  phone_masked  text,
  rating_ids    jsonb NOT NULL DEFAULT '[]',
  follow_ups    integer NOT NULL,
  cases         integer NOT NULL,
  records       integer NOT NULL,
  terminals     jsonb NOT NULL DEFAULT '[]'
);
CREATE TRIGGER phone_erasures_append_only BEFORE UPDATE OR DELETE ON phone_erasures FOR EACH ROW EXECUTE FUNCTION refuse_history_change();

-- Ratings whose phone a window must erase too; delivered once the window pulled a config listing them.
CREATE TABLE phone_erasure_notices (
  terminal_id  text NOT NULL,
  rating_id    text NOT NULL,
  requested_at bigint NOT NULL,
  delivered_at bigint,
  PRIMARY KEY (terminal_id, rating_id)
);
CREATE INDEX phone_erasure_notices_pending ON phone_erasure_notices (terminal_id) WHERE delivered_at IS NULL;

