/**
 * The reads behind every statistic (the digest, /report, /stats, `otklik stats`, the export, the
 * chart, /metrics, the demo's summary): plain SQL over incidents, spikes, retention runs, messages
 * and the outbox. What the numbers mean is composed in src/reports/.
 */
import type { TopicId } from '../domain/detection.js';
import { DEADLINE_STATUSES } from '../domain/deadline-running.js';
import type { IncidentStatus } from '../domain/incident.js';
import type { DeadlineKind } from '../domain/sla.js';
import type { Db } from './db.js';

/** [from, to) in epoch ms. */
export interface Span {
  from: number;
  to: number;
}

/** Only incidents of this municipality; undefined: all. */
export type MunicipalityScope = string | undefined;

export type Milestone = 'acknowledged_at' | 'accepted_at' | 'answered_at';

export type GroupColumn = 'status' | 'topic' | 'municipality_id' | 'channel';

export interface SpikeRow {
  id: number;
  topic: TopicId;
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
  urgency: string;
  status: string;
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

/** The columns of `incidents` an export row reads, `overdue` computed by `overdueSql` (at `@now` or `@to`). */
export function exportSelect(overdueSql: string): string {
  return `id, created_at, channel, source_key, municipality_id, department_id, holder_name, topic, urgency, status,
          acknowledged_at, accepted_at, answered_at, closed_at, accept_due_at, answer_due_at,
          CASE WHEN ${overdueSql} THEN 1 ELSE 0 END AS overdue, author_key, text, thread_json`;
}

const quoted = (statuses: readonly string[]) => statuses.map((s) => `'${s}'`).join(', ');

/**
 * The SQL form of domain/deadline-running.ts `runningDeadline`: true while the deadline of
 * `kind` runs and is before `at` (an SQL expression, e.g. a parameter `@to`).
 */
export function deadlinePassedSql(kind: DeadlineKind, at: string): string {
  if (kind === 'accept') return `(status IN (${quoted(DEADLINE_STATUSES.accept)}) AND accept_due_at IS NOT NULL AND accept_due_at < ${at})`;
  return `(status IN (${quoted(DEADLINE_STATUSES.answer)}) AND answer_due_at IS NOT NULL AND answer_due_at < ${at}
    AND (status != 'reopened' OR answered_at IS NULL OR answer_due_at > answered_at))`;
}

/** Past a running deadline at `at`: domain/deadline-running.ts `isOverdue` in SQL. */
export function overdueSql(at: string): string {
  return `(${deadlinePassedSql('accept', at)} OR ${deadlinePassedSql('answer', at)})`;
}

type Params = { from: number; to: number; m: string | null };

function scopeSql(m: MunicipalityScope): string {
  return m === undefined ? '' : ' AND municipality_id = @m';
}

/** The conversation targets of issue 12, counted from what the bot recorded and sent (the demo prints them). */
export interface ConversationFigures {
  /** Additions whose own detection was a confident complaint of another topic than the incident they joined: must be 0. */
  misfiledComplaints: number;
  additions: number;
  /** Additions quoted to the moderators: a card or a note under it carries their words. */
  additionsShown: number;
  /** Card edits queued for an addition (several arriving together share one). */
  additionCardEdits: number;
  /** Private-chat messages the detector read as questions. */
  privateQuestions: number;
  /** Of those: an FAQ answer went out, or a question card went to the moderators for their answer. */
  privateQuestionsAnswered: number;
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
      .prepare<Params, { id: number; topic: TopicId; municipality_id: string | null; place: string | null; count: number; expected: number; started_at: number }>(
        `SELECT id, topic, municipality_id, place, count, expected, started_at FROM spikes
          WHERE started_at >= @from AND started_at < @to${scopeSql(m)} ORDER BY started_at, id`,
      )
      .all({ from: span.from, to: span.to, m: m ?? null })
      .map((s) => ({
        id: s.id,
        topic: s.topic,
        municipalityId: s.municipality_id,
        place: s.place,
        count: s.count,
        expected: s.expected,
        startedAt: s.started_at,
        incidentIds: linked.all(s.id).map((r) => r.incident_id),
      }));
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
        `SELECT ${exportSelect(overdueSql('@to'))}
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
      .prepare<[number], { channel: string; created_at: number }>('SELECT m.channel, m.created_at FROM incidents i JOIN messages m ON m.id = i.message_id WHERE i.id = ?')
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

  /** The conversation targets of issue 12 over everything recorded (the demo prints them). */
  conversations(): ConversationFigures {
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
      additionCardEdits: n(
        `SELECT COUNT(*) AS n FROM incident_events e JOIN outbox o ON o.idempotency_key = 'card-edit:' || e.incident_id || ':e' || e.id
          WHERE e.action = 'followup'`,
      ),
      privateQuestions: n(`SELECT COUNT(*) AS n FROM messages WHERE is_private = 1 AND json_extract(detection_json, '$.kind') = 'question'`),
      privateQuestionsAnswered: n(
        `SELECT COUNT(*) AS n FROM messages m WHERE m.is_private = 1 AND json_extract(m.detection_json, '$.kind') = 'question'
            AND (EXISTS (SELECT 1 FROM outbox o WHERE o.idempotency_key = 'faq:' || m.id)
              OR EXISTS (SELECT 1 FROM outbox o WHERE o.idempotency_key = 'card:' || m.incident_id))`,
      ),
      ...this.photoFigures(),
    };
  }

  private photoFigures(): Pick<ConversationFigures, 'photos' | 'photosOnCards'> {
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
}
