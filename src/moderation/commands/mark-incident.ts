/**
 * /incident [тема | проблема], written in reply to a citizen's message the detector missed (in a
 * Telegram chat), or in reply to the bot's «Проверить» note about a doubtful message (any
 * platform): registers it as an incident, with the usual acknowledgement in the citizen's thread
 * and a card. The moderator's choice is a label for the detector (IncidentService).
 * `/incident вопрос` registers it as a question instead: a question card with «Ответить», the
 * answer going to the citizen's thread.
 */

import { clipText } from '../../domain/clip-text.js';
import type { Detection } from '../../domain/detection.js';
import { type InboundMessage, parseSourceKey, type SourceRef } from '../../domain/inbound-message.js';
import { type ModeratorTemplateKey, modText } from '../../domain/moderator-templates.js';
import { safeText } from '../../domain/safe-text.js';
import { outboxKeyPrefix, parseOutboxKey } from '../../outbox/outbox-key.js';
import type { MessageStore, StoredMessage } from '../../store/message-store.js';
import type { CommandReply, ModerationDeps, ModeratorFeature } from '../command-feature.js';
import { plain } from '../command-feature.js';
import { canActOn } from '../permissions.js';
import { repliedBotMessage } from '../replied-bot-message.js';
import { topicChoice, topicChoiceHelp } from '../topic-choice.js';
import { moderatorActor } from './incident-actions.js';

/** Where the message came from, rebuilt from its stored source key (`vk:<groupId>` / `tg:<chatId>`): routing needs only the ids. */
function sourceOf(stored: StoredMessage): SourceRef | null {
  const source = parseSourceKey(stored.sourceKey);
  if (!source) return null;
  return source.platform === 'vk'
    ? { platform: 'vk', groupId: source.id }
    : { platform: 'telegram', chatId: source.id, chatType: 'supergroup', title: null, username: null };
}

/** The citizen's message the command answers: replied to directly, or through the bot's review note about it. */
function repliedMessage(message: InboundMessage, messages: MessageStore, deps: ModerationDeps): StoredMessage | undefined {
  const direct = messages.findByExternalId(message.channel, message.replyTo!.externalId);
  if (direct && direct.decision !== 'skipped_self') return direct;
  const review = repliedBotMessage(message, deps.stores.outbox, outboxKeyPrefix('review'));
  const key = review ? parseOutboxKey(review.idempotencyKey) : null;
  return key?.kind === 'review' ? messages.get(key.messageId) : direct;
}

/** The argument that registers the message as a question for a moderator's answer rather than a complaint. */
const QUESTION_WORDS: ReadonlySet<string> = new Set(['вопрос', 'question']);

function run(request: Parameters<ModeratorFeature['run']>[0], deps: ModerationDeps): CommandReply {
  const { message, moderator } = request;
  const reply = message.replyTo;
  const t = (key: ModeratorTemplateKey, values: Record<string, string | number> = {}) => plain(modText(deps.config, key, values));
  if (!reply) return t('mod_mark_not_reply', { usage: modText(deps.config, 'mod_usage_incident') });
  const word = request.command.args.trim();
  const asQuestion = QUESTION_WORDS.has(word.toLowerCase());
  const choice = word === '' || asQuestion ? null : topicChoice(word, deps.config.problems);
  if (word !== '' && !choice && !asQuestion)
    return t('mod_unknown_topic', { given: safeText(clipText(word, 40), moderator.platform), ...topicChoiceHelp(deps.config.problems) });
  const topic = choice?.topic ?? null;
  const messages = deps.stores.messages;
  const stored = repliedMessage(message, messages, deps);
  if (!stored) return t('mod_mark_unknown_message');
  if (stored.incidentId !== null) return t('mod_mark_already', { number: stored.incidentId });
  if (stored.decision === 'skipped_self' || stored.decision === 'skipped_bot' || stored.decision === 'skipped_moderator' || stored.decision === 'command') {
    return t('mod_mark_not_citizen');
  }
  const marked: Detection = stored.detection
    ? {
        ...stored.detection,
        topic: topic ?? stored.detection.topic ?? 'other',
        // A problem the moderator named wins; a topic other than the detector's leaves the detector's problem behind: it belonged to the other topic.
        problem: choice?.kind === 'problem' ? choice.problem : topic !== null && topic !== stored.detection.topic ? null : (stored.detection.problem ?? null),
        reasons: [...stored.detection.reasons, 'отмечено модератором'],
      }
    : {
        isAppeal: true,
        kind: 'complaint',
        score: 1,
        verdict: 'reply',
        topic: topic ?? 'other',
        problem: choice?.kind === 'problem' ? choice.problem : null,
        urgency: 'normal',
        statesProblem: true,
        language: 'und',
        place: null,
        reasons: ['отмечено модератором'],
      };
  const detection: Detection = asQuestion ? { ...marked, kind: 'question', isAppeal: true } : marked;
  const source = sourceOf(stored) ?? message.source;
  const municipalityId = deps.incidents.municipalityOf({ source }, detection);
  if (!canActOn(moderator, municipalityId)) return t('mod_mark_other_municipality');
  const origin = {
    thread: stored.thread,
    text: stored.text ?? '',
    source,
    attachments: stored.media.attachments,
    ...(stored.media.location ? { location: stored.media.location } : {}),
  };
  const result = deps.incidents.openFromMessage(stored, origin, detection, moderatorActor(moderator));
  messages.setDecision(stored.id, result.outcome === 'created' ? 'incident' : 'linked', result.incident.id);
  return t(result.outcome === 'created' ? 'mod_mark_created' : 'mod_mark_linked', { number: result.incident.id });
}

/** Public: a moderator marks a citizen's message in the chat where it was written. */
export const MARK_INCIDENT_FEATURE: ModeratorFeature = { audience: 'moderator', names: ['incident'], usage: 'mod_usage_incident', public: true, run };
