/**
 * The shape every command shares: who may run it, how it is written, and the function that
 * carries it out. Features are listed in one ordered table (src/moderation/command-features.ts).
 */
import type { Logger } from 'pino';
import type { Config, ModeratorConfig } from '../config.js';
import type { InboundMessage, Platform } from '../domain/inbound-message.js';
import type { ModeratorTemplateKey } from '../domain/moderator-templates.js';
import type { IncidentService } from '../incidents/incident-service.js';
import type { SelfIdentity } from '../incidents/ingest.js';
import type { Stores } from '../store/stores.js';
import type { IncidentCardPublisher } from './incident-card-publisher.js';
import type { ParsedCommand } from './parse-command.js';

/** What a command answers: a text in the moderator's chat, plain or Telegram HTML. */
export interface CommandReply {
  text: string;
  format: 'plain' | 'html';
}

export interface ModerationDeps {
  stores: Stores;
  config: Config;
  clock: () => number;
  logger: Logger;
  incidents: IncidentService;
  cards: IncidentCardPublisher;
  /** Who the bot is: a command addressed to another bot (`/list@other_bot`) is not ours. */
  self?: Pick<SelfIdentity, 'telegramBotUsername'>;
  /** The web console's sign-in links (src/console/); absent while the console is off. */
  loginLinks?: LoginLinks;
}

/** Issues one-time sign-in links to the web console, whatever platform the moderator asked from. */
export interface LoginLinks {
  /** A new link for the moderator and how many minutes it stays valid. */
  issue(moderator: ModeratorConfig): { url: string; minutes: number };
}

/** One command as it arrived. */
export interface CommandRequest {
  message: InboundMessage;
  /** Our id of the stored message. */
  messageId: number;
  command: ParsedCommand;
  platform: Platform;
  /** The configured moderator who wrote it, or null for anyone else. */
  moderator: ModeratorConfig | null;
}

/** A moderator command runs only for a configured moderator. */
export interface ModeratorFeature {
  audience: 'moderator';
  names: readonly string[];
  /** The template of its help line (the syntax and what it does), also quoted in refusals. */
  usage: ModeratorTemplateKey;
  /**
   * May it run where citizens read along (a city chat, under a wall post)? Default false: every
   * other command shows internal data or changes incidents, so it runs only in the moderators'
   * chat and in private dialogs with the bot.
   */
  public?: boolean;
  run(request: CommandRequest & { moderator: ModeratorConfig }, deps: ModerationDeps): CommandReply;
}

/** A citizen command runs for anyone, in a private dialog with the bot. */
export interface CitizenFeature {
  audience: 'citizen';
  names: readonly string[];
  run(request: CommandRequest, deps: ModerationDeps): CommandReply;
}

export type CommandFeature = ModeratorFeature | CitizenFeature;

export const plain = (text: string): CommandReply => ({ text, format: 'plain' });
