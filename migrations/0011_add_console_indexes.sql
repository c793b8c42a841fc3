-- Indexes for the web console on a region's registry (200,000 incidents): the dashboard reads a
-- period's figures from one covering index instead of the rows (which carry the citizens' texts),
-- and a topic filter no longer scans the table.
CREATE INDEX incidents_console_period ON incidents (created_at, municipality_id, department_id, topic, status, urgency,
  accept_due_at, answer_due_at, accepted_at, answered_at);
CREATE INDEX incidents_topic ON incidents (topic, municipality_id, status, accept_due_at, answer_due_at);
CREATE INDEX incidents_urgency ON incidents (urgency, status);
