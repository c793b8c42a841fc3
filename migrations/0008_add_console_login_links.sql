-- One-time sign-in links of the web console: a moderator sends /login to the bot in a private
-- chat and gets a link valid a few minutes. Only a SHA-256 of the token is kept, so a copy of the
-- database does not sign anyone in; used_at makes a link work once.
CREATE TABLE console_login_links (
  token_hash     TEXT    PRIMARY KEY,
  moderator_key  TEXT    NOT NULL,              -- authorKey of the moderator: tg:<id>, vk:<id>, …
  created_at     INTEGER NOT NULL,
  expires_at     INTEGER NOT NULL,
  used_at        INTEGER
);
CREATE INDEX console_login_links_expires ON console_login_links (expires_at);
