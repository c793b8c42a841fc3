/**
 * When a deadline runs: the one rule that the deadline job (reminders, escalations), the digest,
 * /report, `otklik stats`, the exports and the web console all follow. The store's SQL
 * (store/deadline-sql.ts) states the same rule for queries; a test checks the two agree on every
 * status.
 */
import type { IncidentStatus } from './incident.js';
import type { DeadlineKind } from './sla.js';

/**
 * The statuses in which each deadline runs: acceptance while the incident is new; the answer
 * while it is new, accepted or reopened. `needs_info` pauses both (waiting for the citizen).
 */
export const DEADLINE_STATUSES: Readonly<Record<DeadlineKind, readonly IncidentStatus[]>> = {
  accept: ['new'],
  answer: ['new', 'accepted', 'reopened'],
};

/** What the rule reads of an incident. */
export interface DeadlineSubject {
  status: IncidentStatus;
  answeredAt: number | null;
  acceptDueAt: number | null;
  answerDueAt: number | null;
}

/**
 * The due time of `kind` when that deadline runs for the incident, else null. A reopened
 * incident that was answered runs its answer deadline only once it was renewed after that
 * answer (reopening sets a fresh one; the old one predates the answer and was met).
 */
export function runningDeadline(i: DeadlineSubject, kind: DeadlineKind): number | null {
  if (!DEADLINE_STATUSES[kind].includes(i.status)) return null;
  if (kind === 'accept') return i.acceptDueAt;
  if (i.status === 'reopened' && i.answeredAt !== null && (i.answerDueAt ?? 0) <= i.answeredAt) return null;
  return i.answerDueAt;
}

/** Past a running deadline at `at`. */
export function isOverdue(i: DeadlineSubject, at: number): boolean {
  return (['accept', 'answer'] as const).some((kind) => {
    const due = runningDeadline(i, kind);
    return due !== null && due < at;
  });
}

/** The earliest deadline that runs (what an operator must meet next), or null when none runs. */
export function nextDeadline(i: DeadlineSubject): number | null {
  const running = (['accept', 'answer'] as const).map((kind) => runningDeadline(i, kind)).filter((due): due is number => due !== null);
  return running.length === 0 ? null : Math.min(...running);
}

/** What the SLA figures read of an incident: the deadline rule's fields and its acceptance. */
export interface SlaSubject extends DeadlineSubject {
  acceptedAt: number | null;
}

/** How an incident fared against one deadline, judged at a moment (see `deadlineOutcome`). */
export const DEADLINE_OUTCOMES = ['in_time', 'late', 'pending'] as const;
export type DeadlineOutcome = (typeof DEADLINE_OUTCOMES)[number];

/**
 * How the incident fared against the deadline of `kind` at `at`: `in_time` (met by its due time),
 * `late` (met after it, or passed while it still runs), `pending` (runs, not passed yet), or null
 * (no due time, or it stopped unmet: rejected, closed without an answer, waiting for the citizen).
 * The first reaction is the acceptance, or the answer when there was none. The answer deadline is
 * the incident's own: the SLA rule's, or the one an interim answer extended; while a reopened
 * incident's renewed deadline runs, the earlier answer no longer counts.
 */
export function deadlineOutcome(i: SlaSubject, kind: DeadlineKind, at: number): DeadlineOutcome | null {
  const due = kind === 'accept' ? i.acceptDueAt : i.answerDueAt;
  if (due === null) return null;
  const met = kind === 'accept' ? (i.acceptedAt ?? i.answeredAt) : i.answeredAt;
  if (kind === 'accept' && met !== null) return met <= due ? 'in_time' : 'late';
  if (runningDeadline(i, kind) !== null) return due < at ? 'late' : 'pending';
  if (met === null) return null;
  return met <= due ? 'in_time' : 'late';
}
