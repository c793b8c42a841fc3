-- When a send of the row was last started, written before the request goes out (for platforms
-- whose sends take no idempotency key: MAX). A row that is still pending with this set may have
-- been delivered by a process that died before recording it: the sender looks for it in the chat
-- before sending again. Null: never attempted.
ALTER TABLE outbox ADD COLUMN attempted_at INTEGER;
