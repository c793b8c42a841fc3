import type { Config } from '../config.js';
import { MS_PER_DAY } from '../domain/working-calendar.js';
import type { Logger } from '../logger.js';
import type { Db } from '../store/db.js';

export interface RetentionJobDeps {
  db: Db;
  config: Pick<Config, 'retention'>;
  clock: () => number;
  logger: Logger;
}

export interface RetentionResult {
  messagesCleared: number;
  incidentsAnonymised: number;
}

/** What an anonymised author key reads; no platform id survives. */
export const ANONYMISED = 'anonymised';

/** Messages that never became part of an incident. */
const NON_APPEAL = `incident_id IS NULL AND decision NOT IN ('incident', 'followup', 'linked')`;

/**
 * Retention of personal data, run daily:
 * - messages that were not appeals lose their text and author name `retention.nonAppealDays`
 *   after they were received (the row stays: it is what stops the same message being recorded twice);
 * - incidents closed or rejected more than `retention.closedIncidentDays` ago lose the citizen's
 *   text, name and platform id, and so do their messages, reporter rows and the sent cards that
 *   quoted them, and the citizen's events in the audit log (closed_at is the first closure, so the last change must be as old). Topic, place,
 *   municipality and every timestamp stay, so statistics do not change.
 * Each run is recorded in `retention_runs` for the digest. Running it twice deletes nothing more.
 */
export class RetentionJob {
  constructor(private readonly deps: RetentionJobDeps) {}

  run(): RetentionResult {
    const { db, config, clock, logger } = this.deps;
    const now = clock();
    const messageCutoff = now - config.retention.nonAppealDays * MS_PER_DAY;
    const incidentCutoff = now - config.retention.closedIncidentDays * MS_PER_DAY;
    const result = db.transaction((): RetentionResult => {
      const messagesCleared = db
        .prepare(`UPDATE messages SET text = NULL, author_name = NULL WHERE ${NON_APPEAL} AND received_at < ? AND (text IS NOT NULL OR author_name IS NOT NULL)`)
        .run(messageCutoff).changes;
      const ids = db
        .prepare<[number, number, string], { id: number }>(
          `SELECT id FROM incidents
            WHERE status IN ('closed', 'rejected') AND closed_at < ? AND updated_at < ?
              AND (text IS NOT NULL OR author_name IS NOT NULL OR author_key != ?)`,
        )
        // closed_at keeps the first closure; updated_at is the last change, so an incident reopened and closed again lately is kept.
        .all(incidentCutoff, incidentCutoff, ANONYMISED)
        .map((r) => r.id);
      const incident = db.prepare('UPDATE incidents SET text = NULL, author_name = NULL, author_key = ? WHERE id = ?');
      const messages = db.prepare(
        `UPDATE messages SET text = NULL, author_name = NULL, author_key = ?
          WHERE incident_id = ? OR id IN (SELECT message_id FROM incident_reporters WHERE incident_id = ?)`,
      );
      const reporters = db.prepare('UPDATE incident_reporters SET author_key = ? WHERE incident_id = ?');
      // The moderators' cards quote the citizen's text and name; the sent rows stay (delivery history), their words go.
      const cards = db.prepare(`UPDATE outbox SET text = ? WHERE incident_id = ? AND purpose = 'card' AND state != 'pending'`);
      // The audit log keeps what happened and when; the citizen's words and id leave it (migration 0004 allows only this).
      const events = db.prepare(
        `UPDATE incident_events SET details_json = CASE WHEN action IN ('followup', 'linked') THEN NULL ELSE details_json END, actor_id = ?
          WHERE incident_id = ? AND actor_kind = 'citizen'`,
      );
      for (const id of ids) {
        incident.run(ANONYMISED, id);
        messages.run(ANONYMISED, id, id);
        reporters.run(ANONYMISED, id);
        cards.run(`Обращение №${id}: текст и автор обезличены по сроку хранения.`, id);
        events.run(ANONYMISED, id);
      }
      db.prepare('INSERT INTO retention_runs (ran_at, messages_cleared, incidents_anonymised) VALUES (?, ?, ?)').run(now, messagesCleared, ids.length);
      return { messagesCleared, incidentsAnonymised: ids.length };
    })();
    logger.info(result, 'retention done');
    return result;
  }
}
