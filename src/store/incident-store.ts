import { attachmentSummary, type GeoPoint, type MessageMedia, readMedia } from '../domain/attachment.js';
import { DEADLINE_STATUSES, type DeadlineSubject } from '../domain/deadline-running.js';
import type { Detection, PlaceMatch, TopicId, Urgency } from '../domain/detection.js';
import type { Actor, Incident, IncidentKind, IncidentStatus } from '../domain/incident.js';
import { actorId, OPEN_STATUSES } from '../domain/incident.js';
import type { IncidentGroup, ProblemId } from '../domain/problem.js';
import type { ChannelKind, ThreadRef } from '../domain/thread-ref.js';
import type { Db } from './db.js';
import { parseMedia } from './message-store.js';

export interface NewIncident {
  messageId: number;
  channel: ChannelKind;
  thread: ThreadRef;
  threadKey: string;
  sourceKey: string;
  authorKey: string;
  authorName: string | null;
  text: string;
  /** Default 'complaint'. */
  kind?: IncidentKind;
  /** The detection with the incident's topic, problem (null or one of the topic's) and urgency decided. */
  detection: Detection & { topic: TopicId };
  municipalityId: string | null;
  departmentId: string | null;
  acceptDueAt: number | null;
  answerDueAt: number | null;
  /** The point the citizen sent with the report. */
  location?: GeoPoint | null;
}

export interface IncidentEvent {
  id: number;
  incidentId: number;
  at: number;
  actorKind: Actor['kind'];
  actorId: string;
  action: string;
  oldValue: string | null;
  newValue: string | null;
  details: Record<string, unknown> | null;
}

/** A moderator's /list or /find filter; undefined fields do not filter. */
export interface IncidentFilter {
  /** The moderator's scope: a municipal moderator sees only their municipality. */
  scopeMunicipalityId?: string | null;
  municipalityId?: string | null;
  statuses?: readonly IncidentStatus[];
  topic?: TopicId;
  problem?: ProblemId;
  /** A substring of the text. */
  text?: string;
}

function norm(value: string | undefined | null): string {
  return (value ?? '').toLowerCase().replace(/ё/g, 'е').trim();
}

/** The `place_key` column: what two reports must share to be about one place (a street, else a settlement). */
export function placeKey(place: PlaceMatch | null | undefined): string | null {
  const street = norm(place?.street);
  if (street) return `street:${street}`;
  const settlement = norm(place?.settlement);
  return settlement ? `settlement:${settlement}` : null;
}

/** An incident whose deadlines may run, as the deadline job reads it. */
export interface DeadlineCandidate extends DeadlineSubject {
  id: number;
  topic: TopicId;
  problem: ProblemId | null;
  urgency: Urgency;
  municipalityId: string | null;
  createdAt: number;
}

/** A thread that receives an incident's status updates. */
export interface Reporter {
  incidentId: number;
  messageId: number;
  threadKey: string;
  thread: ThreadRef;
  authorKey: string;
  linkedAt: number;
}

interface IncidentRow {
  id: number;
  message_id: number;
  channel: ChannelKind;
  thread_key: string;
  thread_json: string;
  source_key: string;
  author_key: string;
  author_name: string | null;
  text: string | null;
  kind: IncidentKind;
  topic: TopicId;
  problem: ProblemId | null;
  urgency: Urgency;
  place_json: string | null;
  reasons_json: string;
  score: number;
  municipality_id: string | null;
  department_id: string | null;
  status: IncidentStatus;
  created_at: number;
  acknowledged_at: number | null;
  accepted_at: number | null;
  answered_at: number | null;
  closed_at: number | null;
  updated_at: number;
  accept_due_at: number | null;
  answer_due_at: number | null;
  holder_key: string | null;
  holder_name: string | null;
  lat: number | null;
  lon: number | null;
}

export interface StoredIncident extends Incident {
  sourceKey: string;
  /** The moderator who took it («Взять в работу»): authorKey and name; null while nobody holds it. */
  holderKey: string | null;
  holderName: string | null;
}

function toIncident(row: IncidentRow): StoredIncident {
  return {
    id: row.id,
    messageId: row.message_id,
    channel: row.channel,
    thread: JSON.parse(row.thread_json) as ThreadRef,
    threadKey: row.thread_key,
    sourceKey: row.source_key,
    authorKey: row.author_key,
    authorName: row.author_name,
    text: row.text ?? '',
    kind: row.kind,
    topic: row.topic,
    problem: row.problem,
    urgency: row.urgency,
    place: row.place_json ? (JSON.parse(row.place_json) as PlaceMatch) : null,
    location: row.lat !== null && row.lon !== null ? { lat: row.lat, lon: row.lon } : null,
    reasons: JSON.parse(row.reasons_json) as string[],
    score: row.score,
    municipalityId: row.municipality_id,
    departmentId: row.department_id,
    status: row.status,
    createdAt: row.created_at,
    acknowledgedAt: row.acknowledged_at,
    acceptedAt: row.accepted_at,
    answeredAt: row.answered_at,
    closedAt: row.closed_at,
    updatedAt: row.updated_at,
    acceptDueAt: row.accept_due_at,
    answerDueAt: row.answer_due_at,
    holderKey: row.holder_key,
    holderName: row.holder_name,
  };
}

/** Milestone column set when an incident enters a status. */
const MILESTONE: Partial<Record<IncidentStatus, string>> = {
  accepted: 'accepted_at',
  answered: 'answered_at',
  closed: 'closed_at',
  rejected: 'closed_at',
};

/** Incidents, their reporters and their append-only event log. Callers own the transaction. */
export class IncidentStore {
  constructor(private readonly db: Db) {}

  create(input: NewIncident, actor: Actor, now: number): StoredIncident {
    const { detection } = input;
    const result = this.db
      .prepare(
        `INSERT INTO incidents (message_id, channel, thread_key, thread_json, source_key, author_key, author_name, text, kind,
                                topic, problem, urgency, place_json, place_key, reasons_json, score, municipality_id, department_id,
                                status, created_at, updated_at, accept_due_at, answer_due_at, lat, lon)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'new', ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        input.messageId,
        input.channel,
        input.threadKey,
        JSON.stringify(input.thread),
        input.sourceKey,
        input.authorKey,
        input.authorName,
        input.text,
        input.kind ?? 'complaint',
        detection.topic,
        detection.problem,
        detection.urgency,
        detection.place ? JSON.stringify(detection.place) : null,
        placeKey(detection.place),
        JSON.stringify(detection.reasons),
        detection.score,
        input.municipalityId,
        input.departmentId,
        now,
        now,
        input.acceptDueAt,
        input.answerDueAt,
        input.location?.lat ?? null,
        input.location?.lon ?? null,
      );
    const id = Number(result.lastInsertRowid);
    this.addReporter({
      incidentId: id,
      messageId: input.messageId,
      threadKey: input.threadKey,
      thread: input.thread,
      authorKey: input.authorKey,
      linkedAt: now,
    });
    this.appendEvent(
      id,
      actor,
      'created',
      null,
      'new',
      { municipalityId: input.municipalityId, departmentId: input.departmentId, topic: detection.topic, problem: detection.problem },
      now,
    );
    return this.get(id)!;
  }

  get(id: number): StoredIncident | undefined {
    const row = this.db.prepare<[number], IncidentRow>('SELECT * FROM incidents WHERE id = ?').get(id);
    return row ? toIncident(row) : undefined;
  }

  /** The author's open incident in this thread, newest first: a follow-up attaches to it. */
  findOpenByThreadAuthor(threadKey: string, authorKey: string): StoredIncident | undefined {
    const placeholders = OPEN_STATUSES.map(() => '?').join(', ');
    const row = this.db
      .prepare<unknown[], IncidentRow>(
        `SELECT i.* FROM incidents i
           JOIN incident_reporters r ON r.incident_id = i.id
          WHERE r.thread_key = ? AND r.author_key = ? AND i.status IN (${placeholders})
          ORDER BY i.id DESC LIMIT 1`,
      )
      .get(threadKey, authorKey, ...OPEN_STATUSES);
    return row ? toIncident(row) : undefined;
  }

  /**
   * Open incidents that may be the same problem: same topic and municipality, the same street
   * (or, without a street, the same settlement), created within the window; oldest first. Empty
   * when the place is unknown: without a place two reports are not known to be one problem.
   */
  findSamePlace(input: {
    topic: TopicId;
    municipalityId: string | null;
    place: PlaceMatch | null;
    since: number;
    /** The new report's problem: incidents of another problem are never the same (domain/same-problem.ts), so they are not read. */
    problem: ProblemId | null;
  }): StoredIncident[] {
    const key = placeKey(input.place);
    if (!key) return [];
    const placeholders = OPEN_STATUSES.map(() => '?').join(', ');
    const ofProblem = input.problem === null ? '' : ' AND (problem IS NULL OR problem = ?)';
    return this.db
      .prepare<unknown[], IncidentRow>(
        `SELECT * FROM incidents
          WHERE place_key = ? AND topic = ? AND kind = 'complaint' AND created_at >= ? AND municipality_id IS ? AND status IN (${placeholders})${ofProblem}
          ORDER BY id LIMIT 200`,
      )
      .all(key, input.topic, input.since, input.municipalityId, ...OPEN_STATUSES, ...(input.problem === null ? [] : [input.problem]))
      .map(toIncident);
  }

  /**
   * Open incidents of a group (in one municipality, or all when null), oldest first, with their
   * place: of a problem, only that problem's; of a topic, all of the topic's, with a problem or not.
   */
  openInGroup(group: IncidentGroup, municipalityId: string | null): { id: number; place: PlaceMatch | null }[] {
    const statuses = OPEN_STATUSES.map(() => '?').join(', ');
    const [column, value] = group.kind === 'problem' ? ['problem', group.problem] : ['topic', group.topic];
    return this.db
      .prepare<unknown[], { id: number; place_json: string | null }>(
        `SELECT id, place_json FROM incidents WHERE ${column} = ? AND status IN (${statuses})${municipalityId === null ? '' : ' AND municipality_id = ?'} ORDER BY id`,
      )
      .all(value, ...OPEN_STATUSES, ...(municipalityId === null ? [] : [municipalityId]))
      .map((r) => ({ id: r.id, place: r.place_json ? (JSON.parse(r.place_json) as PlaceMatch) : null }));
  }

  /** Incidents in a status where a deadline may run (domain DEADLINE_STATUSES) and with a due time set. */
  withDeadlines(): DeadlineCandidate[] {
    const statuses = [...new Set(Object.values(DEADLINE_STATUSES).flat())];
    return this.db
      .prepare<
        unknown[],
        {
          id: number;
          topic: TopicId;
          problem: ProblemId | null;
          urgency: Urgency;
          status: IncidentStatus;
          municipality_id: string | null;
          created_at: number;
          answered_at: number | null;
          accept_due_at: number | null;
          answer_due_at: number | null;
        }
      >(
        `SELECT id, topic, problem, urgency, status, municipality_id, created_at, answered_at, accept_due_at, answer_due_at
           FROM incidents
          WHERE status IN (${statuses.map(() => '?').join(', ')}) AND (accept_due_at IS NOT NULL OR answer_due_at IS NOT NULL)`,
      )
      .all(...statuses)
      .map((r) => ({
        id: r.id,
        topic: r.topic,
        problem: r.problem,
        urgency: r.urgency,
        status: r.status,
        municipalityId: r.municipality_id,
        createdAt: r.created_at,
        answeredAt: r.answered_at,
        acceptDueAt: r.accept_due_at,
        answerDueAt: r.answer_due_at,
      }));
  }

  /** Incidents matching a moderator's filter, newest first. */
  list(filter: IncidentFilter, limit: number): StoredIncident[] {
    const where: string[] = [];
    const params: unknown[] = [];
    if (filter.scopeMunicipalityId !== undefined) {
      where.push('municipality_id IS ?');
      params.push(filter.scopeMunicipalityId);
    }
    if (filter.municipalityId !== undefined) {
      where.push('municipality_id IS ?');
      params.push(filter.municipalityId);
    }
    if (filter.statuses) {
      where.push(`status IN (${filter.statuses.map(() => '?').join(', ') || "''"})`);
      params.push(...filter.statuses);
    }
    if (filter.topic) {
      where.push('topic = ?');
      params.push(filter.topic);
    }
    if (filter.problem) {
      where.push('problem = ?');
      params.push(filter.problem);
    }
    if (filter.text) {
      where.push("text LIKE ? ESCAPE '\\'");
      params.push(`%${filter.text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
    }
    const rows = this.db
      .prepare<unknown[], IncidentRow>(`SELECT * FROM incidents ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT ?`)
      .all(...params, limit);
    return rows.map(toIncident);
  }

  /** Incidents a citizen reported or was linked to, newest first. */
  byReporter(authorKey: string, limit: number): StoredIncident[] {
    const rows = this.db
      .prepare<[string, number], IncidentRow>(
        `SELECT DISTINCT i.* FROM incidents i JOIN incident_reporters r ON r.incident_id = i.id WHERE r.author_key = ? ORDER BY i.id DESC LIMIT ?`,
      )
      .all(authorKey, limit);
    return rows.map(toIncident);
  }

  isReporter(incidentId: number, authorKey: string): boolean {
    return this.db.prepare('SELECT 1 FROM incident_reporters WHERE incident_id = ? AND author_key = ?').get(incidentId, authorKey) !== undefined;
  }

  /** Count of incidents of one kind (complaints unless told) per status created in [from, to), within a scope. */
  countByStatus(from: number, to: number, scopeMunicipalityId?: string | null, kind: IncidentKind = 'complaint'): Map<IncidentStatus, number> {
    const scoped = scopeMunicipalityId !== undefined;
    const rows = this.db
      .prepare<unknown[], { status: IncidentStatus; n: number }>(
        `SELECT status, COUNT(*) AS n FROM incidents WHERE kind = ? AND created_at >= ? AND created_at < ?${scoped ? ' AND municipality_id IS ?' : ''} GROUP BY status`,
      )
      .all(kind, from, to, ...(scoped ? [scopeMunicipalityId] : []));
    return new Map(rows.map((r) => [r.status, r.n]));
  }

  /** Set the responsible department, with an 'assign' event. */
  assign(id: number, departmentId: string, actor: Actor, now: number): number | null {
    const before = this.get(id);
    if (!before || before.departmentId === departmentId) return null;
    this.db.prepare('UPDATE incidents SET department_id = ?, updated_at = ? WHERE id = ?').run(departmentId, now, id);
    return this.appendEvent(id, actor, 'assign', before.departmentId, departmentId, null, now);
  }

  /** A person holds the incident («Взять в работу»), with a 'take' event; null when they held it already. */
  hold(id: number, holder: { key: string; name: string }, actor: Actor, now: number): number | null {
    const before = this.get(id);
    if (!before || before.holderKey === holder.key) return null;
    this.db.prepare('UPDATE incidents SET holder_key = ?, holder_name = ?, updated_at = ? WHERE id = ?').run(holder.key, holder.name, now, id);
    return this.appendEvent(id, actor, 'take', before.holderKey, holder.key, { name: holder.name }, now);
  }

  /**
   * Correct the topic and problem, with a 'topic' event (old and new topic; the problems in its
   * details); an emergency problem makes the incident urgent, never the other way. Null when it
   * was so already.
   */
  setTopic(id: number, topic: TopicId, problem: ProblemId | null, actor: Actor, now: number, urgent = false): number | null {
    const before = this.get(id);
    if (!before || (before.topic === topic && before.problem === problem)) return null;
    const urgency: Urgency = urgent ? 'emergency' : before.urgency;
    this.db.prepare('UPDATE incidents SET topic = ?, problem = ?, urgency = ?, updated_at = ? WHERE id = ?').run(topic, problem, urgency, now, id);
    return this.appendEvent(
      id,
      actor,
      'topic',
      before.topic,
      topic,
      { fromProblem: before.problem, toProblem: problem, ...(urgency !== before.urgency ? { urgency } : {}) },
      now,
    );
  }

  /** Did a moderator choose the department (an 'assign' event of theirs), rather than routing? */
  assignedByModerator(id: number): boolean {
    return (
      this.db.prepare("SELECT 1 FROM incident_events WHERE incident_id = ? AND action = 'assign' AND actor_kind = 'moderator' LIMIT 1").get(id) !== undefined
    );
  }

  /**
   * The citizen sent a location later (an addition): keep the point, and take `place` when the
   * incident's own place names no street; `route` moves an incident of the regional queue to the
   * municipality the place is in (and its department). A 'location' event; null when the incident
   * had a point already.
   */
  setLocation(
    id: number,
    point: GeoPoint,
    place: PlaceMatch | null,
    actor: Actor,
    now: number,
    route: { municipalityId: string; departmentId: string | null } | null = null,
  ): number | null {
    const before = this.get(id);
    if (!before || before.location !== null) return null;
    const fill = place !== null && !before.place?.street;
    const routed = route !== null && before.municipalityId === null;
    this.db
      .prepare(
        `UPDATE incidents SET lat = ?, lon = ?, updated_at = ?${fill ? ', place_json = ?, place_key = ?' : ''}${routed ? ', municipality_id = ?, department_id = ?' : ''} WHERE id = ?`,
      )
      .run(
        point.lat,
        point.lon,
        now,
        ...(fill ? [JSON.stringify(place), placeKey(place)] : []),
        ...(routed ? [route.municipalityId, route.departmentId] : []),
        id,
      );
    const details = { ...(fill ? { place } : {}), ...(routed ? { municipalityId: route.municipalityId, departmentId: route.departmentId } : {}) };
    return this.appendEvent(id, actor, 'location', null, `${point.lat},${point.lon}`, Object.keys(details).length > 0 ? details : null, now);
  }

  /** What came with the message that opened the incident (its photos, files, location): the card shows it. */
  openingMedia(incidentId: number): MessageMedia {
    const row = this.db
      .prepare<[number], { media_json: string | null }>('SELECT m.media_json FROM incidents i JOIN messages m ON m.id = i.message_id WHERE i.id = ?')
      .get(incidentId);
    return parseMedia(row?.media_json ?? null);
  }

  /** Move the answer deadline (an intermediate answer), with an event. */
  setAnswerDue(id: number, answerDueAt: number, actor: Actor, now: number): void {
    const before = this.get(id);
    if (!before || before.answerDueAt === answerDueAt) return;
    this.db.prepare('UPDATE incidents SET answer_due_at = ?, updated_at = ? WHERE id = ?').run(answerDueAt, now, id);
    this.appendEvent(id, actor, 'answer_due', before.answerDueAt === null ? null : String(before.answerDueAt), String(answerDueAt), null, now);
  }

  /** Change status and stamp the milestone, with an event. Returns the event's id, or null when the status was not `from` (a concurrent change). */
  transition(id: number, from: IncidentStatus, to: IncidentStatus, actor: Actor, now: number, details?: Record<string, unknown>): number | null {
    const milestone = MILESTONE[to];
    const result = this.db
      .prepare(
        `UPDATE incidents SET status = ?, updated_at = ?${milestone ? `, ${milestone} = COALESCE(${milestone}, ?)` : ''}
          WHERE id = ? AND status = ?`,
      )
      .run(...(milestone ? [to, now, now, id, from] : [to, now, id, from]));
    if (result.changes !== 1) return null;
    return this.appendEvent(id, actor, 'transition', from, to, details ?? null, now);
  }

  count(): number {
    return this.db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM incidents').get()!.n;
  }

  markAcknowledged(id: number, now: number): void {
    this.db.prepare('UPDATE incidents SET acknowledged_at = COALESCE(acknowledged_at, ?) WHERE id = ?').run(now, id);
  }

  /** Keep the ref of the incident's delivered card (the outbox's card effect): Telegram's message id as text, or a MAX mid. */
  setCardMessageRef(id: number, ref: string): void {
    this.db.prepare('UPDATE incidents SET card_message_ref = ? WHERE id = ?').run(ref, id);
  }

  /** The ref of the incident's card in the moderators' chat (Telegram message id as text, MAX mid); null before it is delivered. */
  cardMessageRef(id: number): string | null {
    return (
      this.db.prepare<[number], { card_message_ref: string | null }>('SELECT card_message_ref FROM incidents WHERE id = ?').get(id)?.card_message_ref ?? null
    );
  }

  /** Link a report to the incident; a new author counts once more in `reporter_count`. False when the message was linked already. */
  addReporter(reporter: Reporter): boolean {
    return this.db.transaction(() => {
      const known = this.isReporter(reporter.incidentId, reporter.authorKey);
      const result = this.db
        .prepare(
          `INSERT INTO incident_reporters (incident_id, message_id, thread_key, thread_json, author_key, linked_at)
           VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
        )
        .run(reporter.incidentId, reporter.messageId, reporter.threadKey, JSON.stringify(reporter.thread), reporter.authorKey, reporter.linkedAt);
      if (result.changes === 1 && !known) this.db.prepare('UPDATE incidents SET reporter_count = reporter_count + 1 WHERE id = ?').run(reporter.incidentId);
      return result.changes === 1;
    })();
  }

  /** People who reported the incident (distinct authors, kept on the row by addReporter): a card shows it on every change. */
  reporterCount(incidentId: number): number {
    return this.db.prepare<[number], { n: number }>('SELECT reporter_count AS n FROM incidents WHERE id = ?').get(incidentId)?.n ?? 0;
  }

  reporters(incidentId: number): Reporter[] {
    const rows = this.db
      .prepare<[number], { incident_id: number; message_id: number; thread_key: string; thread_json: string; author_key: string; linked_at: number }>(
        'SELECT * FROM incident_reporters WHERE incident_id = ? ORDER BY linked_at, message_id',
      )
      .all(incidentId);
    return rows.map((row) => ({
      incidentId: row.incident_id,
      messageId: row.message_id,
      threadKey: row.thread_key,
      thread: JSON.parse(row.thread_json) as ThreadRef,
      authorKey: row.author_key,
      linkedAt: row.linked_at,
    }));
  }

  appendEvent(
    incidentId: number,
    actor: Actor,
    action: string,
    oldValue: string | null,
    newValue: string | null,
    details: Record<string, unknown> | null,
    now: number,
  ): number {
    const result = this.db
      .prepare(
        `INSERT INTO incident_events (incident_id, at, actor_kind, actor_id, action, old_value, new_value, details_json)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(incidentId, now, actor.kind, actorId(actor), action, oldValue, newValue, details ? JSON.stringify(details) : null);
    return Number(result.lastInsertRowid);
  }

  /** How many additions (follow-up events) the incident has, and the latest one (its words, and the kinds of what came with it): the card shows it. */
  additions(incidentId: number): { count: number; latest: { at: number; text: string | null; media: string[] } | null } {
    const row = this.db
      .prepare<[number], { n: number; at: number | null; details_json: string | null }>(
        `SELECT COUNT(*) AS n, MAX(id) AS last, at, details_json FROM incident_events WHERE incident_id = ? AND action = 'followup'`,
      )
      .get(incidentId)!;
    if (row.n === 0 || row.at === null) return { count: 0, latest: null };
    const details = row.details_json ? (JSON.parse(row.details_json) as { text?: unknown; media?: unknown }) : null;
    const media = readMedia(details?.media);
    return {
      count: row.n,
      latest: { at: row.at, text: typeof details?.text === 'string' ? details.text : null, media: attachmentSummary(media.attachments, media.location) },
    };
  }

  /** The incident's audit events, oldest first. */
  events(incidentId: number): IncidentEvent[] {
    const rows = this.db
      .prepare<
        [number],
        {
          id: number;
          incident_id: number;
          at: number;
          actor_kind: Actor['kind'];
          actor_id: string;
          action: string;
          old_value: string | null;
          new_value: string | null;
          details_json: string | null;
        }
      >('SELECT * FROM incident_events WHERE incident_id = ? ORDER BY id')
      .all(incidentId);
    return rows.map((row) => ({
      id: row.id,
      incidentId: row.incident_id,
      at: row.at,
      actorKind: row.actor_kind,
      actorId: row.actor_id,
      action: row.action,
      oldValue: row.old_value,
      newValue: row.new_value,
      details: row.details_json ? (JSON.parse(row.details_json) as Record<string, unknown>) : null,
    }));
  }
}
