/** Rows for the jobs' tests, written straight into the real schema. */

import type { PlaceMatch, TopicId, Urgency } from '../../../src/domain/detection.js';
import type { IncidentStatus } from '../../../src/domain/incident.js';
import type { ThreadRef } from '../../../src/domain/thread-ref.js';
import type { Db } from '../../../src/store/db.js';
import { freshDb } from '../../helpers/index.js';

/** A fresh database with every migration, the scheduled half's tables included. */
export function jobsDb(): Db {
  return freshDb();
}

export const msk = (iso: string): number => Date.parse(`${iso}+03:00`);

let counter = 0;

export interface SeedMessage {
  receivedAt: number;
  decision?: string;
  text?: string | null;
  authorName?: string | null;
  authorKey?: string;
  incidentId?: number | null;
  thread?: ThreadRef;
  /** The conversation's key as the bot computes it (threadKey); default a made-up one per message. */
  threadKey?: string;
}

export function seedMessage(db: Db, m: SeedMessage): number {
  counter += 1;
  const thread: ThreadRef = m.thread ?? { channel: 'vk_comment', groupId: 210002, postId: 100, commentId: 1000 + counter, threadCommentId: 1000 + counter };
  return Number(
    db
      .prepare(
        `INSERT INTO messages (channel, external_id, thread_key, thread_json, source_key, author_key, author_name, text, created_at, received_at, decision, incident_id)
         VALUES (?, ?, ?, ?, 'vk:210002', ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        thread.channel,
        `ext-${counter}`,
        m.threadKey ?? `thread-${counter}`,
        JSON.stringify(thread),
        m.authorKey ?? `vk:${5000 + counter}`,
        m.authorName === undefined ? 'Иван Петров' : m.authorName,
        m.text === undefined ? 'Нет воды' : m.text,
        m.receivedAt,
        m.receivedAt,
        m.decision ?? 'ignored',
        m.incidentId ?? null,
      ).lastInsertRowid,
  );
}

export interface SeedIncident {
  createdAt: number;
  topic?: TopicId;
  /** A problem id of config/problems.json; default none. */
  problem?: string | null;
  urgency?: Urgency;
  municipalityId?: string | null;
  status?: IncidentStatus;
  place?: PlaceMatch | null;
  text?: string;
  channel?: 'vk_comment' | 'vk_message' | 'telegram';
  acknowledgedAt?: number | null;
  acceptedAt?: number | null;
  answeredAt?: number | null;
  closedAt?: number | null;
  acceptDueAt?: number | null;
  answerDueAt?: number | null;
  thread?: ThreadRef;
  departmentId?: string | null;
  kind?: 'complaint' | 'question';
  /** A moderator holding it: their authorKey and name. */
  holder?: { key: string; name: string };
}

/** An incident with its source message and its author as a reporter. */
export function seedIncident(db: Db, i: SeedIncident): number {
  const thread: ThreadRef = i.thread ?? {
    channel: 'vk_comment',
    groupId: 210002,
    postId: 100,
    commentId: 5000 + counter + 1,
    threadCommentId: 5000 + counter + 1,
  };
  const messageId = seedMessage(db, { receivedAt: i.createdAt, decision: 'incident', text: i.text ?? 'Нет воды', thread });
  const authorKey = `vk:${7000 + counter}`;
  const id = Number(
    db
      .prepare(
        `INSERT INTO incidents (message_id, channel, thread_key, thread_json, source_key, author_key, author_name, text, topic, problem, urgency, place_json,
                                score, municipality_id, status, created_at, acknowledged_at, accepted_at, answered_at, closed_at, updated_at,
                                accept_due_at, answer_due_at)
         VALUES (?, ?, ?, ?, 'vk:210002', ?, 'Мария Иванова', ?, ?, ?, ?, ?, 0.9, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        messageId,
        i.channel ?? thread.channel,
        `thread-${messageId}`,
        JSON.stringify(thread),
        authorKey,
        i.text ?? 'Нет воды',
        i.topic ?? 'housing',
        i.problem ?? null,
        i.urgency ?? 'normal',
        i.place ? JSON.stringify(i.place) : null,
        i.municipalityId === undefined ? 'zarechensk' : i.municipalityId,
        i.status ?? 'new',
        i.createdAt,
        i.acknowledgedAt ?? null,
        i.acceptedAt ?? null,
        i.answeredAt ?? null,
        i.closedAt ?? null,
        i.createdAt,
        i.acceptDueAt ?? null,
        i.answerDueAt ?? null,
      ).lastInsertRowid,
  );
  db.prepare('UPDATE messages SET incident_id = ?, author_key = ? WHERE id = ?').run(id, authorKey, messageId);
  db.prepare('UPDATE incidents SET department_id = ?, kind = ?, holder_key = ?, holder_name = ? WHERE id = ?').run(
    i.departmentId ?? null,
    i.kind ?? 'complaint',
    i.holder?.key ?? null,
    i.holder?.name ?? null,
    id,
  );
  db.prepare('INSERT INTO incident_reporters (incident_id, message_id, thread_key, thread_json, author_key, linked_at) VALUES (?, ?, ?, ?, ?, ?)').run(
    id,
    messageId,
    `thread-${messageId}`,
    JSON.stringify(thread),
    authorKey,
    i.createdAt,
  );
  return id;
}

export function outboxRows(
  db: Db,
  purpose?: string,
): { idempotency_key: string; text: string; destination_json: string; incident_id: number | null; purpose: string }[] {
  return db
    .prepare<unknown[], { idempotency_key: string; text: string; destination_json: string; incident_id: number | null; purpose: string }>(
      `SELECT idempotency_key, text, destination_json, incident_id, purpose FROM outbox ${purpose ? 'WHERE purpose = ?' : ''} ORDER BY id`,
    )
    .all(...(purpose ? [purpose] : []));
}
