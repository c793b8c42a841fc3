import { existsSync } from 'node:fs';
import { basename } from 'node:path';
import { ApiError, type FailureClass, HttpError } from '../../errors.js';
import type { OutboundMessage } from '../../domain/outbound.js';
import { telegramHtmlToPlain } from '../../domain/safe-text.js';
import type { TelegramClient } from './telegram-client.js';
import { MalformedTelegramResponseError, classifyTelegramError, isHtmlRefused, isNotModified, wrapTelegramError } from './telegram-errors.js';

/**
 * Sends to Telegram: sendMessage (reply in the thread, forum topic, HTML, inline buttons, no link
 * previews), sendPhoto when the message carries a photo (multipart upload of the file, the text as
 * caption; a missing file is refused, not retried), editMessageText for 'telegram_edit' (an edit that changes nothing counts as
 * delivered) and answerCallbackQuery for 'telegram_callback_answer'.
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
        try {
          await this.deps.client.send('editMessageText', {
            chat_id: d.chatId,
            message_id: d.messageId,
            text: message.text,
            ...parseMode,
            ...markup,
            link_preview_options: { is_disabled: true },
          });
        } catch (error) {
          if (!isNotModified(wrapTelegramError('editMessageText', error))) throw error;
        }
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
      ...(d.replyToMessageId !== undefined
        ? { reply_parameters: JSON.stringify({ message_id: d.replyToMessageId, allow_sending_without_reply: true }) }
        : {}),
    });
    return { externalId: String(messageId(sent, 'sendPhoto')) };
  }

  classify(error: unknown): FailureClass {
    const wrapped = wrapTelegramError('send', error);
    const failure = classifyTelegramError(wrapped);
    return failure.kind === 'retry' && wrapped instanceof HttpError && wrapped.outcomeUnknown ? { ...failure, outcomeUnknown: true } : failure;
  }
}

/** Telegram's limit on a photo caption, in characters. */
const MAX_CAPTION = 1024;

function messageId(result: { message_id?: unknown } | null, method: string): number {
  const id = result?.message_id;
  if (typeof id !== 'number' || !Number.isSafeInteger(id) || id <= 0) {
    throw wrapTelegramError(method, new MalformedTelegramResponseError(`${method} answered without message_id`));
  }
  return id;
}
