-- Cordial centre schema, version 4: the console's figures come from roll-ups kept up to date
-- in the projector's own transaction (src/figures/rollup.ts), never from raw rows per page.
--
-- The day a case counts on: the centre's local day (utcOffset) of the moment it was closed;
-- a case with no close record counts on the day it was rated, else the day it was marked
-- unrated. Open cases count nowhere until they close. The same moment as reports/satisfaction.ts.
ALTER TABLE cases ADD COLUMN counted_at bigint GENERATED ALWAYS AS (coalesce(closed_at, rated_at, unrated_at, opened_at)) STORED;

-- The drill-down walks one staff member's (window's, department's, item's) ratings newest first.
CREATE INDEX cases_rated_staff ON cases (staff_no, counted_at, terminal_id, case_id) WHERE status = 'rated';
CREATE INDEX cases_rated_window ON cases (window_no, counted_at, terminal_id, case_id) WHERE status = 'rated';
CREATE INDEX cases_rated_department ON cases (department_code, counted_at, terminal_id, case_id) WHERE status = 'rated';
CREATE INDEX cases_rated_item ON cases (item_code, counted_at, terminal_id, case_id) WHERE status = 'rated';
-- The unrated policy's boundary day is counted from cases, not roll-ups.
CREATE INDEX cases_unrated_counted ON cases (counted_at) WHERE status = 'unrated';
-- A rebuild finds misuse presses without reading every record.
CREATE INDEX records_misuse ON records (terminal_id, epoch, seq) WHERE kind = 'misuse';

-- The UTC offset the roll-ups were built with; a changed offset rebuilds them.
CREATE TABLE figures_state (
  id                 integer PRIMARY KEY CHECK (id = 1),
  utc_offset_minutes integer NOT NULL,
  built_at           bigint NOT NULL
);

-- Counts per local day and per month, by one dimension at a time, within a department.
-- department_code and key are '' where the case names none.
CREATE TABLE figures (
  dimension           text NOT NULL,
  grain               text NOT NULL CHECK (grain IN ('day', 'month')),
  bucket              date NOT NULL,
  department_code     text NOT NULL,
  key                 text NOT NULL,
  name                text,
  cases               integer NOT NULL,
  rated               integer NOT NULL,
  unrated             integer NOT NULL,
  very_satisfied      integer NOT NULL,
  satisfied           integer NOT NULL,
  basically_satisfied integer NOT NULL,
  dissatisfied        integer NOT NULL,
  very_dissatisfied   integer NOT NULL,
  misuse              integer NOT NULL,
  PRIMARY KEY (dimension, grain, bucket, department_code, key)
) PARTITION BY LIST (dimension);
CREATE TABLE figures_department PARTITION OF figures FOR VALUES IN ('department');
CREATE TABLE figures_staff PARTITION OF figures FOR VALUES IN ('staff');
CREATE TABLE figures_window PARTITION OF figures FOR VALUES IN ('window');
CREATE TABLE figures_item PARTITION OF figures FOR VALUES IN ('item');
CREATE TABLE figures_channel PARTITION OF figures FOR VALUES IN ('channel');
-- A department head's pages read one department's rows.
CREATE INDEX figures_by_department ON figures (dimension, grain, department_code, bucket);

CREATE FUNCTION figure_day(at_ms bigint, offset_minutes integer) RETURNS date
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT date '1970-01-01' + ((at_ms + offset_minutes * 60000::bigint) / 86400000)::integer $$;

-- What one finished case adds to the figures.
CREATE VIEW case_figures AS
SELECT c.terminal_id, c.case_id,
  figure_day(c.counted_at, s.utc_offset_minutes) AS day,
  coalesce(c.department_code, '') AS department_code, c.department_name,
  c.staff_no, c.staff_name, c.window_no, c.item_code, c.item_name,
  CASE WHEN c.status = 'rated' THEN c.channel END AS channel,
  1 AS cases,
  (c.status = 'rated')::integer AS rated,
  (c.status = 'unrated')::integer AS unrated,
  (c.status = 'rated' AND c.level = 'very_satisfied')::integer AS very_satisfied,
  (c.status = 'rated' AND c.level = 'satisfied')::integer AS satisfied,
  (c.status = 'rated' AND c.level = 'basically_satisfied')::integer AS basically_satisfied,
  (c.status = 'rated' AND c.level = 'dissatisfied')::integer AS dissatisfied,
  (c.status = 'rated' AND c.level = 'very_dissatisfied')::integer AS very_dissatisfied,
  0 AS misuse
FROM cases c JOIN figures_state s ON s.id = 1
WHERE c.status <> 'open' AND c.counted_at IS NOT NULL;

-- What projected misuse presses add: on the day pressed, to the case's staff and item when
-- the press names a case, and to the case's (else the window's) department. Field names are
-- those of sync wire version 1.
CREATE VIEW misuse_figures AS
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
WHERE r.kind = 'misuse' AND r.integrity IS DISTINCT FROM 'altered' AND r.quarantined IS NULL;

-- Builds every roll-up from the cases and records in one pass: for existing centres here,
-- and again by the projector when the centre's UTC offset changes.
CREATE FUNCTION rebuild_figures(offset_minutes integer) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO figures_state (id, utc_offset_minutes, built_at)
    VALUES (1, offset_minutes, (extract(epoch FROM clock_timestamp()) * 1000)::bigint)
    ON CONFLICT (id) DO UPDATE SET utc_offset_minutes = excluded.utc_offset_minutes, built_at = excluded.built_at;
  TRUNCATE figures;
  INSERT INTO figures (dimension, grain, bucket, department_code, key, name, cases, rated, unrated,
    very_satisfied, satisfied, basically_satisfied, dissatisfied, very_dissatisfied, misuse)
  SELECT dimension, 'day', day, department_code, key, name, cases, rated, unrated,
    very_satisfied, satisfied, basically_satisfied, dissatisfied, very_dissatisfied, misuse
  FROM (
    SELECT day, department_code,
      CASE GROUPING(staff_no, window_no, item_code, channel)
        WHEN 15 THEN 'department' WHEN 7 THEN 'staff' WHEN 11 THEN 'window' WHEN 13 THEN 'item' ELSE 'channel' END AS dimension,
      CASE GROUPING(staff_no, window_no, item_code, channel)
        WHEN 15 THEN department_code WHEN 7 THEN staff_no WHEN 11 THEN window_no WHEN 13 THEN item_code ELSE channel END AS key,
      CASE GROUPING(staff_no, window_no, item_code, channel)
        WHEN 15 THEN max(department_name) WHEN 7 THEN max(staff_name) WHEN 11 THEN window_no WHEN 13 THEN max(item_name) ELSE channel END AS name,
      sum(cases) AS cases, sum(rated) AS rated, sum(unrated) AS unrated,
      sum(very_satisfied) AS very_satisfied, sum(satisfied) AS satisfied, sum(basically_satisfied) AS basically_satisfied,
      sum(dissatisfied) AS dissatisfied, sum(very_dissatisfied) AS very_dissatisfied, sum(misuse) AS misuse
    FROM (SELECT day, department_code, department_name, staff_no, staff_name, window_no, item_code, item_name, channel,
            cases, rated, unrated, very_satisfied, satisfied, basically_satisfied, dissatisfied, very_dissatisfied, misuse
          FROM case_figures
          UNION ALL
          SELECT * FROM misuse_figures) f
    GROUP BY GROUPING SETS ((day, department_code), (day, department_code, staff_no), (day, department_code, window_no),
      (day, department_code, item_code), (day, department_code, channel))
  ) g
  WHERE key IS NOT NULL;
  INSERT INTO figures (dimension, grain, bucket, department_code, key, name, cases, rated, unrated,
    very_satisfied, satisfied, basically_satisfied, dissatisfied, very_dissatisfied, misuse)
  SELECT dimension, 'month', date_trunc('month', bucket::timestamp)::date, department_code, key, max(name), sum(cases), sum(rated), sum(unrated),
    sum(very_satisfied), sum(satisfied), sum(basically_satisfied), sum(dissatisfied), sum(very_dissatisfied), sum(misuse)
  FROM figures WHERE grain = 'day'
  GROUP BY dimension, date_trunc('month', bucket::timestamp)::date, department_code, key;
END
$$;

SELECT rebuild_figures((
  SELECT CASE WHEN left(o, 1) = '-' THEN -1 ELSE 1 END * (substr(o, 2, 2)::integer * 60 + substr(o, 5, 2)::integer)
  FROM (SELECT coalesce((SELECT body->>'utcOffset' FROM settings WHERE id = 1), '+08:00') AS o) s
));
