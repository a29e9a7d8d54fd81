-- Cordial centre schema, version 20: 意见簿 (11.2.2), the suggestion book. Suggestions come
-- from a window's touch screen (outbox records of kind 'suggestion', projected here) and from
-- the centre's mobile page; `source_key` is what makes each one land once: the terminal and the
-- id the window gave it, or the key the mobile page made. The reply phone is kept as the
-- callback phone is: masked for every screen, sealed with the data key, and a keyed hash so a
-- citizen's erasure request reaches it.

CREATE TABLE suggestions (
  id            bigserial PRIMARY KEY,
  source        text NOT NULL CHECK (source IN ('kiosk', 'mobile')),
  source_key    text NOT NULL UNIQUE,
  terminal_id   text,
  window_no     text,
  area_code     text,
  categories    jsonb NOT NULL,
  body          text NOT NULL CHECK (length(body) <= 500),
  phone_masked  text,
  phone_sealed  text,
  phone_key     text,
  left_at       bigint NOT NULL,
  status        text NOT NULL DEFAULT 'new' CHECK (status IN ('new', 'answered', 'closed')),
  answer        text CHECK (length(answer) <= 1000),
  answered_by   text,
  answered_at   bigint,
  closed_by     text,
  closed_at     bigint
);
CREATE INDEX suggestions_left ON suggestions (left_at DESC);
CREATE INDEX suggestions_status ON suggestions (status, left_at DESC);
CREATE INDEX suggestions_phone_key ON suggestions (phone_key) WHERE phone_key IS NOT NULL;


-- The centre's secret for the mobile page's window tokens (HMAC-SHA256), made on first use.
CREATE TABLE suggestion_secret (
  id      integer PRIMARY KEY CHECK (id = 1),
  secret  text NOT NULL
);
