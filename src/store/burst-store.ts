import type { Urgency } from '../domain/detection.js';
import type { Db } from './db.js';

/** A burst summary in the moderators' chat (migration create_burst_summaries). */
export interface BurstSummary {
  id: number;
  chatId: number;
  groupKey: string;
  openedAt: number;
  updatedAt: number;
  /** Bumped by every change; an edit of the message is keyed by it. */
  version: number;
  /** The summary's Telegram message once delivered, else null. */
  messageId: number | null;
  /** The earliest time the next edit may go out (edits are spaced), or null before the first. */
  editDueAt: number | null;
  /** The page of «№N» buttons shown. */
  page: number;
}

interface Row {
  id: number;
  chat_id: number;
  group_key: string;
  opened_at: number;
  updated_at: number;
  version: number;
  message_id: number | null;
  edit_due_at: number | null;
  page: number;
}

const toSummary = (r: Row): BurstSummary => ({
  id: r.id,
  chatId: r.chat_id,
  groupKey: r.group_key,
  openedAt: r.opened_at,
  updatedAt: r.updated_at,
  version: r.version,
  messageId: r.message_id,
  editDueAt: r.edit_due_at,
  page: r.page,
});

/** The burst summaries and the incidents each lists (src/moderation/burst-summaries.ts). */
export class BurstStore {
  constructor(private readonly db: Db) {}

  /** The summary of this group in this chat that an incident joined at or after `since`, if any. */
  active(chatId: number, groupKey: string, since: number): BurstSummary | undefined {
    const row = this.db
      .prepare<[number, string, number], Row>(
        'SELECT * FROM burst_summaries WHERE chat_id = ? AND group_key = ? AND updated_at >= ? ORDER BY updated_at DESC, id DESC LIMIT 1',
      )
      .get(chatId, groupKey, since);
    return row ? toSummary(row) : undefined;
  }

  open(chatId: number, groupKey: string, now: number): BurstSummary {
    const id = Number(
      this.db.prepare('INSERT INTO burst_summaries (chat_id, group_key, opened_at, updated_at) VALUES (?, ?, ?, ?)').run(chatId, groupKey, now, now)
        .lastInsertRowid,
    );
    return this.get(id)!;
  }

  get(id: number): BurstSummary | undefined {
    const row = this.db.prepare<[number], Row>('SELECT * FROM burst_summaries WHERE id = ?').get(id);
    return row ? toSummary(row) : undefined;
  }

  /** Add incidents not listed yet; when any was new, the summary is updated (its version bumped). Returns how many joined. */
  add(summaryId: number, incidentIds: readonly number[], now: number): number {
    const insert = this.db.prepare('INSERT INTO burst_summary_incidents (summary_id, incident_id, joined_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING');
    let joined = 0;
    for (const incidentId of incidentIds) joined += insert.run(summaryId, incidentId, now).changes;
    if (joined > 0) this.db.prepare('UPDATE burst_summaries SET updated_at = ?, version = version + 1 WHERE id = ?').run(now, summaryId);
    return joined;
  }

  /** The incidents listed with their urgency, in the order they joined: what the summary shows, in one read. */
  members(summaryId: number): { id: number; urgency: Urgency }[] {
    return this.db
      .prepare<[number], { id: number; urgency: Urgency }>(
        `SELECT i.id, i.urgency FROM burst_summary_incidents b JOIN incidents i ON i.id = b.incident_id
          WHERE b.summary_id = ? ORDER BY b.joined_at, b.incident_id`,
      )
      .all(summaryId);
  }

  setMessageId(summaryId: number, messageId: number): void {
    this.db.prepare('UPDATE burst_summaries SET message_id = ? WHERE id = ?').run(messageId, summaryId);
  }

  setEditDueAt(summaryId: number, at: number): void {
    this.db.prepare('UPDATE burst_summaries SET edit_due_at = ? WHERE id = ?').run(at, summaryId);
  }

  /** Show another page of buttons: a change like any other (the version is bumped). */
  setPage(summaryId: number, page: number): void {
    this.db.prepare('UPDATE burst_summaries SET page = ?, version = version + 1 WHERE id = ?').run(page, summaryId);
  }
}
