-- A number a citizen asked to have erased is not stored again when a window that was
-- offline sends it later: the erasure keeps the number's keyed hash (never the number),
-- and ingest drops any phone with that hash (privacy/seal.ts).
ALTER TABLE phone_erasures ADD COLUMN phone_key text;
CREATE INDEX phone_erasures_key ON phone_erasures (phone_key) WHERE phone_key IS NOT NULL;
