import type { Db } from './db.js';

export interface NewAnnouncement {
  /** The moderator's message that asked for it: a redelivered command finds the announcement made. */
  requestKey: string;
  moderatorKey: string;
  moderatorName: string;
  municipalityId: string | null;
  topic: string | null;
  /** The problem whose open incidents got it (`тема=гвс`); null for a topic or none. */
  problem: string | null;
  place: string | null;
  replyOpen: boolean;
  text: string;
  /** Posts (walls, chats) and replies in incident threads it was queued to. */
  targets: number;
  replies: number;
}

/** Moderators' announcements (/announce). Callers own the transaction. */
export class AnnouncementStore {
  constructor(private readonly db: Db) {}

  findByRequest(requestKey: string): { id: number; targets: number; replies: number } | undefined {
    return this.db
      .prepare<[string], { id: number; targets: number; replies: number }>('SELECT id, targets, replies FROM announcements WHERE request_key = ?')
      .get(requestKey);
  }

  create(a: NewAnnouncement, now: number): number {
    const result = this.db
      .prepare(
        `INSERT INTO announcements (request_key, created_at, moderator_key, moderator_name, municipality_id, topic, problem, place, reply_open, text, targets, replies)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        a.requestKey,
        now,
        a.moderatorKey,
        a.moderatorName,
        a.municipalityId,
        a.topic,
        a.problem,
        a.place,
        a.replyOpen ? 1 : 0,
        a.text,
        a.targets,
        a.replies,
      );
    return Number(result.lastInsertRowid);
  }
}
