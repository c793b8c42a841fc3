import type { Db } from './db.js';

/** What an anonymised author key reads; no platform id survives. */
export const ANONYMISED = 'anonymised';

/** Messages that never became part of an incident. */
const NON_APPEAL = `incident_id IS NULL AND decision NOT IN ('incident', 'followup', 'linked')`;

export interface RetentionCounts {
  messagesCleared: number;
  incidentsAnonymised: number;
}

/** The personal-data retention writes (see RetentionJob for the policy). Callers own the transaction. */
export class RetentionStore {
  constructor(private readonly db: Db) {}

  /**
   * Non-appeal messages received before `cutoff` lose their text, author name and media (the
   * platform's links to their photos and files, and the downloaded copies: marked for deletion);
   * the row stays (it dedupes).
   */
  clearNonAppealMessages(cutoff: number): number {
    const expired = `${NON_APPEAL} AND received_at < ? AND (text IS NOT NULL OR author_name IS NOT NULL OR media_json IS NOT NULL)`;
    this.db
      .prepare(
        `UPDATE media_files SET state = 'deleting' WHERE state NOT IN ('deleting', 'deleted') AND message_id IN (SELECT id FROM messages WHERE ${expired})`,
      )
      .run(cutoff);
    // The «Проверить» note about such a message carried its photos (Telegram file ids): they go too.
    this.db
      .prepare(
        `UPDATE outbox SET media_json = NULL WHERE media_json IS NOT NULL AND idempotency_key IN (SELECT 'review:' || id FROM messages WHERE ${expired})`,
      )
      .run(cutoff);
    return this.db.prepare(`UPDATE messages SET text = NULL, author_name = NULL, media_json = NULL WHERE ${expired}`).run(cutoff).changes;
  }

  /** Incidents closed or rejected, and last changed, before `cutoff` that still hold a citizen's words or id. */
  anonymisable(cutoff: number): number[] {
    return (
      this.db
        .prepare<[number, number, string], { id: number }>(
          `SELECT id FROM incidents
            WHERE status IN ('closed', 'rejected') AND closed_at < ? AND updated_at < ?
              AND (text IS NOT NULL OR author_name IS NOT NULL OR author_key != ?)`,
        )
        // closed_at keeps the first closure; updated_at is the last change, so an incident reopened and closed again lately is kept.
        .all(cutoff, cutoff, ANONYMISED)
        .map((r) => r.id)
    );
  }

  /**
   * Remove the citizen from one incident: its text, name and platform id, and those of its
   * messages and reporter rows; the sent cards that quoted them get `cardText`; the citizen's
   * events keep what happened and when but lose their words and id (migration 0004 allows only this).
   */
  anonymiseIncident(id: number, cardText: string): void {
    // The point a citizen sent stays as a place (about 100 m), no longer as their door.
    this.db
      .prepare('UPDATE incidents SET text = NULL, author_name = NULL, author_key = ?, lat = round(lat, 3), lon = round(lon, 3) WHERE id = ?')
      .run(ANONYMISED, id);
    const messages = 'incident_id = ? OR id IN (SELECT message_id FROM incident_reporters WHERE incident_id = ?)';
    // The citizens' photos and files: the links go with the messages, the downloaded copies are marked for deletion.
    this.db
      .prepare(
        `UPDATE media_files SET state = 'deleting' WHERE state NOT IN ('deleting', 'deleted') AND message_id IN (SELECT id FROM messages WHERE ${messages})`,
      )
      .run(id, id);
    this.db.prepare(`UPDATE messages SET text = NULL, author_name = NULL, author_key = ?, media_json = NULL WHERE ${messages}`).run(ANONYMISED, id, id);
    this.db.prepare('UPDATE incident_reporters SET author_key = ? WHERE incident_id = ?').run(ANONYMISED, id);
    // The sent rows stay (delivery history); their words and the citizens' photos they carried go.
    this.db.prepare(`UPDATE outbox SET text = ?, media_json = NULL WHERE incident_id = ? AND purpose = 'card' AND state != 'pending'`).run(cardText, id);
    this.db
      .prepare(
        `UPDATE incident_events SET details_json = CASE WHEN action IN ('followup', 'linked') THEN NULL ELSE details_json END, actor_id = ?
          WHERE incident_id = ? AND actor_kind = 'citizen'`,
      )
      .run(ANONYMISED, id);
  }

  /** One run, for the digest. */
  recordRun(now: number, counts: RetentionCounts): void {
    this.db
      .prepare('INSERT INTO retention_runs (ran_at, messages_cleared, incidents_anonymised) VALUES (?, ?, ?)')
      .run(now, counts.messagesCleared, counts.incidentsAnonymised);
  }
}
