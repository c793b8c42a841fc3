import type { Logger } from 'pino';
import type { Config } from '../config.js';
import { gatherAlbums } from '../domain/album.js';
import { hasEvidence, isEvidence, photosOf } from '../domain/attachment.js';
import type { Detection, Detector } from '../domain/detection.js';
import { FaqMatcher } from '../domain/faq.js';
import type { ButtonPress, InboundMessage } from '../domain/inbound-message.js';
import { authorKey } from '../domain/inbound-message.js';
import type { CursorUpdate, InboundSink } from '../domain/inbound-sink.js';
import { isOpen } from '../domain/incident.js';
import { inRoom, type ModeratorsRoom, moderatorsRoom } from '../domain/moderators-room.js';
import { placeWithLocation } from '../domain/nearest-place.js';
import { decideThread, type ThreadDecision, type ThreadIncident } from '../domain/threading.js';
import { describeCause } from '../errors.js';
import type { MessageDecision, StoredMessage } from '../store/message-store.js';
import type { Stores } from '../store/stores.js';
import type { IncidentService } from './incident-service.js';
import { placeOfLocation } from './location-place.js';
import { sourceMunicipality } from './routing.js';

/** Moderator commands, citizen commands and button presses. Implemented in src/moderation/. */
export interface CommandHandler {
  /** Handle a command or a moderator's message; false when the message is not for it. Runs in the caller's transaction. */
  handleMessage(message: InboundMessage, messageId: number): boolean;
  handlePress(press: ButtonPress): void;
}

/** Who the bot itself is on each platform, so it never answers its own messages. */
export interface SelfIdentity {
  vkGroupIds: ReadonlySet<number>;
  telegramBotId: number | null;
  /** The Telegram bot's username (getMe), so `/cmd@other_bot` in a group is left to that bot; unknown until getMe answers. */
  telegramBotUsername?: string | null;
  /** The MAX bot's user id (GET /me); null until it answers. */
  maxBotId?: number | null;
}

export interface IngestDeps {
  stores: Stores;
  config: Config;
  clock: () => number;
  logger: Logger;
  detector: Detector;
  incidents: IncidentService;
  commands: CommandHandler | null;
  self: SelfIdentity;
  /** Called after a batch committed anything to the outbox, so delivery starts at once. */
  onOutboxChanged?: () => void;
  /** Observes each decision (metrics, the demo's live log). Runs after commit. */
  onDecision?: (event: DecisionEvent) => void;
}

export interface DecisionEvent {
  message: InboundMessage;
  decision: MessageDecision | 'duplicate' | 'failed';
  detection: Detection | null;
  incidentId: number | null;
}

/** Decisions whose files are fetched when media.download is on: the messages moderators work with, never chatter. */
const KEPT_FILES: ReadonlySet<string> = new Set(['incident', 'question', 'followup', 'linked', 'review', 'album']);

/** Longest text kept and analysed: VK allows 16 384 characters per comment, Telegram 4 096 per message. */
export const MAX_TEXT_LENGTH = 16_384;

/** Make any string safe to store and analyse: well-formed UTF-16, no NULs, bounded length. */
export function sanitizeText(text: unknown): string {
  if (typeof text !== 'string') return '';
  // biome-ignore lint/suspicious/noControlCharactersInRegex: NUL is what this removes (SQLite and logs cut text at it)
  const wellFormed = text.toWellFormed().replace(/\u0000/g, '');
  return wellFormed.length > MAX_TEXT_LENGTH ? wellFormed.slice(0, MAX_TEXT_LENGTH) : wellFormed;
}

/** Text with no letters or digits at all (emoji, punctuation, whitespace): nothing to register. */
function isContentless(text: string): boolean {
  return !/[\p{L}\p{N}]/u.test(text);
}

/**
 * The pipeline's entry: record → (command | skip | detect → threading → follow-up | incident / review).
 * Each batch is one transaction with its cursors; each message inside is a savepoint, so one
 * message that fails is recorded as 'failed' and the rest of the batch still commits.
 */
export class Ingest implements InboundSink {
  private readonly faq: FaqMatcher;
  private readonly moderatorKeys: Set<string>;
  private readonly room: ModeratorsRoom | null;

  constructor(private readonly deps: IngestDeps) {
    this.room = moderatorsRoom(deps.config);
    this.faq = new FaqMatcher(deps.config.faq);
    this.moderatorKeys = new Set(deps.config.moderators.map((m) => authorKey({ platform: m.platform, id: m.id })));
  }

  ingestBatch(batch: readonly InboundMessage[], cursors: readonly CursorUpdate[] = []): void {
    const events: DecisionEvent[] = [];
    const outboxBefore = this.outboxHighWater();
    this.deps.stores.immediate(() => {
      for (const raw of gatherAlbums(batch)) events.push(this.ingestOne(raw));
      const now = this.deps.clock();
      for (const cursor of cursors) this.deps.stores.cursors.set(cursor.key, cursor.value, now);
    });
    this.afterCommit(events, outboxBefore);
  }

  press(press: ButtonPress): void {
    const commands = this.deps.commands;
    if (!commands) return;
    const before = this.outboxHighWater();
    try {
      this.deps.stores.immediate(() => commands.handlePress(press));
    } catch (cause) {
      this.deps.logger.error({ err: cause, pressId: press.pressId, chatId: press.chatId }, 'button press failed');
    }
    this.afterCommit([], before);
  }

  // === One message

  private ingestOne(raw: InboundMessage): DecisionEvent {
    const message: InboundMessage = { ...raw, text: sanitizeText(raw.text) };
    const log = this.deps.logger.child({ channel: message.channel, externalId: message.externalId });
    try {
      return this.deps.stores.transaction(() => {
        const decided = this.decide(message);
        if (this.deps.config.media.download && KEPT_FILES.has(decided.decision)) this.queueFiles(message);
        return decided;
      });
    } catch (cause) {
      // A bug or bad data in one message must not lose the batch: keep the message, mark it, go on.
      log.error({ err: cause }, `message handling failed: ${describeCause(cause)}`);
      const id = this.deps.stores.messages.insert(message, 'ignored', null, this.deps.clock());
      if (id !== null) this.deps.stores.messages.markFailed(id);
      return { message, decision: 'failed', detection: null, incidentId: null };
    }
  }

  private decide(message: InboundMessage): DecisionEvent {
    const { clock, detector, incidents, commands } = this.deps;
    const now = clock();
    const event = (decision: DecisionEvent['decision'], detection: Detection | null = null, incidentId: number | null = null): DecisionEvent => ({
      message,
      decision,
      detection,
      incidentId,
    });

    const skip = this.skipReason(message);
    if (skip === 'skipped_self' || skip === 'skipped_bot') {
      return this.deps.stores.messages.insert(message, skip, null, now) === null ? event('duplicate') : event(skip);
    }

    const id = this.deps.stores.messages.insert(message, 'ignored', null, now);
    if (id === null) return event('duplicate');

    const isModerator = this.moderatorKeys.has(authorKey(message.author)) || this.isModeratorsChat(message);
    if (commands && (isModerator || message.text.trimStart().startsWith('/') || message.isPrivate) && commands.handleMessage(message, id)) {
      this.deps.stores.messages.setDecision(id, 'command', null);
      return event('command');
    }
    // Moderators talk among themselves and to citizens; their words are never complaints.
    if (isModerator) return this.record(id, 'skipped_moderator', event);
    if (isContentless(message.text) && message.attachments.length === 0 && !message.location) return this.record(id, 'skipped_empty', event);

    const stored = this.deps.stores.messages.get(id)!;
    if (message.mediaGroupId !== undefined && isContentless(message.text)) {
      const lead = this.deps.stores.messages.albumLead(stored.sourceKey, message.mediaGroupId, id);
      if (lead) return this.albumItem(stored, message, lead, event);
    }
    const context = this.municipalityContext(message);
    const detection = this.withLocation(detector.detect(message.text, context), message);
    this.deps.stores.messages.setDetection(id, detection);

    const open = this.deps.stores.threads.openIncidents(stored.threadKey, stored.authorKey);
    const threading = this.thread(message, detection, open);
    if (threading.kind === 'followup') {
      const open = this.deps.stores.incidents.get(threading.incidentId)!;
      incidents.attachFollowUp(open, stored, message);
      this.deps.stores.messages.setDecision(id, 'followup', open.id);
      return event('followup', detection, open.id);
    }
    if (threading.kind === 'review') {
      incidents.flagForReview(stored, message, detection, threading);
      this.deps.stores.messages.setDecision(id, 'review', null);
      return event('review', detection);
    }
    if (detection.kind === 'question' && detection.verdict === 'reply') {
      // The FAQ's problems match the detector's problem of the question (faq[].problems), its words the text.
      const entry = this.faq.match(message.text, detection.problem);
      if (entry) {
        incidents.answerFromFaq(stored, message, entry);
        return this.record(id, 'faq', (d) => event(d, detection));
      }
    }
    if (detection.verdict === 'reply') {
      const result = incidents.openFromMessage(stored, message, detection);
      const decision: MessageDecision = result.outcome !== 'created' ? result.outcome : result.incident.kind === 'question' ? 'question' : 'incident';
      this.deps.stores.messages.setDecision(id, decision, result.incident.id);
      return event(decision, detection, result.incident.id);
    }
    if (detection.verdict === 'review') {
      incidents.flagForReview(stored, message, detection);
      this.deps.stores.messages.setDecision(id, 'review', null);
      return event('review', detection);
    }
    // A photo with no words from a citizen not talking about an incident: the moderators look at it.
    if (isContentless(message.text) && photosOf(message.attachments).length > 0) {
      incidents.flagForReview(stored, message, detection);
      this.deps.stores.messages.setDecision(id, 'review', null);
      return event('review', detection);
    }
    // Someone who writes to the bot and is neither reporting nor asking learns what it does (once a day); a citizen already in a conversation about their incident does not.
    if (message.isPrivate && open.length === 0) incidents.privateHelp(stored, message);
    this.deps.stores.messages.setDecision(id, 'ignored', null);
    return event('ignored', detection);
  }

  /** The message's files to fetch (media.download): Telegram ones by file id, VK ones by URL (a VK video's URL is its page, not a file). */
  private queueFiles(message: InboundMessage): void {
    const stored = this.deps.stores.messages.findByExternalId(message.channel, message.externalId);
    if (!stored) return;
    const files = stored.media.attachments.flatMap((a, position) => {
      if (!isEvidence(a) || !('size' in a)) return [];
      const source = a.fileId !== undefined ? `tg:${a.fileId}` : a.url !== undefined && a.kind !== 'video' ? a.url : null;
      return source === null ? [] : [{ position, source, sizeHint: a.size }];
    });
    if (files.length > 0) this.deps.stores.mediaFiles.queue(stored.id, files, this.deps.clock());
  }

  /** A location fills the place the text did not name (the nearest gazetteer street or settlement with coordinates). */
  private withLocation(detection: Detection, message: InboundMessage): Detection {
    if (!message.location) return detection;
    const place = placeWithLocation(detection.place, placeOfLocation(this.deps.config, message.location));
    return place === detection.place ? detection : { ...detection, place };
  }

  /**
   * One photo of a Telegram album whose lead was recorded before: part of what the lead became.
   * Gathered in the same batch, the lead already carries its photo; arriving later, the photo is
   * added to the lead's open incident (quietly: the citizen sent one album).
   */
  private albumItem(
    stored: StoredMessage,
    message: InboundMessage,
    lead: StoredMessage,
    event: (d: DecisionEvent['decision'], detection?: Detection | null, incidentId?: number | null) => DecisionEvent,
  ): DecisionEvent {
    const carried = new Set(lead.media.attachments.map((a) => ('fileId' in a ? a.fileId : undefined)));
    const gathered = message.attachments.every((a) => 'fileId' in a && a.fileId !== undefined && carried.has(a.fileId));
    this.deps.stores.messages.setDecision(stored.id, 'album', lead.incidentId);
    const incident = lead.incidentId === null ? undefined : this.deps.stores.incidents.get(lead.incidentId);
    if (!gathered && incident && isOpen(incident.status)) this.deps.incidents.attachFollowUp(incident, stored, message, { quiet: true });
    return event('album', null, lead.incidentId);
  }

  /** New problem or follow-up (src/domain/threading.ts), from the author's open incidents in this conversation. */
  private thread(message: InboundMessage, detection: Detection, open: ThreadIncident[]): ThreadDecision {
    if (open.length === 0) return { kind: 'separate' };
    const { thread } = message;
    return decideThread({
      message: {
        text: message.text,
        createdAt: message.createdAt,
        replyToId: message.replyTo?.externalId ?? null,
        commentThread: thread.channel === 'vk_comment' && thread.threadCommentId !== thread.commentId ? thread.threadCommentId : null,
        place: message.isPrivate ? 'private' : thread.channel === 'vk_comment' || thread.channel === 'max_comment' ? 'comments' : 'chat',
        hasAttachments: hasEvidence(message),
      },
      detection,
      open,
      windowMs: this.deps.config.threading.windowMinutes * 60_000,
    });
  }

  private record(id: number, decision: MessageDecision, event: (d: MessageDecision) => DecisionEvent): DecisionEvent {
    this.deps.stores.messages.setDecision(id, decision, null);
    return event(decision);
  }

  private skipReason(message: InboundMessage): MessageDecision | null {
    const { author } = message;
    const { self } = this.deps;
    if (author.platform === 'vk' && author.id < 0 && self.vkGroupIds.has(-author.id)) return 'skipped_self';
    if (author.platform === 'telegram' && self.telegramBotId !== null && author.id === self.telegramBotId) return 'skipped_self';
    if (author.platform === 'max' && self.maxBotId !== null && self.maxBotId !== undefined && author.id === self.maxBotId) return 'skipped_self';
    if (author.isBot) return 'skipped_bot';
    return null;
  }

  private isModeratorsChat(message: InboundMessage): boolean {
    return inRoom(this.room, message.source);
  }

  private municipalityContext(message: InboundMessage): { municipalityId?: string } {
    const municipalityId = sourceMunicipality(this.deps.config, message.source);
    return municipalityId ? { municipalityId } : {};
  }

  // === After commit

  private outboxHighWater(): number {
    return this.deps.stores.outbox.highWater();
  }

  private afterCommit(events: DecisionEvent[], outboxBefore: number): void {
    if (this.deps.onDecision) for (const e of events) this.deps.onDecision(e);
    if (this.outboxHighWater() !== outboxBefore) this.deps.onOutboxChanged?.();
  }
}
