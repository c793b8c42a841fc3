-- The dashboard counts complaints apart from questions and shows everyone's queue: its period
-- index covers `kind` too (without it each of a month's rows is read from the table), and the open
-- incidents by holder are read from an index of their own instead of every incident.
DROP INDEX incidents_console_period;
CREATE INDEX incidents_console_period ON incidents (created_at, kind, municipality_id, department_id, topic, status, urgency,
  accept_due_at, answer_due_at, accepted_at, answered_at);
CREATE INDEX incidents_open_holders ON incidents (status, holder_key, holder_name, municipality_id, accept_due_at, answer_due_at, answered_at);
