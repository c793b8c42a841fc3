-- Text search of the console's table: an FTS5 trigram index over the incidents' texts (any
-- substring of 3+ characters, case-insensitive for Cyrillic too, unlike LIKE), kept in step with
-- the table by triggers — retention's anonymisation (text set to NULL) leaves nothing behind.
CREATE VIRTUAL TABLE incidents_text USING fts5(text, content='incidents', content_rowid='id', tokenize='trigram');
INSERT INTO incidents_text (incidents_text) VALUES ('rebuild');
CREATE TRIGGER incidents_text_insert AFTER INSERT ON incidents BEGIN
  INSERT INTO incidents_text (rowid, text) VALUES (new.id, new.text);
END;
CREATE TRIGGER incidents_text_update AFTER UPDATE OF text ON incidents BEGIN
  INSERT INTO incidents_text (incidents_text, rowid, text) VALUES ('delete', old.id, old.text);
  INSERT INTO incidents_text (rowid, text) VALUES (new.id, new.text);
END;
CREATE TRIGGER incidents_text_delete AFTER DELETE ON incidents BEGIN
  INSERT INTO incidents_text (incidents_text, rowid, text) VALUES ('delete', old.id, old.text);
END;
