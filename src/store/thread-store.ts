import type { PlaceMatch, TopicId } from '../domain/detection.js';
import { externalId as externalIdOf } from '../domain/external-id.js';
import type { IncidentStatus } from '../domain/incident.js';
import { OPEN_STATUSES } from '../domain/incident.js';
import type { Destination } from '../domain/outbound.js';
import type { ThreadRef } from '../domain/thread-ref.js';
import type { ThreadIncident } from '../domain/threading.js';
import type { Db } from './db.js';

/**
 * The bot's sent message as an inbound reply names it (InboundMessage.replyTo.externalId): VK
 * comments and dialog messages and MAX messages and comments (a mid) are stored that way
 * already; Telegram stores the bare message id, which a reply names with its chat (`<chatId>_<messageId>`).
 */
function replyIdOf(destination: Destination, externalId: string): string | null {
  if (destination.kind === 'telegram') return /^\d{1,16}$/.test(externalId) ? externalIdOf(destination.chatId, Number(externalId)) : null;
  if (destination.kind === 'vk_comment' || destination.kind === 'vk_message' || destination.kind === 'max_message' || destination.kind === 'max_comment')
    return externalId;
  return null;
}

interface OpenRow {
  id: number;
  topic: TopicId;
  problem: string | null;
  status: IncidentStatus;
  text: string | null;
  place_json: string | null;
}

/** What threading (src/domain/threading.ts) needs to know about a citizen's open incidents in one conversation. */
export class ThreadStore {
  constructor(private readonly db: Db) {}

  /**
   * The author's open incidents in the conversation `threadKey`, with the bot's delivered messages
   * about each (acknowledgements, status updates) and the citizen's own messages on each.
   */
  openIncidents(threadKey: string, authorKey: string): ThreadIncident[] {
    const placeholders = OPEN_STATUSES.map(() => '?').join(', ');
    const rows = this.db
      .prepare<unknown[], OpenRow>(
        `SELECT DISTINCT i.id, i.topic, i.problem, i.status, i.text, i.place_json
           FROM incidents i
           JOIN incident_reporters r ON r.incident_id = i.id
          WHERE r.thread_key = ? AND r.author_key = ? AND i.status IN (${placeholders})
          ORDER BY i.id DESC LIMIT 20`,
      )
      .all(threadKey, authorKey, ...OPEN_STATUSES);
    const own = this.db.prepare<[number, string, string], { external_id: string; thread_json: string; created_at: number }>(
      'SELECT external_id, thread_json, created_at FROM messages WHERE incident_id = ? AND author_key = ? AND thread_key = ?',
    );
    const sent = this.db.prepare<[number], { destination_json: string; external_id: string }>(
      `SELECT destination_json, external_id FROM outbox
        WHERE incident_id = ? AND state = 'sent' AND external_id IS NOT NULL AND purpose IN ('ack', 'status', 'answer')`,
    );
    return rows.map((row) => {
      const mine = own.all(row.id, authorKey, threadKey);
      return {
        id: row.id,
        topic: row.topic,
        // The incident's problem as it is now: a moderator's correction counts, not the detector's first guess.
        problem: row.problem,
        text: row.text ?? '',
        place: row.place_json ? (JSON.parse(row.place_json) as PlaceMatch) : null,
        lastActivityAt: Math.max(0, ...mine.map((m) => m.created_at)),
        botMessageIds: sent.all(row.id).flatMap((s) => replyIdOf(JSON.parse(s.destination_json) as Destination, s.external_id) ?? []),
        ownMessageIds: mine.map((m) => m.external_id),
        commentThreads: mine.flatMap((m) => {
          const thread = JSON.parse(m.thread_json) as ThreadRef;
          return thread.channel === 'vk_comment' ? [thread.threadCommentId] : [];
        }),
        awaitingAnswer: row.status === 'needs_info',
      };
    });
  }
}
