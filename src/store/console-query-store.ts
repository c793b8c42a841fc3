/**
 * The web console's reads: the incident table (filters, sorting, pages with counts), the card's
 * thread and history, the rows of exports, the dashboard's figures and the Open311 registry.
 * Read-only; the console changes incidents only through IncidentService.
 */
import type { MessageMedia } from '../domain/attachment.js';
import { parseMedia } from './message-store.js';
import type { TopicId, Urgency } from '../domain/detection.js';
import { type IncidentStatus, OPEN_STATUSES } from '../domain/incident.js';
import type { ChannelKind } from '../domain/thread-ref.js';
import type { Db } from './db.js';

/** Past a deadline at `@now`: the same rule as the digest's overdue count. */
export const OVERDUE_AT_NOW = `((status = 'new' AND accept_due_at IS NOT NULL AND accept_due_at < @now)
  OR (status IN ('new', 'accepted') AND answer_due_at IS NOT NULL AND answer_due_at < @now))`;

/** The next deadline of an open incident: acceptance while it is new, else the answer. */
const NEXT_DUE = `(CASE WHEN status = 'new' THEN COALESCE(accept_due_at, answer_due_at) ELSE answer_due_at END)`;

/** A view of the incident table; undefined fields do not filter. */
export interface ConsoleFilter {
  /** The moderator's scope: undefined for a regional moderator, the municipality of a municipal one. */
  scopeMunicipalityId?: string;
  statuses?: readonly IncidentStatus[];
  topic?: TopicId;
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
}

export const SORT_KEYS = ['id', 'status', 'urgency', 'due', 'municipality', 'updated'] as const;
export type SortKey = (typeof SORT_KEYS)[number];

/** The ORDER BY terms of each key; a term ending in IS NULL always sorts ascending (rows without a value last). */
const SORT_SQL: Record<SortKey, readonly string[]> = {
  id: ['id'],
  status: ['status'],
  urgency: ['urgency'],
  due: [`${NEXT_DUE} IS NULL`, NEXT_DUE],
  municipality: ['municipality_id'],
  updated: ['updated_at'],
};

/** One row of the table. */
export interface ConsoleRow {
  id: number;
  status: IncidentStatus;
  topic: TopicId;
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
  reporterCount: number;
  overdue: boolean;
}

interface RowSql {
  id: number;
  status: IncidentStatus;
  topic: TopicId;
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
  reporter_count: number;
  overdue: number;
}

const toRow = (r: RowSql): ConsoleRow => ({
  id: r.id,
  status: r.status,
  topic: r.topic,
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
  municipalityId: string | null;
  place: string | null;
  count: number;
  startedAt: number;
}

/** Counts of one group in the dashboard. */
export interface SlaFigures {
  key: string | null;
  total: number;
  /** Incidents with an accept deadline, and how many were accepted (or answered) in time. */
  withAcceptDue: number;
  acceptedInTime: number;
  /** Incidents with an answer deadline, and how many were answered in time. */
  withAnswerDue: number;
  answeredInTime: number;
  overdue: number;
  /** Median minutes from registration to the answer, null without answers. */
  medianAnswerMinutes: number | null;
}

export interface DashboardFigures {
  byDay: { day: string; topic: TopicId; n: number }[];
  byMunicipality: SlaFigures[];
  byDepartment: SlaFigures[];
  total: number;
  overdue: number;
  spikes: SpikeRef[];
}

/** An Open311 request: only what the city published anyway, never the citizen. */
export interface PublicRequestRow {
  id: number;
  status: IncidentStatus;
  topic: TopicId;
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
    if (filter.urgency) add('urgency = @urgency', { urgency: filter.urgency });
    if (filter.municipalityId !== undefined) add('municipality_id IS @municipality', { municipality: filter.municipalityId });
    if (filter.departmentId !== undefined) add('department_id IS @department', { department: filter.departmentId });
    if (filter.holderKey !== undefined) add('holder_key IS @holder', { holder: filter.holderKey });
    if (filter.channel) add('channel = @channel', { channel: filter.channel });
    if (filter.due?.kind === 'overdue') add(OVERDUE_AT_NOW);
    if (filter.due?.kind === 'within') {
      add(`status IN (${inList('o', OPEN_STATUSES, params)}) AND ${NEXT_DUE} >= @now AND ${NEXT_DUE} < @dueBy`, { dueBy: now + filter.due.hours * 3_600_000 });
    }
    if (filter.from !== undefined) add('created_at >= @from', { from: filter.from });
    if (filter.to !== undefined) add('created_at < @to', { to: filter.to });
    // 3+ characters: the trigram index (migration 0012); shorter: a scan with LIKE.
    if (filter.text && [...filter.text].length >= 3) add('id IN (SELECT rowid FROM incidents_text WHERE incidents_text MATCH @text)', { text: `"${filter.text.replace(/"/g, '""')}"` });
    else if (filter.text) add("text LIKE @text ESCAPE '\\'", { text: likePattern(filter.text) });
    if (filter.ids) add('id IN (SELECT value FROM json_each(@ids))', { ids: JSON.stringify(filter.ids) });
    return { sql: parts.length > 0 ? `WHERE ${parts.join(' AND ')}` : '', params };
  }

  /** One page of the table and the count of every matching row. */
  page(filter: ConsoleFilter, sort: { key: SortKey; desc: boolean }, page: { offset: number; limit: number }, now: number): { rows: ConsoleRow[]; total: number } {
    const { sql, params } = this.where(filter, now);
    const dir = sort.desc ? 'DESC' : 'ASC';
    const order = SORT_SQL[sort.key]
      .map((part) => `${part} ${part.endsWith('IS NULL') ? 'ASC' : dir}`)
      .join(', ');
    const orderBy = `ORDER BY ${order}${sort.key === 'id' ? '' : `, id ${dir}`}`;
    // The page's ids first (answered from an index where one covers the filter and the sort), then
    // only those rows with their texts: sorting thousands of full rows to keep 50 is the slow part.
    const rows = this.db
      .prepare<Record<string, unknown>, RowSql>(
        `SELECT id, status, topic, urgency, municipality_id, department_id, holder_key, holder_name, channel, substr(text, 1, 300) AS text,
                created_at, accept_due_at, answer_due_at, reporter_count, CASE WHEN ${OVERDUE_AT_NOW} THEN 1 ELSE 0 END AS overdue
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

  /** Every matching incident for an export, oldest first, with the columns the export writes. */
  exportRows<T>(filter: ConsoleFilter, now: number, columns: string): T[] {
    const { sql, params } = this.where(filter, now);
    return this.db.prepare<Record<string, unknown>, T>(`SELECT ${columns} FROM incidents ${sql} ORDER BY id`).all(params);
  }

  /** A person's queue: how many open incidents they hold. */
  heldBy(holderKey: string): number {
    const params: Record<string, unknown> = { holder: holderKey };
    return this.db.prepare<Record<string, unknown>, { n: number }>(`SELECT COUNT(*) AS n FROM incidents WHERE holder_key = @holder AND status IN (${inList('o', OPEN_STATUSES, params)})`).get(params)!.n;
  }

  /** The messages of the incident's thread: the opening one, follow-ups and linked reports, oldest first. */
  threadMessages(incidentId: number): ThreadMessage[] {
    const rows = this.db
      .prepare<[number, number, number], { id: number; created_at: number; author_key: string; author_name: string | null; text: string | null; attachments: string; media_json: string | null; opening: number }>(
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
      .prepare<[number], { id: number; topic: TopicId; municipality_id: string | null; place: string | null; count: number; started_at: number }>(
        'SELECT s.id, s.topic, s.municipality_id, s.place, s.count, s.started_at FROM spikes s JOIN incident_spikes l ON l.spike_id = s.id WHERE l.incident_id = ? ORDER BY s.id',
      )
      .all(incidentId)
      .map((r) => ({ id: r.id, topic: r.topic, municipalityId: r.municipality_id, place: r.place, count: r.count, startedAt: r.started_at }));
  }

  /**
   * The dashboard's figures for incidents registered in [from, to), within a scope: one pass over
   * the covering index (migration 0011) grouped by local day, topic, municipality and department,
   * folded here; the medians from the answer times, sorted here.
   */
  dashboard(filter: ConsoleFilter, timezoneOffsetMinutes: number, now: number): DashboardFigures {
    const { sql, params } = this.where(filter, now);
    const shift = timezoneOffsetMinutes * 60_000;
    const groups = this.db
      .prepare<Record<string, unknown>, [number, TopicId, string | null, string | null, number, number, number, number, number, number]>(
        `SELECT (created_at + CAST(@shift AS INTEGER)) / 86400000 AS day, topic, municipality_id, department_id, COUNT(*),
                SUM(accept_due_at IS NOT NULL),
                SUM(accept_due_at IS NOT NULL AND COALESCE(accepted_at, answered_at) <= accept_due_at),
                SUM(answer_due_at IS NOT NULL),
                SUM(answer_due_at IS NOT NULL AND answered_at <= answer_due_at),
                SUM(${OVERDUE_AT_NOW})
           FROM incidents ${sql} GROUP BY day, topic, municipality_id, department_id`,
      )
      .raw()
      .all({ ...params, shift });
    const days = new Map<string, { day: string; topic: TopicId; n: number }>();
    const byMunicipality = new Map<string | null, SlaFigures>();
    const byDepartment = new Map<string | null, SlaFigures>();
    const fold = (map: Map<string | null, SlaFigures>, key: string | null, row: (typeof groups)[number]) => {
      const g = map.get(key) ?? { key, total: 0, withAcceptDue: 0, acceptedInTime: 0, withAnswerDue: 0, answeredInTime: 0, overdue: 0, medianAnswerMinutes: null };
      g.total += row[4];
      g.withAcceptDue += row[5];
      g.acceptedInTime += row[6];
      g.withAnswerDue += row[7];
      g.answeredInTime += row[8];
      g.overdue += row[9];
      map.set(key, g);
    };
    for (const row of groups) {
      const day = new Date(row[0] * 86_400_000).toISOString().slice(0, 10);
      const key = `${day}|${row[1]}`;
      const entry = days.get(key) ?? { day, topic: row[1], n: 0 };
      entry.n += row[4];
      days.set(key, entry);
      fold(byMunicipality, row[2], row);
      fold(byDepartment, row[3], row);
    }
    // Answer times as whole minutes counted per group: a few thousand rows instead of every answer.
    const answers = this.db
      .prepare<Record<string, unknown>, [string | null, string | null, number, number]>(
        `SELECT municipality_id, department_id, (answered_at - created_at) / 60000 AS minutes, COUNT(*) FROM incidents
          ${sql ? `${sql} AND` : 'WHERE'} answered_at IS NOT NULL GROUP BY municipality_id, department_id, minutes`,
      )
      .raw()
      .all(params);
    const medianOf = (index: 0 | 1, key: string | null): number | null => {
      const counts = new Map<number, number>();
      for (const a of answers) if (a[index] === key) counts.set(a[2], (counts.get(a[2]) ?? 0) + a[3]);
      const total = [...counts.values()].reduce((x, y) => x + y, 0);
      if (total === 0) return null;
      let seen = 0;
      for (const [minutes, n] of [...counts.entries()].sort((x, y) => x[0] - y[0])) {
        seen += n;
        if (seen * 2 >= total) return minutes;
      }
      return null;
    };
    for (const g of byMunicipality.values()) g.medianAnswerMinutes = medianOf(0, g.key);
    for (const g of byDepartment.values()) g.medianAnswerMinutes = medianOf(1, g.key);
    const byTotal = (a: SlaFigures, b: SlaFigures) => b.total - a.total;
    const municipalities = [...byMunicipality.values()].sort(byTotal);
    const total = municipalities.reduce((sum, g) => sum + g.total, 0);
    const overdue = municipalities.reduce((sum, g) => sum + g.overdue, 0);
    const spikeScope = filter.scopeMunicipalityId !== undefined ? ' AND municipality_id = @scope' : '';
    const spikes = this.db
      .prepare<Record<string, unknown>, { id: number; topic: TopicId; municipality_id: string | null; place: string | null; count: number; started_at: number }>(
        `SELECT id, topic, municipality_id, place, count, started_at FROM spikes WHERE started_at >= @from AND started_at < @to${spikeScope} ORDER BY started_at DESC LIMIT 50`,
      )
      .all({ from: filter.from ?? 0, to: filter.to ?? now, scope: filter.scopeMunicipalityId })
      .map((r) => ({ id: r.id, topic: r.topic, municipalityId: r.municipality_id, place: r.place, count: r.count, startedAt: r.started_at }));
    const byDay = [...days.values()].sort((a, b) => a.day.localeCompare(b.day) || a.topic.localeCompare(b.topic));
    return { byDay, byMunicipality: municipalities, byDepartment: [...byDepartment.values()].sort(byTotal), total, overdue, spikes };
  }

  /** Open311 requests, newest first: public fields only. */
  publicRequests(filter: PublicRequestFilter): PublicRequestRow[] {
    const parts: string[] = [];
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
      .prepare<Record<string, unknown>, { id: number; status: IncidentStatus; topic: TopicId; municipality_id: string | null; department_id: string | null; created_at: number; updated_at: number; answered_at: number | null; answer_due_at: number | null; place_json: string | null; lat: number | null; lon: number | null; note: string | null; public_thread: number }>(
        `SELECT id, status, topic, municipality_id, department_id, created_at, updated_at, answered_at, answer_due_at, place_json, lat, lon,
                (channel = 'vk_comment' OR source_key LIKE 'tg:-%') AS public_thread,
                (SELECT json_extract(details_json, '$.text') FROM incident_events e
                  WHERE e.incident_id = incidents.id AND e.actor_kind = 'moderator' AND details_json IS NOT NULL
                    AND (e.action = 'interim' OR (e.action = 'transition' AND e.new_value IN ('answered', 'rejected', 'needs_info')))
                  ORDER BY e.id DESC LIMIT 1) AS note
           FROM incidents ${parts.length > 0 ? `WHERE ${parts.join(' AND ')}` : ''} ORDER BY id DESC LIMIT @limit`,
      )
      .all(params)
      .map((r) => ({
        id: r.id,
        status: r.status,
        topic: r.topic,
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

function parseList(json: string): string[] {
  try {
    const value: unknown = JSON.parse(json);
    return Array.isArray(value) ? value.map(String) : [];
  } catch {
    return [];
  }
}
