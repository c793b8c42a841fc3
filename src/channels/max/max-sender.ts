import { existsSync } from 'node:fs';
import type { Logger } from 'pino';
import { clipText } from '../../domain/clip-text.js';
import type { Button, Destination, OutboundMessage } from '../../domain/outbound.js';
import { telegramHtmlToPlain } from '../../domain/safe-text.js';
import { ApiError, type FailureClass, HttpError } from '../../errors.js';
import type { SendAttempt } from '../../outbox/sender.js';
import type { MaxClient } from './max-client.js';
import { classifyMaxError, MalformedMaxResponseError, wrapMaxError } from './max-errors.js';

/** MAX's limit on a message or comment text, in characters. */
export const MAX_TEXT_LIMIT = 4000;
/** A page of a chat's (or post's) messages, read newest first when looking for a send that may have arrived. */
const LOOKUP_COUNT = 100;
/** At most this many pages are read back, down to the previous attempt: 1,000 messages. */
const LOOKUP_PAGES = 10;
/** Clock skew allowed between our attempt's time and MAX's timestamp of the message. */
const LOOKUP_SKEW_MS = 5 * 60_000;

type MaxMessage = {
  sender?: { user_id?: unknown } | null;
  timestamp?: unknown;
  link?: { type?: unknown; message?: { mid?: unknown } } | null;
  body?: { mid?: unknown; text?: unknown; attachments?: unknown };
};

/**
 * Sends to MAX: POST /messages (a reply links the citizen's message by mid; inline keyboards of
 * callback buttons; a photo uploaded through POST /uploads), POST /messages/{post}/comments for
 * comment replies, PUT /messages for card edits, POST /answers for button presses.
 *
 * MAX sends take no idempotency key, so the worker records each attempt before the request
 * (`recordsAttempts`). When a row was attempted before and never recorded as sent — the process
 * died between MAX accepting the message and SQLite recording it, or the answer was lost — the
 * sender first reads the chat's (or the post's comments') messages back to the previous attempt,
 * a page of 100 at a time and at most 1,000, and, if the bot's message with the same text (and
 * the same reply link) is there, records that one instead of sending again. What can still
 * repeat: a message with more than 1,000 messages written after it in that chat before the bot
 * comes back, and an edit or callback answer (harmless: the same content, or a refused second
 * answer).
 */
export class MaxSender {
  readonly recordsAttempts = true;
  private botId: number | null = null;

  constructor(private readonly deps: { client: MaxClient; logger: Logger }) {}

  async send(message: OutboundMessage, _idempotencyKey: string, attempt?: SendAttempt): Promise<{ externalId: string | null }> {
    const d = message.destination;
    const text = clipText(message.text, MAX_TEXT_LIMIT);
    const format = message.format === 'html' ? { format: 'html' } : {};
    switch (d.kind) {
      case 'max_message': {
        if (attempt?.previousAttemptAt != null) {
          const found = await this.lookUp(d, text, message, attempt.previousAttemptAt);
          if (found) return { externalId: found };
        }
        const attachments = [...(message.photo ? [await this.uploadPhoto(message.photo.path)] : []), ...keyboard(message.buttons)];
        const sent = await this.deps.client.send<{ message?: MaxMessage }>('sendMessage', 'POST', '/messages', {
          query: { chat_id: d.chatId, disable_link_preview: true },
          body: {
            text,
            ...format,
            ...(attachments.length > 0 ? { attachments } : {}),
            ...(d.replyToMid ? { link: { type: 'reply', mid: d.replyToMid } } : {}),
          },
        });
        return { externalId: midOf(sent, 'sendMessage') };
      }
      case 'max_comment': {
        if (attempt?.previousAttemptAt != null) {
          const found = await this.lookUp(d, text, message, attempt.previousAttemptAt);
          if (found) return { externalId: found };
        }
        const sent = await this.deps.client.send<{ message?: MaxMessage }>('sendComment', 'POST', `/messages/${encodeURIComponent(d.postMid)}/comments`, {
          query: { disable_link_preview: true },
          body: { text, ...format, ...(d.replyToCommentMid ? { link: { type: 'reply', mid: d.replyToCommentMid } } : {}) },
        });
        return { externalId: midOf(sent, 'sendComment') };
      }
      case 'max_edit': {
        // `attachments: []` removes a keyboard the card no longer has; null would keep the old one.
        const result = await this.deps.client.send<{ success?: unknown; message?: unknown }>('editMessage', 'PUT', '/messages', {
          query: { message_id: d.mid },
          body: { text, ...format, attachments: keyboard(message.buttons) },
        });
        if (result.success !== true) throw new ApiError('max', 'editMessage', 400, `edit refused: ${String(result.message ?? '')}`.slice(0, 300));
        return { externalId: d.mid };
      }
      case 'max_callback_answer': {
        await this.deps.client.send('answerOnCallback', 'POST', '/answers', {
          query: { callback_id: d.callbackId },
          body: { notification: clipText(message.text, 200) },
        });
        return { externalId: null };
      }
      default:
        throw new ApiError('max', 'send', 400, `MAX cannot deliver to ${d.kind}`);
    }
  }

  classify(error: unknown): FailureClass {
    // A send whose outcome is unknown needs no long wait here: its next attempt looks it up first.
    return classifyMaxError(wrapMaxError('send', error));
  }

  /**
   * The mid of the bot's message with this text (and reply link) sent since the previous attempt,
   * among the chat's or the post's latest messages; null when none is there.
   */
  private async lookUp(
    d: Extract<Destination, { kind: 'max_message' | 'max_comment' }>,
    text: string,
    message: OutboundMessage,
    since: number,
  ): Promise<string | null> {
    const botId = await this.ownId();
    // MAX keeps the words of an HTML message without its tags.
    const words = message.format === 'html' ? telegramHtmlToPlain(text) : text;
    const replyTo = d.kind === 'max_message' ? d.replyToMid : d.replyToCommentMid;
    const from = since - LOOKUP_SKEW_MS;
    let before: number | undefined;
    for (let pageNo = 0; pageNo < LOOKUP_PAGES; pageNo += 1) {
      const query = { count: LOOKUP_COUNT, after: from, ...(before !== undefined ? { before } : {}) };
      const list =
        d.kind === 'max_message'
          ? await this.deps.client.call<{ messages?: unknown }>('getMessages', 'GET', '/messages', { query: { chat_id: d.chatId, ...query } })
          : await this.deps.client.call<{ messages?: unknown }>('getComments', 'GET', `/messages/${encodeURIComponent(d.postMid)}/comments`, { query });
      if (!Array.isArray(list.messages)) throw wrapMaxError('getMessages', new MalformedMaxResponseError('no messages array'));
      const page = list.messages as MaxMessage[];
      const hit = page.find((m) => m.sender?.user_id === botId && m.body?.text === words && (replyTo === undefined || m.link?.message?.mid === replyTo));
      const mid = hit?.body?.mid;
      if (typeof mid === 'string') {
        this.deps.logger.warn({ mid, chatId: d.chatId }, 'MAX send found already delivered after an unrecorded attempt: recorded, not sent again');
        return mid;
      }
      const oldest = page.at(-1)?.timestamp;
      if (page.length < LOOKUP_COUNT || typeof oldest !== 'number' || oldest <= from) return null;
      before = oldest;
    }
    this.deps.logger.warn(
      { chatId: d.chatId, pages: LOOKUP_PAGES },
      'MAX send not found in the chat messages read back after an unrecorded attempt: sending again',
    );
    return null;
  }

  private async ownId(): Promise<number> {
    if (this.botId === null) {
      const me = await this.deps.client.call<{ user_id?: unknown }>('getMyInfo', 'GET', '/me');
      if (typeof me.user_id !== 'number') throw wrapMaxError('getMyInfo', new MalformedMaxResponseError('GET /me answered no user_id'));
      this.botId = me.user_id;
    }
    return this.botId;
  }

  /** POST /uploads?type=image, the file to the URL it gives, and the attachment made of the answer. */
  private async uploadPhoto(path: string): Promise<{ type: 'image'; payload: unknown }> {
    // Retrying cannot bring a deleted file back: refuse the row (it goes dead with this reason).
    if (!existsSync(path)) throw new ApiError('max', 'uploadPhoto', 400, `photo file not found: ${path}`);
    const endpoint = await this.deps.client.send<{ url?: unknown }>('getUploadUrl', 'POST', '/uploads', { query: { type: 'image' } });
    if (typeof endpoint.url !== 'string') throw wrapMaxError('getUploadUrl', new MalformedMaxResponseError('POST /uploads answered no url'));
    const uploaded = (await this.deps.client.uploadFile(endpoint.url, path)) as { photos?: unknown; token?: unknown };
    if (uploaded.photos === undefined && uploaded.token === undefined)
      throw new HttpError('max', 'upload', 'upload answered no photos or token', { outcomeUnknown: true });
    return { type: 'image', payload: uploaded.photos !== undefined ? { photos: uploaded.photos } : { token: uploaded.token } };
  }
}

/** Rows of callback buttons as one inline_keyboard attachment; none without buttons. */
function keyboard(
  buttons: Button[][] | undefined,
): { type: 'inline_keyboard'; payload: { buttons: { type: 'callback'; text: string; payload: string }[][] } }[] {
  if (!buttons || buttons.length === 0) return [];
  return [{ type: 'inline_keyboard', payload: { buttons: buttons.map((row) => row.map((b) => ({ type: 'callback', text: b.text, payload: b.data }))) } }];
}

function midOf(result: { message?: MaxMessage } | null, method: string): string {
  const mid = result?.message?.body?.mid;
  if (typeof mid !== 'string' || mid === '') throw wrapMaxError(method, new MalformedMaxResponseError(`${method} answered without message.body.mid`));
  return mid;
}
