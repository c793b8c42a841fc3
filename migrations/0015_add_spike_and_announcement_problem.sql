-- Spikes and announcements name the problem they were about, as incidents do (migration
-- add_incident_problem): a spike of «нет горячей воды» is counted, alerted and reported as that
-- problem, not as all of ЖКХ; an announcement with `тема=гвс` went to that problem's incidents.
-- Null: a topic's spike or announcement (incidents without a problem), and every older row.
ALTER TABLE spikes ADD COLUMN problem TEXT;
ALTER TABLE announcements ADD COLUMN problem TEXT;
