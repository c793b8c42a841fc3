/**
 * Synthetic incidents for `npm run bench` (the console's figures with 200,000 incidents): the
 * message, incident, reporter and spike rows the pipeline would have written, inserted in one
 * transaction, and the bench's own reads. Never used by the bot itself.
 */
import type { TopicId, Urgency } from '../domain/detection.js';
import { externalId } from '../domain/external-id.js';
import type { IncidentKind, IncidentStatus } from '../domain/incident.js';
import type { Db } from './db.js';

export interface SyntheticIncident {
  groupId: number;
  authorId: number;
  text: string;
  kind: IncidentKind;
  topic: TopicId;
  urgency: Urgency;
  municipalityId: string | null;
  departmentId: string | null;
  /** A moderator holding it (authorKey and name), or null. */
  holder: { key: string; name: string } | null;
  status: IncidentStatus;
  createdAt: number;
  acceptedAt: number | null;
  answeredAt: number | null;
  acceptDueAt: number;
  answerDueAt: number;
  /** People who reported it (1: only its author); each other one adds a message and a reporter row. */
  reporters: number;
}

/** A spike over incidents inserted before, by their position in the insert order (0-based). */
export interface SyntheticSpike {
  topic: TopicId;
  municipalityId: string | null;
  place: string;
  startedAt: number;
  incidentIndexes: number[];
}

export class SyntheticIncidentStore {
  constructor(private readonly db: Db) {}

  /** Insert the incidents and the spikes over them; returns how many incidents. */
  insert(rows: Iterable<SyntheticIncident>, spikes: Iterable<SyntheticSpike> = []): number {
    const message = this.db.prepare(
      `INSERT INTO messages (channel, external_id, thread_key, thread_json, source_key, author_key, author_name, text, created_at, received_at, decision)
       VALUES ('vk_comment', @externalId, @threadKey, @thread, @source, @author, 'Житель', @text, @createdAt, @createdAt, @decision)`,
    );
    const incident = this.db.prepare(
      `INSERT INTO incidents (message_id, channel, thread_key, thread_json, source_key, author_key, author_name, text, kind, topic, urgency, score,
                              municipality_id, department_id, holder_key, holder_name, status, created_at, accepted_at, answered_at, updated_at,
                              accept_due_at, answer_due_at, reporter_count)
       VALUES (@messageId, 'vk_comment', @threadKey, @thread, @source, @author, 'Житель', @text, @kind, @topic, @urgency, 0.9,
               @municipalityId, @departmentId, @holderKey, @holderName, @status, @createdAt, @acceptedAt, @answeredAt, @createdAt,
               @acceptDueAt, @answerDueAt, @reporters)`,
    );
    const reporter = this.db.prepare(
      'INSERT INTO incident_reporters (incident_id, message_id, thread_key, thread_json, author_key, linked_at) VALUES (?, ?, ?, ?, ?, ?)',
    );
    const link = this.db.prepare('UPDATE messages SET incident_id = ? WHERE id = ?');
    const spike = this.db.prepare(
      `INSERT INTO spikes (scope_key, topic, municipality_id, place, started_at, last_seen_at, window_hours, count, expected, p_value)
       VALUES (?, ?, ?, ?, ?, ?, 3, ?, 1.5, 0.0001)`,
    );
    const spikeLink = this.db.prepare('INSERT INTO incident_spikes (spike_id, incident_id, linked_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING');
    return this.db.transaction(() => {
      const ids: number[] = [];
      let commentId = 0;
      for (const row of rows) {
        const one = (authorId: number, decision: string) => {
          commentId += 1;
          const thread = JSON.stringify({ channel: 'vk_comment', groupId: row.groupId, postId: 1, commentId, threadCommentId: commentId });
          const common = {
            threadKey: `vk:${row.groupId}:1:${commentId}`,
            thread,
            source: `vk:${row.groupId}`,
            author: `vk:${authorId}`,
            text: row.text,
            createdAt: row.createdAt,
          };
          const messageId = Number(message.run({ ...common, externalId: externalId(-row.groupId, commentId), decision }).lastInsertRowid);
          return { messageId, common };
        };
        const opening = one(row.authorId, 'incident');
        const { holder, reporters, kind, topic, urgency, municipalityId, departmentId, status, acceptedAt, answeredAt, acceptDueAt, answerDueAt } = row;
        const incidentId = Number(
          incident.run({
            ...opening.common,
            messageId: opening.messageId,
            kind,
            topic,
            urgency,
            municipalityId,
            departmentId,
            holderKey: holder?.key ?? null,
            holderName: holder?.name ?? null,
            status,
            acceptedAt,
            answeredAt,
            acceptDueAt,
            answerDueAt,
            reporters,
          }).lastInsertRowid,
        );
        reporter.run(incidentId, opening.messageId, opening.common.threadKey, opening.common.thread, opening.common.author, row.createdAt);
        link.run(incidentId, opening.messageId);
        for (let k = 1; k < reporters; k += 1) {
          const other = one(row.authorId + k * 7_919, 'linked');
          reporter.run(incidentId, other.messageId, other.common.threadKey, other.common.thread, other.common.author, row.createdAt);
          link.run(incidentId, other.messageId);
        }
        ids.push(incidentId);
      }
      for (const s of spikes) {
        const linked = s.incidentIndexes.map((i) => ids[i]).filter((id): id is number => id !== undefined);
        const spikeId = Number(
          spike.run(`${s.topic}|${s.municipalityId}|${s.place}`, s.topic, s.municipalityId, s.place, s.startedAt, s.startedAt, linked.length).lastInsertRowid,
        );
        for (const id of linked) spikeLink.run(spikeId, id, s.startedAt);
      }
      return ids.length;
    })();
  }
}
