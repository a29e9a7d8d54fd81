-- Keypad faults (CRK/1 FAULT frames) and where each press came from.

CREATE TABLE device_faults (
  id            INTEGER PRIMARY KEY,
  device_serial TEXT NOT NULL,
  code          INTEGER NOT NULL,
  detail        TEXT NOT NULL DEFAULT '',
  reported_at   INTEGER NOT NULL
) STRICT;
CREATE INDEX device_faults_reported_at ON device_faults (reported_at);
