-- The centre's public key as this window saw it at enrolment (SPKI SHA-256, base64), when
-- IT asked to pin it: later connections must present the same key. NULL: not pinned.
ALTER TABLE sync_credentials ADD COLUMN centre_pin TEXT;
