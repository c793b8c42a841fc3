import { TelegramError } from 'telegraf';
import { ApiError, type FailureClass, HttpError, redactSecrets } from '../../errors.js';

/** The answer of a call was not what the Bot API promises (not JSON, or `result` missing). */
export class MalformedTelegramResponseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MalformedTelegramResponseError';
  }
}

/**
 * Turn whatever telegraf (or node-fetch under it) threw into our taxonomy, once, at the edge.
 * telegraf turns HTTP 5xx into a TelegramError with the status as error_code; node-fetch's
 * messages may carry the URL, which holds the token, so everything passes through redaction.
 */
export function wrapTelegramError(method: string, error: unknown, secrets: readonly string[] = []): ApiError | HttpError {
  if (error instanceof ApiError || error instanceof HttpError) return error;
  if (error instanceof TelegramError) {
    const retryAfter = error.parameters?.retry_after;
    const status = error.code;
    const description = redactSecrets(String(error.description ?? ''), secrets);
    if (typeof status === 'number' && status >= 500) {
      return new HttpError('telegram', method, `HTTP ${status} ${description}`, { cause: error, status });
    }
    return new ApiError('telegram', method, Number(status), description, {
      cause: error,
      ...(typeof retryAfter === 'number' && retryAfter >= 0 ? { retryAfterMs: retryAfter * 1000 } : {}),
    });
  }
  const name = error instanceof Error ? error.name : '';
  const message = redactSecrets(error instanceof Error ? error.message : String(error), secrets);
  const type = (error as { type?: unknown } | null)?.type;
  if (name === 'AbortError' || name === 'TimeoutError' || type === 'aborted') {
    return new HttpError('telegram', method, `timed out: ${message}`, { cause: error, outcomeUnknown: true });
  }
  if (error instanceof MalformedTelegramResponseError || type === 'invalid-json' || error instanceof SyntaxError) {
    return new HttpError('telegram', method, `malformed response: ${message}`, { cause: error, outcomeUnknown: true });
  }
  return new HttpError('telegram', method, `network: ${message}`, { cause: error });
}

/**
 * Every Telegram failure, once:
 * - 429: retry after exactly `retry_after`; 5xx, network, timeouts, 409 (another getUpdates): retry;
 * - 401 / 404 (the token is wrong or revoked): fatal;
 * - 403 (bot kicked or blocked), 400 (bad request) and the rest: reject this request only.
 */
export function classifyTelegramError(error: ApiError | HttpError): FailureClass {
  if (error instanceof HttpError) return { kind: 'retry' };
  const code = error.apiCode;
  if (code === 429) return { kind: 'retry', retryAfterMs: error.retryAfterMs ?? 1000 };
  if (code === 409 || code >= 500) return { kind: 'retry' };
  if (code === 401 || code === 404) return { kind: 'fatal' };
  return { kind: 'reject' };
}

/** Telegram refused the message's HTML markup («can't parse entities»): nothing was sent. */
export function isHtmlRefused(error: ApiError | HttpError): boolean {
  return error instanceof ApiError && error.apiCode === 400 && /can't parse entities/i.test(error.description);
}

/** 400 "message is not modified": an edit that changes nothing, i.e. the message already reads so. */
export function isNotModified(error: ApiError | HttpError): boolean {
  return error instanceof ApiError && error.apiCode === 400 && /message is not modified/i.test(error.description);
}

/** Telegram refused the photos of a send (a file id it does not know, a URL it could not fetch, a caption too long): the text can still go alone. */
export function isMediaRefused(error: ApiError | HttpError): boolean {
  return (
    error instanceof ApiError &&
    error.apiCode === 400 &&
    /file identifier|remote file|http url|wrong type of the web page|MEDIA_|PHOTO_|caption is too long|there is no photo|wrong number of messages in the media group/i.test(
      error.description,
    )
  );
}

/** An edit of the wrong kind: the caption of a text message (`caption` true), or the text of a photo. */
export function isWrongEditKind(error: ApiError | HttpError, caption: boolean): boolean {
  const pattern = caption ? /there is no caption in the message to edit/i : /there is no text in the message to edit/i;
  return error instanceof ApiError && error.apiCode === 400 && pattern.test(error.description);
}
