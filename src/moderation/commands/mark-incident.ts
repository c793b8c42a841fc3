/**
 * /incident [тема], written in reply to a citizen's message the detector missed: registers it as
 * an incident, with the usual acknowledgement in the citizen's thread and a card.
 */
import type { Detection } from '../../domain/detection.js';
import { TOPIC_LABELS } from '../../jobs/format.js';
import { MessageStore } from '../../store/message-store.js';
import type { CommandReply, ModerationDeps, ModeratorFeature } from '../command-feature.js';
import { plain } from '../command-feature.js';
import { canActOn } from '../permissions.js';
import { topicFrom } from './announce.js';
import { moderatorActor } from './incident-actions.js';

const USAGE = '/incident [тема] — ответом на сообщение жителя: зарегистрировать его как обращение';

function run(request: Parameters<ModeratorFeature['run']>[0], deps: ModerationDeps): CommandReply {
  const { message, moderator } = request;
  const reply = message.replyTo;
  if (!reply) return plain(`Отправьте команду ответом на сообщение жителя. Использование: ${USAGE}`);
  const word = request.command.args.trim();
  const topic = word === '' ? null : topicFrom(word);
  if (word !== '' && !topic) return plain(`Неизвестная тема «${word.slice(0, 40)}». Темы: ${Object.values(TOPIC_LABELS).join(', ')}.`);
  const messages = new MessageStore(deps.db);
  const stored = messages.findByExternalId(message.channel, reply.externalId);
  if (!stored) return plain('Этого сообщения нет в базе бота (оно написано до подключения бота или в другом чате).');
  if (stored.incidentId !== null) return plain(`Это сообщение уже относится к обращению №${stored.incidentId}.`);
  if (stored.decision === 'skipped_self' || stored.decision === 'skipped_bot' || stored.decision === 'skipped_moderator' || stored.decision === 'command') {
    return plain('Это сообщение модератора или бота, а не жителя.');
  }
  const detection: Detection = stored.detection
    ? { ...stored.detection, topic: topic ?? stored.detection.topic ?? 'other', reasons: [...stored.detection.reasons, 'отмечено модератором'] }
    : { isAppeal: true, kind: 'complaint', score: 1, verdict: 'reply', topic: topic ?? 'other', urgency: 'normal', language: 'und', place: null, reasons: ['отмечено модератором'] };
  const municipalityId = deps.incidents.municipalityOf(message, detection);
  if (!canActOn(moderator, municipalityId)) return plain('Это сообщение относится к другому муниципалитету: зарегистрировать его может его модератор или региональный.');
  const result = deps.incidents.openFromMessage(stored, { thread: stored.thread, text: stored.text ?? '', source: message.source }, detection, moderatorActor(moderator));
  messages.setDecision(stored.id, result.outcome === 'created' ? 'incident' : 'linked', result.incident.id);
  return plain(result.outcome === 'created' ? `Зарегистрировано обращение №${result.incident.id}.` : `Присоединено к обращению №${result.incident.id} о той же проблеме.`);
}

export const MARK_INCIDENT_FEATURE: ModeratorFeature = { audience: 'moderator', names: ['incident'], usage: USAGE, run };
