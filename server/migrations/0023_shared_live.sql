-- Cordial centre schema, version 23: what more than one API node on one PostgreSQL share
-- besides the facts. Both tables are UNLOGGED: neither holds a fact, a crash may empty them,
-- and they cost no write-ahead log.
--
-- rate_limit_buckets: the token buckets of the limits every node must count together (the
-- phone suggestion page per window code and per address), one upserted row per key, so N
-- nodes allow what one allows. key is a hash (no address or code is kept in the clear);
-- idle_after is when the bucket is full again whatever it held, after which the row says
-- nothing and is pruned.
CREATE UNLOGGED TABLE rate_limit_buckets (
  key        text PRIMARY KEY,
  tokens     double precision NOT NULL,
  at         bigint NOT NULL,
  idle_after bigint NOT NULL,
  granted    boolean NOT NULL
);
CREATE INDEX rate_limit_buckets_idle ON rate_limit_buckets (idle_after);

-- live_relay_spill: live news too large for one NOTIFY (8000 bytes). The node that has it
-- writes it here and notifies its id; the others read it. Kept a few minutes.
CREATE UNLOGGED TABLE live_relay_spill (
  id      bigserial PRIMARY KEY,
  payload text NOT NULL,
  at      bigint NOT NULL
);
CREATE INDEX live_relay_spill_at ON live_relay_spill (at);
