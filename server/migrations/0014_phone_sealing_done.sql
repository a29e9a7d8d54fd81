-- Phones an earlier version stored in clear are sealed once, at the first start after the
-- upgrade (privacy/seal.ts); this row says it was done, so later starts do not scan every
-- record again. Records of earlier windows arriving later are sealed at ingest.
CREATE TABLE phone_sealing_done (
  id integer PRIMARY KEY CHECK (id = 1),
  at bigint NOT NULL
);
