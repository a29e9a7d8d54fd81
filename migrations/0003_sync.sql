-- Sync to the centre: the terminal's credentials, what the centre acknowledged in each
-- epoch, records carried into a new epoch after a restored database, the config the centre
-- distributes, and the history of sync runs.

-- Exactly one row once the window is enrolled.
CREATE TABLE sync_credentials (
  id          INTEGER PRIMARY KEY CHECK (id = 1),
  centre_url  TEXT NOT NULL,
  terminal_id TEXT NOT NULL,
  window_no   TEXT NOT NULL,
  token       TEXT NOT NULL,                 -- bearer token for the centre; never logged
  signing_key TEXT NOT NULL,                 -- Ed25519 private key (PKCS#8 DER, base64): signs offline bundles
  enrolled_at INTEGER NOT NULL
) STRICT;

-- Per epoch: the highest contiguous seq the centre holds, and, once the centre showed it
-- holds different records from some seq on, that seq (those records live on in a later epoch).
CREATE TABLE sync_epochs (
  epoch             INTEGER PRIMARY KEY,
  started_at        INTEGER NOT NULL,
  reason            TEXT NOT NULL CHECK (reason IN ('first', 'seq_regression')),
  centre_high_water INTEGER NOT NULL DEFAULT 0,
  diverged_at_seq   INTEGER
) STRICT;

-- Which record of an old epoch was sent again as which record of the new one.
CREATE TABLE outbox_carried (
  from_epoch INTEGER NOT NULL,
  from_seq   INTEGER NOT NULL,
  to_epoch   INTEGER NOT NULL,
  to_seq     INTEGER NOT NULL,
  PRIMARY KEY (from_epoch, from_seq)
) STRICT;
CREATE INDEX outbox_carried_to ON outbox_carried (to_epoch, to_seq);

-- The sync client reads and counts only what the centre has not acknowledged.
CREATE INDEX outbox_unacked ON outbox (epoch, seq) WHERE acked_at IS NULL;

-- The last config pulled from the centre, for offline start-up.
CREATE TABLE centre_config (
  id         INTEGER PRIMARY KEY CHECK (id = 1),
  etag       TEXT NOT NULL,
  body       TEXT NOT NULL,
  fetched_at INTEGER NOT NULL
) STRICT;

CREATE TABLE sync_runs (
  id          INTEGER PRIMARY KEY,
  started_at  INTEGER NOT NULL,
  finished_at INTEGER,
  result      TEXT CHECK (result IN ('ok', 'error')),
  sent        INTEGER NOT NULL DEFAULT 0,
  detail      TEXT
) STRICT;
