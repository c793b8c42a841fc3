import type { Db } from './db.js';

/** The conversation targets of issue 12, counted from what the bot recorded and sent (the demo prints them). */
export interface ConversationFigures {
  /** Additions whose own detection was a confident complaint of another topic than the incident they joined: must be 0. */
  misfiledComplaints: number;
  additions: number;
  /** Additions quoted to the moderators: a card or a note under it carries their words. */
  additionsShown: number;
  /** Card edits queued for an addition (several arriving together share one). */
  additionCardEdits: number;
  /** Private-chat messages the detector read as questions. */
  privateQuestions: number;
  /** Of those: an FAQ answer went out, or a question card went to the moderators for their answer. */
  privateQuestionsAnswered: number;
  /** Citizens' messages with a photo, and those whose incident's card carried a photo. */
  photos: number;
  photosOnCards: number;
}

export class ConversationCounts {
  constructor(private readonly db: Db) {}

  counts(): ConversationFigures {
    const n = (sql: string) => (this.db.prepare(sql).get() as { n: number }).n;
    return {
      misfiledComplaints: n(
        `SELECT COUNT(*) AS n FROM messages m JOIN incidents i ON i.id = m.incident_id
          WHERE m.decision = 'followup' AND json_extract(m.detection_json, '$.verdict') = 'reply'
            AND json_extract(m.detection_json, '$.kind') = 'complaint' AND json_extract(m.detection_json, '$.topic') IS NOT i.topic`,
      ),
      additions: n(`SELECT COUNT(*) AS n FROM incident_events WHERE action = 'followup'`),
      additionsShown: n(
        `SELECT COUNT(*) AS n FROM incident_events e
          WHERE e.action = 'followup' AND EXISTS (
            SELECT 1 FROM outbox o WHERE o.incident_id = e.incident_id AND o.purpose = 'card' AND o.created_at >= e.at
               AND instr(o.text, substr(json_extract(e.details_json, '$.text'), 1, 30)) > 0)`,
      ),
      additionCardEdits: n(
        `SELECT COUNT(*) AS n FROM incident_events e JOIN outbox o ON o.idempotency_key = 'card-edit:' || e.incident_id || ':e' || e.id
          WHERE e.action = 'followup'`,
      ),
      privateQuestions: n(`SELECT COUNT(*) AS n FROM messages WHERE is_private = 1 AND json_extract(detection_json, '$.kind') = 'question'`),
      privateQuestionsAnswered: n(
        `SELECT COUNT(*) AS n FROM messages m WHERE m.is_private = 1 AND json_extract(m.detection_json, '$.kind') = 'question'
            AND (EXISTS (SELECT 1 FROM outbox o WHERE o.idempotency_key = 'faq:' || m.id)
              OR EXISTS (SELECT 1 FROM outbox o WHERE o.idempotency_key = 'card:' || m.incident_id))`,
      ),
      photos: n(`SELECT COUNT(*) AS n FROM messages WHERE author_is_bot = 0 AND attachments LIKE '%photo%'`),
      photosOnCards: n(
        `SELECT COUNT(*) AS n FROM messages m WHERE m.author_is_bot = 0 AND m.attachments LIKE '%photo%'
            AND EXISTS (SELECT 1 FROM outbox o WHERE o.incident_id = m.incident_id AND o.purpose = 'card' AND o.photo_path IS NOT NULL)`,
      ),
    };
  }
}
