-- Cordial centre schema, version 3: named console accounts, their sessions, and the audit log.

CREATE TABLE console_users (
  id bigserial PRIMARY KEY,
  username text NOT NULL,
  display_name text NOT NULL,
  role text NOT NULL CHECK (role IN ('admin', 'supervisor', 'department', 'follow_up', 'viewer', 'evaluator')),
  department_code text,
  -- scrypt$N$r$p$salt$hash: the parameters travel with the hash, so they can be raised later.
  password_hash text NOT NULL,
  disabled boolean NOT NULL DEFAULT false,
  created_at bigint NOT NULL,
  last_sign_in_at bigint,
  CHECK (role NOT IN ('department', 'follow_up') OR department_code IS NOT NULL)
);
-- "Wang.Li" and "wang.li" are one person.
CREATE UNIQUE INDEX console_users_username ON console_users (lower(username));

CREATE TABLE console_sessions (
  -- SHA-256 of the cookie value: a copy of the database does not sign anyone in.
  id_hash text PRIMARY KEY,
  user_id bigint NOT NULL REFERENCES console_users (id) ON DELETE CASCADE,
  csrf_token text NOT NULL,
  created_at bigint NOT NULL,
  last_seen_at bigint NOT NULL,
  expires_at bigint NOT NULL,
  address text
);
CREATE INDEX console_sessions_user ON console_sessions (user_id);

-- Wrong passwords in a row per user name (known or not), for the lockout.
CREATE TABLE console_sign_in_failures (
  username_key text PRIMARY KEY,
  failures integer NOT NULL,
  locked_until bigint,
  last_failure_at bigint NOT NULL
);

-- Hashes of first-start setup tokens; emptied once an admin exists.
CREATE TABLE console_setup_tokens (
  token_hash text PRIMARY KEY,
  expires_at bigint NOT NULL
);

CREATE TABLE console_audit (
  id bigserial PRIMARY KEY,
  at bigint NOT NULL,
  action text NOT NULL CHECK (action IN (
    'sign_in', 'sign_in_failed', 'sign_out', 'sign_out_everywhere', 'locked_out',
    'setup', 'user_created', 'user_changed', 'password_changed')),
  actor text,
  subject text,
  detail text NOT NULL DEFAULT '',
  address text
);
CREATE INDEX console_audit_action ON console_audit (action, id);
CREATE INDEX console_audit_actor ON console_audit (lower(actor), id);
CREATE INDEX console_audit_subject ON console_audit (lower(subject), id);
