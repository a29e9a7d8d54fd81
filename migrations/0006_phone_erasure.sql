-- The callback phone leaves the hash chain: a rating_details record chains only a commitment
-- to the number (HMAC-SHA256 with a random salt), and the number and salt wait here, beside
-- the record, until the centre acknowledges it; then both are deleted, with the copy in
-- ratings.callback_phone (docs/data-protection.md).
CREATE TABLE outbox_personal (
  epoch          INTEGER NOT NULL,
  seq            INTEGER NOT NULL,
  rating_id      TEXT NOT NULL,
  callback_phone TEXT NOT NULL,               -- personal information: never logged
  salt           TEXT NOT NULL,
  PRIMARY KEY (epoch, seq)
) STRICT, WITHOUT ROWID;
CREATE INDEX outbox_personal_rating ON outbox_personal (rating_id);

-- Phones of ratings whose details the centre already acknowledged go now.
UPDATE ratings SET callback_phone = NULL WHERE callback_phone IS NOT NULL AND NOT EXISTS
  (SELECT 1 FROM outbox o WHERE o.kind = 'rating_details' AND o.acked_at IS NULL AND json_extract(o.payload, '$.ratingId') = ratings.id);
