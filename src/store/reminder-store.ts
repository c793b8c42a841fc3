import type { Db } from './db.js';

/**
 * Which deadline reminders were given: the audit log's `reminder` and `escalated` events (written
 * in the same transaction as the reminder's message) are the record, so each reminder happens once
 * per incident, deadline, stage and due time, however the messages are batched.
 */
export class ReminderStore {
  constructor(private readonly db: Db) {}

  /** Was this stage (`accept:missed`, `answer:escalated`, …) of the deadline due at `dueAt` reminded already? */
  reminded(incidentId: number, stage: string, dueAt: number): boolean {
    return (
      this.db
        .prepare<[number, string, number], { one: number }>(
          `SELECT 1 AS one FROM incident_events
            WHERE incident_id = ? AND action IN ('reminder', 'escalated') AND new_value = ? AND json_extract(details_json, '$.dueAt') = ? LIMIT 1`,
        )
        .get(incidentId, stage, dueAt) !== undefined
    );
  }
}
