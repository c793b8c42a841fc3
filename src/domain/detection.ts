import type { ProblemId } from './problem.js';

/**
 * What the detector decides about one message. Pure data: produced by `src/detect/`,
 * stored with the message, shown to moderators.
 */

/** Topic ids are stable: labelled files, config and the database all use them. */
export const TOPIC_IDS = [
  'housing',
  'roads',
  'waste',
  'transport',
  'improvement',
  'health',
  'education',
  'social',
  'safety',
  'ecology',
  'communications',
  'other',
] as const;
export type TopicId = (typeof TOPIC_IDS)[number];

export function isTopicId(value: string): value is TopicId {
  return (TOPIC_IDS as readonly string[]).includes(value);
}

/**
 * complaint: something is wrong; request: asks the authorities for help; question: asks the
 * authorities for information (src/detect/question-detector.ts), answered from the FAQ or by a
 * moderator; none: not an appeal.
 */
export type AppealKind = 'complaint' | 'request' | 'question' | 'none';

/**
 * reply: score at or above the reply threshold, the bot registers an incident and answers publicly;
 * review: between the two thresholds, moderators see it as «проверить», no public reply;
 * ignore: below the review threshold.
 */
export type Verdict = 'reply' | 'review' | 'ignore';

export type Urgency = 'emergency' | 'normal';

/** A place named in the text, matched against a municipality's gazetteer where possible. */
export interface PlaceMatch {
  /** Gazetteer municipality id the place belongs to, when the match was unambiguous. */
  municipalityId?: string;
  settlement?: string;
  street?: string;
  house?: string;
}

export interface Detection {
  /** kind !== 'none' and the verdict is not 'ignore'. */
  isAppeal: boolean;
  kind: AppealKind;
  /** Probability-like score in [0, 1] that the message is an appeal. */
  score: number;
  verdict: Verdict;
  /** null when the message is not an appeal. */
  topic: TopicId | null;
  /**
   * The problem under the topic (config/problems.json), null when the detector is not sure of one
   * or the message is not an appeal. Always one of the topic's problems.
   */
  problem: ProblemId | null;
  urgency: Urgency;
  /**
   * The text itself says something is wrong — a problem phrase fired, or a service is negated («нет
   * воды», «не горят») — rather than only reading like an appeal to the model. A clarification
   * («Уточняю: подъезд 2, квартира 45») reads like one and states nothing.
   */
  statesProblem: boolean;
  /** ISO 639-3 code ('rus', 'ukr', 'bel', 'kaz', 'tat', 'bak', 'eng', …) or 'und' when unknown. */
  language: string;
  place: PlaceMatch | null;
  /** Human-readable words and rules that fired, in the order of their weight. Shown to moderators. */
  reasons: string[];
}

/** Extra facts the caller knows about the message's origin. */
export interface DetectContext {
  /** The municipality the source community or chat belongs to; narrows the gazetteer lookup. */
  municipalityId?: string;
}

/** Anything that can classify a message. Implementations must never throw, whatever the input. */
export interface Detector {
  detect(text: string, context?: DetectContext): Detection;
}
