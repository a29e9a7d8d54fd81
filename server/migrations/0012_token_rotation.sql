-- Rotating a terminal's token without enrolling it again. IT asks for it from the console
-- (rotate_requested_*); the terminal fetches the new token on its next contact with the one
-- it holds. The token replaced keeps working until previous_token_until, so an upload that
-- was under way with it is not lost.
ALTER TABLE terminals ADD COLUMN previous_token_hash text UNIQUE;
ALTER TABLE terminals ADD COLUMN previous_token_until bigint;
ALTER TABLE terminals ADD COLUMN rotate_requested_at bigint;
ALTER TABLE terminals ADD COLUMN rotate_requested_by text;
ALTER TABLE terminals ADD COLUMN token_rotated_at bigint;
