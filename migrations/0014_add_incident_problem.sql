-- The problem under the topic (config/problems.json id, e.g. 'no_hot_water'); null when the
-- detector named none and no moderator chose one. Everything that groups incidents (duplicate
-- linking, spikes, announcements, routing, deadlines, reports) uses it where it is set and the
-- topic otherwise. Incidents registered before problems existed keep null: their detector named none.
ALTER TABLE incidents ADD COLUMN problem TEXT;
-- /announce тема=<problem>, the console's problem filter and the reports' counts by problem.
CREATE INDEX incidents_problem ON incidents (problem, municipality_id, status);
