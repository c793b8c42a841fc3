import type { TopicId } from '../domain/detection.js';
import type { ProblemId } from '../domain/problem.js';
import { MS_PER_DAY } from '../domain/working-calendar.js';
import type { Db } from './db.js';

/** An incident as the spike job counts it. */
export interface SpikeCandidate {
  id: number;
  topic: TopicId;
  problem: ProblemId | null;
  municipality_id: string | null;
  place_json: string | null;
  created_at: number;
  text: string | null;
}

export interface NewSpike {
  scopeKey: string;
  topic: TopicId;
  /** The problem counted; null: a topic's incidents without a problem. */
  problem: ProblemId | null;
  municipalityId: string | null;
  place: string | null;
  windowHours: number;
  count: number;
  expected: number;
  pValue: number;
}

/** Spikes (risk alerts) and the incidents linked to them. Callers own the transaction. */
export class SpikeStore {
  constructor(private readonly db: Db) {}

  /**
   * Incidents (not rejected) in the current window (age < windowMs before `now`) and in the same
   * window on each of the previous `days` days (age in [k·day, k·day + windowMs)), oldest first.
   */
  windowIncidents(now: number, days: number, windowMs: number): SpikeCandidate[] {
    return this.db
      .prepare<[number, number, number, number], SpikeCandidate>(
        `SELECT id, topic, problem, municipality_id, place_json, created_at, text FROM incidents
          WHERE status != 'rejected' AND created_at <= ? AND created_at > ? AND ((? - created_at) % ${MS_PER_DAY}) < ?
          ORDER BY created_at, id`,
      )
      .all(now, now - days * MS_PER_DAY - windowMs, now, windowMs);
  }

  /** The newest spike of a scope seen at or after `since`: one still going on. */
  findActive(scopeKey: string, since: number): number | null {
    return (
      this.db
        .prepare<[string, number], { id: number }>('SELECT id FROM spikes WHERE scope_key = ? AND last_seen_at >= ? ORDER BY id DESC LIMIT 1')
        .get(scopeKey, since)?.id ?? null
    );
  }

  /** A spike goes on: seen now, with its highest count so far. */
  extend(id: number, now: number, count: number): void {
    this.db.prepare('UPDATE spikes SET last_seen_at = ?, count = MAX(count, ?) WHERE id = ?').run(now, count, id);
  }

  open(spike: NewSpike, now: number): number {
    const result = this.db
      .prepare(
        `INSERT INTO spikes (scope_key, topic, problem, municipality_id, place, started_at, last_seen_at, window_hours, count, expected, p_value)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        spike.scopeKey,
        spike.topic,
        spike.problem,
        spike.municipalityId,
        spike.place,
        now,
        now,
        spike.windowHours,
        spike.count,
        spike.expected,
        spike.pValue,
      );
    return Number(result.lastInsertRowid);
  }

  /** Link incidents to a spike; links made earlier stay as they are. */
  link(spikeId: number, incidentIds: readonly number[], now: number): void {
    const link = this.db.prepare('INSERT INTO incident_spikes (spike_id, incident_id, linked_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING');
    for (const id of incidentIds) link.run(spikeId, id, now);
  }

  count(): number {
    return this.db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM spikes').get()!.n;
  }
}
