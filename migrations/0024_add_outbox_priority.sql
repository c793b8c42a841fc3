-- Which row of a destination goes first. A lane that cannot keep up (a Telegram group takes 20
-- messages a minute) sends its due rows by priority, then by due time: a moderator's reply, a burst
-- summary, an alert or an emergency card before ordinary cards. 0 is ordinary; higher goes first.
ALTER TABLE outbox ADD COLUMN priority INTEGER NOT NULL DEFAULT 0;
