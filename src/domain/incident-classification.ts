/**
 * What an incident is about, decided once from the detection (or a moderator's choice) and the
 * region's taxonomy: its topic, its problem (only one the catalog has, under that topic — a model
 * trained on another taxonomy, or a problem of another topic, is dropped rather than trusted) and
 * its urgency (the words said so, or the problem is an emergency: «нет воды», «скорая»). Pure.
 */
import type { Detection, TopicId, Urgency } from './detection.js';
import type { ProblemCatalog, ProblemId } from './problem.js';

export interface Classification {
  topic: TopicId;
  problem: ProblemId | null;
  urgency: Urgency;
}

/** The problem as far as the catalog vouches for it under `topic`, else null. */
export function problemUnder(catalog: ProblemCatalog, topic: TopicId, problem: string | null | undefined): ProblemId | null {
  if (problem == null) return null;
  const known = catalog.get(problem);
  return known && known.topic === topic ? known.id : null;
}

/** Is a problem one of the catalog's emergencies? */
export function isEmergencyProblem(catalog: ProblemCatalog, problem: ProblemId | null): boolean {
  return problem !== null && catalog.get(problem)?.urgency === 'emergency';
}

/** The incident's topic ('other' when the detector named none), problem and urgency. */
export function classify(detection: Pick<Detection, 'topic' | 'problem' | 'urgency'>, catalog: ProblemCatalog): Classification {
  const topic: TopicId = detection.topic ?? 'other';
  const problem = problemUnder(catalog, topic, detection.problem);
  const urgency: Urgency = detection.urgency === 'emergency' || isEmergencyProblem(catalog, problem) ? 'emergency' : 'normal';
  return { topic, problem, urgency };
}
