-- The Telegram message id of the incident's card in the moderators' chat, kept on the incident
-- when the card is delivered (the outbox's post-delivery effect for cards); null before. It was
-- found by looking up the card's outbox row by key. Cards delivered before this migration are
-- backfilled from those rows.
ALTER TABLE incidents ADD COLUMN card_message_id INTEGER;
UPDATE incidents SET card_message_id = (
  SELECT CAST(external_id AS INTEGER) FROM outbox
  WHERE platform = 'telegram' AND idempotency_key = 'card:' || incidents.id AND state = 'sent' AND external_id GLOB '[0-9]*'
);
