/**
 * The incident lifecycle: every moderator action and the statuses it may start from, in one
 * table. Pure: the service asks `planAction` before it changes anything, and an illegal action is
 * refused with the list of actions the current status allows.
 */
import type { IncidentStatus } from './incident.js';

/** What a moderator can do to an incident. */
export const INCIDENT_ACTIONS = ['accept', 'ask', 'interim', 'answer', 'close', 'reject', 'reopen', 'assign', 'take', 'topic', 'note'] as const;
export type IncidentAction = (typeof INCIDENT_ACTIONS)[number];

interface Rule {
  /** Statuses the action may start from. */
  from: readonly IncidentStatus[];
  /** The status after it; null: the status stays (an intermediate answer, an assignment, a note). */
  to: IncidentStatus | null;
}

const ALL: readonly IncidentStatus[] = ['new', 'accepted', 'needs_info', 'answered', 'closed', 'rejected', 'reopened'];
const WORKING: readonly IncidentStatus[] = ['new', 'accepted', 'needs_info', 'reopened'];

/**
 * Every transition. `new → accepted → answered → closed` is the main line; `needs_info` goes back
 * to `accepted`; `rejected` only before any answer; `reopened` after an answer, a close or a
 * rejection made by mistake, and is worked like `accepted`.
 */
export const TRANSITIONS: Readonly<Record<IncidentAction, Rule>> = {
  accept: { from: ['new', 'needs_info', 'reopened'], to: 'accepted' },
  ask: { from: ['new', 'accepted', 'reopened'], to: 'needs_info' },
  interim: { from: ['new', 'accepted', 'needs_info', 'reopened'], to: null },
  answer: { from: WORKING, to: 'answered' },
  close: { from: ['answered'], to: 'closed' },
  reject: { from: ['new', 'needs_info', 'reopened'], to: 'rejected' },
  reopen: { from: ['answered', 'closed', 'rejected'], to: 'reopened' },
  assign: { from: WORKING, to: null },
  /** «Взять в работу»: a person holds the incident (their queue); the status stays. */
  take: { from: WORKING, to: null },
  /** Correct the topic the detector chose; the deadlines stay. */
  topic: { from: WORKING, to: null },
  note: { from: ALL, to: null },
};

export type ActionPlan = { ok: true; from: IncidentStatus; to: IncidentStatus | null } | { ok: false; from: IncidentStatus; allowed: IncidentAction[] };

/** Whether `action` is legal from `status`, and where it leads; when not, which actions are. */
export function planAction(status: IncidentStatus, action: IncidentAction): ActionPlan {
  const rule = TRANSITIONS[action];
  if (rule.from.includes(status)) return { ok: true, from: status, to: rule.to };
  return { ok: false, from: status, allowed: allowedActions(status) };
}

/** Actions legal from `status`, in the table's order. */
export function allowedActions(status: IncidentStatus): IncidentAction[] {
  return INCIDENT_ACTIONS.filter((action) => TRANSITIONS[action].from.includes(status));
}
