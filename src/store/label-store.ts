import type { TopicId } from '../domain/detection.js';
import type { ProblemId } from '../domain/problem.js';
import type { Db } from './db.js';

export type LabelValue = 'complaint' | 'not_complaint';

/** What the moderator did that made the label. */
export type LabelAction = 'topic' | 'reject' | 'incident' | 'reopen';

export interface NewLabel {
  messageId: number;
  incidentId: number | null;
  label: LabelValue;
  /** complaint: the topic and problem the moderator chose or kept; null for not_complaint. */
  topic: TopicId | null;
  problem: ProblemId | null;
  action: LabelAction;
  moderatorKey: string;
}

/**
 * One labelled message for training, in the shape of a labelled JSONL row
 * (`{"id", "text", "label", "topic", "problem"}`): `id` is `feedback:<message id>`.
 */
export interface FeedbackRow {
  id: string;
  text: string;
  label: LabelValue;
  topic: TopicId | null;
  problem: ProblemId | null;
}

/** Moderators' corrections as labels (migration «add_moderator_labels»). Callers own the transaction. */
export class LabelStore {
  constructor(private readonly db: Db) {}

  record(label: NewLabel, now: number): number {
    const result = this.db
      .prepare(
        `INSERT INTO moderator_labels (message_id, incident_id, label, topic, problem, action, moderator_key, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        label.messageId,
        label.incidentId,
        label.label,
        label.label === 'complaint' ? label.topic : null,
        label.label === 'complaint' ? label.problem : null,
        label.action,
        label.moderatorKey,
        now,
      );
    return Number(result.lastInsertRowid);
  }

  /** The latest label about an incident's messages, if a moderator gave one. */
  latestOfIncident(incidentId: number): { label: LabelValue; action: LabelAction } | undefined {
    return this.db
      .prepare<[number], { label: LabelValue; action: LabelAction }>(
        'SELECT label, action FROM moderator_labels WHERE incident_id = ? ORDER BY id DESC LIMIT 1',
      )
      .get(incidentId);
  }

  /**
   * Every labelled message, its latest label winning, oldest message first. The text is the
   * message's as stored now: a message whose text retention removed is left out.
   */
  feedbackRows(): FeedbackRow[] {
    return this.db
      .prepare<[], { message_id: number; label: LabelValue; topic: TopicId | null; problem: ProblemId | null; text: string }>(
        `SELECT l.message_id, l.label, l.topic, l.problem, m.text
           FROM moderator_labels l JOIN messages m ON m.id = l.message_id
          WHERE l.id IN (SELECT MAX(id) FROM moderator_labels GROUP BY message_id)
            AND m.text IS NOT NULL AND trim(m.text) <> ''
          ORDER BY l.message_id`,
      )
      .all()
      .map((r) => ({
        id: `feedback:${r.message_id}`,
        text: r.text,
        label: r.label,
        topic: r.label === 'complaint' ? r.topic : null,
        problem: r.label === 'complaint' ? r.problem : null,
      }));
  }

  count(): number {
    return this.db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM moderator_labels').get()!.n;
  }
}

/**
 * The moderators' labels of a bot database as labelled rows, for `npm run train -- --feedback DB`:
 * open the file with `openDb` (src/store/db.ts), migrated, and pass it here.
 */
export function readFeedbackRows(db: Db): FeedbackRow[] {
  return new LabelStore(db).feedbackRows();
}
