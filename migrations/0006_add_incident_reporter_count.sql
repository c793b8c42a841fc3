-- How many people (distinct authors) reported the incident, kept on the row: the incident card
-- shows it on every change, and counting the reporters' rows each time made every duplicate of a
-- big outage slower than the last (6.7 ms per count at 4,000 reporters). The index answers "has
-- this author reported it already?" when a report is linked.
ALTER TABLE incidents ADD COLUMN reporter_count INTEGER NOT NULL DEFAULT 0;
CREATE INDEX incident_reporters_incident_author ON incident_reporters (incident_id, author_key);
UPDATE incidents SET reporter_count = (SELECT COUNT(DISTINCT author_key) FROM incident_reporters WHERE incident_id = incidents.id);
