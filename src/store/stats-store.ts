/**
 * The reads behind every statistic (the digest, /report, /stats, `otklik stats`, the export, the
 * chart, /metrics, the demo's summary): plain SQL over incidents, spikes, retention runs, messages
 * and the outbox. What the numbers mean is composed in src/reports/.
 */

import type { TopicId } from '../domain/detection.js';
import type { IncidentStatus } from '../domain/incident.js';
import type { ProblemId } from '../domain/problem.js';
import type { Db } from './db.js';
import { overdueSql } from './deadline-sql.js';

/** [from, to) in epoch ms. */
export interface Span {
  from: number;
  to: number;
}

/** Only incidents of this municipality; undefined: all. */
export type MunicipalityScope = string | undefined;

export type Milestone = 'acknowledged_at' | 'accepted_at' | 'answered_at';

export type GroupColumn = 'status' | 'topic' | 'problem' | 'municipality_id' | 'channel';

export interface SpikeRow {
  id: number;
  topic: TopicId;
  /** The problem counted; null: the topic's incidents without a problem. */
  problem: ProblemId | null;
  municipalityId: string | null;
  place: string | null;
  count: number;
  expected: number;
  startedAt: number;
  incidentIds: number[];
}

/** One incident as the export reads it. */
export interface ExportSourceRow {
  id: number;
  created_at: number;
  channel: string;
  source_key: string;
  municipality_id: string | null;
  department_id: string | null;
  holder_name: string | null;
  topic: string;
  problem: string | null;
  urgency: string;
  status: string;
  kind: string;
  acknowledged_at: number | null;
  accepted_at: number | null;
  answered_at: number | null;
  closed_at: number | null;
  accept_due_at: number | null;
  answer_due_at: number | null;
  /** 1 when past a running deadline at the time of the export. */
  overdue: number;
  author_key: string;
  text: string | null;
  thread_json: string;
}

/** The columns of `incidents` an export row reads, `overdue` judged at `at` (a parameter such as `@now`). */
export function exportSelect(at: string): string {
  return `id, created_at, channel, source_key, municipality_id, department_id, holder_name, topic, problem, urgency, status, kind,
          acknowledged_at, accepted_at, answered_at, closed_at, accept_due_at, answer_due_at,
          CASE WHEN ${overdueSql(at)} THEN 1 ELSE 0 END AS overdue, author_key, text, thread_json`;
}

type Params = { from: number; to: number; m: string | null };

function scopeSql(m: MunicipalityScope): string {
  return m === undefined ? '' : ' AND municipality_id = @m';
}

/** The conversation counts of issue 12 that need no outbox key (src/reports/conversation-figures.ts adds the rest). */
export interface ConversationCounts {
  /** Additions whose own detection was a confident complaint of another topic than the incident they joined: must be 0. */
  misfiledComplaints: number;
  additions: number;
  /** Additions quoted to the moderators: a card or a note under it carries their words. */
  additionsShown: number;
  /** Private-chat messages the detector read as questions. */
  privateQuestions: number;
  /**
   * Citizens' photos (each file once) in messages moderators work with (reports, additions,
   * albums, «Проверить»), and those that reached them: a delivered card or note carries the
   * Telegram photo, or links the VK one.
   */
  photos: number;
  photosOnCards: number;
}

export class StatsStore {
  constructor(private readonly db: Db) {}

  /** Incidents registered in the span, counted by a column; largest first. */
  countBy<K extends string>(column: GroupColumn, span: Span, m?: MunicipalityScope): { key: K | null; count: number }[] {
    return this.db
      .prepare<Params, { key: K | null; count: number }>(
        `SELECT ${column} AS key, COUNT(*) AS count FROM incidents WHERE created_at >= @from AND created_at < @to${scopeSql(m)}
          GROUP BY ${column} ORDER BY count DESC, key`,
      )
      .all({ from: span.from, to: span.to, m: m ?? null });
  }

  /** From registration to a milestone, ms, of the incidents registered in the span that reached it. */
  durations(milestone: Milestone, span: Span, m?: MunicipalityScope): number[] {
    return this.db
      .prepare<Params, { d: number }>(
        `SELECT ${milestone} - created_at AS d FROM incidents
          WHERE created_at >= @from AND created_at < @to AND ${milestone} IS NOT NULL AND ${milestone} >= created_at${scopeSql(m)}`,
      )
      .all({ from: span.from, to: span.to, m: m ?? null })
      .map((r) => r.d);
  }

  /** Incidents past a running deadline at `at`, whenever they were registered. */
  overdueIds(at: number, m?: MunicipalityScope): number[] {
    return this.db
      .prepare<{ to: number; m: string | null }, { id: number }>(`SELECT id FROM incidents WHERE ${overdueSql('@to')}${scopeSql(m)} ORDER BY id`)
      .all({ to: at, m: m ?? null })
      .map((r) => r.id);
  }

  /** Spikes started in the span, with their linked incidents. */
  spikesStarted(span: Span, m?: MunicipalityScope): SpikeRow[] {
    const linked = this.db.prepare<[number], { incident_id: number }>('SELECT incident_id FROM incident_spikes WHERE spike_id = ? ORDER BY incident_id');
    return this.db
      .prepare<
        Params,
        {
          id: number;
          topic: TopicId;
          problem: ProblemId | null;
          municipality_id: string | null;
          place: string | null;
          count: number;
          expected: number;
          started_at: number;
        }
      >(
        `SELECT id, topic, problem, municipality_id, place, count, expected, started_at FROM spikes
          WHERE started_at >= @from AND started_at < @to${scopeSql(m)} ORDER BY started_at, id`,
      )
      .all({ from: span.from, to: span.to, m: m ?? null })
      .map((s) => ({
        id: s.id,
        topic: s.topic,
        problem: s.problem,
        municipalityId: s.municipality_id,
        place: s.place,
        count: s.count,
        expected: s.expected,
        startedAt: s.started_at,
        incidentIds: linked.all(s.id).map((r) => r.incident_id),
      }));
  }

  /**
   * The detector as the moderators saw it, over the complaints it registered on its own (the
   * 'created' event is the system's) in the span: how many a moderator then rejected as not an
   * appeal (the incident's latest label is `not_complaint`), and of the rest how many now have
   * another topic, or the same topic and another problem, than they were registered with.
   */
  detectorFeedback(span: Span, m?: MunicipalityScope): { autoRegistered: number; notAppeals: number; topicCorrected: number; problemCorrected: number } {
    const row = this.db
      .prepare<Params, { auto: number; rejected: number | null; topics: number | null; problems: number | null }>(
        `SELECT COUNT(*) AS auto, SUM(rejected) AS rejected,
                SUM(NOT rejected AND topic IS NOT first_topic) AS topics,
                SUM(NOT rejected AND topic IS first_topic AND problem IS NOT first_problem) AS problems
           FROM (SELECT i.topic, i.problem,
                        json_extract(c.details_json, '$.topic') AS first_topic, json_extract(c.details_json, '$.problem') AS first_problem,
                        COALESCE((SELECT l.label = 'not_complaint' FROM moderator_labels l WHERE l.incident_id = i.id ORDER BY l.id DESC LIMIT 1), 0) AS rejected
                   FROM incidents i JOIN incident_events c ON c.incident_id = i.id AND c.action = 'created' AND c.actor_kind = 'system'
                  WHERE i.kind = 'complaint' AND i.created_at >= @from AND i.created_at < @to${scopeSql(m).replace('municipality_id', 'i.municipality_id')})`,
      )
      .get({ from: span.from, to: span.to, m: m ?? null })!;
    return { autoRegistered: row.auto, notAppeals: row.rejected ?? 0, topicCorrected: row.topics ?? 0, problemCorrected: row.problems ?? 0 };
  }

  /** What the retention runs of the span removed (region-wide). */
  retentionTotals(span: Span): { messagesCleared: number; incidentsAnonymised: number } {
    const row = this.db
      .prepare<Span, { m: number | null; i: number | null }>(
        'SELECT SUM(messages_cleared) AS m, SUM(incidents_anonymised) AS i FROM retention_runs WHERE ran_at >= @from AND ran_at < @to',
      )
      .get({ from: span.from, to: span.to })!;
    return { messagesCleared: row.m ?? 0, incidentsAnonymised: row.i ?? 0 };
  }

  /** Topic and timing of every incident registered in the span (the chart's days). */
  registered(span: Span): { topic: TopicId; created_at: number; answered_at: number | null }[] {
    return this.db
      .prepare<[number, number], { topic: TopicId; created_at: number; answered_at: number | null }>(
        'SELECT topic, created_at, answered_at FROM incidents WHERE created_at >= ? AND created_at < ?',
      )
      .all(span.from, span.to);
  }

  /** The export's rows: incidents registered in the span, `overdue` judged at `at`. */
  exportRows(span: Span, at: number): ExportSourceRow[] {
    return this.db
      .prepare<{ from: number; until: number; to: number }, ExportSourceRow>(
        `SELECT ${exportSelect('@to')}
           FROM incidents WHERE created_at >= @from AND created_at < @until ORDER BY id`,
      )
      .all({ from: span.from, until: span.to, to: at });
  }

  /** Every incident by current status (the /metrics gauge). */
  incidentsByStatus(): Map<IncidentStatus, number> {
    const rows = this.db.prepare<[], { status: IncidentStatus; n: number }>('SELECT status, COUNT(*) AS n FROM incidents GROUP BY status').all();
    return new Map(rows.map((r) => [r.status, r.n]));
  }

  /** The channel and platform timestamp of the message that opened an incident (acknowledgement latency). */
  incidentOrigin(incidentId: number): { channel: string; createdAt: number } | undefined {
    const row = this.db
      .prepare<[number], { channel: string; created_at: number }>(
        'SELECT m.channel, m.created_at FROM incidents i JOIN messages m ON m.id = i.message_id WHERE i.id = ?',
      )
      .get(incidentId);
    return row ? { channel: row.channel, createdAt: row.created_at } : undefined;
  }

  /** Whole-database totals for the demo's closing summary. */
  summary(): {
    messages: number;
    incidents: number;
    sent: number;
    unsent: number;
    byDecision: { key: string; n: number }[];
    byTopic: { key: string; n: number }[];
    byStatus: { key: string; n: number }[];
    sentByPurpose: { key: string; n: number }[];
  } {
    const count = (sql: string) => this.db.prepare<[], { n: number }>(sql).get()!.n;
    const groups = (sql: string) => this.db.prepare<[], { key: string; n: number }>(sql).all();
    return {
      messages: count('SELECT COUNT(*) AS n FROM messages'),
      incidents: count('SELECT COUNT(*) AS n FROM incidents'),
      sent: count("SELECT COUNT(*) AS n FROM outbox WHERE state = 'sent'"),
      unsent: count("SELECT COUNT(*) AS n FROM outbox WHERE state <> 'sent'"),
      byDecision: groups('SELECT decision AS key, COUNT(*) AS n FROM messages GROUP BY decision ORDER BY n DESC'),
      byTopic: groups('SELECT topic AS key, COUNT(*) AS n FROM incidents GROUP BY topic ORDER BY n DESC'),
      byStatus: groups('SELECT status AS key, COUNT(*) AS n FROM incidents GROUP BY status ORDER BY n DESC'),
      sentByPurpose: groups("SELECT purpose AS key, COUNT(*) AS n FROM outbox WHERE state = 'sent' GROUP BY purpose ORDER BY n DESC"),
    };
  }

  /** The conversation counts of issue 12 over everything recorded (the demo prints them). */
  conversationCounts(): ConversationCounts {
    const n = (sql: string) => (this.db.prepare(sql).get() as { n: number }).n;
    return {
      misfiledComplaints: n(
        `SELECT COUNT(*) AS n FROM messages m JOIN incidents i ON i.id = m.incident_id
          WHERE m.decision = 'followup' AND json_extract(m.detection_json, '$.verdict') = 'reply'
            AND json_extract(m.detection_json, '$.kind') = 'complaint' AND json_extract(m.detection_json, '$.topic') IS NOT i.topic`,
      ),
      additions: n(`SELECT COUNT(*) AS n FROM incident_events WHERE action = 'followup'`),
      additionsShown: n(
        `SELECT COUNT(*) AS n FROM incident_events e
          WHERE e.action = 'followup' AND EXISTS (
            SELECT 1 FROM outbox o WHERE o.incident_id = e.incident_id AND o.purpose = 'card' AND o.created_at >= e.at
               AND instr(o.text, substr(json_extract(e.details_json, '$.text'), 1, 30)) > 0)`,
      ),
      privateQuestions: n(`SELECT COUNT(*) AS n FROM messages WHERE is_private = 1 AND json_extract(detection_json, '$.kind') = 'question'`),
      ...this.photoFigures(),
    };
  }

  private photoFigures(): Pick<ConversationCounts, 'photos' | 'photosOnCards'> {
    const row = this.db
      .prepare<[], { photos: number; shown: number | null }>(
        `WITH photos AS (
           SELECT DISTINCT json_extract(a.value, '$.fileId') AS file_id, json_extract(a.value, '$.url') AS url
             FROM messages m, json_each(m.media_json, '$.attachments') a
            WHERE m.media_json IS NOT NULL AND m.author_is_bot = 0 AND json_extract(a.value, '$.kind') = 'photo'
              AND m.decision IN ('incident', 'question', 'followup', 'linked', 'review', 'album'))
         SELECT COUNT(*) AS photos,
                SUM(EXISTS (
                  SELECT 1 FROM outbox o WHERE o.state = 'sent' AND o.purpose IN ('card', 'review')
                     AND CASE WHEN p.file_id IS NOT NULL THEN instr(o.media_json, '"' || p.file_id || '"') > 0
                              ELSE instr(o.text, p.url) > 0 OR instr(o.text, replace(p.url, '&', '&amp;')) > 0 END)) AS shown
           FROM photos p`,
      )
      .get()!;
    return { photos: row.photos, photosOnCards: row.shown ?? 0 };
  }

  /** Every citizen's addition to an incident (its event). */
  followupEvents(): { incidentId: number; eventId: number }[] {
    return this.db
      .prepare<[], { incident_id: number; id: number }>(`SELECT incident_id, id FROM incident_events WHERE action = 'followup' ORDER BY id`)
      .all()
      .map((r) => ({ incidentId: r.incident_id, eventId: r.id }));
  }

  /** Private-chat messages the detector read as questions, with the incident each opened (a question card), if any. */
  privateQuestionMessages(): { messageId: number; incidentId: number | null }[] {
    return this.db
      .prepare<[], { id: number; incident_id: number | null }>(
        `SELECT id, incident_id FROM messages WHERE is_private = 1 AND json_extract(detection_json, '$.kind') = 'question' ORDER BY id`,
      )
      .all()
      .map((r) => ({ messageId: r.id, incidentId: r.incident_id }));
  }

  /** The idempotency keys of every outbox row (any platform) starting with `prefix` (from outbox-key.ts `outboxKeyPrefix`). */
  outboxKeysStartingWith(prefix: string): string[] {
    return this.db
      .prepare<[number, string], { idempotency_key: string }>('SELECT idempotency_key FROM outbox WHERE substr(idempotency_key, 1, ?) = ? ORDER BY id')
      .all(prefix.length, prefix)
      .map((r) => r.idempotency_key);
  }
}
