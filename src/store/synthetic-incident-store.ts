/**
 * Synthetic incidents for `npm run bench` (the console's figures with 200,000 incidents): the
 * message, incident and reporter rows the pipeline would have written, inserted in one
 * transaction. Never used by the bot itself.
 */
import type { TopicId, Urgency } from '../domain/detection.js';
import type { IncidentStatus } from '../domain/incident.js';
import { externalId } from '../domain/external-id.js';
import type { Db } from './db.js';

export interface SyntheticIncident {
  groupId: number;
  commentId: number;
  authorId: number;
  text: string;
  topic: TopicId;
  urgency: Urgency;
  municipalityId: string | null;
  departmentId: string | null;
  status: IncidentStatus;
  createdAt: number;
  acceptedAt: number | null;
  answeredAt: number | null;
  acceptDueAt: number;
  answerDueAt: number;
}

export class SyntheticIncidentStore {
  constructor(private readonly db: Db) {}

  insert(rows: Iterable<SyntheticIncident>): number {
    const message = this.db.prepare(
      `INSERT INTO messages (channel, external_id, thread_key, thread_json, source_key, author_key, author_name, text, created_at, received_at, decision)
       VALUES ('vk_comment', @externalId, @threadKey, @thread, @source, @author, 'Житель', @text, @createdAt, @createdAt, 'incident')`,
    );
    const incident = this.db.prepare(
      `INSERT INTO incidents (message_id, channel, thread_key, thread_json, source_key, author_key, author_name, text, topic, urgency, score,
                              municipality_id, department_id, status, created_at, accepted_at, answered_at, updated_at, accept_due_at, answer_due_at, reporter_count)
       VALUES (@messageId, 'vk_comment', @threadKey, @thread, @source, @author, 'Житель', @text, @topic, @urgency, 0.9,
               @municipalityId, @departmentId, @status, @createdAt, @acceptedAt, @answeredAt, @createdAt, @acceptDueAt, @answerDueAt, 1)`,
    );
    const reporter = this.db.prepare(
      'INSERT INTO incident_reporters (incident_id, message_id, thread_key, thread_json, author_key, linked_at) VALUES (?, ?, ?, ?, ?, ?)',
    );
    const link = this.db.prepare('UPDATE messages SET incident_id = ? WHERE id = ?');
    return this.db.transaction(() => {
      let n = 0;
      for (const row of rows) {
        const thread = JSON.stringify({ channel: 'vk_comment', groupId: row.groupId, postId: 1, commentId: row.commentId, threadCommentId: row.commentId });
        const common = { threadKey: `vk:${row.groupId}:1:${row.commentId}`, thread, source: `vk:${row.groupId}`, author: `vk:${row.authorId}`, text: row.text, createdAt: row.createdAt };
        const messageId = Number(message.run({ ...common, externalId: externalId(-row.groupId, row.commentId) }).lastInsertRowid);
        const { groupId: _g, commentId: _c, authorId: _a, text: _t, createdAt: _d, ...rest } = row;
        const incidentId = Number(incident.run({ ...common, ...rest, messageId }).lastInsertRowid);
        reporter.run(incidentId, messageId, common.threadKey, thread, common.author, row.createdAt);
        link.run(incidentId, messageId);
        n += 1;
      }
      return n;
    })();
  }
}
