-- Cordial centre schema, version 16: what the punctuality report (考勤) reads by time. The
-- sign-in, sign-out and pause records of a period, without walking every rating and case
-- record; and the cases closed after hours (延时服务).
CREATE INDEX records_attendance ON records (recorded_at) WHERE kind IN ('session_started', 'session_ended', 'pause_started', 'pause_ended');
CREATE INDEX cases_after_hours ON cases (closed_at) WHERE after_hours;
