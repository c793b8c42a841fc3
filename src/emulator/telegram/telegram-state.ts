import type { Prng } from '../prng.js';
import { TelegramFiles, type TgMediaSpec } from './telegram-files.js';
import { botCommandEntities, type TgEntity } from './telegram-markup.js';

// === Stored objects (wire shapes of the Bot API)

export interface TgUser {
  id: number;
  is_bot: boolean;
  first_name: string;
  username?: string;
}

export type TgChatType = 'private' | 'group' | 'supergroup';

export interface TgChat {
  id: number;
  type: TgChatType;
  title?: string;
  first_name?: string;
  username?: string;
  isForum: boolean;
  /** Known forum topics (message_thread_id values). */
  topics: Set<number>;
  messages: Map<number, TgStoredMessage>;
  nextMessageId: number;
}

export interface TgStoredMessage {
  wire: Record<string, unknown>;
  /** Bot that sent it, for messages sent through the Bot API. */
  botId?: number;
}

export interface TgUpdate {
  update_id: number;
  [kind: string]: unknown;
}

export interface TgBot {
  token: string;
  user: TgUser;
  updates: TgUpdate[];
  /** When each pending update was queued (emulator clock, ms), by update_id: for `dropUpdatesOlderThanSeconds`. */
  queuedAt: Map<number, number>;
  nextUpdateId: number;
  commands: unknown[];
  /** Ends the getUpdates currently waiting, if any (a newer one supersedes it). */
  cancelPoll?: () => void;
  waiters: Set<() => void>;
}

export interface TgCallbackQuery {
  id: string;
  botId: number;
  answered: boolean;
}

// === What the bot did (read by tests through Emulator.sent())

export interface SentTelegramMessage {
  botId: number;
  chatId: number;
  messageId: number;
  text: string;
  parseMode?: string;
  entities: TgEntity[];
  replyTo?: number;
  threadId?: number;
  replyMarkup?: unknown;
  date: number;
}

export interface SentTelegramEdit {
  botId: number;
  chatId: number;
  messageId: number;
  kind: 'text' | 'caption' | 'reply_markup';
  /** The new text, or the new caption of a media message. */
  text?: string;
  parseMode?: string;
  replyMarkup?: unknown;
  date: number;
}

export interface SentCallbackAnswer {
  botId: number;
  callbackQueryId: string;
  text?: string;
  showAlert: boolean;
  url?: string;
}

export interface SentTelegramPhoto {
  botId: number;
  chatId: number;
  messageId: number;
  caption?: string;
  parseMode?: string;
  /** An uploaded file, or the file_id / URL string the bot passed. */
  photo: { filename: string; size: number } | string;
  replyTo?: number;
  threadId?: number;
  replyMarkup?: unknown;
}

/** An album the bot sent (sendMediaGroup): one message per item. */
export interface SentTelegramMediaGroup {
  botId: number;
  chatId: number;
  messageIds: number[];
  mediaGroupId: string;
  /** Each item's type, the file_id or URL the bot passed, and its caption. */
  media: { type: string; media: string; caption?: string; parseMode?: string }[];
  replyTo?: number;
  threadId?: number;
}

/**
 * Everything the Telegram side holds: bots with their update queues, users,
 * chats (private, groups, supergroups with forum topics) and their messages.
 * Every bot is in every chat; a user's message is queued for all of them.
 */
export class TelegramState {
  readonly bots = new Map<string, TgBot>();
  readonly users = new Map<number, TgUser>();
  readonly chats = new Map<number, TgChat>();
  readonly callbackQueries = new Map<string, TgCallbackQuery>();
  private nextBotId = 7_000_000_001;
  private nextGroupId = -1_001_000_000_001;

  readonly sentMessages: SentTelegramMessage[] = [];
  readonly sentEdits: SentTelegramEdit[] = [];
  readonly callbackAnswers: SentCallbackAnswer[] = [];
  readonly sentPhotos: SentTelegramPhoto[] = [];
  readonly sentMediaGroups: SentTelegramMediaGroup[] = [];
  /** Citizens' photos, documents, videos and voice messages (getFile, the file route). */
  readonly files: TelegramFiles;

  constructor(
    private readonly prng: Prng,
    private readonly clock: () => number,
  ) {
    this.files = new TelegramFiles(prng);
  }

  now(): number {
    return Math.floor(this.clock() / 1000);
  }

  // === Set-up

  addBot(opts: { token?: string; username: string; firstName?: string }): { token: string; id: number } {
    const idFromToken = opts.token !== undefined ? Number(opts.token.split(':')[0]) : Number.NaN;
    const id = Number.isSafeInteger(idFromToken) && idFromToken > 0 ? idFromToken : this.nextBotId++;
    const token = opts.token ?? `${id}:AA${this.prng.hex(33)}`;
    const user: TgUser = { id, is_bot: true, first_name: opts.firstName ?? opts.username, username: opts.username };
    this.users.set(id, user);
    this.bots.set(token, { token, user, updates: [], queuedAt: new Map(), nextUpdateId: 1, commands: [], waiters: new Set() });
    return { token, id };
  }

  addUser(opts: { id: number; firstName: string; username?: string; isBot?: boolean }): void {
    this.users.set(opts.id, {
      id: opts.id,
      is_bot: opts.isBot ?? false,
      first_name: opts.firstName,
      ...(opts.username !== undefined ? { username: opts.username } : {}),
    });
  }

  /** Unknown authors get a placeholder profile, so scripted streams need no set-up per user. */
  user(id: number): TgUser {
    let user = this.users.get(id);
    if (!user) {
      user = { id, is_bot: false, first_name: `User${id}` };
      this.users.set(id, user);
    }
    return user;
  }

  /**
   * Adds a chat. Private chats take the user's id (and name) by default; groups get
   * a negative id. Forum supergroups take their topics from `topics`, and learn new
   * ones from users' messages.
   */
  addChat(opts: { id?: number; type: TgChatType; title?: string; username?: string; isForum?: boolean; topics?: number[] }): { chatId: number } {
    const id = opts.id ?? (opts.type === 'private' ? undefined : this.nextGroupId--);
    if (id === undefined) throw new Error('a private chat needs the id of its user');
    if (this.chats.has(id)) throw new Error(`chat ${id} already exists`);
    const chat: TgChat = {
      id,
      type: opts.type,
      isForum: opts.type === 'supergroup' && opts.isForum === true,
      topics: new Set(opts.topics ?? []),
      messages: new Map(),
      nextMessageId: 1,
      ...(opts.username !== undefined ? { username: opts.username } : {}),
    };
    if (opts.type === 'private') chat.first_name = this.user(id).first_name;
    else chat.title = opts.title ?? `Chat ${id}`;
    this.chats.set(id, chat);
    return { chatId: id };
  }

  chatObject(chat: TgChat): Record<string, unknown> {
    return {
      id: chat.id,
      type: chat.type,
      ...(chat.title !== undefined ? { title: chat.title } : {}),
      ...(chat.first_name !== undefined ? { first_name: chat.first_name } : {}),
      ...(chat.username !== undefined ? { username: chat.username } : {}),
      ...(chat.isForum ? { is_forum: true } : {}),
    };
  }

  /** Stores a new message in the chat, giving it the next message_id. */
  storeMessage(chat: TgChat, fields: Record<string, unknown>, botId?: number): Record<string, unknown> {
    const wire = { message_id: chat.nextMessageId++, ...fields, chat: this.chatObject(chat), date: this.now() };
    // Keep the Bot API's field order readable: message_id, from, chat, date, the rest.
    const ordered = {
      message_id: wire.message_id,
      ...(fields.from !== undefined ? { from: fields.from } : {}),
      chat: wire.chat,
      date: wire.date,
      ...fields,
    };
    chat.messages.set(ordered.message_id, { wire: ordered, ...(botId !== undefined ? { botId } : {}) });
    return ordered;
  }

  /** The replied message as Telegram embeds it: one level deep, without its own reply. */
  replyObject(chat: TgChat, messageId: number): Record<string, unknown> | undefined {
    const stored = chat.messages.get(messageId);
    if (!stored) return undefined;
    const { reply_to_message: _nested, ...rest } = stored.wire;
    return rest;
  }

  // === Updates

  enqueue(bot: TgBot, kind: 'message' | 'callback_query' | 'edited_message', payload: unknown): void {
    const updateId = bot.nextUpdateId++;
    bot.updates.push({ update_id: updateId, [kind]: payload });
    bot.queuedAt.set(updateId, this.clock());
    for (const wake of bot.waiters) wake();
  }

  /** Drops the bot's pending updates queued before `cutoff` (ms), as Telegram forgets updates after 24 hours. */
  dropUpdatesQueuedBefore(bot: TgBot, cutoff: number): void {
    bot.updates = bot.updates.filter((u) => (bot.queuedAt.get(u.update_id) ?? cutoff) >= cutoff);
    for (const [id, at] of bot.queuedAt) if (at < cutoff) bot.queuedAt.delete(id);
  }

  /** Removes confirmed updates (below `offset`) from the queue; a negative offset keeps the last -offset updates. */
  confirmUpdates(bot: TgBot, offset: number): void {
    if (offset < 0) bot.updates.splice(0, Math.max(0, bot.updates.length + offset));
    else while (bot.updates.length > 0 && (bot.updates[0]?.update_id ?? 0) < offset) bot.updates.shift();
    const first = bot.updates[0]?.update_id ?? bot.nextUpdateId;
    for (const id of bot.queuedAt.keys()) {
      if (id >= first) break;
      bot.queuedAt.delete(id);
    }
  }

  /**
   * A user writes in a chat; the message is queued for every bot. With a photo, document, video or
   * voice the text is its caption; a location message has no text; `mediaGroupId` makes the message
   * one item of an album (send each item as its own message with the same id, the caption on one).
   */
  userMessage(
    opts: { chatId: number; fromId: number; text?: string; replyToMessageId?: number; threadId?: number; mediaGroupId?: string } & TgMediaSpec,
  ): number {
    const chat = this.chats.get(opts.chatId);
    if (!chat) throw new Error(`unknown chat ${opts.chatId}`);
    const from = this.user(opts.fromId);
    const text = opts.text ?? '';
    if (typeof text !== 'string') throw new Error('text must be a string');
    const media = this.files.messageFields(opts);
    const hasFile = media.photo !== undefined || media.document !== undefined || media.video !== undefined || media.voice !== undefined;
    if (media.location !== undefined && (hasFile || text !== '')) throw new Error('a location message carries no text or file');
    const fields: Record<string, unknown> = { from };
    const entities = botCommandEntities(text);
    if (hasFile) {
      Object.assign(fields, media);
      if (text !== '') fields.caption = text;
      if (entities.length > 0 && text !== '') fields.caption_entities = entities;
      if (opts.mediaGroupId !== undefined) fields.media_group_id = String(opts.mediaGroupId);
    } else if (media.location !== undefined) {
      fields.location = media.location;
    } else {
      fields.text = text;
      if (entities.length > 0) fields.entities = entities;
    }
    if (opts.threadId !== undefined && chat.isForum) {
      chat.topics.add(opts.threadId);
      fields.message_thread_id = opts.threadId;
      fields.is_topic_message = true;
    }
    if (opts.replyToMessageId !== undefined) {
      const reply = this.replyObject(chat, opts.replyToMessageId);
      if (!reply) throw new Error(`unknown message ${opts.replyToMessageId} in chat ${opts.chatId}`);
      fields.reply_to_message = reply;
    }
    const wire = this.storeMessage(chat, fields);
    for (const bot of this.bots.values()) {
      if (bot.user.id !== opts.fromId) this.enqueue(bot, 'message', wire);
    }
    return wire.message_id as number;
  }

  /**
   * A user presses an inline button under a bot's message. The data must be on one
   * of the message's buttons unless `forge` is set (a client sending arbitrary data).
   */
  pressButton(opts: { chatId: number; messageId: number; fromId: number; data: string; forge?: boolean }): string {
    const chat = this.chats.get(opts.chatId);
    const stored = chat?.messages.get(opts.messageId);
    if (!chat || !stored) throw new Error(`unknown message ${opts.messageId} in chat ${opts.chatId}`);
    const bot = [...this.bots.values()].find((b) => b.user.id === stored.botId);
    if (!bot) throw new Error('buttons can be pressed only under a bot message');
    if (!opts.forge) {
      const markup = stored.wire.reply_markup as { inline_keyboard?: { callback_data?: string }[][] } | undefined;
      const found = markup?.inline_keyboard?.some((row) => row.some((button) => button.callback_data === opts.data));
      if (!found) throw new Error(`no button with data "${opts.data}" under message ${opts.messageId}`);
    }
    const id = `${bot.user.id}${this.prng.hex(8)}`.slice(-19);
    this.callbackQueries.set(id, { id, botId: bot.user.id, answered: false });
    this.enqueue(bot, 'callback_query', {
      id,
      from: this.user(opts.fromId),
      message: stored.wire,
      chat_instance: String(Math.abs(chat.id * 7919) % 9_007_199_254_740_991),
      data: opts.data,
    });
    return id;
  }
}
