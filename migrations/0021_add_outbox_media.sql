-- The outbox can send citizens' Telegram photos again by their file_id: with an incident card (the
-- card as the photo's caption), under it as an album, with a note quoting an addition or with a
-- «Проверить» note. Personal data (a pointer to a citizen's photo): retention clears it with the
-- card's text.
ALTER TABLE outbox ADD COLUMN media_json TEXT;   -- OutboundMedia[]: 1 photo (sendPhoto) or 2–10 (sendMediaGroup); null: none
