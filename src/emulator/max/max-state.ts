import { telegramHtmlToPlain } from '../../domain/safe-text.js';
import type { Prng } from '../prng.js';

// === Stored objects (wire shapes of the MAX Bot API, schema v0.0.33)

export interface MaxUser {
  user_id: number;
  first_name: string;
  last_name?: string | null;
  username?: string | null;
  is_bot: boolean;
  last_activity_time?: number;
}

export type MaxChatType = 'dialog' | 'chat' | 'channel';

export interface MaxChat {
  chatId: number;
  type: MaxChatType;
  title: string | null;
  /** A dialog's other party (the citizen). */
  dialogWith?: number;
  /** Messages (posts, for a channel) by mid, in order of arrival. */
  messages: Map<string, MaxStoredMessage>;
}

export interface MaxStoredMessage {
  wire: Record<string, unknown>;
  /** The bot that sent it, for messages sent through the API. */
  botId?: number;
}

export interface MaxUpdateEntry {
  /** The update's place in the bot's queue: markers count these. */
  seq: number;
  update: Record<string, unknown>;
  /** Emulator clock (ms) when it happened: MAX stops retrying a webhook 8 hours after. */
  at: number;
}

export interface MaxSubscription {
  url: string;
  secret: string | null;
  updateTypes: string[] | null;
  time: number;
}

export interface MaxBot {
  token: string;
  user: MaxUser;
  /** Updates not yet committed (long poll) or not yet accepted with a 200 (webhook). */
  updates: MaxUpdateEntry[];
  nextSeq: number;
  subscriptions: MaxSubscription[];
  /** Ends the GET /updates currently waiting, if any. */
  waiters: Set<() => void>;
  /** Wakes the webhook pusher. */
  wakePusher?: () => void;
}

// === What the bot did (read through Emulator.sent())

export interface SentMaxMessage {
  botId: number;
  chatId: number;
  mid: string;
  text: string;
  format?: string;
  /** The mid the message replies to (link.type reply). */
  replyTo?: string;
  buttons?: unknown;
  /** Attachments other than the keyboard (uploaded photos). */
  attachments?: unknown[];
}

export interface SentMaxComment {
  botId: number;
  chatId: number;
  postMid: string;
  mid: string;
  text: string;
  replyTo?: string;
}

export interface SentMaxEdit {
  botId: number;
  mid: string;
  text: string;
  buttons?: unknown;
}

export interface SentMaxAnswer {
  botId: number;
  callbackId: string;
  notification?: string;
}

/** The text MAX keeps of a message sent with `format: html`: its words without the tags (MAX's are Telegram's and two more). */
export function htmlWords(text: string): string {
  return telegramHtmlToPlain(text.replace(/<\/?(?:mark|h1)>/gi, ''));
}

/**
 * Everything the MAX side holds: bots with their update queues and webhook subscriptions, users,
 * dialogs, group chats and channels with their messages, the comments under channel posts.
 * Every bot is in every chat and an admin of every channel (it reads all their messages).
 */
export class MaxState {
  readonly bots = new Map<string, MaxBot>();
  readonly users = new Map<number, MaxUser>();
  readonly chats = new Map<number, MaxChat>();
  /** Comments by the post's mid. */
  readonly comments = new Map<string, { chatId: number; list: MaxStoredMessage[] }>();
  readonly callbacks = new Map<string, { botId: number; answered: boolean }>();
  readonly uploads = new Map<string, { token: string; size: number }>();
  private nextBotId = 9_000_000_001;
  private nextGroupId = -70_000_000_001;
  private seq = 1;

  readonly sentMessages: SentMaxMessage[] = [];
  readonly sentComments: SentMaxComment[] = [];
  readonly sentEdits: SentMaxEdit[] = [];
  readonly answers: SentMaxAnswer[] = [];

  constructor(
    private readonly prng: Prng,
    private readonly clock: () => number,
  ) {}

  // === Set-up

  addBot(opts: { token?: string; username: string; name?: string }): { token: string; id: number } {
    const id = this.nextBotId++;
    const token = opts.token ?? `max-${this.prng.hex(24)}`;
    if (this.bots.has(token)) throw new Error('a MAX bot with this token exists');
    const user: MaxUser = { user_id: id, first_name: opts.name ?? opts.username, username: opts.username, is_bot: true, last_activity_time: this.clock() };
    this.users.set(id, user);
    this.bots.set(token, { token, user, updates: [], nextSeq: 1, subscriptions: [], waiters: new Set() });
    return { token, id };
  }

  addUser(opts: { id: number; firstName: string; lastName?: string; isBot?: boolean }): void {
    this.users.set(opts.id, {
      user_id: opts.id,
      first_name: opts.firstName,
      ...(opts.lastName ? { last_name: opts.lastName } : {}),
      is_bot: opts.isBot ?? false,
    });
  }

  /** Unknown authors get a placeholder profile, so scripted streams need no set-up per user. */
  user(id: number): MaxUser {
    let user = this.users.get(id);
    if (!user) {
      user = { user_id: id, first_name: `Пользователь${id}`, is_bot: false };
      this.users.set(id, user);
    }
    return user;
  }

  /** A group chat (a house chat) or a channel; negative ids unless given. */
  addChat(opts: { chatId?: number; type: 'chat' | 'channel'; title: string }): { chatId: number } {
    const chatId = opts.chatId ?? this.nextGroupId--;
    if (this.chats.has(chatId)) throw new Error(`MAX chat ${chatId} exists`);
    this.chats.set(chatId, { chatId, type: opts.type, title: opts.title, messages: new Map() });
    return { chatId };
  }

  /** The dialog of a user with the bots: its chat id is the user's id. */
  dialog(userId: number): MaxChat {
    let chat = this.chats.get(userId);
    if (!chat) {
      chat = { chatId: userId, type: 'dialog', title: null, dialogWith: userId, messages: new Map() };
      this.chats.set(userId, chat);
    }
    if (chat.type !== 'dialog') throw new Error(`MAX chat ${userId} is not a dialog`);
    return chat;
  }

  chat(chatId: number): MaxChat {
    const chat = this.chats.get(chatId);
    if (!chat) throw new Error(`unknown MAX chat ${chatId}`);
    return chat;
  }

  newMid(): string {
    return `mid.${this.prng.hex(16)}`;
  }

  // === Wire objects

  recipient(chat: MaxChat, postMid?: string): Record<string, unknown> {
    return {
      chat_id: chat.chatId,
      chat_type: chat.type,
      ...(chat.dialogWith !== undefined ? { user_id: chat.dialogWith } : {}),
      ...(postMid ? { post_id: postMid } : {}),
    };
  }

  /** A Message: sender (null for a channel's own post), recipient, timestamp, optional reply link, body. */
  messageWire(opts: {
    chat: MaxChat;
    sender: MaxUser | null;
    text: string;
    replyTo?: MaxStoredMessage;
    attachments?: unknown[];
    postMid?: string;
  }): Record<string, unknown> {
    const link = opts.replyTo ? linkWire(opts.replyTo) : undefined;
    return {
      sender: opts.sender,
      recipient: this.recipient(opts.chat, opts.postMid),
      timestamp: this.clock(),
      ...(link ? { link } : {}),
      body: {
        mid: this.newMid(),
        seq: this.seq++,
        text: opts.text,
        ...(opts.attachments && opts.attachments.length > 0 ? { attachments: opts.attachments } : {}),
      },
    };
  }

  store(chat: MaxChat, wire: Record<string, unknown>, botId?: number): MaxStoredMessage {
    const stored: MaxStoredMessage = { wire, ...(botId !== undefined ? { botId } : {}) };
    chat.messages.set(midOf(wire), stored);
    return stored;
  }

  /** A message of the chat, or a comment, by its mid. */
  find(mid: string): { chat: MaxChat; stored: MaxStoredMessage; postMid?: string } | undefined {
    for (const chat of this.chats.values()) {
      const stored = chat.messages.get(mid);
      if (stored) return { chat, stored };
    }
    for (const [postMid, thread] of this.comments) {
      const stored = thread.list.find((c) => midOf(c.wire) === mid);
      if (stored) return { chat: this.chat(thread.chatId), stored, postMid };
    }
    return undefined;
  }

  // === Updates

  /** Queues an update for every bot (for whose own message, none for its sender). */
  enqueue(update: Record<string, unknown>, exceptBotId?: number): void {
    for (const bot of this.bots.values()) {
      if (bot.user.user_id === exceptBotId) continue;
      bot.updates.push({ seq: bot.nextSeq++, update: structuredClone(update), at: this.clock() });
      for (const wake of bot.waiters) wake();
      bot.wakePusher?.();
    }
  }

  /** A user writes in a dialog with the bot or in a group chat. */
  userMessage(opts: { chatId: number; fromId: number; text: string; replyToMid?: string; attachments?: unknown[] }): string {
    const chat = this.chats.get(opts.chatId) ?? (opts.chatId === opts.fromId ? this.dialog(opts.fromId) : undefined);
    if (!chat) throw new Error(`unknown MAX chat ${opts.chatId}`);
    if (chat.type === 'channel') throw new Error('users write comments under channel posts, not messages');
    const replyTo = opts.replyToMid ? chat.messages.get(opts.replyToMid) : undefined;
    if (opts.replyToMid && !replyTo) throw new Error(`unknown message ${opts.replyToMid} in MAX chat ${chat.chatId}`);
    const wire = this.messageWire({
      chat,
      sender: this.user(opts.fromId),
      text: opts.text,
      ...(replyTo ? { replyTo } : {}),
      ...(opts.attachments ? { attachments: opts.attachments } : {}),
    });
    this.store(chat, wire);
    this.enqueue({ update_type: 'message_created', timestamp: wire.timestamp, message: wire, ...(chat.type === 'dialog' ? { user_locale: 'ru' } : {}) });
    return midOf(wire);
  }

  /** The channel publishes a post (no update: the bot reads comments, not posts). */
  addPost(opts: { chatId: number; text: string }): string {
    const chat = this.chat(opts.chatId);
    if (chat.type !== 'channel') throw new Error(`MAX chat ${opts.chatId} is not a channel`);
    const wire = this.messageWire({ chat, sender: null, text: opts.text });
    this.store(chat, wire);
    this.comments.set(midOf(wire), { chatId: chat.chatId, list: [] });
    return midOf(wire);
  }

  /** A user comments under a channel post (optionally replying to a comment); queues `comment_created`. */
  userComment(opts: { postMid: string; fromId: number; text: string; replyToMid?: string }): string {
    const thread = this.comments.get(opts.postMid);
    if (!thread) throw new Error(`unknown MAX post ${opts.postMid}`);
    const replyTo = opts.replyToMid ? thread.list.find((c) => midOf(c.wire) === opts.replyToMid) : undefined;
    if (opts.replyToMid && !replyTo) throw new Error(`unknown comment ${opts.replyToMid}`);
    const wire = this.messageWire({
      chat: this.chat(thread.chatId),
      sender: this.user(opts.fromId),
      text: opts.text,
      postMid: opts.postMid,
      ...(replyTo ? { replyTo } : {}),
    });
    thread.list.push({ wire });
    this.enqueue({ update_type: 'comment_created', timestamp: wire.timestamp, message: wire });
    return midOf(wire);
  }

  /** A user presses a callback button under a bot's message; queues `message_callback` for that bot. */
  pressButton(opts: { mid: string; fromId: number; payload: string; forge?: boolean }): string {
    const found = this.find(opts.mid);
    if (!found || found.stored.botId === undefined) throw new Error(`no bot message ${opts.mid}`);
    const bot = [...this.bots.values()].find((b) => b.user.user_id === found.stored.botId)!;
    if (!opts.forge) {
      const body = found.stored.wire.body as { attachments?: { type?: string; payload?: { buttons?: { payload?: string }[][] } }[] };
      const has = body.attachments?.some((a) => a.type === 'inline_keyboard' && a.payload?.buttons?.some((row) => row.some((b) => b.payload === opts.payload)));
      if (!has) throw new Error(`no button with payload "${opts.payload}" under ${opts.mid}`);
    }
    const id = `cb.${this.prng.hex(12)}`;
    this.callbacks.set(id, { botId: bot.user.user_id, answered: false });
    const now = this.clock();
    const update = {
      update_type: 'message_callback',
      timestamp: now,
      callback: { timestamp: now, callback_id: id, payload: opts.payload, user: this.user(opts.fromId) },
      message: found.stored.wire,
      user_locale: 'ru',
    };
    bot.updates.push({ seq: bot.nextSeq++, update: structuredClone(update), at: now });
    for (const wake of bot.waiters) wake();
    bot.wakePusher?.();
    return id;
  }
}

export function midOf(wire: Record<string, unknown>): string {
  return (wire.body as { mid: string }).mid;
}

/** The reply link MAX puts on a message: the replied message's sender and body. */
export function linkWire(stored: MaxStoredMessage): Record<string, unknown> {
  const recipient = stored.wire.recipient as { chat_id: number };
  const { attachments: _a, ...body } = stored.wire.body as Record<string, unknown>;
  return { type: 'reply', sender: stored.wire.sender ?? null, chat_id: recipient.chat_id, message: body };
}
