-- Cordial centre schema, version 19: 预约服务 (10.4), the appointment register of annex C.
-- The contact phone is kept as the follow-up callback phone is: masked for every screen,
-- sealed with the data key (privacy/vault.ts), and a keyed hash to find a number again, so
-- a citizen's erasure request reaches it too.

CREATE TABLE appointments (
  id                 bigserial PRIMARY KEY,
  applicant_kind     text NOT NULL CHECK (applicant_kind IN ('person', 'company')),
  applicant_name     text NOT NULL CHECK (length(applicant_name) BETWEEN 1 AND 100),
  -- Null once erased (a citizen's request, or the retention days after the agreed day).
  phone_masked       text,
  phone_sealed       text,
  phone_key          text,
  item_code          text NOT NULL,
  item_name          text NOT NULL,
  department_code    text,
  department_name    text,
  window_no          text NOT NULL,
  taken_by           text NOT NULL,
  taken_by_name      text NOT NULL,
  registered_at      bigint NOT NULL,
  -- Any day: holidays and weekends are allowed (10.4), so no check against the calendar.
  agreed_date        date NOT NULL,
  agreed_time        text NOT NULL CHECK (agreed_time ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$'),
  channel            text NOT NULL CHECK (channel IN ('on_site', 'phone', 'online')),
  department_opinion text CHECK (length(department_opinion) <= 500),
  opinion_by         text,
  opinion_at         bigint,
  -- The case opened from it at the window, and that case's outcome once it is finished.
  terminal_id        text,
  case_id            text,
  outcome            text,
  served_at          bigint
);
CREATE INDEX appointments_day_window ON appointments (agreed_date, window_no);
CREATE INDEX appointments_day_department ON appointments (agreed_date, department_code);
CREATE INDEX appointments_phone_key ON appointments (phone_key);

-- The appointment a case was opened from (case_opened, sync wire revision 4), as the window sent it.
ALTER TABLE cases ADD COLUMN appointment_id text;
CREATE INDEX cases_appointment ON cases (appointment_id) WHERE appointment_id IS NOT NULL;
