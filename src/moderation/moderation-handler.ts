/**
 * The CommandHandler ingest calls: moderators' commands (Telegram moderators' chat, any chat, the
 * VK community dialog for VK moderators), citizens' status questions in private dialogs, and
 * presses of the buttons on incident cards. Runs inside ingest's transaction; everything it says
 * goes through the outbox, keyed by the command message or the press, so a redelivery says
 * nothing twice.
 */

import type { ModeratorConfig } from '../config.js';
import { clipMessage, clipText } from '../domain/clip-text.js';
import type { ButtonPress, InboundMessage } from '../domain/inbound-message.js';
import { authorKey } from '../domain/inbound-message.js';
import { type ModeratorTemplateKey, modText } from '../domain/moderator-templates.js';
import { inRoom, moderatorsRoom, pressAnswer, roomMessage } from '../domain/moderators-room.js';
import { replyDestination } from '../domain/outbound.js';
import { telegramHtmlToPlain } from '../domain/safe-text.js';
import type { CommandHandler } from '../incidents/ingest.js';
import { outboxKey, outboxKeyPrefix, parseOutboxKey } from '../outbox/outbox-key.js';
import { OUTBOX_PRIORITY } from '../outbox/outbox-priority.js';
import type { StoredIncident } from '../store/incident-store.js';
import { statusName } from '../texts.js';
import { isBurstData } from './burst-summary.js';
import type { CommandReply, ModerationDeps } from './command-feature.js';
import { findFeature } from './command-features.js';
import { carryOutAction, departmentList, moderatorActor } from './commands/incident-actions.js';
import { type CardPress, decodeCardData } from './incident-card.js';
import { type ParsedCommand, parseCommand } from './parse-command.js';
import { canActOn, findModerator } from './permissions.js';
import { repliedBotMessage } from './replied-bot-message.js';
import { decodeScreen, pickerButtons } from './topic-picker.js';

/** Telegram shows at most 200 characters in a callback answer (MAX's notification is cut the same). */
const CALLBACK_TEXT_MAX = 200;

/**
 * Card buttons that need the moderator's words. The press posts a prompt under the card; the
 * moderator answers it with a Telegram reply (the natural gesture) or types the command the
 * prompt names. A reply to a prompt is carried out as that command, with the same checks.
 * Each has the prompt's template and the template of the command it names.
 */
const TYPED: Record<string, { prompt: ModeratorTemplateKey; command: ModeratorTemplateKey }> = {
  ask: { prompt: 'mod_prompt_ask', command: 'mod_command_ask' },
  answer: { prompt: 'mod_prompt_answer', command: 'mod_command_answer' },
  reject: { prompt: 'mod_prompt_reject', command: 'mod_command_reject' },
  assign: { prompt: 'mod_prompt_assign', command: 'mod_command_assign' },
};

export class ModerationHandler implements CommandHandler {
  constructor(private readonly deps: ModerationDeps) {}

  // === Messages

  handleMessage(message: InboundMessage, messageId: number): boolean {
    const command = parseCommand(message.text) ?? this.promptReply(message);
    if (!command) return false;
    // In a group, `/help@weather_bot` is for that bot; Telegram usernames are case-insensitive.
    const ourName = this.deps.self?.telegramBotUsername;
    if (command.bot && ourName && command.bot.toLowerCase() !== ourName.toLowerCase()) return false;
    // «статус 12» in a public thread is a citizen talking, not a request to the bot.
    if (command.phrase && !message.isPrivate) return false;
    const moderator = findModerator(this.deps.config.moderators, message.author);
    const feature = findFeature(command.name);
    const request = { message, messageId, command, platform: message.author.platform, moderator };
    const log = this.deps.logger.child({ messageId, author: authorKey(message.author), command: command.name });

    let reply: CommandReply;
    if (!feature) {
      // The catch-all: an unknown command. A citizen's text that merely starts with '/' in a public thread goes on to detection.
      if (moderator && this.isModeratorsPlace(message))
        reply = { text: modText(this.deps.config, 'mod_unknown_command', { command: command.name.slice(0, 32) }), format: 'plain' };
      else if (message.isPrivate) reply = { text: this.deps.incidents.template('citizen_help', {}), format: 'plain' };
      else return false;
    } else if (feature.audience === 'citizen') {
      reply = feature.run(request, this.deps);
    } else if (!moderator) {
      if (['help', 'start'].includes(command.name)) reply = { text: this.deps.incidents.template('citizen_help', {}), format: 'plain' };
      else {
        log.warn('moderator command from someone who is not a moderator: refused');
        reply = { text: this.deps.incidents.template('not_moderator', {}), format: 'plain' };
      }
    } else if (!feature.public && !this.isModeratorsPlace(message)) {
      log.warn('moderator command outside the moderators chat and private dialogs: refused');
      reply = { text: modText(this.deps.config, 'mod_not_here'), format: 'plain' };
    } else {
      reply = feature.run({ ...request, moderator }, this.deps);
      log.info('moderator command handled');
    }
    this.reply(message, messageId, reply);
    return true;
  }

  /** The moderators' chat (Telegram or MAX) or a private dialog with the bot: places no citizen reads along. */
  private isModeratorsPlace(message: InboundMessage): boolean {
    return message.isPrivate || inRoom(moderatorsRoom(this.deps.config), message.source);
  }

  /** A reply to one of the bot's prompts under a card, read as the command the prompt asked for. */
  private promptReply(message: InboundMessage): ParsedCommand | null {
    const prompt = repliedBotMessage(message, this.deps.stores.outbox, outboxKeyPrefix('prompt'));
    if (!prompt) return null;
    const key = parseOutboxKey(prompt.idempotencyKey);
    if (key?.kind !== 'prompt' || !TYPED[key.action]) return null;
    return { name: key.action, args: `${key.incidentId} ${message.text.trim()}`, phrase: false };
  }

  private reply(message: InboundMessage, messageId: number, reply: CommandReply): void {
    const destination = replyDestination(message.thread);
    // VK has no HTML: a report written in Telegram HTML is sent as plain text.
    const vk = message.author.platform === 'vk';
    const body = clipMessage(vk && reply.format === 'html' ? telegramHtmlToPlain(reply.text) : reply.text, vk ? 'plain' : reply.format);
    this.deps.stores.outbox.enqueue(
      // A moderator (or a citizen asking) waits for it: ahead of the cards in the moderators' chat.
      {
        idempotencyKey: outboxKey({ kind: 'reply', messageId }),
        message: { destination, text: body.text, format: body.format },
        purpose: 'reply',
        priority: OUTBOX_PRIORITY.moderatorWaits,
      },
      this.deps.clock(),
    );
  }

  // === Button presses

  /**
   * A press on a card button. The callback data is only a request: the presser must be a
   * moderator with rights on the incident, the press must come from the card's own message in
   * the moderators' chat, and the card must show the current status (else it is refreshed).
   * A press delivered again (a MAX webhook retried, a Telegram batch read twice) does nothing:
   * every press is answered, and the answer is queued in the same transaction as its effect.
   */
  handlePress(press: ButtonPress): void {
    const { config, incidents, cards, logger, stores } = this.deps;
    const log = logger.child({ pressId: press.pressId, author: authorKey(press.from) });
    const answerKey = outboxKey({ kind: 'press', pressId: press.pressId });
    if (stores.outbox.findByKey(press.platform, answerKey)) {
      log.info('button press seen before: ignored');
      return;
    }
    const answer = (key: ModeratorTemplateKey, values: Record<string, string | number> = {}, alert = false) =>
      this.answerPress(press, modText(config, key, values), alert);

    if (isBurstData(press.data)) {
      cards.bursts.press(press, answer);
      return;
    }
    const data = decodeCardData(press.data);
    const room = moderatorsRoom(config);
    if (room === null || press.platform !== room.platform || press.chatId !== room.chatId || !data) {
      log.warn({ chatId: press.chatId, data: press.data.slice(0, 64) }, 'button press with unknown data or outside the moderators chat: ignored');
      answer('mod_press_unknown');
      return;
    }
    const moderator = findModerator(config.moderators, press.from);
    if (!moderator) {
      log.warn({ incidentId: data.incidentId }, 'button press from someone who is not a moderator: refused');
      answer('mod_press_not_moderator', {}, true);
      return;
    }
    const incident = stores.incidents.get(data.incidentId);
    const cardRef = incident ? cards.messageRef(incident.id) : null;
    if (!incident || cardRef !== press.messageRef) {
      log.warn({ incidentId: data.incidentId, messageRef: press.messageRef }, 'button press does not match the incident card: refused');
      answer('mod_press_wrong_card', {}, true);
      return;
    }
    if (!canActOn(moderator, incident.municipalityId)) {
      log.warn({ incidentId: incident.id }, 'button press on another municipality incident: refused');
      answer('mod_press_other_municipality', { number: incident.id }, true);
      return;
    }
    if (incident.status !== data.shownStatus) {
      cards.changed(incident.id, { kind: 'press', pressId: press.pressId });
      answer('mod_press_stale', { number: incident.id, status: statusName(incident.status) }, true);
      return;
    }
    if (data.action === 'topic') {
      this.pickTopic(press, data, incident, moderator);
      return;
    }
    const typed = TYPED[data.action];
    if (typed) {
      const command = modText(config, typed.command, { number: incident.id });
      const departments = data.action === 'assign' ? departmentList(incident, this.deps) : '';
      stores.outbox.enqueue(
        {
          idempotencyKey: outboxKey({ kind: 'prompt', incidentId: incident.id, action: data.action, pressId: press.pressId }),
          message: {
            destination: roomMessage(room, press.messageRef),
            text: modText(config, typed.prompt, { number: incident.id, command, departments }),
            format: 'plain',
          },
          purpose: 'reply',
          incidentId: incident.id,
          priority: OUTBOX_PRIORITY.moderatorWaits,
        },
        this.deps.clock(),
      );
      answer('mod_press_prompted', { command });
      return;
    }
    const outcome = incidents.act(incident.id, { action: data.action as 'accept' | 'close' | 'reopen', actor: moderatorActor(moderator) });
    if (!outcome.ok) {
      answer('mod_press_refused', { number: incident.id, status: statusName(outcome.incident.status) }, true);
      return;
    }
    log.info({ incidentId: incident.id, action: data.action }, 'card button handled');
    answer('mod_press_done', { number: incident.id, status: statusName(outcome.incident.status) });
  }

  /** The one answer to a press (answerCallbackQuery), at most 200 characters. */
  private answerPress(press: ButtonPress, text: string, alert = false): void {
    this.deps.stores.outbox.enqueue(
      {
        idempotencyKey: outboxKey({ kind: 'press', pressId: press.pressId }),
        message: { destination: pressAnswer(press), text: clipText(text, CALLBACK_TEXT_MAX), format: 'plain', ...(alert ? { alert: true } : {}) },
        purpose: 'callback',
      },
      this.deps.clock(),
    );
  }

  /**
   * «Изменить тему» and its keyboard (topic-picker.ts): a screen of topics or problems replaces the
   * card's buttons; a choice is carried out as `/topic` (the same checks, event, label and
   * routing) and the card gets its buttons back, as it does on cancel.
   */
  private pickTopic(press: ButtonPress, data: CardPress, incident: StoredIncident, moderator: ModeratorConfig): void {
    const { config, cards } = this.deps;
    const screen = decodeScreen(data.screen, config.problems);
    if (!screen) {
      this.answerPress(press, modText(config, 'mod_press_unknown'));
      return;
    }
    const restore = () => cards.changed(incident.id, { kind: 'press', pressId: press.pressId });
    if (screen.kind === 'cancel') {
      restore();
      this.answerPress(press, modText(config, 'mod_press_topic_kept', { number: incident.id }));
    } else if (screen.kind === 'choose') {
      const result = carryOutAction(
        incident,
        { action: 'topic', topic: screen.problem ?? screen.topic, withoutProblem: screen.problem === null },
        moderator,
        this.deps,
      );
      // A change has edited the card already (this edit then joins it); «unchanged» has not.
      restore();
      this.answerPress(press, result.text, !result.ok);
    } else {
      const t = (key: ModeratorTemplateKey) => modText(config, key);
      const words = { back: t('card_picker_back'), more: t('card_picker_more'), cancel: t('card_picker_cancel'), topicOnly: t('card_picker_topic_only') };
      cards.showButtons(incident.id, { kind: 'pick', pressId: press.pressId }, pickerButtons(screen, incident, config.problems, words));
      this.answerPress(press, modText(config, 'mod_press_topic_pick', { number: incident.id }));
    }
  }
}
