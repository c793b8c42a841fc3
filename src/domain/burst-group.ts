/**
 * What the incidents of one burst summary share: today their topic and municipality. When
 * detections name a problem (a finer cut of the topic: «нет света» under ЖКХ), an incident that
 * has one is grouped by problem and municipality instead, and the key keeps the two apart. Pure;
 * the one place that decides the grouping.
 */
import type { TopicId } from './detection.js';

export interface BurstGroup {
  /** Equal for incidents summarised together; stored with the summary. */
  key: string;
  topic: TopicId;
  /** The detector's problem id, when the incident has one. */
  problem: string | null;
  municipalityId: string | null;
}

export function burstGroup(incident: { topic: TopicId; municipalityId: string | null; problem?: string | null }): BurstGroup {
  const problem = incident.problem ?? null;
  const what = problem === null ? `topic:${incident.topic}` : `problem:${problem}`;
  return { key: `${what}|${incident.municipalityId ?? '-'}`, topic: incident.topic, problem, municipalityId: incident.municipalityId };
}
