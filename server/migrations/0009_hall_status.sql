-- Live hall supervision: the latest status each window sent on the live channel
-- (src/shared/live-status.ts). Best-effort and ephemeral: every fact in it also travels
-- through the outbox. One row per window, overwritten; the API node keeps the same in
-- memory and writes here behind its back (coalesced, about once a second), so a restart or
-- a second API node shows the same hall. The window rules read this table too.
CREATE TABLE window_status (
  window_no       text PRIMARY KEY,
  terminal_id     text NOT NULL,
  department_code text,
  -- The WindowStatus as received, less terminalId/windowNo/seq/runId (kept in columns).
  status          jsonb NOT NULL,
  -- Centre clock when it arrived: "stale" is measured from here, never from the kiosk's clock.
  received_at     bigint NOT NULL,
  run_id          text NOT NULL,
  seq             bigint NOT NULL
);

CREATE INDEX window_status_received ON window_status (received_at);
