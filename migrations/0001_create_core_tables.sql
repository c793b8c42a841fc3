-- The core: every message seen, the incidents made from them, their audit log,
-- the outbox that is the only way anything is sent, and the poll cursors.

-- Every inbound message, recorded once per (channel, external_id).
CREATE TABLE messages (
  id              INTEGER PRIMARY KEY,
  channel         TEXT    NOT NULL,              -- vk_comment | vk_message | telegram
  external_id     TEXT    NOT NULL,              -- the platform's id, unique per channel
  thread_key      TEXT    NOT NULL,              -- threadKey(thread): the post, dialog or chat
  thread_json     TEXT    NOT NULL,              -- ThreadRef, to answer in the same place
  source_key      TEXT    NOT NULL,              -- vk:<groupId> | tg:<chatId>
  author_key      TEXT    NOT NULL,              -- vk:<id> | tg:<id>
  author_name     TEXT,                          -- personal data: cleared by retention
  author_is_bot   INTEGER NOT NULL DEFAULT 0,
  is_private      INTEGER NOT NULL DEFAULT 0,    -- a one-to-one dialog with the bot
  text            TEXT,                          -- personal data: cleared by retention
  attachments     TEXT    NOT NULL DEFAULT '[]', -- JSON array of attachment kinds
  created_at      INTEGER NOT NULL,              -- epoch ms, as the platform stamped it
  received_at     INTEGER NOT NULL,              -- epoch ms, when we recorded it
  decision        TEXT    NOT NULL,              -- what the pipeline did: incident | followup | review | ignored | skipped_* | command
  detection_json  TEXT,                          -- Detection, null when detection did not run
  incident_id     INTEGER REFERENCES incidents(id),
  UNIQUE (channel, external_id)
);
CREATE INDEX messages_thread_author ON messages (thread_key, author_key);
CREATE INDEX messages_received ON messages (received_at);

-- A case people work. id is the public number.
CREATE TABLE incidents (
  id               INTEGER PRIMARY KEY,
  message_id       INTEGER NOT NULL REFERENCES messages(id),
  channel          TEXT    NOT NULL,
  thread_key       TEXT    NOT NULL,
  thread_json      TEXT    NOT NULL,
  source_key       TEXT    NOT NULL,
  author_key       TEXT    NOT NULL,
  author_name      TEXT,                         -- personal data: anonymised by retention
  text             TEXT,                         -- personal data: anonymised by retention
  topic            TEXT    NOT NULL,
  urgency          TEXT    NOT NULL,             -- emergency | normal
  place_json       TEXT,                         -- PlaceMatch
  reasons_json     TEXT    NOT NULL DEFAULT '[]',
  score            REAL    NOT NULL,
  municipality_id  TEXT,                         -- null: the regional queue
  department_id    TEXT,
  status           TEXT    NOT NULL DEFAULT 'new',
  created_at       INTEGER NOT NULL,
  acknowledged_at  INTEGER,                      -- the acknowledgement was delivered
  accepted_at      INTEGER,
  answered_at      INTEGER,
  closed_at        INTEGER,
  updated_at       INTEGER NOT NULL,
  accept_due_at    INTEGER,
  answer_due_at    INTEGER
);
CREATE INDEX incidents_status ON incidents (status);
CREATE INDEX incidents_thread_author ON incidents (thread_key, author_key);
CREATE INDEX incidents_municipality ON incidents (municipality_id, status);
CREATE INDEX incidents_created ON incidents (created_at);

-- Append-only audit log of everything that happened to an incident.
CREATE TABLE incident_events (
  id           INTEGER PRIMARY KEY,
  incident_id  INTEGER NOT NULL REFERENCES incidents(id),
  at           INTEGER NOT NULL,
  actor_kind   TEXT    NOT NULL,                 -- system | moderator | citizen
  actor_id     TEXT    NOT NULL,
  action       TEXT    NOT NULL,                 -- created | transition | assign | note | followup | linked | ...
  old_value    TEXT,
  new_value    TEXT,
  details_json TEXT
);
CREATE INDEX incident_events_incident ON incident_events (incident_id, id);

CREATE TRIGGER incident_events_no_update BEFORE UPDATE ON incident_events
BEGIN SELECT RAISE(ABORT, 'incident_events is append-only'); END;
CREATE TRIGGER incident_events_no_delete BEFORE DELETE ON incident_events
BEGIN SELECT RAISE(ABORT, 'incident_events is append-only'); END;

-- The people (threads) who receive an incident's status updates: its author, and everyone
-- whose report was linked to it as the same problem.
CREATE TABLE incident_reporters (
  incident_id  INTEGER NOT NULL REFERENCES incidents(id),
  message_id   INTEGER NOT NULL REFERENCES messages(id),
  thread_key   TEXT    NOT NULL,
  thread_json  TEXT    NOT NULL,
  author_key   TEXT    NOT NULL,
  linked_at    INTEGER NOT NULL,
  PRIMARY KEY (incident_id, message_id)
);
CREATE INDEX incident_reporters_author ON incident_reporters (author_key);

-- Everything the bot sends. Delivery state lives on the row; rows are kept after delivery.
CREATE TABLE outbox (
  id               INTEGER PRIMARY KEY,
  platform         TEXT    NOT NULL,             -- vk | telegram: which client delivers it
  idempotency_key  TEXT    NOT NULL,             -- e.g. ack:<messageId>; also VK guid / random_id
  destination_json TEXT    NOT NULL,             -- Destination
  text             TEXT    NOT NULL,
  format           TEXT    NOT NULL DEFAULT 'plain',
  buttons_json     TEXT,
  alert            INTEGER NOT NULL DEFAULT 0,
  purpose          TEXT    NOT NULL,             -- ack | status | card | review | reminder | alert | digest | announce | reply
  incident_id      INTEGER REFERENCES incidents(id),
  state            TEXT    NOT NULL DEFAULT 'pending', -- pending | sent | dead
  fail_count       INTEGER NOT NULL DEFAULT 0,
  fail_reason      TEXT,
  next_attempt_at  INTEGER NOT NULL,
  lease_until      INTEGER,                      -- a worker holds the row until then
  lease_token      TEXT,                         -- fencing token of that worker's claim
  created_at       INTEGER NOT NULL,
  sent_at          INTEGER,
  external_id      TEXT,                         -- the platform's id of what we sent
  UNIQUE (platform, idempotency_key)
);
CREATE INDEX outbox_due ON outbox (state, next_attempt_at);
CREATE INDEX outbox_incident ON outbox (incident_id);

-- Where each poller stopped: a wall post's known comment count and newest comment id,
-- a long poll ts, a Telegram update offset. Written in the same transaction as the rows it guards.
CREATE TABLE poll_cursors (
  cursor_key  TEXT PRIMARY KEY,
  value_json  TEXT    NOT NULL,
  updated_at  INTEGER NOT NULL
);
