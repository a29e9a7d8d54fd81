-- Wall tokens: a display PC in the hall reads the live hall with a read-only token instead
-- of a person's account. Only the token's hash is kept (it is shown once, inside the
-- wall's address); revoking it ends every wall cookie made from it at once.
CREATE TABLE wall_tokens (
  id           bigserial PRIMARY KEY,
  name         text NOT NULL,
  token_hash   text NOT NULL UNIQUE,
  created_by   text NOT NULL,
  created_at   bigint NOT NULL,
  -- Written at most once a minute per token, so a wall that reads all day costs no writes.
  last_used_at bigint,
  revoked_at   bigint,
  revoked_by   text
);

-- The wall's cookie holds a random id; only its hash is kept. It lives as long as its token.
CREATE TABLE wall_sessions (
  id_hash    text PRIMARY KEY,
  token_id   bigint NOT NULL REFERENCES wall_tokens (id) ON DELETE CASCADE,
  created_at bigint NOT NULL,
  address    text
);
CREATE INDEX wall_sessions_token ON wall_sessions (token_id);
