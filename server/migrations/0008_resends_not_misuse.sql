-- Earlier kiosks sent a keypad's resend of a press they had already recorded as a misuse
-- record with cause 'repeat_event'. A resend is link noise, not a citizen's action: those
-- records stay as received (their terminal's chain covers them) but leave the figures and
-- the CSV. The view behind a rebuild leaves them out, and the roll-ups are built again.
CREATE OR REPLACE VIEW misuse_figures AS
SELECT figure_day((r.payload->>'at')::bigint, s.utc_offset_minutes) AS day,
  coalesce(c.department_code, w.department_code, '') AS department_code, coalesce(c.department_name, w.department_name) AS department_name,
  c.staff_no, c.staff_name, r.payload->>'windowNo' AS window_no, c.item_code, c.item_name, r.payload->>'channel' AS channel,
  0 AS cases, 0 AS rated, 0 AS unrated, 0 AS very_satisfied, 0 AS satisfied, 0 AS basically_satisfied, 0 AS dissatisfied, 0 AS very_dissatisfied,
  1 AS misuse
FROM records r
JOIN terminal_epochs e ON e.terminal_id = r.terminal_id AND e.epoch = r.epoch AND r.seq <= e.projected_seq
JOIN figures_state s ON s.id = 1
LEFT JOIN cases c ON c.terminal_id = r.terminal_id AND c.case_id = r.payload->>'caseId'
LEFT JOIN windows w ON w.window_no = r.payload->>'windowNo'
WHERE r.kind = 'misuse' AND r.integrity IS DISTINCT FROM 'altered' AND r.quarantined IS NULL
  AND r.payload->>'cause' IS DISTINCT FROM 'repeat_event';

SELECT rebuild_figures(utc_offset_minutes) FROM figures_state WHERE id = 1;
