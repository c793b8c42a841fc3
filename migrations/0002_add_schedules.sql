-- The scheduled half: risk alerts (spikes) and the incidents behind them, announcements to the
-- population, and the record of retention runs. Reminders and escalations need no table: their
-- outbox idempotency keys (remind:<incident>:<kind>:<stage>:<due>) are the "sent once" record.

-- One alert-worthy rise of one topic in one municipality. While it keeps rising it stays the same
-- spike (last_seen_at moves on); a rise after it has calmed down for a window is a new spike.
CREATE TABLE spikes (
  id               INTEGER PRIMARY KEY,
  scope_key        TEXT    NOT NULL,            -- <topic>|<municipality id or "-">: one open spike per scope
  topic            TEXT    NOT NULL,
  municipality_id  TEXT,                        -- null: the regional queue
  place            TEXT,                        -- the street or settlement most named, if any
  started_at       INTEGER NOT NULL,            -- epoch ms of the run that found it
  last_seen_at     INTEGER NOT NULL,            -- epoch ms of the latest run that still saw it
  window_hours     REAL    NOT NULL,
  count            INTEGER NOT NULL,            -- the highest count in a window seen so far
  expected         REAL    NOT NULL,            -- the baseline (λ) when it was found
  p_value          REAL    NOT NULL
);
CREATE INDEX spikes_scope ON spikes (scope_key, last_seen_at);
CREATE INDEX spikes_started ON spikes (started_at);

-- The incidents counted in a spike (shown in the alert, on incident cards, in the digest).
CREATE TABLE incident_spikes (
  spike_id     INTEGER NOT NULL REFERENCES spikes(id),
  incident_id  INTEGER NOT NULL REFERENCES incidents(id),
  linked_at    INTEGER NOT NULL,
  PRIMARY KEY (spike_id, incident_id)
);
CREATE INDEX incident_spikes_incident ON incident_spikes (incident_id);

-- An official message («информирование населения») posted by a moderator with /announce.
CREATE TABLE announcements (
  id               INTEGER PRIMARY KEY,
  request_key      TEXT    NOT NULL UNIQUE,     -- the command message that asked for it: a redelivered command posts nothing twice
  created_at       INTEGER NOT NULL,
  moderator_key    TEXT    NOT NULL,            -- tg:<id> | vk:<id>
  moderator_name   TEXT,
  municipality_id  TEXT,                        -- null: the whole region
  topic            TEXT,                        -- with reply_open: whose open incidents get it as a reply
  place            TEXT,                        -- street or settlement that narrows those incidents
  reply_open       INTEGER NOT NULL DEFAULT 0,
  text             TEXT    NOT NULL,
  targets          INTEGER NOT NULL,            -- communities and chats posted to
  replies          INTEGER NOT NULL             -- incident threads replied to
);

-- Each run of the retention job, so the digest can say what was deleted.
CREATE TABLE retention_runs (
  id                    INTEGER PRIMARY KEY,
  ran_at                INTEGER NOT NULL,
  messages_cleared      INTEGER NOT NULL,        -- non-appeal messages whose text and author name were deleted
  incidents_anonymised  INTEGER NOT NULL         -- closed incidents whose text, name and author id were removed
);
CREATE INDEX retention_runs_at ON retention_runs (ran_at);
