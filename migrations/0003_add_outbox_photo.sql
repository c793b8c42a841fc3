-- The outbox can send a photo (the daily digest's chart): the row's text becomes its caption.
-- The image stays a file on disk (digest.chartDir); the row names it, so a retry uploads the same file.
ALTER TABLE outbox ADD COLUMN photo_path TEXT;   -- local PNG/JPEG uploaded with sendPhoto; null: a text message
