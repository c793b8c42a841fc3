-- The place two reports must share to be one problem, as one indexed value, so linking a new
-- report to an open incident is an index lookup instead of a scan of the municipality's incidents.
-- 'street:<name>' when a street was named, else 'settlement:<name>'; names lower-cased with ё → е.
-- Null when no place was found (such reports are never linked) and for rows written before this
-- migration (SQLite's lower() folds only ASCII, so they cannot be backfilled exactly here).
ALTER TABLE incidents ADD COLUMN place_key TEXT;
CREATE INDEX incidents_same_place ON incidents (place_key, topic, created_at);
