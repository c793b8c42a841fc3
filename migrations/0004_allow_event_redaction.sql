-- Retention of personal data reaches the audit log: a citizen's words (details_json of their
-- follow-ups and linked reports) and their platform id (actor_id) may be cleared once the
-- incident is anonymised. Everything else stays append-only: no row is deleted, no other
-- column changes, details can only become NULL and an actor only 'anonymised'.
DROP TRIGGER incident_events_no_update;
CREATE TRIGGER incident_events_no_update BEFORE UPDATE OF id, incident_id, at, actor_kind, action, old_value, new_value ON incident_events
BEGIN SELECT RAISE(ABORT, 'incident_events is append-only'); END;
CREATE TRIGGER incident_events_redact_only BEFORE UPDATE OF details_json, actor_id ON incident_events
WHEN NOT ((NEW.details_json IS NULL OR NEW.details_json IS OLD.details_json) AND (NEW.actor_id IS OLD.actor_id OR NEW.actor_id = 'anonymised'))
BEGIN SELECT RAISE(ABORT, 'incident_events is append-only: retention may only clear details and anonymise the actor'); END;
