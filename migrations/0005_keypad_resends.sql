-- A keypad's resend of a press already recorded is link noise, not a citizen's action: it is
-- acknowledged and counted here, per keypad, for diagnostics, and never recorded as a fact.
CREATE TABLE keypad_resends (
  device_serial TEXT PRIMARY KEY,
  resends       INTEGER NOT NULL CHECK (resends >= 0),
  last_at       INTEGER NOT NULL
) STRICT, WITHOUT ROWID;

-- Earlier versions stored each resend as a misuse press (cause 'repeat_event') with an outbox
-- record. Those rows stay, as the hash chain covers their records; they are counted here,
-- and the export and the figures leave them out.
INSERT INTO keypad_resends (device_serial, resends, last_at)
  SELECT device_serial, count(*), max(pressed_at) FROM misuse_presses
  WHERE cause = 'repeat_event' AND device_serial IS NOT NULL GROUP BY device_serial;
