import { attachmentSummary, type MessageMedia, readMedia } from '../domain/attachment.js';
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
  /** One photo of a Telegram album whose lead (the item with the caption) carries it. */
  | 'album'
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
  /** Photos, documents, … and the location, as metadata; empty once retention cleared it. */
  media: MessageMedia;
  /** Telegram: the album the message is one photo of. */
  mediaGroup: string | null;
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
  media_json: string | null;
  media_group: string | null;
  created_at: number;
  received_at: number;
  decision: MessageDecision;
  detection_json: string | null;
  incident_id: number | null;
}

/** The stored media, or none for a row without it (or a row a bug left unreadable: metadata is never worth a crash). */
export function parseMedia(json: string | null): MessageMedia {
  if (!json) return { attachments: [], location: null };
  try {
    return readMedia(JSON.parse(json));
  } catch {
    return { attachments: [], location: null };
  }
}

/** The media_json of a message: null when there is nothing besides text. */
export function mediaJson(message: Pick<InboundMessage, 'attachments' | 'location'>): string | null {
  const location = message.location ?? null;
  return message.attachments.length === 0 && location === null ? null : JSON.stringify({ attachments: message.attachments, location } satisfies MessageMedia);
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
    media: parseMedia(row.media_json),
    mediaGroup: row.media_group,
    createdAt: row.created_at,
    receivedAt: row.received_at,
    decision: row.decision,
    // Detections recorded before problems existed have no `problem`: read as none.
    detection: row.detection_json ? withProblem(JSON.parse(row.detection_json) as Omit<Detection, 'problem'> & { problem?: Detection['problem'] }) : null,
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
                               author_is_bot, is_private, text, attachments, media_json, media_group, created_at, received_at, decision, detection_json)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
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
        JSON.stringify(attachmentSummary(message.attachments, message.location)),
        mediaJson(message),
        message.mediaGroupId ?? null,
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
    return this.db
      .prepare<[string, string], { incident_id: number | null }>('SELECT incident_id FROM messages WHERE channel = ? AND external_id = ?')
      .get(channel, externalId)?.incident_id;
  }

  get(id: number): StoredMessage | undefined {
    const row = this.db.prepare<[number], MessageRow>('SELECT * FROM messages WHERE id = ?').get(id);
    return row ? toStored(row) : undefined;
  }

  findByExternalId(channel: InboundMessage['channel'], externalId: string): StoredMessage | undefined {
    const row = this.db.prepare<[string, string], MessageRow>('SELECT * FROM messages WHERE channel = ? AND external_id = ?').get(channel, externalId);
    return row ? toStored(row) : undefined;
  }

  /**
   * The first recorded message of a Telegram album (the same media_group_id in the same chat), other
   * than `exceptId`: the one whose incident the album's other photos belong to.
   */
  albumLead(sourceKey: string, mediaGroup: string, exceptId: number): StoredMessage | undefined {
    const row = this.db
      .prepare<[string, string, number], MessageRow>('SELECT * FROM messages WHERE source_key = ? AND media_group = ? AND id != ? ORDER BY id LIMIT 1')
      .get(sourceKey, mediaGroup, exceptId);
    return row ? toStored(row) : undefined;
  }

  /** When this author last wrote in this conversation (a thread key), or null: where a moderator works. */
  lastWrittenAt(threadKey: string, authorKey: string): number | null {
    return this.db
      .prepare<[string, string], { at: number | null }>('SELECT MAX(received_at) AS at FROM messages WHERE thread_key = ? AND author_key = ?')
      .get(threadKey, authorKey)!.at;
  }

  /** The thread of this author's latest message in a one-to-one dialog with the bot, if any: where the bot can write to them. */
  lastPrivateThread(authorKey: string): ThreadRef | undefined {
    const row = this.db
      .prepare<[string], { thread_json: string }>('SELECT thread_json FROM messages WHERE author_key = ? AND is_private = 1 ORDER BY id DESC LIMIT 1')
      .get(authorKey);
    return row ? (JSON.parse(row.thread_json) as ThreadRef) : undefined;
  }

  /** Messages recorded, of one channel or of all. */
  count(channel?: InboundMessage['channel']): number {
    if (channel === undefined) return this.db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM messages').get()!.n;
    return this.db.prepare<[string], { n: number }>('SELECT COUNT(*) AS n FROM messages WHERE channel = ?').get(channel)!.n;
  }
}

const withProblem = (detection: Omit<Detection, 'problem'> & { problem?: Detection['problem'] }): Detection => ({
  ...detection,
  problem: detection.problem ?? null,
});
