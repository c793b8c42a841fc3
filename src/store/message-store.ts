import type { Detection } from '../domain/detection.js';
import type { InboundMessage } from '../domain/inbound-message.js';
import { authorKey, sourceKey } from '../domain/inbound-message.js';
import type { ThreadRef } from '../domain/thread-ref.js';
import { threadKey } from '../domain/thread-ref.js';
import type { Db } from './db.js';

/** What the pipeline did with a message; stored on its row. */
export type MessageDecision =
  | 'incident'
  /** A question registered for a moderator's answer. */
  | 'question'
  /** A question the FAQ answered. */
  | 'faq'
  | 'followup'
  | 'linked'
  | 'review'
  | 'ignored'
  | 'command'
  | 'skipped_bot'
  | 'skipped_self'
  | 'skipped_moderator'
  | 'skipped_empty'
  | 'skipped_unwatched';

export interface StoredMessage {
  id: number;
  channel: InboundMessage['channel'];
  externalId: string;
  thread: ThreadRef;
  threadKey: string;
  sourceKey: string;
  authorKey: string;
  authorName: string | null;
  text: string | null;
  createdAt: number;
  receivedAt: number;
  decision: MessageDecision;
  detection: Detection | null;
  incidentId: number | null;
}

interface MessageRow {
  id: number;
  channel: InboundMessage['channel'];
  external_id: string;
  thread_json: string;
  thread_key: string;
  source_key: string;
  author_key: string;
  author_name: string | null;
  text: string | null;
  created_at: number;
  received_at: number;
  decision: MessageDecision;
  detection_json: string | null;
  incident_id: number | null;
}

function toStored(row: MessageRow): StoredMessage {
  return {
    id: row.id,
    channel: row.channel,
    externalId: row.external_id,
    thread: JSON.parse(row.thread_json) as ThreadRef,
    threadKey: row.thread_key,
    sourceKey: row.source_key,
    authorKey: row.author_key,
    authorName: row.author_name,
    text: row.text,
    createdAt: row.created_at,
    receivedAt: row.received_at,
    decision: row.decision,
    detection: row.detection_json ? (JSON.parse(row.detection_json) as Detection) : null,
    incidentId: row.incident_id,
  };
}

/** Every inbound message, recorded once per (channel, external id). */
export class MessageStore {
  constructor(private readonly db: Db) {}

  /**
   * Record a message. Returns its row id, or null when the same (channel, externalId) was recorded before:
   * a redelivered update or a re-polled comment is a no-op.
   */
  insert(message: InboundMessage, decision: MessageDecision, detection: Detection | null, now: number): number | null {
    const result = this.db
      .prepare(
        `INSERT INTO messages (channel, external_id, thread_key, thread_json, source_key, author_key, author_name,
                               author_is_bot, is_private, text, attachments, created_at, received_at, decision, detection_json)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (channel, external_id) DO NOTHING`,
      )
      .run(
        message.channel,
        message.externalId,
        threadKey(message.thread),
        JSON.stringify(message.thread),
        sourceKey(message.source),
        authorKey(message.author),
        message.author.name,
        message.author.isBot ? 1 : 0,
        message.isPrivate ? 1 : 0,
        message.text,
        JSON.stringify(message.attachments),
        message.createdAt,
        now,
        decision,
        detection ? JSON.stringify(detection) : null,
      );
    return result.changes === 1 ? Number(result.lastInsertRowid) : null;
  }

  exists(channel: InboundMessage['channel'], externalId: string): boolean {
    return this.db.prepare('SELECT 1 FROM messages WHERE channel = ? AND external_id = ?').get(channel, externalId) !== undefined;
  }

  setDecision(id: number, decision: MessageDecision, incidentId: number | null): void {
    this.db.prepare('UPDATE messages SET decision = ?, incident_id = ? WHERE id = ?').run(decision, incidentId, id);
  }

  /** A message whose handling threw: kept, and marked so. */
  markFailed(id: number): void {
    this.db.prepare("UPDATE messages SET decision = 'failed' WHERE id = ?").run(id);
  }

  setDetection(id: number, detection: Detection): void {
    this.db.prepare('UPDATE messages SET detection_json = ? WHERE id = ?').run(JSON.stringify(detection), id);
  }

  /** The incident a message became part of; null when none, undefined when the message is unknown. */
  incidentOf(channel: InboundMessage['channel'], externalId: string): number | null | undefined {
    return this.db.prepare<[string, string], { incident_id: number | null }>('SELECT incident_id FROM messages WHERE channel = ? AND external_id = ?').get(channel, externalId)?.incident_id;
  }

  get(id: number): StoredMessage | undefined {
    const row = this.db.prepare<[number], MessageRow>('SELECT * FROM messages WHERE id = ?').get(id);
    return row ? toStored(row) : undefined;
  }

  findByExternalId(channel: InboundMessage['channel'], externalId: string): StoredMessage | undefined {
    const row = this.db
      .prepare<[string, string], MessageRow>('SELECT * FROM messages WHERE channel = ? AND external_id = ?')
      .get(channel, externalId);
    return row ? toStored(row) : undefined;
  }

  /** When this author last wrote in this conversation (a thread key), or null: where a moderator works. */
  lastWrittenAt(threadKey: string, authorKey: string): number | null {
    return this.db
      .prepare<[string, string], { at: number | null }>('SELECT MAX(received_at) AS at FROM messages WHERE thread_key = ? AND author_key = ?')
      .get(threadKey, authorKey)!.at;
  }

  /** Messages recorded, of one channel or of all. */
  count(channel?: InboundMessage['channel']): number {
    if (channel === undefined) return this.db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM messages').get()!.n;
    return this.db.prepare<[string], { n: number }>('SELECT COUNT(*) AS n FROM messages WHERE channel = ?').get(channel)!.n;
  }
}
