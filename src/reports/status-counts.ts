/**
 * The figures of /stats: a period's complaints by current status, and its questions counted
 * apart (they are answered, not worked, and stay out of the complaint counts). Composed from the
 * store's counts, like every other statistic in this folder.
 */
import { INCIDENT_STATUSES, type IncidentStatus } from '../domain/incident.js';
import type { IncidentStore } from '../store/incident-store.js';
import type { Period } from './digest-stats.js';

export interface StatusCounts {
  /** Complaints registered in the period. */
  total: number;
  /** Their current statuses, in the state machine's order, only those with any. */
  byStatus: { status: IncidentStatus; count: number }[];
  /** Questions registered in the period, and how many of them have an answer (answered or closed). */
  questions: { total: number; answered: number };
}

/** Counts for a period, within a municipality's scope (undefined: the whole region). */
export function collectStatusCounts(incidents: Pick<IncidentStore, 'countByStatus'>, period: Period, scope: string | undefined): StatusCounts {
  const complaints = incidents.countByStatus(period.from, period.to, scope);
  const questions = incidents.countByStatus(period.from, period.to, scope, 'question');
  const sum = (counts: Map<IncidentStatus, number>) => [...counts.values()].reduce((a, b) => a + b, 0);
  return {
    total: sum(complaints),
    byStatus: INCIDENT_STATUSES.filter((s) => complaints.has(s)).map((status) => ({ status, count: complaints.get(status)! })),
    questions: { total: sum(questions), answered: (questions.get('answered') ?? 0) + (questions.get('closed') ?? 0) },
  };
}
