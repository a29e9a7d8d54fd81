-- Cordial centre schema, version 6: the follow-up of poor ratings (回访, 核实, 整改, 反馈), the
-- working-day calendar its deadlines count on, and a trail nobody can edit.
-- Dates (deadline, rated_day, calendar days) are the centre's local dates as text YYYY-MM-DD.

-- The days that differ from Monday to Friday: weekdays off (法定节假日) and weekend days worked (调休).
CREATE TABLE calendar_days (
  day             text PRIMARY KEY CHECK (day ~ '^\d{4}-\d{2}-\d{2}$'),
  kind            text NOT NULL CHECK (kind IN ('holiday', 'workday'))
);

-- Who last set each year's days; 'default' until an admin changes the year shipped with Cordial.
CREATE TABLE calendar_years (
  year            integer PRIMARY KEY,
  source          text NOT NULL CHECK (source IN ('default', 'admin')),
  updated_by      text,
  updated_at      bigint
);

-- The State Council's arrangement for 2026, shipped as the default year.
INSERT INTO calendar_years (year, source) VALUES (2026, 'default');
INSERT INTO calendar_days (day, kind) VALUES
  ('2026-01-01', 'holiday'), ('2026-01-02', 'holiday'),
  ('2026-02-16', 'holiday'), ('2026-02-17', 'holiday'), ('2026-02-18', 'holiday'), ('2026-02-19', 'holiday'),
  ('2026-02-20', 'holiday'), ('2026-02-23', 'holiday'),
  ('2026-04-06', 'holiday'),
  ('2026-05-01', 'holiday'), ('2026-05-04', 'holiday'), ('2026-05-05', 'holiday'),
  ('2026-06-19', 'holiday'),
  ('2026-09-25', 'holiday'),
  ('2026-10-01', 'holiday'), ('2026-10-02', 'holiday'), ('2026-10-05', 'holiday'), ('2026-10-06', 'holiday'), ('2026-10-07', 'holiday'),
  ('2026-01-04', 'workday'), ('2026-02-14', 'workday'), ('2026-02-28', 'workday'),
  ('2026-05-09', 'workday'), ('2026-09-20', 'workday'), ('2026-10-10', 'workday');

-- The centre's UTC offset in minutes and its follow-up working days, from the settings row
-- (defaults as in src/settings.ts: +08:00 and 15).
CREATE FUNCTION centre_offset_minutes() RETURNS integer LANGUAGE sql STABLE AS $$
  SELECT CASE WHEN left(o, 1) = '-' THEN -1 ELSE 1 END * (substr(o, 2, 2)::integer * 60 + substr(o, 5, 2)::integer)
  FROM (SELECT coalesce((SELECT body->>'utcOffset' FROM settings WHERE id = 1), '+08:00') AS o) s
$$;

CREATE FUNCTION follow_up_working_days() RETURNS integer LANGUAGE sql STABLE AS $$
  SELECT coalesce((SELECT (body->'followUp'->>'workingDays')::integer FROM settings WHERE id = 1), 15)
$$;

-- Whether a local date is a working day: the settings' own lists (kept from before the
-- calendar table) first, then the calendar, then Monday to Friday. Same rule as
-- src/reports/working-days.ts isWorkingDay.
CREATE FUNCTION is_working_day(d date) RETURNS boolean LANGUAGE sql STABLE AS $$
  SELECT CASE
    WHEN coalesce((SELECT body->'followUp'->'workdays' FROM settings WHERE id = 1), '[]'::jsonb) ? to_char(d, 'YYYY-MM-DD') THEN true
    WHEN coalesce((SELECT body->'followUp'->'holidays' FROM settings WHERE id = 1), '[]'::jsonb) ? to_char(d, 'YYYY-MM-DD') THEN false
    ELSE coalesce((SELECT kind = 'workday' FROM calendar_days WHERE day = to_char(d, 'YYYY-MM-DD')), extract(isodow FROM d) < 6)
  END
$$;

-- The last day to close a record for a rating given at rated_at: the Nth working day after
-- the rating's local date, by is_working_day's rule. Settings and calendar are read once per
-- call, then the days are walked in memory: ingest calls this for every poor rating.
CREATE FUNCTION follow_up_deadline(rated_at bigint) RETURNS text LANGUAGE plpgsql STABLE AS $$
DECLARE
  cfg jsonb := coalesce((SELECT body->'followUp' FROM settings WHERE id = 1), '{}'::jsonb);
  wanted integer := coalesce((cfg->>'workingDays')::integer, 15);
  extra_work jsonb := coalesce(cfg->'workdays', '[]'::jsonb);
  extra_off jsonb := coalesce(cfg->'holidays', '[]'::jsonb);
  d date := figure_day(rated_at, centre_offset_minutes());
  last_day date := d + wanted * 3 + 60;
  holidays text[];
  workdays text[];
  iso text;
  counted integer := 0;
BEGIN
  SELECT coalesce(array_agg(day) FILTER (WHERE kind = 'holiday'), '{}'), coalesce(array_agg(day) FILTER (WHERE kind = 'workday'), '{}')
    INTO holidays, workdays
    FROM calendar_days WHERE day > to_char(d, 'YYYY-MM-DD') AND day <= to_char(last_day, 'YYYY-MM-DD');
  WHILE counted < wanted AND d < last_day LOOP
    d := d + 1;
    iso := to_char(d, 'YYYY-MM-DD');
    IF extra_work ? iso THEN counted := counted + 1;
    ELSIF extra_off ? iso THEN NULL;
    ELSIF iso = ANY (workdays) THEN counted := counted + 1;
    ELSIF iso = ANY (holidays) THEN NULL;
    ELSIF extract(isodow FROM d) < 6 THEN counted := counted + 1;
    END IF;
  END LOOP;
  RETURN iso;
END
$$;

-- One record per rating, keyed on the kiosk's rating id: the same after retries, bundles and
-- a restored database's new epoch. Case fields are copied from the rating record, so the
-- record stands even before the reports project it.
CREATE TABLE follow_ups (
  id              bigserial PRIMARY KEY,
  rating_id       text NOT NULL UNIQUE,
  terminal_id     text NOT NULL,
  case_id         text NOT NULL,
  case_no         text,
  level           text NOT NULL,
  rated_at        bigint NOT NULL,
  rated_day       text NOT NULL,
  window_no       text,
  staff_no        text,
  staff_name      text,
  department_code text,
  department_name text,
  item_code       text,
  item_name       text,
  reason_codes    jsonb NOT NULL DEFAULT '[]',
  comment         text,
  -- Personal information: read only masked, but for the assigned officer's logged reveal.
  callback_phone  text,
  opened_by       text NOT NULL CHECK (opened_by IN ('rating', 'hand')),
  opened_at       bigint NOT NULL,
  state           text NOT NULL DEFAULT 'new'
                  CHECK (state IN ('new', 'assigned', 'called', 'verified', 'rectifying', 'answered', 'replied', 'closed')),
  assignee        text,
  call_result     text CHECK (call_result IN ('reached', 'not_reached', 'no_phone')),
  finding         text CHECK (finding IN ('valid', 'partly_valid', 'not_valid')),
  deadline        text NOT NULL CHECK (deadline ~ '^\d{4}-\d{2}-\d{2}$'),
  called_at       bigint,
  rectifying_at   bigint,
  -- When the citizen was last told the outcome (answer or reply).
  answered_at     bigint,
  closed_at       bigint,
  updated_at      bigint NOT NULL,
  CHECK ((state = 'closed') = (closed_at IS NOT NULL))
);
-- The ledger: newest first, by department, by state; the alert rules: open records by deadline.
CREATE INDEX follow_ups_rated ON follow_ups (rated_at DESC, id DESC);
CREATE INDEX follow_ups_department ON follow_ups (department_code, rated_at DESC, id DESC);
CREATE INDEX follow_ups_open_deadline ON follow_ups (deadline) WHERE state <> 'closed';
CREATE INDEX follow_ups_assignee ON follow_ups (lower(assignee)) WHERE assignee IS NOT NULL;

-- Every opening, transition and phone reveal, with who and when: appended, never changed.
CREATE TABLE follow_up_trail (
  follow_up_id    bigint NOT NULL REFERENCES follow_ups (id),
  seq             integer NOT NULL,
  at              bigint NOT NULL,
  by_user         text NOT NULL,
  action          text NOT NULL,
  from_state      text,
  to_state        text NOT NULL,
  detail          jsonb NOT NULL DEFAULT '{}',
  PRIMARY KEY (follow_up_id, seq)
);

-- Who saw which callback phone, and when (the number itself is never written here).
CREATE TABLE follow_up_phone_reveals (
  id              bigserial PRIMARY KEY,
  follow_up_id    bigint NOT NULL REFERENCES follow_ups (id),
  by_user         text NOT NULL,
  at              bigint NOT NULL,
  address         text
);

-- Who changed the calendar or the follow-up settings, and what they set.
CREATE TABLE follow_up_config_changes (
  id              bigserial PRIMARY KEY,
  at              bigint NOT NULL,
  by_user         text NOT NULL,
  what            text NOT NULL CHECK (what IN ('calendar', 'settings')),
  detail          text NOT NULL
);

CREATE FUNCTION refuse_history_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only: its rows cannot be changed or deleted', TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER follow_up_trail_append_only BEFORE UPDATE OR DELETE ON follow_up_trail FOR EACH ROW EXECUTE FUNCTION refuse_history_change();
CREATE TRIGGER follow_up_phone_reveals_append_only BEFORE UPDATE OR DELETE ON follow_up_phone_reveals FOR EACH ROW EXECUTE FUNCTION refuse_history_change();
CREATE TRIGGER follow_up_config_changes_append_only BEFORE UPDATE OR DELETE ON follow_up_config_changes FOR EACH ROW EXECUTE FUNCTION refuse_history_change();

-- Poor ratings already held open their records now, as if they had just arrived.
INSERT INTO follow_ups (rating_id, terminal_id, case_id, case_no, level, rated_at, rated_day, window_no, staff_no, staff_name,
  department_code, department_name, item_code, item_name, reason_codes, comment, callback_phone, opened_by, opened_at, deadline, updated_at)
SELECT c.rating_id, c.terminal_id, c.case_id, c.case_no, c.level, c.rated_at, to_char(figure_day(c.rated_at, centre_offset_minutes()), 'YYYY-MM-DD'),
  c.window_no, c.staff_no, c.staff_name, c.department_code, c.department_name, c.item_code, c.item_name,
  coalesce(c.reason_codes, '[]'), c.comment, c.callback_phone, 'rating', c.rated_at, follow_up_deadline(c.rated_at), c.rated_at
FROM cases c
WHERE c.status = 'rated' AND c.level IN ('dissatisfied', 'very_dissatisfied') AND c.rating_id IS NOT NULL AND c.rated_at IS NOT NULL
ORDER BY c.rated_at
ON CONFLICT (rating_id) DO NOTHING;
INSERT INTO follow_up_trail (follow_up_id, seq, at, by_user, action, from_state, to_state)
SELECT id, 1, opened_at, 'centre', 'open', NULL, 'new' FROM follow_ups;
