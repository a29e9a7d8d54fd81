-- The press journal (presses.journal in the data folder) makes a key press durable before
-- its ACK; the press is then committed here. This row says which journal entry the
-- database holds last, written in the same transaction as the press it belongs to.
CREATE TABLE press_journal (
  id          INTEGER PRIMARY KEY CHECK (id = 1),
  applied_seq INTEGER NOT NULL CHECK (applied_seq >= 0)
) STRICT;
INSERT INTO press_journal (id, applied_seq) VALUES (1, 0);
