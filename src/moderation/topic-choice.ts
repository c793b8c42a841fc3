/**
 * A topic or a problem as a moderator names it in `/topic`, `/incident`, `/list`, `/announce
 * тема=…` and the console: a topic by its id or Russian name (`housing`, `ЖКХ`), else a problem
 * of the region's taxonomy by its id, label or alias (`no_hot_water`, «Нет горячей воды», `гвс`).
 * Topics are tried first, so «мусор» is the topic, not the problem «не вывозят мусор».
 */
import { isTopicId, type TopicId } from '../domain/detection.js';
import type { ProblemCatalog, ProblemId } from '../domain/problem.js';
import { TOPIC_LABELS } from '../texts.js';

export type TopicChoice = { kind: 'topic'; topic: TopicId } | { kind: 'problem'; topic: TopicId; problem: ProblemId };

/** A topic by its id or Russian label (`housing`, `ЖКХ`), any case; null when unknown. */
export function topicFrom(value: string): TopicId | null {
  const v = value.trim().toLowerCase();
  if (isTopicId(v)) return v;
  return (Object.entries(TOPIC_LABELS).find(([, label]) => label.toLowerCase() === v)?.[0] as TopicId | undefined) ?? null;
}

/** The topic or problem `value` names, or null. */
export function topicChoice(value: string, catalog: ProblemCatalog): TopicChoice | null {
  const topic = topicFrom(value);
  if (topic) return { kind: 'topic', topic };
  const problem = value.trim() === '' ? undefined : catalog.find(value);
  return problem ? { kind: 'problem', topic: problem.topic, problem: problem.id } : null;
}

/** The values of `mod_unknown_topic`: the topic names, and a few problems as examples of what else is understood. */
export function topicChoiceHelp(catalog: ProblemCatalog): { topics: string; problems: string } {
  const examples = Object.keys(TOPIC_LABELS).flatMap((topic) =>
    catalog
      .ofTopic(topic as TopicId)
      .slice(0, 1)
      .map((p) => `«${p.label.toLowerCase()}»`),
  );
  return { topics: Object.values(TOPIC_LABELS).join(', '), problems: examples.length > 0 ? examples.join(', ') : '—' };
}
