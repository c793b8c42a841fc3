-- The incident card's message in the moderators' chat, as its platform names it: Telegram's
-- message id as text, or a MAX mid (a string such as "mid.…"), so the moderators' chat can be on
-- either platform. Replaces card_message_id (an integer, Telegram only), whose values are copied.
ALTER TABLE incidents ADD COLUMN card_message_ref TEXT;
UPDATE incidents SET card_message_ref = CAST(card_message_id AS TEXT) WHERE card_message_id IS NOT NULL;
ALTER TABLE incidents DROP COLUMN card_message_id;
