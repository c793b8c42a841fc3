import { existsSync } from 'node:fs';
import { basename } from 'node:path';
import { ALBUM_MAX, CAPTION_MAX, type OutboundMessage } from '../../domain/outbound.js';
import { telegramHtmlToPlain } from '../../domain/safe-text.js';
import { ApiError, type FailureClass, HttpError } from '../../errors.js';
import type { TelegramClient } from './telegram-client.js';
import {
  classifyTelegramError,
  isHtmlRefused,
  isMediaRefused,
  isNotModified,
  isWrongEditKind,
  MalformedTelegramResponseError,
  wrapTelegramError,
} from './telegram-errors.js';

/**
 * Sends to Telegram: sendMessage (reply in the thread, forum topic, HTML, inline buttons, no link
 * previews), sendPhoto when the message carries a photo (multipart upload of the file, the text as
 * caption; a missing file is refused, not retried), citizens' photos by file_id (sendPhoto, or
 * sendMediaGroup for an album), editMessageText or editMessageCaption for 'telegram_edit' (an
 * edit that changes nothing counts as delivered) and answerCallbackQuery for 'telegram_callback_answer'.
 * The Bot API has no idempotency key: a send whose outcome is unknown (timed out after
 * `telegram.sendTimeoutMs`, or answered without a `message_id`) may have been delivered, so it is
 * classified `outcomeUnknown` and the outbox retries it only after `outbox.unknownOutcomeDelayMs`:
 * at most one duplicate per unknown outcome. 429, 400 and a refused connection prove nothing was
 * sent and retry as usual. The external id is the message id (`String(message_id)`).
 */
export class TelegramSender {
  constructor(
    private readonly deps: {
      client: TelegramClient;
      /** Called when Telegram refused a message's HTML and it went out as plain text instead (a template to fix). */
      onHtmlRefused?: (description: string, message: OutboundMessage) => void;
      /** Called when Telegram refused a message's photos and its text went alone. */
      onMediaRefused?: (description: string, message: OutboundMessage) => void;
    },
  ) {}

  /**
   * Sends `message`; when Telegram refuses its HTML («can't parse entities»: a config template
   * with a bare «<» or an unclosed tag), sends the same words once more without markup. Nothing
   * was delivered by the refused call, so the second one cannot double it; an alert without
   * formatting is better than an alert lost.
   */
  async send(message: OutboundMessage, idempotencyKey: string): Promise<{ externalId: string | null }> {
    try {
      return await this.sendAs(message, idempotencyKey);
    } catch (error) {
      const wrapped = wrapTelegramError('send', error);
      if (message.format !== 'html' || !isHtmlRefused(wrapped)) throw error;
      this.deps.onHtmlRefused?.(wrapped.message, message);
      return this.sendAs({ ...message, format: 'plain', text: telegramHtmlToPlain(message.text) }, idempotencyKey);
    }
  }

  private async sendAs(message: OutboundMessage, _idempotencyKey: string): Promise<{ externalId: string | null }> {
    const d = message.destination;
    const parseMode = message.format === 'html' ? { parse_mode: 'HTML' } : {};
    const markup = message.buttons?.length
      ? { reply_markup: { inline_keyboard: message.buttons.map((row) => row.map((b) => ({ text: b.text, callback_data: b.data }))) } }
      : {};
    switch (d.kind) {
      case 'telegram': {
        if (message.photo) return this.sendPhoto(d, message, parseMode, markup);
        if (message.media?.length) return this.sendMedia(d, message, parseMode, markup);
        const sent = await this.deps.client.send<{ message_id?: unknown }>('sendMessage', {
          chat_id: d.chatId,
          text: message.text,
          ...parseMode,
          ...markup,
          ...(d.topicId !== undefined ? { message_thread_id: d.topicId } : {}),
          ...(d.replyToMessageId !== undefined ? { reply_parameters: { message_id: d.replyToMessageId, allow_sending_without_reply: true } } : {}),
          link_preview_options: { is_disabled: true },
        });
        return { externalId: String(messageId(sent, 'sendMessage')) };
      }
      case 'telegram_edit': {
        const edit = async (caption: boolean, flipped = false): Promise<void> => {
          const method = caption ? 'editMessageCaption' : 'editMessageText';
          const content = caption ? { caption: message.text } : { text: message.text, link_preview_options: { is_disabled: true } };
          try {
            await this.deps.client.send(method, { chat_id: d.chatId, message_id: d.messageId, ...content, ...parseMode, ...markup });
          } catch (error) {
            const wrapped = wrapTelegramError(method, error);
            if (isNotModified(wrapped)) return;
            // The flag is a hint: a card sent as text (its photo refused) is edited as text, and the other way round.
            if (!flipped && isWrongEditKind(wrapped, caption)) return edit(!caption, true);
            throw error;
          }
        };
        await edit(d.caption === true);
        return { externalId: String(d.messageId) };
      }
      case 'telegram_callback_answer': {
        await this.deps.client.call('answerCallbackQuery', {
          callback_query_id: d.pressId,
          ...(message.text ? { text: message.text.slice(0, 200) } : {}),
          ...(message.alert ? { show_alert: true } : {}),
        });
        return { externalId: null };
      }
      default:
        throw new ApiError('telegram', 'send', 400, `Telegram cannot deliver to ${d.kind}`);
    }
  }

  private async sendPhoto(
    d: Extract<OutboundMessage['destination'], { kind: 'telegram' }>,
    message: OutboundMessage,
    parseMode: { parse_mode?: string },
    markup: Record<string, unknown>,
  ): Promise<{ externalId: string | null }> {
    const path = message.photo!.path;
    // Retrying cannot bring a deleted file back: refuse the row (it goes dead with this reason).
    if (!existsSync(path)) throw new ApiError('telegram', 'sendPhoto', 400, `photo file not found: ${path}`);
    const sent = await this.deps.client.send<{ message_id?: unknown }>('sendPhoto', {
      chat_id: d.chatId,
      photo: { source: path, filename: basename(path) },
      ...(message.text ? { caption: message.text.slice(0, MAX_CAPTION) } : {}),
      ...parseMode,
      ...markup,
      ...(d.topicId !== undefined ? { message_thread_id: d.topicId } : {}),
      // A multipart body carries objects as JSON strings; telegraf encodes only reply_markup itself.
      ...(d.replyToMessageId !== undefined ? { reply_parameters: JSON.stringify({ message_id: d.replyToMessageId, allow_sending_without_reply: true }) } : {}),
    });
    return { externalId: String(messageId(sent, 'sendPhoto')) };
  }

  /**
   * Citizens' photos by file_id with the text as caption: one with sendPhoto (buttons allowed), 2–10
   * as an album (sendMediaGroup, the caption on the first). When Telegram refuses the photos
   * themselves (a file id it no longer knows, a caption it finds too long), the text goes alone:
   * the card or the note matters more than its picture.
   */
  private async sendMedia(
    d: Extract<OutboundMessage['destination'], { kind: 'telegram' }>,
    message: OutboundMessage,
    parseMode: { parse_mode?: string },
    markup: Record<string, unknown>,
  ): Promise<{ externalId: string | null }> {
    const media = message.media!;
    if (media.length > ALBUM_MAX) throw new ApiError('telegram', 'sendMediaGroup', 400, `an album holds at most ${ALBUM_MAX} photos, not ${media.length}`);
    const caption = message.text ? { caption: message.format === 'plain' ? message.text.slice(0, CAPTION_MAX) : message.text } : {};
    const place = {
      chat_id: d.chatId,
      ...(d.topicId !== undefined ? { message_thread_id: d.topicId } : {}),
      ...(d.replyToMessageId !== undefined ? { reply_parameters: { message_id: d.replyToMessageId, allow_sending_without_reply: true } } : {}),
    };
    const method = media.length === 1 ? 'sendPhoto' : 'sendMediaGroup';
    try {
      if (media.length === 1) {
        const sent = await this.deps.client.send<{ message_id?: unknown }>('sendPhoto', {
          ...place,
          photo: media[0]!.fileId,
          ...caption,
          ...parseMode,
          ...markup,
        });
        return { externalId: String(messageId(sent, 'sendPhoto')) };
      }
      const items = media.map((m, i) => ({ type: 'photo', media: m.fileId, ...(i === 0 ? { ...caption, ...parseMode } : {}) }));
      const sent = await this.deps.client.send<{ message_id?: unknown }[]>('sendMediaGroup', { ...place, media: items });
      return { externalId: String(messageId(Array.isArray(sent) ? (sent[0] ?? null) : null, 'sendMediaGroup')) };
    } catch (error) {
      const wrapped = wrapTelegramError(method, error);
      if (!isMediaRefused(wrapped)) throw error;
      this.deps.onMediaRefused?.(wrapped.message, message);
      return this.sendAs({ ...message, media: undefined }, '');
    }
  }

  classify(error: unknown): FailureClass {
    const wrapped = wrapTelegramError('send', error);
    const failure = classifyTelegramError(wrapped);
    return failure.kind === 'retry' && wrapped instanceof HttpError && wrapped.outcomeUnknown ? { ...failure, outcomeUnknown: true } : failure;
  }
}

/** Telegram's limit on a photo caption, in characters. */
const MAX_CAPTION = CAPTION_MAX;

function messageId(result: { message_id?: unknown } | null, method: string): number {
  const id = result?.message_id;
  if (typeof id !== 'number' || !Number.isSafeInteger(id) || id <= 0) {
    throw wrapTelegramError(method, new MalformedTelegramResponseError(`${method} answered without message_id`));
  }
  return id;
}
