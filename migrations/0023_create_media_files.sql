-- Citizens' files fetched into media.dir when media.download is on (off by default): one row per
-- file of a message that became part of an incident or a «Проверить» note, so each file is
-- fetched once, the kept files' sizes count toward the directory's cap, and retention deletes the
-- file with the rest of the citizen's data (state 'deleting' until the file is gone from disk).
CREATE TABLE media_files (
  id          INTEGER PRIMARY KEY,
  message_id  INTEGER NOT NULL REFERENCES messages(id),
  position    INTEGER NOT NULL,                 -- the attachment's index in the message's media_json
  source      TEXT    NOT NULL,                 -- what to fetch: a VK URL, or tg:<file_id>; personal data, cleared with the file
  size_hint   INTEGER,                          -- bytes the platform announced, when it did
  state       TEXT    NOT NULL DEFAULT 'pending', -- pending | fetched | skipped | failed | deleting | deleted
  path        TEXT,                             -- the file, relative to media.dir, once fetched
  bytes       INTEGER,                          -- its size on disk
  attempts    INTEGER NOT NULL DEFAULT 0,
  reason      TEXT,                             -- why it was skipped or failed
  created_at  INTEGER NOT NULL,
  fetched_at  INTEGER,
  UNIQUE (message_id, position)
);
CREATE INDEX media_files_state ON media_files (state, id);
CREATE INDEX media_files_source ON media_files (source);
