-- What a message carried besides its text, as metadata (src/domain/attachment.ts): photos with the
-- VK URL of their largest size or the Telegram file id, documents with name, type and size, video,
-- voice, stickers, and the location the citizen sent. The `attachments` column keeps its short
-- summary of kinds ('photo', 'document', …, 'location'). Personal data: retention clears it with
-- the text. Rows written before this migration have NULL (their summary stays).
ALTER TABLE messages ADD COLUMN media_json TEXT;    -- MessageMedia {attachments, location}; null when the message had none
ALTER TABLE messages ADD COLUMN media_group TEXT;   -- Telegram media_group_id: the album this message is one photo of
CREATE INDEX messages_media_group ON messages (source_key, media_group) WHERE media_group IS NOT NULL;
