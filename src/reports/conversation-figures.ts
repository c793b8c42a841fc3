/**
 * The conversation targets of issue 12, counted from what the bot recorded and sent (the demo
 * prints them). The counts that tie a message or an event to what the bot sent about it read the
 * outbox's keys back through outbox-key.ts, the one module that knows their shape.
 */
import { outboxKeyPrefix, parseOutboxKey } from '../outbox/outbox-key.js';
import type { ConversationCounts, StatsStore } from '../store/stats-store.js';

export interface ConversationFigures extends ConversationCounts {
  /** Card edits queued for an addition (several arriving together share one). */
  additionCardEdits: number;
  /** Of the private questions: an FAQ answer went out, or a question card went to the moderators for their answer. */
  privateQuestionsAnswered: number;
}

export function collectConversationFigures(stats: StatsStore): ConversationFigures {
  const keys = (kind: 'card' | 'card-edit' | 'faq') => stats.outboxKeysStartingWith(outboxKeyPrefix(kind)).map(parseOutboxKey);
  const editedForEvent = new Set<string>();
  for (const key of keys('card-edit'))
    if (key?.kind === 'card-edit' && key.reason.kind === 'event') editedForEvent.add(`${key.incidentId}:${key.reason.eventId}`);
  const faqAnswered = new Set<number>();
  for (const key of keys('faq')) if (key?.kind === 'faq') faqAnswered.add(key.messageId);
  const carded = new Set<number>();
  for (const key of keys('card')) if (key?.kind === 'card') carded.add(key.incidentId);
  return {
    ...stats.conversationCounts(),
    additionCardEdits: stats.followupEvents().filter((e) => editedForEvent.has(`${e.incidentId}:${e.eventId}`)).length,
    privateQuestionsAnswered: stats.privateQuestionMessages().filter((q) => faqAnswered.has(q.messageId) || (q.incidentId !== null && carded.has(q.incidentId)))
      .length,
  };
}
