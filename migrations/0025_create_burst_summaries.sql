-- During a burst (more cards waiting for the moderators' chat than it takes in a while), one
-- summary message per group of incidents (src/domain/burst-group.ts: topic and municipality
-- today) lists them with buttons to open each; the cards follow as the chat's rate allows.
CREATE TABLE burst_summaries (
  id          INTEGER PRIMARY KEY,
  chat_id     INTEGER NOT NULL,             -- the moderators' chat
  group_key   TEXT    NOT NULL,             -- what its incidents share (burstGroup(incident).key)
  opened_at   INTEGER NOT NULL,
  updated_at  INTEGER NOT NULL,             -- when an incident last joined; a quiet summary is closed
  version     INTEGER NOT NULL DEFAULT 1,   -- bumped by every change; edits are keyed by it
  message_id  INTEGER,                      -- the summary's Telegram message, once delivered
  edit_due_at INTEGER,                      -- the earliest time the next edit of the message may go out
  page        INTEGER NOT NULL DEFAULT 0    -- the page of «№N» buttons shown (a moderator turns it)
);
CREATE INDEX burst_summaries_group ON burst_summaries (chat_id, group_key, updated_at);

-- The incidents a summary lists, in the order they joined.
CREATE TABLE burst_summary_incidents (
  summary_id  INTEGER NOT NULL REFERENCES burst_summaries(id),
  incident_id INTEGER NOT NULL REFERENCES incidents(id),
  joined_at   INTEGER NOT NULL,
  PRIMARY KEY (summary_id, incident_id)
);
