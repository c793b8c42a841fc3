import type { UploadedFile } from '../http/http-util.js';
import { htmlWords, linkWire, type MaxBot, type MaxState, midOf } from './max-state.js';

/** A refusal answered as MAX does: the HTTP status and `{code, message}`. */
export class MaxApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'MaxApiError';
  }
}

const badRequest = (message: string): MaxApiError => new MaxApiError(400, 'proto.payload', message);
const notFound = (message: string): MaxApiError => new MaxApiError(404, 'not.found', message);

export interface MaxCallContext {
  state: MaxState;
  bot: MaxBot;
  query: URLSearchParams;
  body: Record<string, unknown>;
  /** Path parameters ({messageId}). */
  path: string[];
  files: UploadedFile[];
  /** The emulator's own address, for upload URLs. */
  baseUrl: string;
  /** Emulator clock, ms. */
  now: number;
}

type MaxMethod = (ctx: MaxCallContext) => unknown;

/** An operation the emulator serves: the schema's operationId, HTTP method and path. */
export interface MaxOperation {
  id: string;
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** The schema's path, e.g. /messages/{messageId}/comments. */
  path: string;
  run: MaxMethod;
}

const MAX_TEXT = 4000;

// === Shared validation

function int(ctx: MaxCallContext, name: string): number | undefined {
  const raw = ctx.query.get(name);
  if (raw === null || raw === '') return undefined;
  const n = Number(raw);
  if (!Number.isSafeInteger(n)) throw badRequest(`${name} must be an integer`);
  return n;
}

function textOf(body: Record<string, unknown>): { text: string; format?: string } {
  const text = body.text ?? '';
  if (typeof text !== 'string') throw badRequest('text must be a string');
  if (text.length > MAX_TEXT) throw badRequest(`text must be at most ${MAX_TEXT} characters`);
  const format = body.format;
  if (format !== undefined && format !== null && format !== 'html' && format !== 'markdown') throw badRequest('format must be markdown or html');
  return { text: format === 'html' ? htmlWords(text) : text, ...(typeof format === 'string' ? { format } : {}) };
}

/** Checks `attachments`: inline keyboards of callback buttons (payload ≤ 1024) and uploaded images. */
function attachmentsOf(ctx: MaxCallContext, raw: unknown): { keyboard?: unknown; media: unknown[]; all: unknown[] } {
  if (raw === undefined || raw === null) return { media: [], all: [] };
  if (!Array.isArray(raw)) throw badRequest('attachments must be an array');
  let keyboard: unknown;
  const media: unknown[] = [];
  for (const a of raw as { type?: unknown; payload?: unknown }[]) {
    if (a?.type === 'inline_keyboard') {
      const buttons = (a.payload as { buttons?: unknown } | undefined)?.buttons;
      if (!Array.isArray(buttons) || buttons.length === 0 || !buttons.every(Array.isArray))
        throw badRequest('inline_keyboard.payload.buttons must be rows of buttons');
      for (const b of (buttons as { type?: unknown; text?: unknown; payload?: unknown }[][]).flat()) {
        if (typeof b?.text !== 'string' || b.text.length < 1 || b.text.length > 128) throw badRequest('button text must be 1-128 characters');
        if (b.type === 'callback' && (typeof b.payload !== 'string' || b.payload.length > 1024))
          throw badRequest('callback button payload must be at most 1024 characters');
      }
      keyboard = a;
    } else if (a?.type === 'image') {
      const photos = (a.payload as { photos?: Record<string, { token?: string }>; token?: string } | undefined) ?? {};
      const tokens = [...Object.values(photos.photos ?? {}).map((p) => p.token), photos.token].filter((t): t is string => typeof t === 'string');
      const known = tokens.find((t) => [...ctx.state.uploads.values()].some((u) => u.token === t));
      if (!known) throw badRequest('attachment.not.ready: unknown image token');
      media.push({ type: 'image', payload: { photo_id: Math.abs(hashCode(known)), token: known, url: `${ctx.baseUrl}/max-files/${known}.png` } });
    } else throw badRequest(`attachment type ${String(a?.type)} is not supported by the emulator`);
  }
  return { ...(keyboard !== undefined ? { keyboard } : {}), media, all: [...media, ...(keyboard !== undefined ? [keyboard] : [])] };
}

function hashCode(s: string): number {
  let h = 0;
  for (const ch of s) h = (h * 31 + ch.charCodeAt(0)) | 0;
  return h;
}

function linkOf(body: Record<string, unknown>): { type: string; mid: string } | undefined {
  const link = body.link;
  if (link === undefined || link === null) return undefined;
  const l = link as { type?: unknown; mid?: unknown };
  if ((l.type !== 'reply' && l.type !== 'forward') || typeof l.mid !== 'string' || l.mid === '') throw badRequest('link must be {type: reply|forward, mid}');
  return { type: l.type, mid: l.mid };
}

const ok = { success: true };

// === Methods

const sendMessage: MaxMethod = (ctx) => {
  const chatId = int(ctx, 'chat_id');
  const userId = int(ctx, 'user_id');
  if (chatId === undefined && userId === undefined) throw badRequest('chat_id or user_id is required');
  const chat = chatId !== undefined ? ctx.state.chats.get(chatId) : ctx.state.dialog(userId!);
  if (!chat) throw notFound(`chat ${chatId} not found`);
  if (chat.type === 'channel') throw new MaxApiError(403, 'chat.denied', 'the emulator does not post to channels');
  const { text, format } = textOf(ctx.body);
  const { media, all, keyboard } = attachmentsOf(ctx, ctx.body.attachments);
  if (text.trim() === '' && media.length === 0) throw badRequest('text or attachments are required');
  const link = linkOf(ctx.body);
  const replied = link ? chat.messages.get(link.mid) : undefined;
  if (link && !replied) throw notFound(`message ${link.mid} not found in chat ${chat.chatId}`);
  const wire = ctx.state.messageWire({ chat, sender: ctx.bot.user, text, attachments: all, ...(replied ? { replyTo: replied } : {}) });
  ctx.state.store(chat, wire, ctx.bot.user.user_id);
  ctx.state.sentMessages.push({
    botId: ctx.bot.user.user_id,
    chatId: chat.chatId,
    mid: midOf(wire),
    text,
    ...(format ? { format } : {}),
    ...(link ? { replyTo: link.mid } : {}),
    ...(keyboard !== undefined ? { buttons: keyboard } : {}),
    ...(media.length > 0 ? { attachments: media } : {}),
  });
  return { message: wire };
};

const getMessages: MaxMethod = (ctx) => {
  const chatId = int(ctx, 'chat_id');
  if (chatId === undefined) throw badRequest('chat_id is required');
  const chat = ctx.state.chats.get(chatId);
  if (!chat) throw notFound(`chat ${chatId} not found`);
  return { messages: page(ctx, [...chat.messages.values()]) };
};

/** Newest first, within `before` / `after` (timestamps, exclusive), at most `count` (1…100, default 50). */
function page(ctx: MaxCallContext, stored: { wire: Record<string, unknown> }[]): Record<string, unknown>[] {
  const count = Math.min(Math.max(int(ctx, 'count') ?? 50, 1), 100);
  const before = int(ctx, 'before');
  const after = int(ctx, 'after');
  return stored
    .map((m) => m.wire)
    .filter((w) => (before === undefined || (w.timestamp as number) < before) && (after === undefined || (w.timestamp as number) > after))
    .reverse()
    .slice(0, count);
}

const editMessage: MaxMethod = (ctx) => {
  const mid = ctx.query.get('message_id');
  if (!mid) throw badRequest('message_id is required');
  const found = ctx.state.find(mid);
  if (!found || found.stored.botId !== ctx.bot.user.user_id) throw notFound(`message ${mid} not found`);
  const { text } = textOf(ctx.body);
  const body = found.stored.wire.body as Record<string, unknown>;
  body.text = text;
  if (ctx.body.attachments !== undefined && ctx.body.attachments !== null) {
    const { all } = attachmentsOf(ctx, ctx.body.attachments);
    if (all.length > 0) body.attachments = all;
    else delete body.attachments;
  }
  const keyboard = (body.attachments as { type?: string }[] | undefined)?.find((a) => a.type === 'inline_keyboard');
  ctx.state.sentEdits.push({ botId: ctx.bot.user.user_id, mid, text, ...(keyboard ? { buttons: keyboard } : {}) });
  return ok;
};

function commentsOf(ctx: MaxCallContext): { chatId: number; list: { wire: Record<string, unknown>; botId?: number }[] } {
  const postMid = ctx.path[0] ?? '';
  const thread = ctx.state.comments.get(postMid);
  if (!thread) throw notFound(`post ${postMid} not found`);
  return thread;
}

const sendComment: MaxMethod = (ctx) => {
  const thread = commentsOf(ctx);
  if (ctx.body.attachments !== undefined) throw badRequest('comments take no attachments');
  const { text } = textOf(ctx.body);
  if (text.trim() === '') throw badRequest('text is required');
  const link = linkOf(ctx.body);
  const replied = link ? thread.list.find((c) => midOf(c.wire) === link.mid) : undefined;
  if (link && !replied) throw notFound(`comment ${link.mid} not found`);
  const postMid = ctx.path[0]!;
  const wire = ctx.state.messageWire({ chat: ctx.state.chat(thread.chatId), sender: ctx.bot.user, text, postMid, ...(replied ? { replyTo: replied } : {}) });
  thread.list.push({ wire, botId: ctx.bot.user.user_id });
  ctx.state.sentComments.push({ botId: ctx.bot.user.user_id, chatId: thread.chatId, postMid, mid: midOf(wire), text, ...(link ? { replyTo: link.mid } : {}) });
  return { message: wire };
};

const getComments: MaxMethod = (ctx) => {
  return { messages: page(ctx, commentsOf(ctx).list) };
};

const answerOnCallback: MaxMethod = (ctx) => {
  const id = ctx.query.get('callback_id') ?? '';
  const callback = ctx.state.callbacks.get(id);
  if (!callback || callback.botId !== ctx.bot.user.user_id) throw notFound('callback not found');
  if (callback.answered) throw badRequest('callback already answered');
  const notification = ctx.body.notification;
  if (notification !== undefined && notification !== null && typeof notification !== 'string') throw badRequest('notification must be a string');
  if (ctx.body.message === undefined && notification === undefined) throw badRequest('message or notification is required');
  callback.answered = true;
  ctx.state.answers.push({ botId: ctx.bot.user.user_id, callbackId: id, ...(typeof notification === 'string' ? { notification } : {}) });
  return ok;
};

const subscribe: MaxMethod = (ctx) => {
  const { url, secret, update_types: types } = ctx.body as { url?: unknown; secret?: unknown; update_types?: unknown };
  if (typeof url !== 'string') throw badRequest('url is required');
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw badRequest('url is not a URL');
  }
  // MAX wants https on 443; the emulator posts only to loopback, where plain http is allowed.
  if (!['127.0.0.1', 'localhost', '[::1]'].includes(parsed.hostname)) throw badRequest('the emulator delivers webhooks to 127.0.0.1 only');
  if (secret !== undefined && (typeof secret !== 'string' || !/^[\w-]{5,256}$/.test(secret)))
    throw badRequest('secret must be 5-256 characters of A-Z, a-z, 0-9, _ or -');
  if (types !== undefined && (!Array.isArray(types) || !types.every((t) => typeof t === 'string'))) throw badRequest('update_types must be strings');
  ctx.bot.subscriptions = ctx.bot.subscriptions.filter((s) => s.url !== url);
  ctx.bot.subscriptions.push({ url, secret: (secret as string | undefined) ?? null, updateTypes: (types as string[] | undefined) ?? null, time: ctx.now });
  ctx.bot.wakePusher?.();
  return ok;
};

const unsubscribe: MaxMethod = (ctx) => {
  const url = ctx.query.get('url');
  if (!url) throw badRequest('url is required');
  ctx.bot.subscriptions = ctx.bot.subscriptions.filter((s) => s.url !== url);
  return ok;
};

const getUploadUrl: MaxMethod = (ctx) => {
  const type = ctx.query.get('type');
  if (type !== 'image' && type !== 'video' && type !== 'audio' && type !== 'file') throw badRequest('type must be image, video, audio or file');
  const id = ctx.state.newMid().slice(4);
  ctx.state.uploads.set(id, { token: '', size: 0 });
  return { url: `${ctx.baseUrl}/max-upload/${id}` };
};

/** Every MAX operation the emulator serves, but GET /updates (max-router.ts). */
export const MAX_OPERATIONS: readonly MaxOperation[] = [
  {
    id: 'getMyInfo',
    method: 'GET',
    path: '/me',
    run: (ctx) => ({ ...ctx.bot.user, description: null, avatar_url: null, full_avatar_url: null, commands: null }),
  },
  {
    id: 'getSubscriptions',
    method: 'GET',
    path: '/subscriptions',
    run: (ctx) => ({ subscriptions: ctx.bot.subscriptions.map((s) => ({ url: s.url, time: s.time, update_types: s.updateTypes })) }),
  },
  { id: 'subscribe', method: 'POST', path: '/subscriptions', run: subscribe },
  { id: 'unsubscribe', method: 'DELETE', path: '/subscriptions', run: unsubscribe },
  { id: 'sendMessage', method: 'POST', path: '/messages', run: sendMessage },
  { id: 'getMessages', method: 'GET', path: '/messages', run: getMessages },
  { id: 'editMessage', method: 'PUT', path: '/messages', run: editMessage },
  { id: 'sendComment', method: 'POST', path: '/messages/{messageId}/comments', run: sendComment },
  { id: 'getComments', method: 'GET', path: '/messages/{messageId}/comments', run: getComments },
  { id: 'answerOnCallback', method: 'POST', path: '/answers', run: answerOnCallback },
  { id: 'getUploadUrl', method: 'POST', path: '/uploads', run: getUploadUrl },
];

/** The operation an HTTP method and path name, with its path parameters. */
export function findMaxOperation(method: string, path: string): { op: MaxOperation | 'getUpdates'; params: string[] } | null {
  if (method === 'GET' && path === '/updates') return { op: 'getUpdates', params: [] };
  for (const op of MAX_OPERATIONS) {
    if (op.method !== method) continue;
    const pattern = new RegExp(`^${op.path.replace(/\{\w+\}/g, '([^/]+)')}$`);
    const match = pattern.exec(path);
    if (match) return { op, params: match.slice(1).map(decodeURIComponent) };
  }
  return null;
}

export { linkWire };
