-- «Взять в работу»: the person (a moderator) who holds an incident, beside the department that
-- owns it, so several operators can share a queue. holder_key is the moderator's authorKey
-- (tg:<id>, vk:<id>, …), holder_name their name from config at the time they took it.
ALTER TABLE incidents ADD COLUMN holder_key TEXT;
ALTER TABLE incidents ADD COLUMN holder_name TEXT;
CREATE INDEX incidents_holder ON incidents (holder_key, status);
