-- Signed-in console sessions: the cookie carries a random id, the row its SHA-256, the moderator
-- and the CSRF token every action must echo. A session ends at expires_at, at sign-out, or when
-- its moderator is no longer in config.
CREATE TABLE console_sessions (
  id_hash        TEXT    PRIMARY KEY,
  moderator_key  TEXT    NOT NULL,
  csrf_token     TEXT    NOT NULL,
  created_at     INTEGER NOT NULL,
  expires_at     INTEGER NOT NULL,
  ended_at       INTEGER
);
CREATE INDEX console_sessions_moderator ON console_sessions (moderator_key);
