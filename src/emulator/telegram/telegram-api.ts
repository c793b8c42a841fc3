import { readBool, readInt, readObject, readString, type UploadedFile } from '../http/http-util.js';
import { MAX_DOWNLOAD_BYTES } from './telegram-files.js';
import { MarkupError, type ParsedText, parseHtml, parseMarkdownV2 } from './telegram-markup.js';
import type { TelegramState, TgBot, TgChat } from './telegram-state.js';

/** A refusal answered as `{ok: false, error_code, description, parameters}` with the same HTTP status. */
export class TgApiError extends Error {
  constructor(
    readonly code: number,
    readonly description: string,
    readonly parameters?: { retry_after?: number; migrate_to_chat_id?: number },
  ) {
    super(description);
    this.name = 'TgApiError';
  }
}

const badRequest = (detail: string): TgApiError => new TgApiError(400, `Bad Request: ${detail}`);

export interface TgCallContext {
  state: TelegramState;
  bot: TgBot;
  files: UploadedFile[];
}

type TgMethod = (ctx: TgCallContext, params: Record<string, unknown>) => unknown;

const MAX_TEXT = 4096;
const MAX_CAPTION = 1024;
const MAX_CALLBACK_DATA_BYTES = 64;

// === Shared validation

function chatOf(ctx: TgCallContext, params: Record<string, unknown>): TgChat {
  const raw = readString(params, 'chat_id');
  if (raw === undefined || raw === '') throw badRequest('chat_id is empty');
  const chat = raw.startsWith('@') ? [...ctx.state.chats.values()].find((c) => c.username === raw.slice(1)) : ctx.state.chats.get(Number(raw));
  if (!chat) throw badRequest('chat not found');
  return chat;
}

function parseText(raw: string, parseMode: string | undefined): ParsedText {
  try {
    if (parseMode === undefined || parseMode === '') return { text: raw, entities: [] };
    if (parseMode === 'HTML') return parseHtml(raw);
    if (parseMode === 'MarkdownV2') return parseMarkdownV2(raw);
    if (parseMode === 'Markdown') return { text: raw, entities: [] };
  } catch (error) {
    if (error instanceof MarkupError) throw badRequest(`can't parse entities: ${error.description}`);
    throw error;
  }
  throw badRequest('unsupported parse_mode');
}

/** Checks reply_markup; inline buttons need text and callback_data of at most 64 bytes. */
function replyMarkupOf(params: Record<string, unknown>): unknown {
  const markup = readObject(params, 'reply_markup');
  if (markup === undefined || markup === null || markup === '') return undefined;
  if (typeof markup !== 'object') throw badRequest("can't parse reply keyboard markup JSON object");
  const inline = (markup as { inline_keyboard?: unknown }).inline_keyboard;
  if (inline === undefined) return markup;
  if (!Array.isArray(inline) || !inline.every((row) => Array.isArray(row))) {
    throw badRequest('field "inline_keyboard" of the InlineKeyboardMarkup should be an Array of Arrays');
  }
  for (const row of inline as unknown[][]) {
    for (const button of row) {
      const b = button as { text?: unknown; callback_data?: unknown; url?: unknown } | null;
      if (!b || typeof b.text !== 'string' || b.text === '')
        throw badRequest("can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard");
      if (b.callback_data !== undefined) {
        const size = Buffer.byteLength(String(b.callback_data));
        if (size === 0 || size > MAX_CALLBACK_DATA_BYTES) throw badRequest('BUTTON_DATA_INVALID');
      } else if (b.url === undefined && Object.keys(b).length === 1) {
        throw badRequest("can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard");
      }
    }
  }
  return markup;
}

/** Reads reply_parameters (or the legacy reply_to_message_id) and checks the message exists. */
function replyTo(ctx: TgCallContext, chat: TgChat, params: Record<string, unknown>): number | undefined {
  const replyParameters = readObject(params, 'reply_parameters') as { message_id?: number; allow_sending_without_reply?: boolean } | undefined;
  const messageId = replyParameters?.message_id ?? readInt(params, 'reply_to_message_id');
  if (messageId === undefined) return undefined;
  if (ctx.state.replyObject(chat, messageId)) return messageId;
  const allowWithout = replyParameters?.allow_sending_without_reply ?? readBool(params, 'allow_sending_without_reply');
  if (allowWithout) return undefined;
  throw badRequest('message to be replied not found');
}

function threadOf(chat: TgChat, params: Record<string, unknown>): number | undefined {
  const threadId = readInt(params, 'message_thread_id');
  if (threadId === undefined || !chat.isForum) return undefined;
  if (threadId !== 1 && !chat.topics.has(threadId)) throw badRequest('message thread not found');
  return threadId;
}

function botMessage(ctx: TgCallContext, chat: TgChat, params: Record<string, unknown>): Record<string, unknown> {
  const messageId = readInt(params, 'message_id');
  if (readString(params, 'inline_message_id') !== undefined) throw badRequest('inline messages are not supported by the emulator');
  if (messageId === undefined) throw badRequest('message identifier is not specified');
  const stored = chat.messages.get(messageId);
  if (!stored) throw badRequest('message to edit not found');
  if (stored.botId !== ctx.bot.user.id) throw badRequest("message can't be edited");
  return stored.wire;
}

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

// === Methods

const sendMessage: TgMethod = (ctx, params) => {
  const chat = chatOf(ctx, params);
  const raw = readString(params, 'text');
  if (raw === undefined || raw.trim() === '') throw badRequest('message text is empty');
  const parseMode = readString(params, 'parse_mode');
  const { text, entities } = parseText(raw, parseMode);
  if (text.trim() === '') throw badRequest('message text is empty');
  if (text.length > MAX_TEXT) throw badRequest('message is too long');
  const threadId = threadOf(chat, params);
  const reply = replyTo(ctx, chat, params);
  const markup = replyMarkupOf(params);
  const linkPreview = readObject(params, 'link_preview_options');
  const wire = ctx.state.storeMessage(
    chat,
    {
      from: ctx.bot.user,
      ...(threadId !== undefined ? { message_thread_id: threadId, is_topic_message: true } : {}),
      ...(reply !== undefined ? { reply_to_message: ctx.state.replyObject(chat, reply) } : {}),
      text,
      ...(entities.length > 0 ? { entities } : {}),
      ...(linkPreview && typeof linkPreview === 'object' ? { link_preview_options: linkPreview } : {}),
      ...(markup !== undefined && (markup as { inline_keyboard?: unknown }).inline_keyboard ? { reply_markup: markup } : {}),
    },
    ctx.bot.user.id,
  );
  ctx.state.sentMessages.push({
    botId: ctx.bot.user.id,
    chatId: chat.id,
    messageId: wire.message_id as number,
    text,
    entities,
    date: wire.date as number,
    ...(parseMode ? { parseMode } : {}),
    ...(reply !== undefined ? { replyTo: reply } : {}),
    ...(threadId !== undefined ? { threadId } : {}),
    ...(markup !== undefined ? { replyMarkup: markup } : {}),
  });
  return wire;
};

const sendPhoto: TgMethod = (ctx, params) => {
  const chat = chatOf(ctx, params);
  const upload = ctx.files.find((f) => f.field === 'photo');
  const photoRef = upload ? undefined : readString(params, 'photo');
  if (!upload && (photoRef === undefined || photoRef === '')) throw badRequest('there is no photo in the request');
  if (photoRef !== undefined) checkFileReference(ctx, photoRef);
  if (upload && upload.size === 0) throw badRequest('file must be non-empty');
  const parseMode = readString(params, 'parse_mode');
  const caption = readString(params, 'caption');
  const parsed = caption !== undefined ? parseText(caption, parseMode) : undefined;
  if (parsed && parsed.text.length > MAX_CAPTION) throw badRequest('message caption is too long');
  const threadId = threadOf(chat, params);
  const reply = replyTo(ctx, chat, params);
  const markup = replyMarkupOf(params);
  const fileBase = `AgAC${ctx.state.now().toString(36)}${chat.nextMessageId}`;
  const sizes = [
    [90, 68],
    [320, 240],
    [800, 600],
  ].map(([width, height], i) => ({
    file_id: `${fileBase}_${i}`,
    file_unique_id: `AQAD${chat.nextMessageId}${i}`,
    file_size: Math.max(1, Math.round(((upload?.size ?? 50_000) * (i + 1)) / 3)),
    width,
    height,
  }));
  const wire = ctx.state.storeMessage(
    chat,
    {
      from: ctx.bot.user,
      ...(threadId !== undefined ? { message_thread_id: threadId, is_topic_message: true } : {}),
      ...(reply !== undefined ? { reply_to_message: ctx.state.replyObject(chat, reply) } : {}),
      photo: sizes,
      ...(parsed ? { caption: parsed.text } : {}),
      ...(parsed && parsed.entities.length > 0 ? { caption_entities: parsed.entities } : {}),
      ...(markup !== undefined && (markup as { inline_keyboard?: unknown }).inline_keyboard ? { reply_markup: markup } : {}),
    },
    ctx.bot.user.id,
  );
  ctx.state.sentPhotos.push({
    botId: ctx.bot.user.id,
    chatId: chat.id,
    messageId: wire.message_id as number,
    photo: upload ? { filename: upload.filename, size: upload.size } : (photoRef ?? ''),
    ...(parsed ? { caption: parsed.text } : {}),
    ...(parseMode ? { parseMode } : {}),
    ...(reply !== undefined ? { replyTo: reply } : {}),
    ...(threadId !== undefined ? { threadId } : {}),
    ...(markup !== undefined ? { replyMarkup: markup } : {}),
  });
  return wire;
};

/** A file_id the emulator gave out, or an http(s) URL; anything else is refused as Telegram refuses it. */
function checkFileReference(ctx: TgCallContext, ref: string): void {
  if (/^https?:\/\//i.test(ref)) return;
  if (ref.startsWith('attach://')) throw badRequest('attach:// needs a multipart upload, which the emulator does not serve for albums');
  if (!ctx.state.files.get(ref)) throw badRequest('wrong file identifier/HTTP URL specified');
}

/** Message fields that make a media message: its text is a caption. */
const MEDIA_FIELDS = ['photo', 'document', 'video', 'audio', 'voice', 'animation'];
const hasMedia = (wire: Record<string, unknown>): boolean => MEDIA_FIELDS.some((f) => wire[f] !== undefined);

/**
 * Replaces a bot message's text (`text`) or a media message's caption (`caption`) and buttons,
 * as editMessageText / editMessageCaption do: refused when nothing changes.
 */
function editContent(ctx: TgCallContext, params: Record<string, unknown>, field: 'text' | 'caption'): Record<string, unknown> {
  const chat = chatOf(ctx, params);
  const wire = botMessage(ctx, chat, params);
  if (field === 'text' && hasMedia(wire)) throw badRequest('there is no text in the message to edit');
  if (field === 'caption' && !hasMedia(wire)) throw badRequest('there is no caption in the message to edit');
  const raw = readString(params, field) ?? '';
  if (field === 'text' && raw.trim() === '') throw badRequest('message text is empty');
  const parseMode = readString(params, 'parse_mode');
  const { text, entities } = parseText(raw, parseMode);
  if (field === 'text' && text.length > MAX_TEXT) throw badRequest('message is too long');
  if (field === 'caption' && text.length > MAX_CAPTION) throw badRequest('message caption is too long');
  const markup = replyMarkupOf(params);
  const entitiesField = field === 'text' ? 'entities' : 'caption_entities';
  if ((wire[field] ?? '') === text && same(wire[entitiesField] ?? [], entities) && same(wire.reply_markup, markup)) {
    throw badRequest(
      'message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message',
    );
  }
  if (text !== '') wire[field] = text;
  else delete wire[field];
  if (entities.length > 0) wire[entitiesField] = entities;
  else delete wire[entitiesField];
  if (markup !== undefined) wire.reply_markup = markup;
  else delete wire.reply_markup;
  wire.edit_date = ctx.state.now();
  ctx.state.sentEdits.push({
    botId: ctx.bot.user.id,
    chatId: chat.id,
    messageId: wire.message_id as number,
    kind: field,
    text,
    date: wire.edit_date as number,
    ...(parseMode ? { parseMode } : {}),
    ...(markup !== undefined ? { replyMarkup: markup } : {}),
  });
  return wire;
}

const editMessageText: TgMethod = (ctx, params) => editContent(ctx, params, 'text');
const editMessageCaption: TgMethod = (ctx, params) => editContent(ctx, params, 'caption');

/** The types an album may hold, and which of them may share one (photos with videos; documents and audio only with their own kind). */
const ALBUM_TYPES = new Set(['photo', 'video', 'document', 'audio']);

const sendMediaGroup: TgMethod = (ctx, params) => {
  const chat = chatOf(ctx, params);
  const media = readObject(params, 'media');
  if (!Array.isArray(media)) throw badRequest('parameter "media" is required');
  if (media.length < 2 || media.length > 10) throw badRequest('wrong number of messages in the media group: must include 2-10 items');
  const items = media.map((raw, i) => {
    const item = raw as { type?: unknown; media?: unknown; caption?: unknown; parse_mode?: unknown } | null;
    if (!item || typeof item.type !== 'string' || !ALBUM_TYPES.has(item.type)) throw badRequest(`can't parse InputMedia: media ${i} has a wrong type`);
    if (typeof item.media !== 'string' || item.media === '') throw badRequest(`can't parse InputMedia: media ${i} has no media`);
    checkFileReference(ctx, item.media);
    const parseMode = typeof item.parse_mode === 'string' ? item.parse_mode : undefined;
    const caption = typeof item.caption === 'string' ? parseText(item.caption, parseMode) : undefined;
    if (caption && caption.text.length > MAX_CAPTION) throw badRequest('message caption is too long');
    return { type: item.type, media: item.media, caption, parseMode };
  });
  const kinds = new Set(items.map((i) => (i.type === 'video' ? 'photo' : i.type)));
  if (kinds.size > 1) throw badRequest('documents and audio can be grouped only with the same kind');
  const threadId = threadOf(chat, params);
  const reply = replyTo(ctx, chat, params);
  const mediaGroupId = `${ctx.state.now()}${chat.nextMessageId}`;
  const messages = items.map((item) => {
    const body: Record<string, unknown> =
      item.type === 'photo'
        ? {
            photo: [
              {
                file_id: item.media.startsWith('http') ? `AgAC${chat.nextMessageId}url` : item.media,
                file_unique_id: `AQAD${chat.nextMessageId}`,
                width: 1280,
                height: 960,
              },
            ],
          }
        : { [item.type]: { file_id: item.media, file_unique_id: `AQAD${chat.nextMessageId}` } };
    return ctx.state.storeMessage(
      chat,
      {
        from: ctx.bot.user,
        ...(threadId !== undefined ? { message_thread_id: threadId, is_topic_message: true } : {}),
        ...(reply !== undefined ? { reply_to_message: ctx.state.replyObject(chat, reply) } : {}),
        media_group_id: mediaGroupId,
        ...body,
        ...(item.caption ? { caption: item.caption.text } : {}),
        ...(item.caption && item.caption.entities.length > 0 ? { caption_entities: item.caption.entities } : {}),
      },
      ctx.bot.user.id,
    );
  });
  ctx.state.sentMediaGroups.push({
    botId: ctx.bot.user.id,
    chatId: chat.id,
    messageIds: messages.map((m) => m.message_id as number),
    mediaGroupId,
    media: items.map((i) => ({
      type: i.type,
      media: i.media,
      ...(i.caption ? { caption: i.caption.text } : {}),
      ...(i.parseMode ? { parseMode: i.parseMode } : {}),
    })),
    ...(reply !== undefined ? { replyTo: reply } : {}),
    ...(threadId !== undefined ? { threadId } : {}),
  });
  return messages;
};

const getFile: TgMethod = (ctx, params) => {
  const id = readString(params, 'file_id');
  if (id === undefined || id === '') throw badRequest('file_id is empty');
  const file = ctx.state.files.get(id);
  if (!file) throw badRequest('invalid file_id');
  if (file.size > MAX_DOWNLOAD_BYTES) throw badRequest('file is too big');
  return ctx.state.files.fileObject(file);
};

const editMessageReplyMarkup: TgMethod = (ctx, params) => {
  const chat = chatOf(ctx, params);
  const wire = botMessage(ctx, chat, params);
  const markup = replyMarkupOf(params);
  if (same(wire.reply_markup, markup)) {
    throw badRequest(
      'message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message',
    );
  }
  if (markup !== undefined) wire.reply_markup = markup;
  else delete wire.reply_markup;
  wire.edit_date = ctx.state.now();
  ctx.state.sentEdits.push({
    botId: ctx.bot.user.id,
    chatId: chat.id,
    messageId: wire.message_id as number,
    kind: 'reply_markup',
    date: wire.edit_date as number,
    ...(markup !== undefined ? { replyMarkup: markup } : {}),
  });
  return wire;
};

const answerCallbackQuery: TgMethod = (ctx, params) => {
  const id = readString(params, 'callback_query_id');
  const query = id !== undefined ? ctx.state.callbackQueries.get(id) : undefined;
  if (!query || query.botId !== ctx.bot.user.id || query.answered) {
    throw badRequest('query is too old and response timeout expired or query ID is invalid');
  }
  const text = readString(params, 'text');
  if (text !== undefined && text.length > 200) throw badRequest('MESSAGE_TOO_LONG');
  query.answered = true;
  const url = readString(params, 'url');
  ctx.state.callbackAnswers.push({
    botId: ctx.bot.user.id,
    callbackQueryId: query.id,
    showAlert: readBool(params, 'show_alert') ?? false,
    ...(text !== undefined ? { text } : {}),
    ...(url !== undefined ? { url } : {}),
  });
  return true;
};

const setMyCommands: TgMethod = (ctx, params) => {
  const commands = readObject(params, 'commands');
  if (!Array.isArray(commands)) throw badRequest('parameter "commands" is required');
  for (const c of commands as { command?: unknown; description?: unknown }[]) {
    if (typeof c?.command !== 'string' || !/^[a-z0-9_]{1,32}$/.test(c.command)) throw badRequest('BOT_COMMAND_INVALID');
    if (typeof c.description !== 'string' || c.description.length === 0 || c.description.length > 256) {
      throw badRequest('command description is empty');
    }
  }
  ctx.bot.commands = commands;
  return true;
};

const getChat: TgMethod = (ctx, params) => {
  const chat = chatOf(ctx, params);
  return {
    ...ctx.state.chatObject(chat),
    accent_color_id: 0,
    max_reaction_count: 11,
    accepted_gift_types: {
      unlimited_gifts: false,
      limited_gifts: false,
      unique_gifts: false,
      premium_subscription: false,
      gifts_from_channels: false,
    },
  };
};

const getChatMember: TgMethod = (ctx, params) => {
  const chat = chatOf(ctx, params);
  const userId = readInt(params, 'user_id');
  if (userId === undefined || Number.isNaN(userId)) throw badRequest('user_id is empty');
  const user = ctx.state.users.get(userId);
  if (!user) throw badRequest('PARTICIPANT_ID_INVALID');
  const isMember = chat.type !== 'private' || user.is_bot || chat.id === userId;
  return { status: isMember ? 'member' : 'left', user };
};

/** Every Telegram method the emulator serves, except getUpdates (see telegram-router.ts). */
export const TELEGRAM_METHODS: Readonly<Record<string, TgMethod>> = {
  getMe: (ctx) => ({ ...ctx.bot.user, can_join_groups: true, can_read_all_group_messages: true, supports_inline_queries: false }),
  logOut: () => true,
  deleteWebhook: (ctx, params) => {
    if (readBool(params, 'drop_pending_updates')) ctx.state.confirmUpdates(ctx.bot, ctx.bot.nextUpdateId);
    return true;
  },
  getWebhookInfo: (ctx) => ({ url: '', has_custom_certificate: false, pending_update_count: ctx.bot.updates.length }),
  setMyCommands,
  getMyCommands: (ctx) => ctx.bot.commands,
  sendMessage,
  sendPhoto,
  sendMediaGroup,
  getFile,
  editMessageText,
  editMessageCaption,
  editMessageReplyMarkup,
  answerCallbackQuery,
  getChat,
  getChatMember,
};
