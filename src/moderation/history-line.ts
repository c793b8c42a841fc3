/**
 * One line of an incident's history in /show: who did it, by name, and what changed, with the
 * values a moderator needs (the department assigned, the topics, who took it). Pure.
 */
import type { Config } from '../config.js';
import { authorKey } from '../domain/inbound-message.js';
import type { IncidentEvent, StoredIncident } from '../store/incident-store.js';
import { EVENT_NAMES, statusName, topicAndProblem } from '../texts.js';

/** Who acted: a moderator by the name in config, the citizen who wrote the incident by their name, else «житель» or «система». */
export function historyActor(event: IncidentEvent, config: Pick<Config, 'moderators'>, incident: Pick<StoredIncident, 'authorKey' | 'authorName'>): string {
  switch (event.actorKind) {
    case 'system':
      return 'система';
    case 'citizen':
      return event.actorId === incident.authorKey && incident.authorName ? incident.authorName : 'житель';
    case 'moderator':
      // A moderator since removed from config is still someone: their platform id says who.
      return config.moderators.find((m) => authorKey(m) === event.actorId)?.name ?? `модератор ${event.actorId}`;
  }
}

/** What happened, with the new value where it matters («назначен отдел: Управление ЖКХ»). */
export function historyWhat(event: IncidentEvent, config: Pick<Config, 'departments' | 'problems'>): string {
  switch (event.action) {
    case 'transition':
      return `${statusName(event.oldValue)} → ${statusName(event.newValue)}`;
    case 'assign': {
      const department = event.newValue === null ? null : (config.departments.find((d) => d.id === event.newValue)?.name ?? event.newValue);
      return department ? `${EVENT_NAMES.assign}: ${department}` : 'отдел снят';
    }
    case 'topic': {
      const problem = (key: string) => (typeof event.details?.[key] === 'string' ? (event.details[key] as string) : null);
      const from = topicAndProblem(config, { topic: event.oldValue ?? '', problem: problem('fromProblem') });
      return `${EVENT_NAMES.topic}: ${from} → ${topicAndProblem(config, { topic: event.newValue ?? '', problem: problem('toProblem') })}`;
    }
    case 'take': {
      const name = typeof event.details?.name === 'string' ? event.details.name : null;
      return name ? `${EVENT_NAMES.take}: ${name}` : EVENT_NAMES.take!;
    }
    default:
      return EVENT_NAMES[event.action] ?? event.action;
  }
}
