import type { GeoPoint } from './attachment.js';
import type { PlaceMatch, TopicId, Urgency } from './detection.js';
import type { ProblemId } from './problem.js';
import type { ChannelKind, ThreadRef } from './thread-ref.js';

export const INCIDENT_STATUSES = ['new', 'accepted', 'needs_info', 'answered', 'closed', 'rejected', 'reopened'] as const;
export type IncidentStatus = (typeof INCIDENT_STATUSES)[number];

export function isIncidentStatus(value: string): value is IncidentStatus {
  return (INCIDENT_STATUSES as readonly string[]).includes(value);
}

/** Statuses in which an incident still needs work; a follow-up from its author attaches to it. */
export const OPEN_STATUSES: readonly IncidentStatus[] = ['new', 'accepted', 'needs_info', 'reopened'];

export function isOpen(status: IncidentStatus): boolean {
  return OPEN_STATUSES.includes(status);
}

/** complaint: something is wrong; question: a request for information for a moderator to answer. */
export type IncidentKind = 'complaint' | 'question';

/** Who did something to an incident. */
export type Actor = { kind: 'system' } | { kind: 'moderator'; id: string; name: string | null } | { kind: 'citizen'; id: string };

export function actorId(actor: Actor): string {
  return actor.kind === 'system' ? 'system' : actor.id;
}

/** One case: a complaint or request that people work until it is answered and closed. */
export interface Incident {
  /** The public number: «обращение №N». */
  id: number;
  /** The message that opened it. */
  messageId: number;
  channel: ChannelKind;
  thread: ThreadRef;
  threadKey: string;
  /** authorKey() of the citizen. */
  authorKey: string;
  authorName: string | null;
  text: string;
  kind: IncidentKind;
  topic: TopicId;
  /** The problem under the topic (config/problems.json), null when none was named: grouping then falls back to the topic. */
  problem: ProblemId | null;
  urgency: Urgency;
  place: PlaceMatch | null;
  /** The point the citizen sent (a location), when they did. */
  location: GeoPoint | null;
  reasons: string[];
  score: number;
  /** Config id of the municipality, or null for the regional queue. */
  municipalityId: string | null;
  /** Config id of the responsible department or service provider, or null. */
  departmentId: string | null;
  status: IncidentStatus;
  /** Epoch ms of each milestone, null until it happens. */
  createdAt: number;
  acknowledgedAt: number | null;
  acceptedAt: number | null;
  answeredAt: number | null;
  closedAt: number | null;
  updatedAt: number;
  /** Deadlines (epoch ms), set by the SLA rules. */
  acceptDueAt: number | null;
  answerDueAt: number | null;
}
