-- Moderators' corrections kept as labels for the detector («learning from moderators»): a topic
-- or problem changed, an auto-registered message rejected as not an appeal, a missed message
-- registered by /incident. `npm run train -- --feedback DB` reads them as labelled rows; the
-- digest and /stats count them. The text is never copied here: it is read from the message at
-- training time, so what retention removed stays removed.
CREATE TABLE moderator_labels (
  id             INTEGER PRIMARY KEY,
  message_id     INTEGER NOT NULL REFERENCES messages(id),  -- the citizen's message the label is about
  incident_id    INTEGER REFERENCES incidents(id),          -- the incident it opened or joined, if any
  label          TEXT    NOT NULL,                          -- complaint | not_complaint
  topic          TEXT,                                      -- complaint: the topic the moderator chose or kept
  problem        TEXT,                                      -- complaint: the problem, null when none
  action         TEXT    NOT NULL,                          -- topic | reject | incident | reopen: what the moderator did
  moderator_key  TEXT    NOT NULL,                          -- tg:<id> | vk:<id>
  created_at     INTEGER NOT NULL
);
-- The latest label of a message wins (a second correction, a rejection undone by /reopen).
CREATE INDEX moderator_labels_message ON moderator_labels (message_id, id);
CREATE INDEX moderator_labels_incident ON moderator_labels (incident_id, id);
