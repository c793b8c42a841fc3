/**
 * The web console's reads: the incident table (filters, sorting, pages with counts), the card's
 * thread and history, the rows of exports, the dashboard's groups and the Open311 registry.
 * Read-only; the console changes incidents only through IncidentService.
 */
import type { MessageMedia } from '../domain/attachment.js';
import type { DeadlineOutcome } from '../domain/deadline-running.js';
import type { TopicId, Urgency } from '../domain/detection.js';
import { type IncidentKind, type IncidentStatus, OPEN_STATUSES } from '../domain/incident.js';
import type { ProblemId } from '../domain/problem.js';
import type { DeadlineKind } from '../domain/sla.js';
import type { ChannelKind } from '../domain/thread-ref.js';
import type { Db } from './db.js';
import { deadlineOutcomeSql, nextDeadlineSql, overdueSql } from './deadline-sql.js';
import { parseMedia } from './message-store.js';
import { type ExportSourceRow, exportSelect } from './stats-store.js';

/** Past a running deadline now (domain/deadline-running.ts, as everywhere). */
const OVERDUE = overdueSql('@now');

/** The earliest running deadline, NULL when none runs. */
const NEXT_DUE = nextDeadlineSql();

/** When an incident reached a milestone of the SLA figures: the first reaction (acceptance, else the answer), the answer. */
const REACHED = { reaction: 'COALESCE(accepted_at, answered_at)', answer: 'answered_at' } as const;

/** A view of the incident table; undefined fields do not filter. */
export interface ConsoleFilter {
  /** The moderator's scope: undefined for a regional moderator, the municipality of a municipal one. */
  scopeMunicipalityId?: string;
  statuses?: readonly IncidentStatus[];
  topic?: TopicId;
  problem?: ProblemId;
  urgency?: Urgency;
  /** null: the regional queue. */
  municipalityId?: string | null;
  /** null: no department. */
  departmentId?: string | null;
  /** null: nobody holds it. */
  holderKey?: string | null;
  channel?: ChannelKind;
  /** Past a deadline now, or an open incident whose next deadline is within the hours. */
  due?: { kind: 'overdue' } | { kind: 'within'; hours: number };
  /** Registered in [from, to), epoch ms. */
  from?: number;
  to?: number;
  /** A substring of the citizen's text (case-insensitive for ASCII, as SQLite's LIKE). */
  text?: string;
  /** Exactly these incidents (a drill-down, a selection). */
  ids?: readonly number[];
  /** Complaints or questions. */
  kind?: IncidentKind;
  /** The incidents a spike (risk alert) counted. */
  spikeId?: number;
  /** How they fared against a deadline now (domain/deadline-running.ts `deadlineOutcome`): the dashboard's percentages drill here. */
  sla?: { deadline: DeadlineKind; outcome: DeadlineOutcome };
  /** Those that reached the first reaction or the answer: the dashboard's medians drill here. */
  reached?: 'reaction' | 'answer';
}

export const SORT_KEYS = ['id', 'status', 'kind', 'urgency', 'due', 'municipality', 'updated'] as const;
export type SortKey = (typeof SORT_KEYS)[number];

/** The ORDER BY terms of each key; a term ending in IS NULL always sorts ascending (rows without a value last). */
const SORT_SQL: Record<SortKey, readonly string[]> = {
  id: ['id'],
  status: ['status'],
  kind: ['kind'],
  urgency: ['urgency'],
  due: [`${NEXT_DUE} IS NULL`, NEXT_DUE],
  municipality: ['municipality_id'],
  updated: ['updated_at'],
};

/** One row of the table. */
export interface ConsoleRow {
  id: number;
  status: IncidentStatus;
  kind: IncidentKind;
  topic: TopicId;
  problem: ProblemId | null;
  urgency: Urgency;
  municipalityId: string | null;
  departmentId: string | null;
  holderKey: string | null;
  holderName: string | null;
  channel: ChannelKind;
  text: string;
  createdAt: number;
  acceptDueAt: number | null;
  answerDueAt: number | null;
  /** The earliest running deadline (domain/deadline-running.ts `nextDeadline`), null when none runs. */
  nextDueAt: number | null;
  reporterCount: number;
  overdue: boolean;
}

interface RowSql {
  id: number;
  status: IncidentStatus;
  kind: IncidentKind;
  topic: TopicId;
  problem: ProblemId | null;
  urgency: Urgency;
  municipality_id: string | null;
  department_id: string | null;
  holder_key: string | null;
  holder_name: string | null;
  channel: ChannelKind;
  text: string | null;
  created_at: number;
  accept_due_at: number | null;
  answer_due_at: number | null;
  next_due: number | null;
  reporter_count: number;
  overdue: number;
}

const toRow = (r: RowSql): ConsoleRow => ({
  id: r.id,
  status: r.status,
  kind: r.kind,
  topic: r.topic,
  problem: r.problem,
  urgency: r.urgency,
  municipalityId: r.municipality_id,
  departmentId: r.department_id,
  holderKey: r.holder_key,
  holderName: r.holder_name,
  channel: r.channel,
  text: r.text ?? '',
  createdAt: r.created_at,
  acceptDueAt: r.accept_due_at,
  answerDueAt: r.answer_due_at,
  nextDueAt: r.next_due,
  reporterCount: r.reporter_count,
  overdue: r.overdue === 1,
});

/** A message of the card's thread: the citizen's, a linked report, a follow-up. */
export interface ThreadMessage {
  id: number;
  at: number;
  authorKey: string;
  authorName: string | null;
  text: string;
  /** The short summary of kinds ('photo', 'document', …), for rows recorded before media was kept. */
  attachments: string[];
  /** Photos (VK links, Telegram file ids), files and the location, as metadata. */
  media: MessageMedia;
  /** true for the message that opened the incident. */
  opening: boolean;
}

/** What the bot said about the incident (acknowledgements, status messages), with its delivery. */
export interface BotReply {
  at: number;
  purpose: string;
  text: string;
  state: string;
  sentAt: number | null;
}

export interface SpikeRef {
  id: number;
  topic: TopicId;
  problem: ProblemId | null;
  municipalityId: string | null;
  place: string | null;
  count: number;
  startedAt: number;
}

/**
 * One group of the dashboard's pass over a period: incidents registered on one local day, of one
 * topic, municipality, department and kind, with how they fared against their deadlines now.
 */
export interface DashboardGroupRow {
  /** Local date, YYYY-MM-DD. */
  day: string;
  topic: TopicId;
  municipalityId: string | null;
  departmentId: string | null;
  kind: IncidentKind;
  total: number;
  answered: number;
  acceptInTime: number;
  acceptLate: number;
  answerInTime: number;
  answerLate: number;
  overdue: number;
}

/** Whole minutes from registration to a milestone, and how many incidents took them, per municipality and department. */
export interface DurationCount {
  municipalityId: string | null;
  departmentId: string | null;
  minutes: number;
  count: number;
}

/** A person's queue: the open incidents they hold now (holder null: nobody holds them). */
export interface HolderQueue {
  holderKey: string | null;
  holderName: string | null;
  open: number;
  overdue: number;
}

/** An Open311 request: only what the city published anyway, never the citizen. */
export interface PublicRequestRow {
  id: number;
  status: IncidentStatus;
  topic: TopicId;
  problem: ProblemId | null;
  municipalityId: string | null;
  departmentId: string | null;
  createdAt: number;
  updatedAt: number;
  answeredAt: number | null;
  answerDueAt: number | null;
  /** The street or settlement the detector found, when any (no house number: it can name a person). */
  placeJson: string | null;
  /** The point a citizen sent, when any (published only rounded, like the missing house number). */
  lat: number | null;
  lon: number | null;
  /** The latest answer, interim answer, question or rejection text a moderator gave, if any. */
  statusNote: string | null;
  /** Was the thread public (a VK wall comment, a Telegram group), so the moderator's words were public too? */
  publicThread: boolean;
}

export interface PublicRequestFilter {
  ids?: readonly number[];
  topic?: TopicId;
  /** A problem; null: only incidents without one. */
  problem?: ProblemId | null;
  statuses?: readonly IncidentStatus[];
  from?: number;
  to?: number;
  onlyAnswered: boolean;
  limit: number;
}

/** `@p0, @p1, …` for the values, added to `params`: an IN list SQLite can answer from an index. */
function inList(prefix: string, values: readonly string[], params: Record<string, unknown>): string {
  if (values.length === 0) return "''";
  return values
    .map((value, i) => {
      params[`${prefix}${i}`] = value;
      return `@${prefix}${i}`;
    })
    .join(', ');
}

/** SQLite's LIKE with our escape character. */
function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

export class ConsoleQueryStore {
  constructor(private readonly db: Db) {}

  private where(filter: ConsoleFilter, now: number): { sql: string; params: Record<string, unknown> } {
    const parts: string[] = [];
    const params: Record<string, unknown> = { now };
    const add = (sql: string, values: Record<string, unknown> = {}) => {
      parts.push(sql);
      Object.assign(params, values);
    };
    if (filter.scopeMunicipalityId !== undefined) add('municipality_id = @scope', { scope: filter.scopeMunicipalityId });
    if (filter.statuses) add(`status IN (${inList('s', filter.statuses, params)})`);
    if (filter.topic) add('topic = @topic', { topic: filter.topic });
    if (filter.problem) add('problem = @problem', { problem: filter.problem });
    if (filter.urgency) add('urgency = @urgency', { urgency: filter.urgency });
    if (filter.municipalityId !== undefined) add('municipality_id IS @municipality', { municipality: filter.municipalityId });
    if (filter.departmentId !== undefined) add('department_id IS @department', { department: filter.departmentId });
    if (filter.holderKey !== undefined) add('holder_key IS @holder', { holder: filter.holderKey });
    if (filter.channel) add('channel = @channel', { channel: filter.channel });
    if (filter.due?.kind === 'overdue') add(OVERDUE);
    if (filter.due?.kind === 'within') {
      add(`${NEXT_DUE} >= @now AND ${NEXT_DUE} < @dueBy`, { dueBy: now + filter.due.hours * 3_600_000 });
    }
    if (filter.from !== undefined) add('created_at >= @from', { from: filter.from });
    if (filter.to !== undefined) add('created_at < @to', { to: filter.to });
    // 3+ characters: the trigram index (migration 0012); shorter: a scan with LIKE.
    if (filter.text && [...filter.text].length >= 3)
      add('id IN (SELECT rowid FROM incidents_text WHERE incidents_text MATCH @text)', { text: `"${filter.text.replace(/"/g, '""')}"` });
    else if (filter.text) add("text LIKE @text ESCAPE '\\'", { text: likePattern(filter.text) });
    if (filter.ids) add('id IN (SELECT value FROM json_each(@ids))', { ids: JSON.stringify(filter.ids) });
    if (filter.kind) add('kind = @kind', { kind: filter.kind });
    if (filter.spikeId !== undefined) add('id IN (SELECT incident_id FROM incident_spikes WHERE spike_id = @spike)', { spike: filter.spikeId });
    if (filter.sla) add(`${deadlineOutcomeSql(filter.sla.deadline, '@now')} = @outcome`, { outcome: filter.sla.outcome });
    if (filter.reached) add(`${REACHED[filter.reached]} IS NOT NULL AND ${REACHED[filter.reached]} >= created_at`);
    return { sql: parts.length > 0 ? `WHERE ${parts.join(' AND ')}` : '', params };
  }

  /** One page of the table and the count of every matching row. */
  page(
    filter: ConsoleFilter,
    sort: { key: SortKey; desc: boolean },
    page: { offset: number; limit: number },
    now: number,
  ): { rows: ConsoleRow[]; total: number } {
    const { sql, params } = this.where(filter, now);
    const dir = sort.desc ? 'DESC' : 'ASC';
    const order = SORT_SQL[sort.key].map((part) => `${part} ${part.endsWith('IS NULL') ? 'ASC' : dir}`).join(', ');
    const orderBy = `ORDER BY ${order}${sort.key === 'id' ? '' : `, id ${dir}`}`;
    // The page's ids first (answered from an index where one covers the filter and the sort), then
    // only those rows with their texts: sorting thousands of full rows to keep 50 is the slow part.
    const rows = this.db
      .prepare<Record<string, unknown>, RowSql>(
        `SELECT id, status, kind, topic, problem, urgency, municipality_id, department_id, holder_key, holder_name, channel, substr(text, 1, 300) AS text,
                created_at, accept_due_at, answer_due_at, ${NEXT_DUE} AS next_due, reporter_count, CASE WHEN ${OVERDUE} THEN 1 ELSE 0 END AS overdue
           FROM incidents WHERE id IN (SELECT id FROM incidents ${sql} ${orderBy} LIMIT @limit OFFSET @offset) ${orderBy}`,
      )
      .all({ ...params, limit: page.limit, offset: page.offset })
      .map(toRow);
    const total = this.db.prepare<Record<string, unknown>, { n: number }>(`SELECT COUNT(*) AS n FROM incidents ${sql}`).get(params)!.n;
    return { rows, total };
  }

  /** The ids of every matching incident, oldest first, at most `limit` (a bulk action over a filter). */
  ids(filter: ConsoleFilter, limit: number, now: number): number[] {
    const { sql, params } = this.where(filter, now);
    return this.db
      .prepare<Record<string, unknown>, { id: number }>(`SELECT id FROM incidents ${sql} ORDER BY id LIMIT @limit`)
      .all({ ...params, limit })
      .map((r) => r.id);
  }

  /** Every matching incident for an export, oldest first: the rows `otklik export` writes, overdue judged now. */
  exportRows(filter: ConsoleFilter, now: number): ExportSourceRow[] {
    const { sql, params } = this.where(filter, now);
    return this.db.prepare<Record<string, unknown>, ExportSourceRow>(`SELECT ${exportSelect('@now')} FROM incidents ${sql} ORDER BY id`).all(params);
  }

  /** A person's queue: how many open incidents they hold. */
  heldBy(holderKey: string): number {
    const params: Record<string, unknown> = { holder: holderKey };
    return this.db
      .prepare<Record<string, unknown>, { n: number }>(
        `SELECT COUNT(*) AS n FROM incidents WHERE holder_key = @holder AND status IN (${inList('o', OPEN_STATUSES, params)})`,
      )
      .get(params)!.n;
  }

  /** The messages of the incident's thread: the opening one, follow-ups and linked reports, oldest first. */
  threadMessages(incidentId: number): ThreadMessage[] {
    const rows = this.db
      .prepare<
        [number, number, number],
        {
          id: number;
          created_at: number;
          author_key: string;
          author_name: string | null;
          text: string | null;
          attachments: string;
          media_json: string | null;
          opening: number;
        }
      >(
        `SELECT m.id, m.created_at, m.author_key, m.author_name, m.text, m.attachments, m.media_json, m.id = i.message_id AS opening
           FROM messages m JOIN incidents i ON i.id = ?
          WHERE m.incident_id = ? OR m.id IN (SELECT message_id FROM incident_reporters WHERE incident_id = ?)
          ORDER BY m.created_at, m.id LIMIT 500`,
      )
      .all(incidentId, incidentId, incidentId);
    return rows.map((r) => ({
      id: r.id,
      at: r.created_at,
      authorKey: r.author_key,
      authorName: r.author_name,
      text: r.text ?? '',
      attachments: parseList(r.attachments),
      media: parseMedia(r.media_json),
      opening: r.opening === 1,
    }));
  }

  /** What the bot told the citizens about the incident. */
  botReplies(incidentId: number): BotReply[] {
    return this.db
      .prepare<[number], { created_at: number; purpose: string; text: string; state: string; sent_at: number | null }>(
        `SELECT created_at, purpose, text, state, sent_at FROM outbox WHERE incident_id = ? AND purpose IN ('ack', 'status') ORDER BY id LIMIT 500`,
      )
      .all(incidentId)
      .map((r) => ({ at: r.created_at, purpose: r.purpose, text: r.text, state: r.state, sentAt: r.sent_at }));
  }

  /** The risk alerts the incident was counted in. */
  spikesOf(incidentId: number): SpikeRef[] {
    return this.db
      .prepare<
        [number],
        { id: number; topic: TopicId; problem: ProblemId | null; municipality_id: string | null; place: string | null; count: number; started_at: number }
      >(
        'SELECT s.id, s.topic, s.problem, s.municipality_id, s.place, s.count, s.started_at FROM spikes s JOIN incident_spikes l ON l.spike_id = s.id WHERE l.incident_id = ? ORDER BY s.id',
      )
      .all(incidentId)
      .map(toSpikeRef);
  }

  /**
   * The dashboard's groups for a filter (a period and a scope): one pass over the covering index
   * (migration 0011) grouped by local day, topic, municipality, department and kind. What the
   * numbers mean is composed in src/reports/dashboard.ts.
   */
  dashboardGroups(filter: ConsoleFilter, timezoneOffsetMinutes: number, now: number): DashboardGroupRow[] {
    const { sql, params } = this.where(filter, now);
    const outcome = (kind: DeadlineKind, value: DeadlineOutcome) => `SUM(${deadlineOutcomeSql(kind, '@now')} = '${value}')`;
    return this.db
      .prepare<Record<string, unknown>, [number, TopicId, string | null, string | null, IncidentKind, number, number, number, number, number, number, number]>(
        `SELECT (created_at + CAST(@shift AS INTEGER)) / 86400000 AS day, topic, municipality_id, department_id, kind, COUNT(*), SUM(answered_at IS NOT NULL),
                ${outcome('accept', 'in_time')}, ${outcome('accept', 'late')}, ${outcome('answer', 'in_time')}, ${outcome('answer', 'late')}, SUM(${OVERDUE})
           FROM incidents ${sql} GROUP BY day, topic, municipality_id, department_id, kind`,
      )
      .raw()
      .all({ ...params, shift: timezoneOffsetMinutes * 60_000 })
      .map((r) => ({
        day: new Date(r[0] * 86_400_000).toISOString().slice(0, 10),
        topic: r[1],
        municipalityId: r[2],
        departmentId: r[3],
        kind: r[4],
        total: r[5],
        answered: r[6],
        acceptInTime: r[7],
        acceptLate: r[8],
        answerInTime: r[9],
        answerLate: r[10],
        overdue: r[11],
      }));
  }

  /** Times to the first reaction or the answer as whole minutes counted per group: thousands of rows instead of every incident. */
  durationCounts(filter: ConsoleFilter, milestone: 'reaction' | 'answer', now: number): DurationCount[] {
    const { sql, params } = this.where({ ...filter, reached: milestone }, now);
    return this.db
      .prepare<Record<string, unknown>, [string | null, string | null, number, number]>(
        `SELECT municipality_id, department_id, (${REACHED[milestone]} - created_at) / 60000 AS minutes, COUNT(*) FROM incidents ${sql}
          GROUP BY municipality_id, department_id, minutes`,
      )
      .raw()
      .all(params)
      .map((r) => ({ municipalityId: r[0], departmentId: r[1], minutes: r[2], count: r[3] }));
  }

  /** The spikes that started in the filter's period within its scope, newest first (at most 50). */
  spikesStarted(filter: ConsoleFilter, now: number): SpikeRef[] {
    const spikeScope = filter.scopeMunicipalityId !== undefined ? ' AND municipality_id = @scope' : '';
    return this.db
      .prepare<
        Record<string, unknown>,
        { id: number; topic: TopicId; problem: ProblemId | null; municipality_id: string | null; place: string | null; count: number; started_at: number }
      >(
        `SELECT id, topic, problem, municipality_id, place, count, started_at FROM spikes WHERE started_at >= @from AND started_at < @to${spikeScope} ORDER BY started_at DESC LIMIT 50`,
      )
      .all({ from: filter.from ?? 0, to: filter.to ?? now, scope: filter.scopeMunicipalityId })
      .map(toSpikeRef);
  }

  /** Everyone's queue now within a scope: open incidents by holder, with how many are overdue. */
  holderQueues(scopeMunicipalityId: string | undefined, now: number): HolderQueue[] {
    const params: Record<string, unknown> = { now, scope: scopeMunicipalityId };
    const scope = scopeMunicipalityId !== undefined ? ' AND municipality_id = @scope' : '';
    return this.db
      .prepare<Record<string, unknown>, { holder_key: string | null; holder_name: string | null; open: number; overdue: number }>(
        `SELECT holder_key, MAX(holder_name) AS holder_name, COUNT(*) AS open, SUM(${OVERDUE}) AS overdue FROM incidents
          WHERE status IN (${inList('o', OPEN_STATUSES, params)})${scope} GROUP BY holder_key ORDER BY open DESC, holder_key`,
      )
      .all(params)
      .map((r) => ({ holderKey: r.holder_key, holderName: r.holder_name, open: r.open, overdue: r.overdue }));
  }

  /** Open311 requests, newest first: public fields only. */
  publicRequests(filter: PublicRequestFilter): PublicRequestRow[] {
    // Complaints only: a question asks for information (mostly in a private chat), it is no service request.
    const parts: string[] = ["kind = 'complaint'"];
    const params: Record<string, unknown> = { limit: filter.limit };
    if (filter.onlyAnswered) parts.push('answered_at IS NOT NULL');
    if (filter.ids) {
      parts.push('id IN (SELECT value FROM json_each(@ids))');
      params.ids = JSON.stringify(filter.ids);
    }
    if (filter.topic) {
      parts.push('topic = @topic');
      params.topic = filter.topic;
    }
    if (filter.problem === null) parts.push('problem IS NULL');
    else if (filter.problem !== undefined) {
      parts.push('problem = @problem');
      params.problem = filter.problem;
    }
    if (filter.statuses) {
      parts.push('status IN (SELECT value FROM json_each(@statuses))');
      params.statuses = JSON.stringify(filter.statuses);
    }
    if (filter.from !== undefined) {
      parts.push('created_at >= @from');
      params.from = filter.from;
    }
    if (filter.to !== undefined) {
      parts.push('created_at < @to');
      params.to = filter.to;
    }
    return this.db
      .prepare<
        Record<string, unknown>,
        {
          id: number;
          status: IncidentStatus;
          topic: TopicId;
          problem: ProblemId | null;
          municipality_id: string | null;
          department_id: string | null;
          created_at: number;
          updated_at: number;
          answered_at: number | null;
          answer_due_at: number | null;
          place_json: string | null;
          lat: number | null;
          lon: number | null;
          note: string | null;
          public_thread: number;
        }
      >(
        `SELECT id, status, topic, problem, municipality_id, department_id, created_at, updated_at, answered_at, answer_due_at, place_json, lat, lon,
                (channel IN ('vk_comment', 'max_comment') OR source_key LIKE 'tg:-%' OR source_key LIKE 'max:-%') AS public_thread,
                (SELECT json_extract(details_json, '$.text') FROM incident_events e
                  WHERE e.incident_id = incidents.id AND e.actor_kind = 'moderator' AND details_json IS NOT NULL
                    AND (e.action = 'interim' OR (e.action = 'transition' AND e.new_value IN ('answered', 'rejected', 'needs_info')))
                  ORDER BY e.id DESC LIMIT 1) AS note
           FROM incidents WHERE ${parts.join(' AND ')} ORDER BY id DESC LIMIT @limit`,
      )
      .all(params)
      .map((r) => ({
        id: r.id,
        status: r.status,
        topic: r.topic,
        problem: r.problem,
        municipalityId: r.municipality_id,
        departmentId: r.department_id,
        createdAt: r.created_at,
        updatedAt: r.updated_at,
        answeredAt: r.answered_at,
        answerDueAt: r.answer_due_at,
        placeJson: r.place_json,
        lat: r.lat,
        lon: r.lon,
        statusNote: r.note,
        publicThread: r.public_thread === 1,
      }));
  }
}

function toSpikeRef(r: {
  id: number;
  topic: TopicId;
  problem: ProblemId | null;
  municipality_id: string | null;
  place: string | null;
  count: number;
  started_at: number;
}): SpikeRef {
  return { id: r.id, topic: r.topic, problem: r.problem, municipalityId: r.municipality_id, place: r.place, count: r.count, startedAt: r.started_at };
}

function parseList(json: string): string[] {
  try {
    const value: unknown = JSON.parse(json);
    return Array.isArray(value) ? value.map(String) : [];
  } catch {
    return [];
  }
}
